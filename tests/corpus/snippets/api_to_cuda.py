# Source: Tensor.to docstring; the error a CPU-only build gives for .to("cuda")
import torch

x = torch.tensor([1., 2.])
print(x.to("cpu"))
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(device, x.to(device))
x.to("cuda")
