# Source: https://pytorch.org/tutorials/beginner/blitz/autograd_tutorial.html ("Differentiation in Autograd")
# (pytorch/tutorials beginner_source/blitz/autograd_tutorial.py; verbatim, plus prints)
import torch

a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3*a**3 - b**2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
# check if collected gradients are correct
print(9*a**2 == a.grad)
print(-2*b == b.grad)
print(a.grad, b.grad)
print(Q)
