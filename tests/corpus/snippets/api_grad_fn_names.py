# Source: tools/autograd/derivatives.yaml (the grad_fn names PyTorch gives common ops)
import torch
import torch.nn.functional as F

x = torch.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
ops = {
    "add": lambda: x + 1, "sub": lambda: x - x, "mul": lambda: x * x, "div": lambda: x / 2,
    "pow": lambda: x ** 2, "rpow": lambda: 2 ** x, "neg": lambda: -x, "exp": lambda: x.exp(),
    "log": lambda: x.abs().log(), "sin": lambda: x.sin(), "tanh": lambda: x.tanh(),
    "sigmoid": lambda: x.sigmoid(), "relu": lambda: x.relu(), "abs": lambda: x.abs(),
    "sum": lambda: x.sum(), "mean": lambda: x.mean(), "sum_dim": lambda: x.sum(0),
    "matmul": lambda: x @ x, "mm": lambda: x.mm(x), "t": lambda: x.t(),
    "view": lambda: x.view(4), "reshape": lambda: x.reshape(4), "index": lambda: x[0],
    "slice": lambda: x[:, 1:], "unsqueeze": lambda: x.unsqueeze(0), "cat": lambda: torch.cat([x, x]),
    "stack": lambda: torch.stack([x, x]), "clamp": lambda: x.clamp(0, 1),
    "softmax": lambda: F.softmax(x, dim=1), "log_softmax": lambda: F.log_softmax(x, dim=1),
    "max": lambda: x.max(), "expand": lambda: x[0:1].expand(3, 2), "clone": lambda: x.clone(),
    "double": lambda: x.double(), "sqrt": lambda: x.abs().sqrt(), "where": lambda: torch.where(x > 0, x, 0.),
}
for name, f in ops.items():
    print(name, f().grad_fn.name())
