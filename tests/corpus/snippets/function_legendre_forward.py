# Source: pytorch/tutorials beginner_source/examples_autograd/polynomial_custom_function.py
# (LegendrePolynomial3, one forward and backward on fixed values instead of the training loop)
import torch

class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)

x = torch.tensor([0.0, 0.5, 1.0], requires_grad=True)
P3 = LegendrePolynomial3.apply
y = P3(x)
print(y)
y.sum().backward()
print(x.grad)
