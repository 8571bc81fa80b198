# Source: PyTorch docs, notes/extending.rst (MulConstant, with and without set_materialize_grads)
import torch
from torch.autograd import Function


class MulConstant(Function):
    @staticmethod
    def forward(ctx, tensor, constant):
        ctx.constant = constant
        return tensor * constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None


class MulConstantLazy(Function):
    @staticmethod
    def forward(ctx, tensor, constant):
        ctx.set_materialize_grads(False)
        ctx.constant = constant
        return tensor * constant

    @staticmethod
    def backward(ctx, grad_output):
        if grad_output is None:
            return None, None
        return grad_output * ctx.constant, None


x = torch.tensor([1., 2., 3.], requires_grad=True)
y = MulConstant.apply(x, 5)
print(y, y.grad_fn.constant)
y.backward(torch.ones(3))
print(x.grad)
z = MulConstantLazy.apply(x, 0.5)
z.sum().backward()
print(x.grad)
print(torch.autograd.gradcheck(lambda t: MulConstant.apply(t, 3.0),
                               (torch.tensor([1., 2.], dtype=torch.double, requires_grad=True),)))
