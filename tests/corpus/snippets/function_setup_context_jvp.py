# Source: PyTorch docs, notes/extending.rst ("Combined or separate forward() and
# setup_context()", forward-mode AD with jvp)
import torch
import torch.autograd.forward_ad as fwAD


class MyMul(torch.autograd.Function):
    @staticmethod
    def forward(x, y):
        return x * y

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, y = inputs
        ctx.save_for_backward(x, y)
        ctx.save_for_forward(x, y)

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        return grad_output * y, grad_output * x

    @staticmethod
    def jvp(ctx, x_t, y_t):
        x, y = ctx.saved_tensors
        return x_t * y + y_t * x


a = torch.tensor([1., 2.], requires_grad=True)
b = torch.tensor([3., 4.], requires_grad=True)
out = MyMul.apply(a, b)
print(out)
out.sum().backward()
print(a.grad, b.grad)
with fwAD.dual_level():
    dual = fwAD.make_dual(torch.tensor([1., 2.]), torch.tensor([1., 0.]))
    out = MyMul.apply(dual, torch.tensor([3., 4.]))
    print(fwAD.unpack_dual(out).tangent)
