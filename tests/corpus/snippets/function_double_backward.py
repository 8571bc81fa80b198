# Source: PyTorch tutorial intermediate_source/custom_function_double_backward_tutorial.rst
# (MyCube: a backward made of differentiable ops supports double backward)
import torch


class MyCube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        result = x ** 3
        dx = 3 * x ** 2
        ctx.save_for_backward(x, dx)
        return result, dx

    @staticmethod
    def backward(ctx, grad_output, grad_dx):
        x, dx = ctx.saved_tensors
        result = grad_output * dx + grad_dx * 6 * x
        return result


def my_cube(x):
    result, dx = MyCube.apply(x)
    return result


x = torch.tensor([1., 2., 3.], dtype=torch.double, requires_grad=True)
print(torch.autograd.gradcheck(my_cube, (x,)))
print(torch.autograd.gradgradcheck(my_cube, (x,)))
g, = torch.autograd.grad(my_cube(x).sum(), x, create_graph=True)
print(g)
gg, = torch.autograd.grad(g.sum(), x)
print(gg)
