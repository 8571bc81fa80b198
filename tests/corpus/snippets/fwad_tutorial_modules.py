# Source: https://pytorch.org/tutorials/intermediate/forward_ad_usage.html ("Usage with Modules"
# and "Using the functional Module API"; pytorch/tutorials intermediate_source/forward_ad_usage.py,
# verbatim; torch.manual_seed(0) and the prints added; the tangents are printed detached, since
# PyTorch gives them a grad_fn when the parameters require grad)
import torch
import torch.autograd.forward_ad as fwAD
import torch.nn as nn
torch.manual_seed(0)

model = nn.Linear(5, 5)
input = torch.randn(16, 5)

params = {name: p for name, p in model.named_parameters()}
tangents = {name: torch.rand_like(p) for name, p in params.items()}

with fwAD.dual_level():
    for name, p in params.items():
        delattr(model, name)
        setattr(model, name, fwAD.make_dual(p, tangents[name]))

    out = model(input)
    jvp = fwAD.unpack_dual(out).tangent

print(jvp[:2].detach())

from torch.func import functional_call

# We need a fresh module because the functional call requires the
# the model to have parameters registered.
model = nn.Linear(5, 5)

dual_params = {}
with fwAD.dual_level():
    for name, p in params.items():
        # Using the same ``tangents`` from the above section
        dual_params[name] = fwAD.make_dual(p, tangents[name])
    out = functional_call(model, dual_params, input)
    jvp2 = fwAD.unpack_dual(out).tangent

# Check our results
assert torch.allclose(jvp, jvp2)
print(torch.allclose(jvp, jvp2), type(model.weight).__name__)
