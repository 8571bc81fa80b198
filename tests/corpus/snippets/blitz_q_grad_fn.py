# Source: https://pytorch.org/tutorials/beginner/blitz/autograd_tutorial.html
# (the graph of Q = 3a^3 - b^2, walked through grad_fn.next_functions)
import torch

a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3*a**3 - b**2
print(Q.grad_fn.name())
print([type(f).__name__ for f, _ in Q.grad_fn.next_functions])
print(Q.grad_fn.next_functions[0][0].next_functions[0][0].name())
