# Source: pytorch test/test_autograd.py, test_inference_mode_existing_autograd_session
# (assertions printed)
import torch

s = torch.ones(1, 2, 3, requires_grad=True)
a = s.clone()

# `a` gets saved outside of inference mode
out = a * a
with torch.inference_mode():
    a.add_(2)

print(torch.is_inference(a))
# tensors created outside of inference mode aren't
# inference tensors, so they will still have their
# version counters tracked
try:
    out.backward(torch.ones_like(out))
except RuntimeError as e:
    print(str(e).startswith("one of the variables needed for gradient computation has been "
                            "modified by an inplace operation"))
