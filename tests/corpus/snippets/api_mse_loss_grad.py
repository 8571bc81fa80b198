# Source: torch.nn.MSELoss / F.mse_loss docstring (torch.randn replaced by fixed values)
import torch
import torch.nn.functional as F

input = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]], requires_grad=True)
target = torch.tensor([[1.0, -1.0, 1.0], [1.0, 1.0, -1.0]])
output = F.mse_loss(input, target)
print(output)
output.backward()
print(input.grad)
