# Source: torch.optim docs ("How to use an optimizer": optimizer.zero_grad(), loss.backward(),
# optimizer.step(); per-parameter options; state_dict), on a seeded toy problem
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(3, 1)
x = torch.randn(8, 3)
y = torch.randn(8, 1)
optimizers = [
    torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9),
    torch.optim.Adam([{'params': model.weight}, {'params': model.bias, 'lr': 1e-2}], lr=1e-3),
]
for optimizer in optimizers:
    for step in range(3):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        print(step, round(loss.item(), 4))
    print(model.weight, model.bias)
    print(optimizer)
print(optimizers[1].state_dict()['state'][1])
