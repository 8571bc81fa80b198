# Source: https://github.com/pytorch/tutorials/blob/main/beginner_source/examples_nn/polynomial_optim.py
# ("PyTorch: optim"): its model, loss and optimizer, seeded, for three training steps;
# math.pi written out (symgrad run imports only torch)
import torch

torch.manual_seed(0)
x = torch.linspace(-3.141592653589793, 3.141592653589793, 2000)
y = torch.sin(x)
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)
model = torch.nn.Sequential(
    torch.nn.Linear(3, 1),
    torch.nn.Flatten(0, 1)
)
loss_fn = torch.nn.MSELoss(reduction='sum')
learning_rate = 1e-6
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
for t in range(3):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    print(t, round(loss.item(), 1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
