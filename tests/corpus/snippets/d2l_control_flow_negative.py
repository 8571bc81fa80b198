# Source: d2l.ai, chapter_preliminaries/autograd.md ("Gradients and Python Control Flow", PyTorch tab)
# (a negative fixed input, so that the else branch runs)
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

a = torch.tensor(-1.5, requires_grad=True)
d = f(a)
d.backward()
print(a.grad == d / a)
print(a.grad)
