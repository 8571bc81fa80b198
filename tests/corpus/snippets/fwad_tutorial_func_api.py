# Source: https://pytorch.org/tutorials/intermediate/forward_ad_usage.html ("Functional API"
# with torch.func.jvp, functools.partial, and torch.func.functional_call over a dict of
# parameters; pytorch/tutorials intermediate_source/forward_ad_usage.py as PyTorch 2.x's docs
# have it; torch.manual_seed(0) and the prints added; the last tangent printed detached)
import functools
import torch
import torch.nn as nn
from torch.func import functional_call
torch.manual_seed(0)

primal0 = torch.randn(10, 10)
tangent0 = torch.randn(10, 10)
primal1 = torch.randn(10, 10)
tangent1 = torch.randn(10, 10)

def fn(x, y):
    return x ** 2 + y ** 2

# Here is a basic example to compute the JVP of the above function.
# The ``jvp(func, primals, tangents)`` returns ``func(*primals)`` as well as the
# computed Jacobian-vector product (JVP). Each primal must be associated with a tangent of the same shape.
primal_out, tangent_out = torch.func.jvp(fn, (primal0, primal1), (tangent0, tangent1))
print(tangent_out[1, :3])

primal = torch.randn(10, 10)
tangent = torch.randn(10, 10)
y = torch.randn(10, 10)

new_fn = functools.partial(fn, y=y)
primal_out, tangent_out = torch.func.jvp(new_fn, (primal,), (tangent,))
print(primal_out[2, :3], tangent_out[2, :3])

model = nn.Linear(5, 5)
input = torch.randn(16, 5)
tangents = tuple([torch.rand_like(p) for p in model.parameters()])

# Given a ``torch.nn.Module``, ``ft.functionalize_module`` extracts the state
# (``params``) and returns a functional version of the model that
# can be invoked like a function.
params = dict(model.named_parameters())

def func_params_only(params):
    return functional_call(model, params, input)

model_output, jvp_out = torch.func.jvp(func_params_only, (params,),
                                       ({k: t for k, t in zip(params, tangents)},))
print(model_output.shape, jvp_out[0].detach())
