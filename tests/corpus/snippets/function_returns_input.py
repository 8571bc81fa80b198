# Source: PyTorch test/test_autograd.py (test_function_returns_input: an input returned as is
# becomes a view with the Function's grad_fn)
import torch


class MyFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x

    @staticmethod
    def backward(ctx, grad):
        return grad * 2


v = torch.ones(1, requires_grad=True)
out = MyFunction.apply(v)
print(out is v, out.grad_fn)
MyFunction.apply(v.clone()).backward()
print(v.grad)
v.grad.zero_()
with torch.no_grad():
    v_ = v.clone()
print(MyFunction.apply(v_).requires_grad)
