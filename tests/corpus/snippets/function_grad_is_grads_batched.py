# Source: PyTorch tutorial intermediate_source/jacobians_hessians.py ("vmap-vjp" Jacobian
# with torch.autograd.grad(..., is_grads_batched=True)) and the torch.autograd.grad docs
import torch

x = torch.tensor([1., 2., 3.], requires_grad=True)
w = torch.tensor([[1., 0., 2.], [0., 3., 1.]], requires_grad=True)
y = (w @ x).sin()
I_N = torch.eye(2)
jac_x, jac_w = torch.autograd.grad(y, (x, w), I_N, is_grads_batched=True)
print(jac_x)
print(jac_w.shape)
