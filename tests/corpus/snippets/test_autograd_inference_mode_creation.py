# Source: pytorch test/test_autograd.py, test_inference_mode_tensor_creation (assertions printed)
import torch

with torch.inference_mode():
    # new tensors created through constructors are inference tensors
    c = torch.ones(1, 2, 3)
    print(c.requires_grad, torch.is_inference(c))

    # requires_grad doesn't change inference tensor behavior in InferenceMode
    tmp = torch.ones(1, 2, 3, requires_grad=True)
    print(tmp.requires_grad, torch.is_inference(tmp))

    tmp = torch.ones(1, 2, 3).requires_grad_(False)
    print(tmp.requires_grad, torch.is_inference(tmp))
