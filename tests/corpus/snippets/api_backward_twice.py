# Source: a well-known Q&A ("Trying to backward through the graph a second time")
import torch

x = torch.tensor([1., 2.], requires_grad=True)
y = (x * x).sum()
y.backward()
print(x.grad)
y.backward()
