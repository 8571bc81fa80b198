# Source: torch.nn.functional.cross_entropy docstring (class-index targets; torch.randn and
# torch.randint replaced by fixed values)
import torch
import torch.nn.functional as F

input = torch.tensor([[0.5, -1.0, 2.0, 0.1, 0.0], [1.5, 0.0, -0.5, 0.3, 0.2],
                      [0.0, 0.0, 0.0, 0.0, 1.0]], requires_grad=True)
target = torch.tensor([2, 0, 4])
loss = F.cross_entropy(input, target)
print(loss)
loss.backward()
print(input.grad)
