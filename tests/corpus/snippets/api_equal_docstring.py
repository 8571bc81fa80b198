# Source: torch.equal docstring (torch/_torch_docs.py)
import torch

print(torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2])))
print(torch.equal(torch.tensor([3, 2]), torch.tensor([1, 2])))
print(torch.equal(torch.tensor([1, 2]), torch.tensor([1])))
print(torch.equal(torch.tensor([1, 2], dtype=torch.float32), torch.tensor([1, 2], dtype=torch.float64)))
x = torch.tensor([1., 2.], requires_grad=True)
print(x.equal(x * 1), x.equal(x.detach()))
