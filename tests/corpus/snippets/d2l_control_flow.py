# Source: d2l.ai, chapter_preliminaries/autograd.md ("Gradients and Python Control Flow", PyTorch tab)
# (torch.randn(size=()) replaced by a fixed value)
import torch

def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c

a = torch.tensor(0.7, requires_grad=True)
d = f(a)
d.backward()
print(a.grad == d / a)
print(d, a.grad)
