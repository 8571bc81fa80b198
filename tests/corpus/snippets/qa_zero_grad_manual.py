# Source: "Zeroing out gradients in PyTorch" recipe and the manual-SGD Q&A pattern:
# `with torch.no_grad(): p -= lr * p.grad; p.grad.zero_()`
import torch

p = torch.tensor([1.0, -2.0], requires_grad=True)
for step in range(3):
    loss = ((p - torch.tensor([0.5, 0.5])) ** 2).sum()
    loss.backward()
    with torch.no_grad():
        p -= 0.25 * p.grad
    p.grad.zero_()
    print(step, loss.item(), p)
