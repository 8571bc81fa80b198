# Source: autograd mechanics notes / a well-known Q&A ("a leaf Variable that requires grad is
# being used in an in-place operation")
import torch

w = torch.tensor([1., 2.], requires_grad=True)
with torch.no_grad():
    w -= 0.1 * torch.tensor([1., 1.])
print(w)
w -= 0.1
