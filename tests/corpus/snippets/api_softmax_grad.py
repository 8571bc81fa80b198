# Source: torch.nn.functional.softmax / log_softmax docs; the Jacobian-vector product of softmax
import torch
import torch.nn.functional as F

x = torch.tensor([[1., 2., 3.], [1., 1., 1.]], requires_grad=True)
s = F.softmax(x, dim=1)
print(s)
(s * torch.tensor([1., 0., 0.])).sum().backward()
print(x.grad)
x.grad = None
F.log_softmax(x, dim=1)[:, 0].sum().backward()
print(x.grad)
