# Source: PyTorch test/test_autograd.py (needs_input_grad and non-tensor arguments)
import torch


class MyFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y, scale=2.0):
        print("needs_input_grad", ctx.needs_input_grad)
        ctx.scale = scale
        return x * y * scale

    @staticmethod
    def backward(ctx, grad):
        return None, grad * ctx.scale, None


x = torch.tensor([1., 2.])
y = torch.tensor([3., 4.], requires_grad=True)
out = MyFunction.apply(x, y, 0.5)
print(out)
out.sum().backward()
print(y.grad)
print(MyFunction.apply(x, x))
