# Source: pytorch test/test_autograd.py, test_backward_with_inputs (torch.randn replaced by fixed
# values; assertions printed)
import torch

x = torch.tensor([[0.5, -1.0], [2.0, 0.3]], dtype=torch.double, requires_grad=True)
y = torch.tensor([[1.5, 0.2], [-0.7, 1.1]], dtype=torch.double, requires_grad=True)

def fn():
    return x**2 + y * x + y**2

gradient = torch.ones(2, 2)
x_grad_expected = 2 * x + y
y_grad_expected = x + 2 * y

@torch.no_grad()
def reset_grad():
    x.grad.zero_()
    y.grad.zero_()

torch.autograd.backward(fn(), gradient, inputs=[x, y])
print(torch.allclose(x.grad, x_grad_expected), torch.allclose(y.grad, y_grad_expected))

reset_grad()
torch.autograd.backward(fn(), gradient, inputs=[x])
print(torch.allclose(x.grad, x_grad_expected), y.grad)

reset_grad()
torch.autograd.backward(fn(), gradient, inputs=[y])
print(x.grad, torch.allclose(y.grad, y_grad_expected))
