# Source: PyTorch test/test_autograd.py (test_grad_empty_inputs, test_backward_with_inputs
# empty, materialize_grads)
import torch

x = torch.tensor([1., 2.], requires_grad=True)
w = torch.tensor([3., 4.], requires_grad=True)
y = (x * x).sum()
try:
    torch.autograd.grad(y, [])
except RuntimeError as e:
    print("RuntimeError", e)
try:
    y.backward(inputs=[])
except RuntimeError as e:
    print("RuntimeError", e)
g = torch.autograd.grad((x * x).sum(), [x, w], materialize_grads=True, create_graph=True)
print(g, g[1].requires_grad)
try:
    torch.autograd.grad((x * x).sum(), [x, w], materialize_grads=True, allow_unused=False)
except ValueError as e:
    print("ValueError", e)
