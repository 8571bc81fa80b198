# Source: torch.inference_mode docstring (mode=False behaves like no context manager)
import torch

x = torch.ones(2, requires_grad=True)
with torch.inference_mode(mode=False):
    y = x * 2
print(y.requires_grad, y.is_inference())
with torch.inference_mode():
    with torch.inference_mode(False):
        print(torch.is_inference_mode_enabled())
    print(torch.is_inference_mode_enabled())
