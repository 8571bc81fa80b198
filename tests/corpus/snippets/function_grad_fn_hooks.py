# Source: PyTorch docs, notes/autograd.rst "Backward Hooks execution" (grad_fn.register_prehook,
# register_hook, Tensor.register_post_accumulate_grad_hook)
import torch

a = torch.tensor([1., 2.], requires_grad=True)
b = a * 3
c = b.sum()


def pre(grad_outputs):
    print("prehook", grad_outputs)
    return (grad_outputs[0] * 2,)


def post(grad_inputs, grad_outputs):
    print("posthook", grad_inputs, grad_outputs)


def after_acc(p):
    print("accumulated", p.grad)


handle = b.grad_fn.register_prehook(pre)
b.grad_fn.register_hook(post)
a.register_post_accumulate_grad_hook(after_acc)
c.backward()
print(a.grad)
print(b.grad_fn._saved_other)
try:
    b.register_post_accumulate_grad_hook(after_acc)
except RuntimeError as e:
    print("RuntimeError", e)
