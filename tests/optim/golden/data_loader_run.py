# A shuffled mini-batch training loop as tutorials write it, for `symgrad run`
# (tests/nn/test_data_loader.py; data_loader_run.out recorded with torch 2.13).
import torch
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(0)
X = torch.randn(20, 3)
y = X @ torch.tensor([1.0, -2.0, 0.5]) + 0.1
train, test = random_split(TensorDataset(X, y), [16, 4])
print(len(train), len(test))
loader = DataLoader(train, batch_size=5, shuffle=True)
print(len(loader))
w = torch.zeros(3, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
for epoch in range(3):
    for xb, yb in loader:
        loss = ((xb @ w - yb) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(epoch, loss.item())
for xb, yb in DataLoader(test, batch_size=4):
    print(((xb @ w - yb) ** 2).mean().item())
print(w)
