# Source: d2l.ai, chapter_preliminaries/autograd.md ("Gradients and Python Control Flow", PyTorch
# tab, verbatim; torch.manual_seed(0) added so that torch.randn is repeatable)
import torch
torch.manual_seed(0)

def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c

a = torch.randn(size=(), requires_grad=True)
d = f(a)
d.backward()
print(a.grad == d / a)
print(a, d, a.grad)
