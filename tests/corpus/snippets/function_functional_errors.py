# Source: PyTorch test/test_autograd.py TestAutogradFunctional (test_jacobian_err_check,
# test_vjp_err_check, test_hessian_err_check, strict mode)
import torch
from torch.autograd.functional import jacobian, hessian, vjp, jvp, vhp

cases = [
    lambda: jacobian(lambda x: 3, torch.ones(2)),
    lambda: jacobian(lambda x: (x, 3), torch.ones(2)),
    lambda: jacobian(lambda x: x, [torch.ones(2)]),
    lambda: jacobian(lambda x: torch.ones(2), torch.ones(2), strict=True),
    lambda: jacobian(lambda x, y: x * 2, (torch.ones(2), torch.ones(2)), strict=True),
    lambda: vjp(lambda x: x * 2, torch.ones(2)),
    lambda: vjp(lambda x: x * 2, torch.ones(2), torch.ones(3)),
    lambda: vjp(lambda x: (x * 2, x), torch.ones(2), (torch.ones(2),)),
    lambda: jvp(lambda x: x * 2, torch.ones(2)),
    lambda: hessian(lambda x: x * 2, torch.ones(2)),
    lambda: hessian(lambda x: (x.sum(), x.sum()), torch.ones(2)),
    lambda: hessian(lambda x: (x * 2).sum(), torch.ones(2), strict=True),
    lambda: vhp(lambda x: x * 2, torch.ones(2), torch.ones(2)),
    lambda: jacobian(lambda x: x, torch.ones(2), strategy="foo"),
    lambda: jacobian(lambda x: x, torch.ones(2), strategy="forward-mode"),
]
for f in cases:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
