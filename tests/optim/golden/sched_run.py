import torch
from torch.optim.lr_scheduler import StepLR
torch.manual_seed(0)
model = torch.nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
sched = StepLR(opt, step_size=2, gamma=0.5)
cos = torch.optim.lr_scheduler.CosineAnnealingLR(torch.optim.Adam(model.parameters(), lr=0.01), T_max=3)
x = torch.randn(5, 2)
for epoch in range(4):
    opt.zero_grad()
    loss = model(x).pow(2).mean()
    loss.backward()
    opt.step()
    sched.step()
    cos.step()
    print(epoch, loss.item(), sched.get_last_lr(), cos.get_last_lr(), opt.param_groups[0]["lr"], sched.last_epoch)
