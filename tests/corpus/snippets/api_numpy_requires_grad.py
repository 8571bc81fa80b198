# Source: a well-known Q&A ("Can't call numpy() on Tensor that requires grad")
import torch

x = torch.tensor([1., 2.], requires_grad=True)
print(x.detach().numpy())
x.numpy()
