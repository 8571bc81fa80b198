# Source: torch.inference_mode docstring (torch/autograd/grad_mode.py)
import torch

x = torch.ones(1, 2, 3, requires_grad=True)
with torch.inference_mode():
    y = x * x
print(y.requires_grad)

@torch.inference_mode()
def func(x):
    return x * x
out = func(x)
print(out.requires_grad)

@torch.inference_mode()
def doubler(x):
    return x * 2
out = doubler(x)
print(out.requires_grad)
print(y.is_inference(), x.is_inference(), torch.is_inference_mode_enabled())
y._version
