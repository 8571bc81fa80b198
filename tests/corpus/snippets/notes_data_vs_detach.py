# Source: PyTorch 0.4 migration guide, "What about .data?" (pytorch.org/blog/pytorch-0_4_0-migration-guide)
import torch

a = torch.tensor([1., 2., 3.], requires_grad=True)
out = a.sigmoid()
c = out.data
c.zero_()
print(out)
out.sum().backward()
print(a.grad)
