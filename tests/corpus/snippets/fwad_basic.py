# Source: https://pytorch.org/tutorials/intermediate/forward_ad_usage.html ("Basic Usage";
# torch.randn(10, 10) replaced by fixed 2x2 values, results printed)
import torch
import torch.autograd.forward_ad as fwAD

primal = torch.tensor([[0.5, -1.0], [2.0, 0.25]])
tangent = torch.tensor([[1.0, 0.0], [0.5, -2.0]])

def fn(x, y):
    return x ** 2 + y ** 2

with fwAD.dual_level():
    dual_input = fwAD.make_dual(primal, tangent)
    assert fwAD.unpack_dual(dual_input).tangent is tangent

    plain_tensor = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    dual_output = fn(dual_input, plain_tensor)

    jvp = fwAD.unpack_dual(dual_output).tangent
    print(jvp)
    print(fwAD.unpack_dual(dual_output).primal)

assert fwAD.unpack_dual(dual_output).tangent is None
print(torch.allclose(jvp, 2 * primal * tangent))
