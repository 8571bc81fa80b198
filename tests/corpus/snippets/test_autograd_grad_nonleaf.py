# Source: pytorch test/test_autograd.py, test_grad_nonleaf (assertions printed)
import torch

x_init = torch.tensor([[0.5, -0.2], [1.5, 0.3]], requires_grad=True)
x = x_init
y = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
grad_output = torch.ones(2, 2)

def fn(x):
    return x**2 + y * x + y**2

for _ in range(5):
    (grad_x,) = torch.autograd.grad(
        fn(x), x, grad_outputs=grad_output, create_graph=True
    )

    grad_x_expected = 2 * x + y
    print(y.grad, x_init.grad)
    print(torch.allclose(grad_x, grad_x_expected))

    x = x + 0.05 * grad_x

val_init = fn(x_init).sum()
val_final = fn(x).sum()
print(val_final > val_init)

x.backward(grad_output)
print(y.grad is not None, x_init.grad is not None)
