# Source: torch.set_printoptions docstring (sci_mode, linewidth) and tensor printing of
# large/small values
import torch

print(torch.tensor([1e-8, 1.0, 1e8]))
print(torch.tensor([123456789.0]))
torch.set_printoptions(sci_mode=False)
print(torch.tensor([1e-4, 1.0, 1e4]))
torch.set_printoptions(profile='default')
print(torch.tensor([float('nan'), float('inf'), -float('inf'), 1.5]))
print(torch.tensor([True, False]), torch.tensor([], dtype=torch.int64))
