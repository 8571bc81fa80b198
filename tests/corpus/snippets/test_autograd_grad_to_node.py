# Source: pytorch test/test_autograd.py (next_functions of a simple graph; test_next_functions)
import torch

x = torch.tensor([1., 2.], requires_grad=True)
y = torch.tensor([3., 4.], requires_grad=True)
a = x + y
print(a.grad_fn.next_functions[0][0], a.grad_fn.next_functions[0][1])
print(a.grad_fn.next_functions[1][0].variable is y)
b = a * 2
print(b.grad_fn.next_functions[1][0])
