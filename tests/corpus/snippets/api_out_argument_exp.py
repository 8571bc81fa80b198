# Source: test/test_autograd.py (out= functions raise for inputs that require grad)
import torch

x = torch.tensor([0., 1.], requires_grad=True)
res = torch.empty(2)
with torch.no_grad():
    torch.exp(x, out=res)
print(res)
torch.exp(x, out=res)
