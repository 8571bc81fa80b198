# Source: pytorch test/test_autograd.py, test_inference_mode_context_manager and
# test_inference_mode_decorator (assertions printed)
import torch

print(torch.is_inference_mode_enabled())
with torch.inference_mode():
    print(torch.is_inference_mode_enabled())
    with torch.inference_mode(False):
        print(torch.is_inference_mode_enabled())
    print(torch.is_inference_mode_enabled())
print(torch.is_inference_mode_enabled())

for mode in (True, False):
    @torch.inference_mode(mode)
    def func(x):
        print(torch.is_inference_mode_enabled() == mode)
        return x * x

    for requires_grad in (True, False):
        c = torch.ones(1, 2, 3, requires_grad=requires_grad)
        d = func(c)
        print(not mode or torch.is_inference(d), d.requires_grad == (requires_grad and not mode))
