# Source: Tensor.cuda docs; the error a CPU-only build gives (a common Q&A)
import torch

x = torch.tensor([1., 2.])
print(x.cpu())
print(torch.cuda.is_available())
x.cuda()
