# Source: d2l.ai, chapter_preliminaries/linear-algebra.md ("Dot Products", "Matrix--Vector Products",
# "Matrix--Matrix Multiplication", "Norms", PyTorch tab)
import torch

x = torch.arange(3, dtype=torch.float32)
y = torch.ones(3, dtype = torch.float32)
print(x, y, torch.dot(x, y))
print(torch.sum(x * y))
A = torch.arange(6, dtype=torch.float32).reshape(2, 3)
print(A.shape, x.shape, torch.mv(A, x), A@x)
B = torch.ones(3, 4)
print(torch.mm(A, B), A@B)
u = torch.tensor([3.0, -4.0])
print(torch.norm(u))
print(torch.abs(u).sum())
print(torch.norm(torch.ones((4, 9))))
