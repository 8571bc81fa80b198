# Source: a well-known Q&A ("Why is the .grad of my weight None?"): multiplying a leaf makes a
# non-leaf, whose .grad is not populated
import torch

w = torch.ones(3, requires_grad=True) * 0.01
loss = (w * 2).sum()
loss.backward()
print(w.is_leaf, w.grad)
w = (torch.ones(3) * 0.01).requires_grad_()
loss = (w * 2).sum()
loss.backward()
print(w.is_leaf, w.grad)
