# Source: PyTorch 0.4 migration guide, "What about .data?": detach() makes the change visible to
# autograd, which raises
import torch

a = torch.tensor([1., 2., 3.], requires_grad=True)
out = a.sigmoid()
c = out.detach()
c.zero_()
print(out)
out.sum().backward()
