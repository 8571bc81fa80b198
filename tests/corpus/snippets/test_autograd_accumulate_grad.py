# Source: pytorch test/test_autograd.py, test_accumulate_grad (assertions printed)
import torch

grad_output = torch.ones(5, 5)

def compute_grad(create_graph):
    x = torch.ones(5, 5, requires_grad=True)
    y = x + 2
    y.backward(grad_output, retain_graph=True)
    x_grad = x.grad
    x_grad_clone = x.grad.clone()
    y.backward(grad_output, create_graph=create_graph)
    return x_grad, x_grad_clone

# Accumulate in-place when create_graph is False
x_grad, x_grad_clone = compute_grad(create_graph=False)
print(x_grad)
print(x_grad_clone * 2)

# Accumulate out-of-place when create_graph is False
x_grad, x_grad_clone = compute_grad(create_graph=True)
print(x_grad)
