# Source: autograd mechanics notes, "Backward Hooks execution" (hooks on intermediate tensors)
import torch

a = torch.tensor([1., 2.], requires_grad=True)
b = a * 3
b.register_hook(lambda g: print("grad of b:", g))
c = (b ** 2).sum()
c.backward()
print(a.grad)
