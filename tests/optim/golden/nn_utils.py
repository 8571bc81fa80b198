# torch.nn.utils: clipping, parameters as a vector, the deprecated stateless call
# (tests/nn/test_nn_utils.py runs it with symgrad; nn_utils.out was recorded with torch).
import torch, warnings
torch.manual_seed(0)
m = torch.nn.Linear(3, 2)
m(torch.randn(4, 3)).sum().backward()
print(torch.nn.utils.clip_grad_norm_(m.parameters(), 0.5))
print(m.weight.grad)
print(torch.nn.utils.clip_grad_norm_(m.parameters(), 100.0, norm_type='inf'))
print(torch.nn.utils.clip_grad_value_(m.parameters(), 0.1), m.bias.grad)
v = torch.nn.utils.parameters_to_vector(m.parameters()); print(v)
torch.nn.utils.vector_to_parameters(v * 2, m.parameters()); print(m.bias)
print(torch.nn.utils.clip_grad_norm_([], 1.0))
with warnings.catch_warnings(record=True) as r:
    warnings.simplefilter("always")
    torch.nn.utils.stateless.functional_call(m, {}, (torch.ones(1, 3),))
print([str(x.category.__name__) + ': ' + str(x.message) for x in r])
w = torch.tensor([float('nan')], requires_grad=True); w.grad = torch.tensor([float('nan')])
try: torch.nn.utils.clip_grad_norm_([w], 1.0, error_if_nonfinite=True)
except RuntimeError as e: print(e)
print(torch.nn.utils.clip_grad_norm_(m.weight, 1.0))
