# The learning-rate schedules of a training loop, their warnings, state_dict and errors
# (tests/optim/test_lr_scheduler.py runs it with symgrad and compares with
# schedulers.out, recorded from PyTorch 2.13 by running this file with torch).
import torch
import warnings
torch.manual_seed(0)
w = torch.nn.Linear(3, 1)
x = torch.randn(8, 3); y = torch.randn(8, 1)
for name, make in [("step", lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.1)),
                   ("multistep", lambda o: torch.optim.lr_scheduler.MultiStepLR(o, milestones=[2, 5, 5], gamma=0.3)),
                   ("exp", lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)),
                   ("cos", lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.001)),
                   ("lambda", lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda e: 0.95 ** e)),
                   ("mult", lambda o: torch.optim.lr_scheduler.MultiplicativeLR(o, lambda e: 0.97)),
                   ("linear", lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=4)),
                   ("const", lambda o: torch.optim.lr_scheduler.ConstantLR(o, factor=0.5, total_iters=3))]:
    opt = torch.optim.SGD(w.parameters(), lr=0.1, momentum=0.9)
    sched = make(opt)
    out = []
    for epoch in range(10):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(w(x), y)
        loss.backward()
        opt.step()
        sched.step()
        out.append(sched.get_last_lr()[0])
    print(name, out, loss.item())
print(opt)
opt = torch.optim.SGD(w.parameters(), lr=0.1)
s = torch.optim.lr_scheduler.StepLR(opt, 2)
with warnings.catch_warnings(record=True) as rec:
    warnings.simplefilter("always")
    s.step()
    s.get_lr()
    s.step(5)
print([str(r.message)[:60] for r in rec])
print(sorted(s.state_dict()))
try:
    torch.optim.lr_scheduler.StepLR(opt, 2, last_epoch=3)
    torch.optim.lr_scheduler.StepLR(torch.optim.SGD(w.parameters(), lr=0.1), 2, last_epoch=3)
except KeyError as e:
    print("KeyError", str(e)[:70])
try:
    torch.optim.lr_scheduler.StepLR(w, 2)
except TypeError as e:
    print("TypeError", e)
