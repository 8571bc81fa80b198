# Source: a well-known Q&A ("torch.arange(-8, 8, 0.1) gives values that are not multiples of 0.1"):
# float arange computes start + i * step
import torch

x = torch.arange(-8.0, 8.0, 0.1)
print(len(x), x[80].item(), x[-1].item())
print(x[80] > 0, torch.relu(x)[80] > 0)
print(torch.arange(0, 1, 0.1))
print(torch.arange(1, 2.5, 0.5))
print(torch.arange(0.0, 1.0, 0.3).tolist())
print(torch.arange(-1.0, 1.0, 0.25, dtype=torch.float64).tolist())
