# Source: a well-known Q&A: an in-place op after an op that saved its output (sigmoid) vs one
# that saved its input (mul), with relu_
import torch

x = torch.tensor([-1., 2.], requires_grad=True)
y = x * 3
y.relu_()
print(y, y.grad_fn)
y.sum().backward()
print(x.grad)
