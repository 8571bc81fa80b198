# Source: torch.nn loss docs examples (MSELoss, L1Loss, CrossEntropyLoss, NLLLoss, BCELoss,
# BCEWithLogitsLoss, SmoothL1Loss, HuberLoss), with seeded inputs
import torch
from torch import nn

torch.manual_seed(0)
input = torch.randn(3, 5, requires_grad=True)
target = torch.randn(3, 5)
for loss in (nn.MSELoss(), nn.L1Loss(), nn.SmoothL1Loss(), nn.HuberLoss(delta=0.5),
             nn.MSELoss(reduction='sum')):
    out = loss(input, target)
    print(loss, out.item() > 0, round(out.item(), 4))
cls = torch.empty(3, dtype=torch.long).random_(5)
print(cls)
out = nn.CrossEntropyLoss()(input, cls)
print(round(out.item(), 4))
m = nn.LogSoftmax(dim=1)
print(round(nn.NLLLoss()(m(input), cls).item(), 4))
sig = nn.Sigmoid()
t = torch.empty(3, 5).random_(2)
print(t)
print(round(nn.BCELoss()(sig(input), t).item(), 4))
print(round(nn.BCEWithLogitsLoss()(input, t).item(), 4))
out = nn.BCEWithLogitsLoss(pos_weight=torch.ones(5) * 2)(input, t)
out.backward()
print(round(out.item(), 4), input.grad.shape)
