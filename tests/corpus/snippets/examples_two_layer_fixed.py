# Source: pytorch/tutorials beginner_source/examples_autograd/two_layer_net_autograd.py
# (small sizes, fixed data instead of torch.randn, 3 steps, losses printed with 4 decimals)
import torch

dtype = torch.float
device = torch.device("cpu")

x = torch.linspace(-1, 1, 12, device=device, dtype=dtype).reshape(4, 3)
y = torch.tensor([[1.], [0.], [-1.], [0.5]], device=device, dtype=dtype)
w1 = torch.linspace(-0.5, 0.5, 6, dtype=dtype).reshape(3, 2).requires_grad_()
w2 = torch.tensor([[0.3], [-0.7]], device=device, dtype=dtype, requires_grad=True)

learning_rate = 1e-2
for t in range(3):
    y_pred = x.mm(w1).clamp(min=0).mm(w2)
    loss = (y_pred - y).pow(2).sum()
    print(t, f"{loss.item():.4f}")
    loss.backward()
    with torch.no_grad():
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad
        w1.grad.zero_()
        w2.grad.zero_()
print(w1, w2, sep="\n")
