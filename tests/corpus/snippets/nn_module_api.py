# Source: torch.nn.Module docs (https://pytorch.org/docs/stable/generated/torch.nn.Module.html):
# children, modules, named_parameters, state_dict, load_state_dict, train/eval, zero_grad, apply
import torch
import torch.nn as nn

torch.manual_seed(1)
net = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1))
print([type(m).__name__ for m in net.modules()])
print([name for name, _ in net.named_children()])
for name, p in net.named_parameters():
    print(name, p.shape, p.requires_grad)
sd = net.state_dict()
print(list(sd.keys()))
print(sd['0.bias'])
print(net.load_state_dict(sd))
print(net.training, net.eval().training, net[1].training)
out = net(torch.ones(3, 2)).sum()
out.backward()
print(net[0].weight.grad)
net.zero_grad()
print(net[0].weight.grad)


@torch.no_grad()
def init_weights(m):
    if type(m) == nn.Linear:
        m.weight.fill_(1.0)
        print(m.weight)


net.apply(init_weights)
print(net)
try:
    net.load_state_dict({'0.weight': torch.zeros(2, 2)})
except RuntimeError as e:
    print(e)
