# Source: the "out=" argument's autograd restriction (aten/src/ATen/native/... and
# test/test_autograd.py test_out_variant); out= works when no gradient is needed
import torch

a = torch.tensor([1., 2.])
b = torch.tensor([3., 4.])
out = torch.empty(2)
torch.add(a, b, out=out)
print(out)
torch.mul(a, b, out=out)
print(out)
x = torch.tensor([1., 2.], requires_grad=True)
torch.mul(x, b, out=out)
