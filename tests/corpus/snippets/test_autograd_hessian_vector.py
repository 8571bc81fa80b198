# Source: pytorch test/test_autograd.py, test_hessian_vector (torch.randn replaced by fixed values)
import torch

x = torch.tensor([[0.5, -1.0], [2.0, 0.3]], requires_grad=True)
y = torch.tensor([[1.5, 0.2], [-0.7, 1.1]], requires_grad=True)

z = x**2 + y * x + y**2
z.backward(torch.ones(2, 2), create_graph=True)

with torch.no_grad():
    x_grad = 2 * x + y
    y_grad = x + 2 * y
print(torch.allclose(x.grad, x_grad), torch.allclose(y.grad, y_grad))

grad_sum = 2 * x.grad + y.grad
grad_sum.backward(torch.ones(2, 2))
x_hv = torch.ones(2, 2) * 5
y_hv = torch.ones(2, 2) * 4
print(x.grad, x_grad + x_hv)
print(y.grad, y_grad + y_hv)
