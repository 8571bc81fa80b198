# Source: PyTorch test/test_autograd.py (custom Function error tests: wrong number of
# gradients, invalid gradient shape, gradient for a non-tensor input, no backward)
import torch


class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        return a * b

    @staticmethod
    def backward(ctx, g):
        return g


class BadShape(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a * 2

    @staticmethod
    def backward(ctx, g):
        return torch.ones(3)


class NonTensor(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, n):
        return a * n

    @staticmethod
    def backward(ctx, g):
        return g, g


class NoBackward(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2


a = torch.ones(2, requires_grad=True)
b = torch.ones(2, requires_grad=True)
for f in (lambda: Bad.apply(a, b).sum().backward(),
          lambda: BadShape.apply(a).sum().backward(),
          lambda: NonTensor.apply(a, 3).sum().backward(),
          lambda: NoBackward.apply(a).sum().backward()):
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
