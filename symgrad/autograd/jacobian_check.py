"""``torch.autograd.gradcheck`` and ``gradgradcheck``: analytical against numerical Jacobians.

``gradcheck(fn, inputs)`` builds, for every input that requires grad and
every output, the numerical Jacobian by central differences (each element
moved by ``eps`` in the input's own dtype, as PyTorch does) and the
analytical one by backward passes (one per output element), both laid out
``(input.numel(), output.numel())``, and compares them with
``|a - n| <= atol + rtol * |n|``. On a mismatch it raises
:class:`GradcheckError` with PyTorch's message (or returns ``False`` with
``raise_exception=False``). Inputs that are not float64 get PyTorch's
warning. ``gradgradcheck`` checks the gradient of the gradient, with fixed
(seeded) random ``grad_outputs`` when none are given.

>>> import symgrad as torch
>>> x = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
>>> torch.autograd.gradcheck(lambda t: t ** 3, (x,))
True
>>> torch.autograd.gradgradcheck(lambda t: t ** 3, (x,))
True
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..eager.backward import grad as _grad
from ..eager.tensor import Tensor
from ..tape import forward_ad as fwAD
from ..tape.grad_mode import enable_grad, no_grad

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck``/``gradgradcheck`` when a check fails."""


GradcheckError.__module__ = "torch.autograd.gradcheck"


def _as_tuple(x: Any) -> tuple:
    return x if isinstance(x, tuple) else tuple(x) if isinstance(x, list) else (x,)


def _diff_inputs(inputs: tuple) -> list[int]:
    return [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t._requires_grad]


def _outputs(out: Any) -> tuple:
    out = _as_tuple(out)
    return tuple(o for o in out if isinstance(o, Tensor))


def _warn_dtypes(inputs: tuple) -> None:
    for i, t in enumerate(inputs):
        if isinstance(t, Tensor) and t._requires_grad and t._data.dtype != np.float64 \
                and t._data.dtype.kind != "c":
            warnings.warn(f"Input #{i} requires gradient and is not a double precision floating "
                          "point or complex. This check will likely fail if all the inputs are "
                          "not of double precision floating point or complex. ", UserWarning,
                          stacklevel=3)


def _numerical(fn: Callable, inputs: tuple, idx: list[int], eps: float) -> list[list[Tensor]]:
    """``[input][output]`` numerical Jacobians, ``(input.numel(), output.numel())``."""
    jacs = []
    with no_grad():
        outs0 = _outputs(fn(*inputs))
        for i in idx:
            x = inputs[i]
            flat = x._data.flat  # writes go to the tensor's own storage, any layout
            cols: list[list[np.ndarray]] = [[] for _ in outs0]
            for j in range(x._data.size):
                orig = flat[j].copy()
                flat[j] = orig - x._data.dtype.type(eps)
                a = [np.array(o._data, copy=True) for o in _outputs(fn(*inputs))]
                flat[j] = orig + x._data.dtype.type(eps)
                b = [np.array(o._data, copy=True) for o in _outputs(fn(*inputs))]
                flat[j] = orig
                for k, (oa, ob) in enumerate(zip(a, b)):
                    cols[k].append(((ob - oa) / oa.dtype.type(2 * eps)).reshape(-1))
            jacs.append([Tensor._wrap(np.stack(c) if c else np.zeros((0, o.numel()),
                                                                     o._data.dtype))
                         for c, o in zip(cols, outs0)])
    return jacs


def _analytical(fn: Callable, inputs: tuple, idx: list[int]) -> list[list[Tensor]]:
    """``[input][output]`` Jacobians by backward passes, ``(input.numel(), output.numel())``."""
    with enable_grad():
        outs = _outputs(fn(*inputs))
    jacs = [[np.zeros((inputs[i].numel(), o.numel()), dtype=o._data.dtype) for o in outs]
            for i in idx]
    for k, o in enumerate(outs):
        if not o._requires_grad:
            continue
        for j in range(o.numel()):
            seed = np.zeros(o.numel(), dtype=o._data.dtype)
            seed[j] = 1
            gs = _grad(o, [inputs[i] for i in idx], Tensor._wrap(seed.reshape(o._data.shape)),
                       retain_graph=True, allow_unused=True)
            for a, g in enumerate(gs):
                if g is not None:
                    jacs[a][k][:, j] = g._data.reshape(-1)
    return [[Tensor._wrap(j) for j in row] for row in jacs]


