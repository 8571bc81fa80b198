# Source: autograd mechanics notes, "In-place operations with autograd": exp saves its output,
# so modifying the output in place is detected
import torch

a = torch.tensor([0., 1.], requires_grad=True)
b = a.exp()
b.add_(1)
print(b)
b.backward(torch.ones(2))
