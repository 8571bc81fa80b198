# Source: Tensor.to docstring (torch/_tensor_docs.py); torch.randn replaced by fixed values and
# the cuda device by cpu
import torch

tensor = torch.tensor([[0.5, -1.25], [2.0, 3.5]])  # Initially dtype=float32, device=cpu
print(tensor.to(torch.float64))
cpu0 = torch.device('cpu')
print(tensor.to(cpu0))
print(tensor.to(cpu0, dtype=torch.float64))
other = torch.tensor(1., dtype=torch.float64, device=cpu0)
print(tensor.to(other, non_blocking=True))
print(tensor.to(torch.int32), tensor.to(dtype=torch.float16))
print(tensor.to('cpu', torch.float64))