def _forward_mode(fn: Callable, inputs: tuple, idx: list[int]) -> list[list[Tensor]]:
    """``[input][output]`` Jacobians by forward mode, one dual pass per input element."""
    jacs = []
    for i in idx:
        x = inputs[i]
        cols = None
        for j in range(x.numel()):
            seed = np.zeros(x.numel(), dtype=x._data.dtype)
            seed[j] = 1
            with fwAD.dual_level():
                call = list(inputs)
                call[i] = fwAD.make_dual(x.detach(), Tensor._wrap(seed.reshape(x._data.shape)))
                outs = _outputs(fn(*call))
                ts = [fwAD.unpack_dual(o).tangent for o in outs]
            if cols is None:
                cols = [[] for _ in outs]
            for c, t, o in zip(cols, ts, outs):
                c.append(np.zeros(o.numel(), o._data.dtype) if t is None
                         else np.asarray(t._data).reshape(-1))
        jacs.append([Tensor._wrap(np.stack(c)) for c in cols or []])
    return jacs


def _mismatch(kind: str, k: int, i: int, num: Tensor, ana: Tensor) -> str:
    return (f"{kind}mismatch for output {k} with respect to input {i},\n"
            f"numerical:{num!r}\nanalytical:{ana!r}\n")


def _close(a: Tensor, n: Tensor, atol: float, rtol: float) -> bool:
    a64, n64 = a._data.astype(np.float64), n._data.astype(np.float64)
    if a64.shape != n64.shape:
        return False
    return bool(np.all(np.abs(a64 - n64) <= atol + rtol * np.abs(n64)))


def gradcheck(func: Callable, inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True, nondet_tol: float = 0.0,
              check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
              check_batched_grad: bool = False, check_batched_forward_grad: bool = False,
              check_forward_ad: bool = False, check_backward_ad: bool = True,
              fast_mode: bool = False, masked: bool | None = None) -> bool:
    """Compare the analytical Jacobians of ``func`` at ``inputs`` with central differences."""
    inputs = _as_tuple(inputs)
    idx = _diff_inputs(inputs)
    if not idx:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but "
                         "none of them have requires_grad=True.")
    _warn_dtypes(inputs)
    numerical = _numerical(func, inputs, idx, eps)
    checks = []
    if check_backward_ad:
        checks.append(("Jacobian ", _analytical(func, inputs, idx)))
    if check_forward_ad:
        checks.append(("Jacobian computed with forward mode ", _forward_mode(func, inputs, idx)))
    for kind, analytical in checks:
        for a, i in enumerate(idx):
            for k, (num, ana) in enumerate(zip(numerical[a], analytical[a])):
                if not _close(ana, num, atol, rtol):
                    if raise_exception:
                        raise GradcheckError(_mismatch(kind, k, i, num, ana))
                    return False
    return True


def gradgradcheck(func: Callable, inputs: Any, grad_outputs: Any = None, *, eps: float = 1e-6,
                  atol: float = 1e-5, rtol: float = 1e-3, gen_non_contig_grad_outputs: bool = False,
                  raise_exception: bool = True, nondet_tol: float = 0.0,
                  check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
                  check_batched_grad: bool = False, check_fwd_over_rev: bool = False,
                  check_rev_over_rev: bool = True, fast_mode: bool = False,
                  masked: bool = False) -> bool:
    """``gradcheck`` of the gradient of ``func`` (with ``grad_outputs`` as extra inputs)."""
    inputs = _as_tuple(inputs)
    idx = _diff_inputs(inputs)
    if grad_outputs is None:
        with no_grad():
            outs = _outputs(func(*inputs))
        rng = np.random.default_rng(0)
        grad_outputs = tuple(
            Tensor._wrap(rng.uniform(-9, 9, o._data.shape).astype(o._data.dtype)) for o in outs)
        for g in grad_outputs:
            g.requires_grad_(True)
    grad_outputs = _as_tuple(grad_outputs)
    n = len(inputs)

    def new_func(*args: Any) -> tuple:
        ins, gos = args[:n], args[n:]
        with enable_grad():
            outs = _outputs(func(*ins))
        live = [(o, g) for o, g in zip(outs, gos) if o._requires_grad]
        if not live:
            return tuple(Tensor._wrap(np.zeros_like(ins[i]._data)) for i in idx)
        with enable_grad():
            gs = _grad([o for o, _ in live], [ins[i] for i in idx], [g for _, g in live],
                       create_graph=True, allow_unused=True)
        return tuple(g for g in gs if g is not None)

    return gradcheck(new_func, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol)
