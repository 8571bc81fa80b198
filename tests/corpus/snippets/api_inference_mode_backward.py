# Source: autograd mechanics notes, "Inference Mode" (docs/source/notes/autograd.rst): inference
# tensors cannot be saved for backward
import torch

with torch.inference_mode():
    x = torch.ones(3)
w = torch.tensor([1., 2., 3.], requires_grad=True)
print(x)
print(torch.is_inference_mode_enabled())
(x * 2).sum()
(w * x).sum().backward()
