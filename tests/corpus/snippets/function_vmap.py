# Source: torch.func.vmap docstring examples and the "torch.func" Jacobians/Hessians tutorial
# (batched dot, per-sample gradients, vmap of jacrev/jacfwd/hessian, nesting, out_dims)
import torch
from torch.func import vmap, grad, jacrev, jacfwd, hessian

x = torch.tensor([[1., 2.], [3., 4.], [5., 6.]])
y = torch.tensor([1., -1.])
batched_dot = vmap(torch.dot, in_dims=(0, None))
print(batched_dot(x, y))
print(vmap(lambda a: a.sum(), in_dims=1)(x))
print(vmap(lambda a: (a, a.sum()), out_dims=(1, 0))(x))
print(vmap(vmap(lambda a: a * 10))(x))
print(vmap(grad(lambda a: (a ** 2).sum()))(x))
print(vmap(jacrev(lambda a: a.sin()))(x))
print(vmap(jacfwd(lambda a: a.sin()))(x))
print(vmap(hessian(lambda a: (a ** 3).sum()))(x))
print(torch.vmap(lambda a, b: a * b)(x, x))
w = torch.tensor([1., 2.], requires_grad=True)
vmap(lambda a: (a * w).sum())(x).sum().backward()
print(w.grad)
print(vmap(lambda a, k: a * k, in_dims=(0, None))(x, 3))
for f in (lambda: vmap(lambda a, b: a + b)(x, torch.ones(2, 2)),
          lambda: vmap(lambda a: a, in_dims=2)(x),
          lambda: vmap(lambda a: 3.0)(x)):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
