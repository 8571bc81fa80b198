# Source: torch.autograd.functional.jacobian docstring examples
import torch
from torch.autograd.functional import jacobian


def exp_reducer(x):
    return x.exp().sum(dim=1)


inputs = torch.tensor([[0.1, 0.2], [0.3, 0.4]])
print(jacobian(exp_reducer, inputs))
print(jacobian(exp_reducer, inputs, create_graph=True))


def exp_adder(x, y):
    return 2 * x.exp() + 3 * y


inputs = (torch.tensor([0.5, 0.1]), torch.tensor([0.3, 0.7]))
print(jacobian(exp_adder, inputs))
print(jacobian(lambda x, y: (x * y, (x + y).sum()), inputs))
print(jacobian(lambda x: x ** 2, torch.tensor([1., 2.]), vectorize=True, strategy="forward-mode"))
