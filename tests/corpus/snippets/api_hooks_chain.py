# Source: torch.Tensor.register_hook docs / autograd mechanics notes, "Hooks for saved
# tensors"-free part: several hooks run in registration order, each seeing the previous result
import torch

x = torch.tensor([1., 2.], requires_grad=True)
y = x * 2
y.register_hook(lambda g: g + 1)
y.register_hook(lambda g: print("second hook sees", g))
y.sum().backward()
print(x.grad)
