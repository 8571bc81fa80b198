# Source: torch.autograd.functional.hessian docstring examples
import torch
from torch.autograd.functional import hessian


def pow_reducer(x):
    return x.pow(3).sum()


inputs = torch.tensor([[0.5, 0.2], [0.3, 0.4]])
print(hessian(pow_reducer, inputs))


def pow_adder_reducer(x, y):
    return (2 * x.pow(2) + 3 * y.pow(2)).sum()


inputs = (torch.tensor([0.5, 0.1]), torch.tensor([0.3, 0.7]))
print(hessian(pow_adder_reducer, inputs))
x = torch.tensor([1., 2.], requires_grad=True)
print(hessian(lambda x: (x ** 3).sum(), x, create_graph=True))
