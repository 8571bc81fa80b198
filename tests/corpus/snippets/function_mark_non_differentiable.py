# Source: torch.autograd.function.FunctionCtx.mark_non_differentiable docstring (adapted: a
# float and an integer output instead of sort)
import torch


class Func(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        out = x * 2
        idx = (x * 10).long()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(x, idx)
        return out, idx

    @staticmethod
    def backward(ctx, g1, g2):
        print("g2", g2)
        x, idx = ctx.saved_tensors
        return g1 * 2


x = torch.tensor([0.1, 0.2, 0.3], requires_grad=True)
out, idx = Func.apply(x)
print(out, idx, idx.requires_grad)
out.sum().backward()
print(x.grad)
