# Source: a well-known Q&A ("loss.item() vs loss.data"): item() gives a Python number,
# tolist() nested lists
import torch

loss = (torch.tensor([1.5, 2.5], requires_grad=True) ** 2).mean()
print(loss, loss.item(), type(loss.item()).__name__, loss.data, loss.detach())
print(torch.tensor([[1, 2], [3, 4]]).tolist())
torch.tensor([1., 2.]).item()
