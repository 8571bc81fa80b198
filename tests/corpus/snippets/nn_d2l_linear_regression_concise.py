# Source: https://d2l.ai/chapter_linear-networks/linear-regression-concise.html (PyTorch tab,
# d2l 0.17 edition: synthetic_data, nn.Sequential(nn.Linear(2, 1)), normal_/fill_ init,
# MSELoss, SGD), seeded; minibatches taken in order instead of a shuffled DataLoader;
# the loss printed to 4 decimals (full float32 digits differ in the last place)
import torch
from torch import nn


def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


torch.manual_seed(0)
true_w = torch.tensor([2, -3.4])
true_b = 4.2
features, labels = synthetic_data(true_w, true_b, 100)
print(features[0], labels[0])
net = nn.Sequential(nn.Linear(2, 1))
net[0].weight.data.normal_(0, 0.01)
net[0].bias.data.fill_(0)
loss = nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.03)
num_epochs = 3
for epoch in range(num_epochs):
    for i in range(0, 100, 10):
        X, y = features[i:i + 10], labels[i:i + 10]
        l = loss(net(X), y)
        trainer.zero_grad()
        l.backward()
        trainer.step()
    l = loss(net(features), labels)
    print(f'epoch {epoch + 1}, loss {l:.4f}')
w = net[0].weight.data
print('error in estimating w:', true_w - w.reshape(true_w.shape))
b = net[0].bias.data
print('error in estimating b:', true_b - b)
