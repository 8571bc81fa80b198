# Source: the common pattern of the autograd tutorials: compare autograd's gradient with the
# analytic one using torch.allclose
import torch

x = torch.linspace(-1, 1, 5, requires_grad=True)
y = (x ** 3).sum()
y.backward()
print(torch.allclose(x.grad, 3 * x ** 2))
print(torch.allclose(x.grad, 3 * x.detach() ** 2 + 1e-3))
print(torch.allclose(x.grad, 3 * x.detach() ** 2 + 1e-9))
