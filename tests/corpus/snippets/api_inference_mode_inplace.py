# Source: autograd mechanics notes, "Inference Mode": in-place on an inference tensor outside
# inference mode is an error
import torch

with torch.inference_mode():
    x = torch.ones(3)
    x.add_(1)
print(x)
print(x.requires_grad)
x.add_(1)
