import torch
torch.manual_seed(0)
m = torch.nn.Linear(3, 2)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
x = torch.randn(4, 3)
for step in range(3):
    opt.zero_grad()
    loss = m(x).pow(2).sum()
    loss.backward()
    print(torch.nn.utils.clip_grad_norm_(m.parameters(), max_norm=1.0))
    torch.nn.utils.clip_grad_value_(m.parameters(), clip_value=0.5)
    opt.step()
    print(loss.item())
print(torch.nn.utils.parameters_to_vector(m.parameters()))
