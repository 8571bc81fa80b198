# Source: d2l.ai, chapter_preliminaries/ndarray.md ("Conversion to Other Python Objects", PyTorch tab)
# (type(B) printed as isinstance(B, torch.Tensor): symgrad's class is symgrad.Tensor)
import torch

X = torch.arange(12, dtype=torch.float32).reshape((3,4))
A = X.numpy()
B = torch.from_numpy(A)
print(type(A), isinstance(B, torch.Tensor))
a = torch.tensor([3.5])
print(a, a.item(), float(a), int(a))
