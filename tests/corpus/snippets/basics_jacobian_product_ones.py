# Source: https://pytorch.org/tutorials/beginner/basics/autogradqs_tutorial.html
# (the Jacobian-product example with torch.ones instead of torch.eye)
import torch

inp = torch.ones(4, 5, requires_grad=True)
out = (inp+1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\n{inp.grad}")
print(out.grad_fn)
