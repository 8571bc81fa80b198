# Source: d2l.ai, chapter_preliminaries/calculus.md (the numerical limit of f(x) = 3x^2 - 4x at x = 1,
# redone with autograd)
import torch

def f(x):
    return 3 * x ** 2 - 4 * x

x = torch.tensor(1.0, requires_grad=True)
f(x).backward()
print(x.grad)
for h in 10.0**torch.arange(-1, -6, -1):
    print(f'h={h:.5f}, numerical limit={(f(1+h)-f(1))/h:.5f}')
