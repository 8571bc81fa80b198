# Source: https://pytorch.org/tutorials/beginner/basics/optimization_tutorial.html
# (train_loop / loss_fn / optimizer, on a small seeded synthetic batch instead of FashionMNIST)
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 3))
learning_rate = 1e-3
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
X = torch.rand(5, 4, 4)
y = torch.tensor([0, 2, 1, 1, 0])
model.train()
for batch in range(3):
    pred = model(X)
    loss = loss_fn(pred, y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    print(f"loss: {loss.item():>7f}  [{batch:>5d}]")
model.eval()
with torch.no_grad():
    pred = model(X)
    test_loss = loss_fn(pred, y).item()
    correct = (pred.argmax(1) == y).type(torch.float).sum().item()
print(f"Test Error: \n Accuracy: {(100*correct/5):>0.1f}%, Avg loss: {test_loss:>8f} \n")
print(optimizer)
