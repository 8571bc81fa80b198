# Source: torch.autograd.Function docstring (class Exp), PyTorch 2.13 API docs
import torch
from torch.autograd import Function


class Exp(Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        return grad_output * result


input = torch.tensor([0., 1.], requires_grad=True)
output = Exp.apply(input)
print(output)
output.sum().backward()
print(input.grad)
