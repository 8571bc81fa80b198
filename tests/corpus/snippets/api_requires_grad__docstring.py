# Source: torch.Tensor.requires_grad_ docstring (torch/_tensor_docs.py); the weights are fixed
# values instead of torch.randn, and get_saved_weights is a stand-in
import torch

def get_saved_weights():
    return torch.tensor([0.1, -0.2, 0.3, -0.4])

saved_weights = [0.1, 0.2, 0.3, 0.25]
loaded_weights = torch.tensor(saved_weights)
weights = get_saved_weights()
print(weights.requires_grad)
weights.requires_grad_()
loss = (weights * loaded_weights).sum()
loss.backward()
print(weights.grad)
