# torch.utils.data: datasets, samplers, shuffled loaders and random_split, with PyTorch's
# random draws (tests/nn/test_data_loader.py; data_loader.out recorded with torch).
import torch
from torch.utils import data
torch.manual_seed(0)
X = torch.randn(10, 3)
y = torch.arange(10)
ds = data.TensorDataset(X, y)
print(len(ds), ds[2])
for xb, yb in data.DataLoader(ds, batch_size=4, shuffle=True):
    print(yb, xb.shape)
loader = data.DataLoader(ds, batch_size=3, shuffle=False, drop_last=True)
print(len(loader), [b[1].tolist() for b in loader])
g = torch.Generator().manual_seed(7)
print([b[1].tolist() for b in data.DataLoader(ds, batch_size=5, shuffle=True, generator=g)])
print(torch.rand(2))
train, test = data.random_split(ds, [7, 3])
print(len(train), len(test), train.indices, test.indices)
a, b = data.random_split(range(10), [0.5, 0.5], generator=torch.Generator().manual_seed(1))
print(list(a), list(b))
it = iter(data.DataLoader(ds, batch_size=2, shuffle=True))
print(torch.randint(0, 100, (2,)), next(it)[1])
print(next(iter(data.DataLoader([1.5, 2.5, 3.5], batch_size=2))))
print(next(iter(data.DataLoader([(1, 2.0), (3, 4.0)], batch_size=2))))
w = torch.zeros(3, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
for epoch in range(2):
    for xb, yb in data.DataLoader(ds, batch_size=4, shuffle=True):
        loss = ((xb @ w - yb.float()) ** 2).mean()
        opt.zero_grad(); loss.backward(); opt.step()
    print(epoch, loss.item())
try:
    data.TensorDataset(X, torch.arange(3))
except AssertionError as e:
    print("AssertionError", e)
try:
    data.DataLoader(ds, sampler=data.SequentialSampler(ds), shuffle=True)
except ValueError as e:
    print("ValueError", e)
