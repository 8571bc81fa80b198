"""JAX/torch.func-style transforms of functions of tensors, numeric through the tape.

``grad``, ``value_and_grad`` (and torch's ``grad_and_value``) and ``vjp`` run
``f`` once on the tape and sweep backward; ``jacrev`` sweeps once per
output element. ``jvp`` and ``jacfwd`` are true forward mode: tangents ride
along with the primals through the ops' JVP rules (``tape/forward_ad.py``),
one forward pass per input element for ``jacfwd``. ``hessian`` is
``jacfwd(jacrev(f))``: forward mode sees through the recorded backward pass.
Jacobians have shape ``out.shape + in.shape``.

The transforms compose (``grad(grad(f))``, ``jacrev(jacfwd(f))`` ...): an
argument that already requires grad enters ``f`` through a view, and the
backward pass is then recorded, so an outer transform can differentiate it.

>>> import symgrad as sg
>>> f = lambda x: (x.sin() * x).sum()
>>> grad(f)(sg.tensor([0., 1.]))
tensor([0.0000, 1.3818])
>>> hessian(f)(sg.tensor([0., 1.]))
tensor([[2.0000, 0.0000],
        [0.0000, 0.2391]])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .. import autograd, errors
from ..eager.tensor import Tensor
from ..eager.xp import TensorXP
from ..tape import forward_ad as fwAD
from ..tape.grad_mode import STATE, enable_grad

Argnums = int | tuple[int, ...]


# ------------------------------------------------------------------ plumbing
def _argnums(argnums: Argnums, n: int) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for a in nums:
        if not -n <= a < n:
            raise RuntimeError(errors.FUNC_ARGNUM.format(argnum=a, n=n))
    return tuple(a % n for a in nums)


def _track(x: Any) -> Tensor:
    """A stand-in for argument ``x`` that requires grad and keeps ``x``'s tangents.

    A view when ``x`` already requires grad (so outer transforms see through);
    otherwise a fresh leaf on the same storage.
    """
    if not isinstance(x, Tensor):
        x = Tensor._from_data(x)
    if x._requires_grad and STATE.enabled:
        return TensorXP.alias(x)
    t = Tensor._wrap(x._data, x._vc)
    t.requires_grad_(True)
    t._fw_tangent = x._fw_tangent
    return t


def _outer(args: Sequence[Any]) -> bool:
    """Whether the result must stay differentiable (an outer transform or dual level)."""
    return fwAD.live() or (STATE.enabled and any(
        isinstance(a, Tensor) and a._requires_grad for a in args))


def _plain(x: Any, keep: bool) -> Any:
    """``x`` detached from the inner tape unless an outer transform needs it (pytrees)."""
    if isinstance(x, Tensor):
        if keep:
            return x
        d = Tensor._wrap(x._data, x._vc)
        d._fw_tangent = x._fw_tangent
        return d
    if isinstance(x, (tuple, list)):
        return type(x)(_plain(v, keep) for v in x)
    if isinstance(x, dict):
        return {k: _plain(v, keep) for k, v in x.items()}
    return x


def _flat(out: Any) -> tuple[list[Tensor], bool]:
    """Outputs as a list of tensors, and whether ``out`` was a tuple/list."""
    if isinstance(out, Tensor):
        return [out], False
    if isinstance(out, (tuple, list)) and out and all(isinstance(o, Tensor) for o in out):
        return list(out), True
    return [], False


def _outputs(out: Any, api: str) -> tuple[list[Tensor], bool]:
    """:func:`_flat` of ``f``'s output; an error naming ``api`` when it holds no tensor."""
    outs, is_seq = _flat(out)
    if not outs:
        raise RuntimeError(errors.FUNC_OUTPUT_NOT_TENSOR.format(api=api, out=out))
    return outs, is_seq


def _split_aux(out: Any, has_aux: bool, api: str) -> tuple[Any, Any]:
    """``(output, aux)`` of ``f``; with ``has_aux`` it must have returned a pair."""
    if not has_aux:
        return out, None
    if not (isinstance(out, tuple) and len(out) == 2):
        raise RuntimeError(errors.FUNC_AUX.format(api=api))
    return out


def _run(f: Callable, args: tuple, nums: tuple[int, ...], has_aux: bool,
         api: str) -> tuple[Any, Any, list[Tensor]]:
    """Call ``f`` on tracked stand-ins of the ``nums`` arguments: (out, aux, inner)."""
    args = list(args)
    inner = []
    with enable_grad():
        for i in nums:
            args[i] = _track(args[i])
            inner.append(args[i])
        out = f(*args)
    out, aux = _split_aux(out, has_aux, api)
    return out, aux, inner


def _grads(outs: list[Tensor], inner: list[Tensor], cts: list[Any], keep: bool) -> list[Tensor]:
    live = [(o, c) for o, c in zip(outs, cts) if o._requires_grad]
    if not live:
        return [_zeros(x) for x in inner]
    gs = autograd.grad([o for o, _ in live], inner, [c for _, c in live], retain_graph=True,
                       create_graph=keep, allow_unused=True)
    return [_zeros(x) if g is None else g for g, x in zip(gs, inner)]


def _zeros(x: Tensor) -> Tensor:
    return Tensor._wrap(np.zeros_like(x._data))


def _ones_like(x: Tensor) -> Tensor:
    return Tensor._wrap(np.ones_like(x._data))


def _pick(items: list, argnums: Argnums) -> Any:
    return items[0] if isinstance(argnums, int) else tuple(items)


# ------------------------------------------------------------------- reverse
def grad_and_value(f: Callable, argnums: Argnums = 0, has_aux: bool = False) -> Callable:
    """torch.func's ``grad_and_value``: ``(grad, value)`` (``((grad, (value, aux)))``)."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nums = _argnums(argnums, len(args))
        keep = _outer(args)
        out, aux, inner = _run(lambda *a: f(*a, **kwargs), args, nums, has_aux,
                               "grad_and_value")
        if not isinstance(out, Tensor):
            raise RuntimeError(errors.FUNC_NOT_TENSOR.format(api="grad_and_value",
                                                             type=type(out)))
        if out.ndim != 0:
            raise RuntimeError(errors.FUNC_NOT_SCALAR.format(api="grad_and_value",
                                                             ndim=out.ndim))
        gs = _grads([out], inner, [_ones_like(out)], keep)
        g = _pick([_plain(x, keep) for x in gs], argnums)
        value = _plain(out, keep)
        return (g, (value, _plain(aux, keep))) if has_aux else (g, value)
    return wrapper


def grad(f: Callable, argnums: Argnums = 0, has_aux: bool = False) -> Callable:
    """The gradient of scalar-valued ``f`` with respect to argument(s) ``argnums``.

    >>> import symgrad as sg
    >>> grad(lambda x, y: (x * y).sum(), argnums=(0, 1))(sg.tensor([1., 2.]), sg.tensor([3., 4.]))
    (tensor([3., 4.]), tensor([1., 2.]))
    """
    gv = grad_and_value(f, argnums, has_aux)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g, rest = gv(*args, **kwargs)
        return (g, rest[1]) if has_aux else g
    return wrapper


def value_and_grad(f: Callable, argnums: Argnums = 0, has_aux: bool = False) -> Callable:
    """JAX's ``value_and_grad``: ``(value, grad)``, or ``((value, aux), grad)``.

    >>> import symgrad as sg
    >>> value_and_grad(lambda x: (x * x).sum())(sg.tensor([1., 2.]))
    (tensor(5.), tensor([2., 4.]))
    """
    gv = grad_and_value(f, argnums, has_aux)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        g, rest = gv(*args, **kwargs)
        return rest, g
    return wrapper


def vjp(f: Callable, *primals: Any, has_aux: bool = False) -> tuple:
    """``(f(*primals), vjp_fn)``; ``vjp_fn(cotangents)`` returns one gradient per primal.

    >>> import symgrad as sg
    >>> out, vjp_fn = vjp(lambda x: x * x, sg.tensor([1., 2.]))
    >>> vjp_fn(sg.tensor([1., 10.]))
    (tensor([ 2., 40.]),)
    """
    nums = tuple(range(len(primals)))
    keep = _outer(primals)
    out, aux, inner = _run(f, primals, nums, has_aux, "vjp")
    outs, is_seq = _outputs(out, "vjp")

    def vjp_fn(cotangents: Any) -> tuple[Tensor, ...]:
        cts = list(cotangents) if is_seq else [cotangents]
        cts = [c if isinstance(c, Tensor) else Tensor(c) for c in cts]
        for i, (o, c) in enumerate(zip(outs, cts)):
            if tuple(c.shape) != tuple(o.shape):
                raise RuntimeError(errors.grad_shape_mismatch(c.shape, o.shape).replace(
                    "[0]", f"[{i}]"))
        return tuple(_plain(g, keep) for g in _grads(outs, inner, cts, keep or _dual(cts)))

    result = _plain(out, keep)
    return (result, vjp_fn, _plain(aux, keep)) if has_aux else (result, vjp_fn)


def _dual(xs: Sequence[Any]) -> bool:
    return any(isinstance(x, Tensor) and (x._fw_tangent or x._requires_grad) for x in xs)


def jacrev(f: Callable, argnums: Argnums = 0, has_aux: bool = False) -> Callable:
    """The Jacobian of ``f`` by reverse mode: one VJP per output element.

    >>> import symgrad as sg
    >>> jacrev(lambda x: x ** 2)(sg.tensor([1., 2.]))
    tensor([[2., 0.],
            [0., 4.]])
    """
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nums = _argnums(argnums, len(args))
        keep = _outer(args)
        out, aux, inner = _run(lambda *a: f(*a, **kwargs), args, nums, has_aux, "jacrev")
        outs, is_seq = _outputs(out, "jacrev")
        jacs = []
        for k, o in enumerate(outs):
            rows: list[list[Tensor]] = [[] for _ in inner]
            for j in range(o.numel()):
                seed = np.zeros(o.numel(), dtype=o._data.dtype)
                seed[j] = 1
                ct = Tensor._wrap(seed.reshape(o._data.shape))
                for r, g in zip(rows, _grads([o], inner, [ct], keep)):
                    r.append(g)
            per_arg = [_plain(_assemble(r, tuple(o.shape), tuple(x.shape), 0), keep)
                       for r, x in zip(rows, inner)]
            jacs.append(_pick(per_arg, argnums))
        jac = tuple(jacs) if is_seq else jacs[0]
        return (jac, _plain(aux, keep)) if has_aux else jac
    return wrapper


# ------------------------------------------------------------------- forward
def jvp(f: Callable, primals: tuple, tangents: tuple, *, has_aux: bool = False) -> tuple:
    """``(f(*primals), J @ tangents)`` by forward mode (dual numbers, one pass).

    >>> import symgrad as sg
    >>> jvp(lambda x: x.exp(), (sg.tensor([0., 1.]),), (sg.tensor([1., 2.]),))
    (tensor([1.0000, 2.7183]), tensor([1.0000, 5.4366]))
    """
    if not isinstance(primals, tuple):
        raise RuntimeError(errors.FUNC_JVP_PRIMALS)
    if not isinstance(tangents, tuple):
        raise RuntimeError(errors.FUNC_JVP_TANGENTS)
    if len(primals) != len(tangents):
        raise RuntimeError(errors.FUNC_JVP_LENGTHS.format(p=len(primals), t=len(tangents)))
    keep = _outer(_leaves(primals) + _leaves(tangents))  # else no graph (grad inside)
    with fwAD.dual_level():
        duals = [_make_duals(p, t) for p, t in zip(primals, tangents)]
        out, aux = _split_aux(f(*duals), has_aux, "jvp")
        outs, is_seq = _outputs(out, "jvp")
        pairs = [_unpack(o) for o in outs]
    value = _plain(tuple(p for p, _ in pairs) if is_seq else pairs[0][0], keep)
    tangent = _plain(tuple(t for _, t in pairs) if is_seq else pairs[0][1], keep)
    return (value, tangent, _plain(aux, keep)) if has_aux else (value, tangent)


def _leaves(tree: Any) -> tuple:
    """The tensors of a pytree of tuples, lists and dicts, in order."""
    if isinstance(tree, (tuple, list)):
        return tuple(t for v in tree for t in _leaves(v))
    if isinstance(tree, dict):
        return tuple(t for v in tree.values() for t in _leaves(v))
    return (tree,)


def _make_duals(primal: Any, tangent: Any) -> Any:
    """Dual tensors of a pytree of primals (a dict of parameters...) and its tangents."""
    if isinstance(primal, dict):
        if not isinstance(tangent, dict) or set(tangent) != set(primal):
            raise RuntimeError(errors.FUNC_JVP_TREES.format(p=primal, t=tangent))
        return {k: _make_duals(v, tangent[k]) for k, v in primal.items()}
    if isinstance(primal, (tuple, list)):
        if not isinstance(tangent, (tuple, list)) or len(tangent) != len(primal):
            raise RuntimeError(errors.FUNC_JVP_TREES.format(p=primal, t=tangent))
        return type(primal)(_make_duals(p, t) for p, t in zip(primal, tangent))
    return fwAD.make_dual(primal if isinstance(primal, Tensor) else Tensor(primal), tangent)


def _unpack(o: Tensor) -> tuple[Tensor, Tensor]:
    primal, tangent = fwAD.unpack_dual(o)
    if tangent is None:
        tangent = _zeros(o)
    return primal, tangent


def jacfwd(f: Callable, argnums: Argnums = 0, has_aux: bool = False) -> Callable:
    """The Jacobian of ``f`` by forward mode: one JVP per input element.

    >>> import symgrad as sg
    >>> jacfwd(lambda x: x.sum() * x)(sg.tensor([1., 2.]))
    tensor([[4., 1.],
            [2., 5.]])
    """
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nums = _argnums(argnums, len(args))
        args = tuple(a if isinstance(a, Tensor) else Tensor(a) for a in args)
        keep = _outer(args)
        cols: list[list[list[Tensor]]] = []  # [arg][element] -> one tangent per output
        out = aux = None
        with fwAD.dual_level():
            for i in nums:
                x = args[i]
                per_elem = []
                for e in range(x.numel()):
                    seed = np.zeros(x.numel(), dtype=x._data.dtype)
                    seed[e] = 1
                    call = list(args)
                    call[i] = fwAD.make_dual(x, Tensor._wrap(seed.reshape(x._data.shape)))
                    res, aux = _split_aux(f(*call, **kwargs), has_aux, "jacfwd")
                    outs, is_seq = _outputs(res, "jacfwd")
                    out = (outs, is_seq)
                    per_elem.append([_unpack(o)[1] for o in outs])
                cols.append(per_elem)
            if out is None:  # an argument with no elements: evaluate f once
                res = f(*args, **kwargs)
                if has_aux:
                    res, aux = res
                out = _flat(res)
        outs, is_seq = out
        jacs = []
        for k, o in enumerate(outs):
            per_arg = [_assemble([c[k] for c in cols[a]], tuple(o.shape),
                                 tuple(args[i].shape), 1)
                       for a, i in enumerate(nums)]
            jacs.append(_pick(per_arg, argnums))
        jac = _plain(tuple(jacs) if is_seq else jacs[0], keep)
        return (jac, _plain(aux, keep)) if has_aux else jac
    return wrapper


def hessian(f: Callable, argnums: Argnums = 0) -> Callable:
    """The Hessian of scalar ``f``: ``jacfwd(jacrev(f))`` (forward-over-reverse).

    >>> import symgrad as sg
    >>> hessian(lambda x: (x ** 3).sum())(sg.tensor([1., 2.]))
    tensor([[ 6.,  0.],
            [ 0., 12.]])
    """
    return jacfwd(jacrev(f, argnums), argnums)


# ------------------------------------------------------------------ assembly
def _assemble(parts: list[Tensor], out_shape: tuple, in_shape: tuple, axis: int) -> Tensor:
    """Stack one gradient per output element (``axis=0``, reverse) or one tangent
    per input element (``axis=1``, forward) into ``out_shape + in_shape``."""
    n_out = int(np.prod(out_shape)) if out_shape else 1
    n_in = int(np.prod(in_shape)) if in_shape else 1
    shape = out_shape + in_shape
    if not parts:
        dtype = np.float32 if not parts else parts[0]._data.dtype
        return Tensor._wrap(np.zeros(shape, dtype=dtype))
    flat = [p.reshape(-1) if p.ndim != 1 else p for p in parts]
    stacked = _stack(flat, axis)  # (n_out, n_in)
    if tuple(stacked.shape) != (n_out, n_in):
        stacked = stacked.reshape(n_out, n_in)
    return stacked.reshape(*shape) if shape != (n_out, n_in) else stacked


def _stack(parts: list[Tensor], axis: int) -> Tensor:
    """Stack 1-D tensors along ``axis`` (0: rows, 1: columns), keeping grad and tangents."""
    if not any(p._requires_grad or p._fw_tangent for p in parts):
        return Tensor._wrap(np.stack([p._data for p in parts], axis=axis))
    from ..eager import functions as F
    stack = getattr(F, "stack", None)
    if stack is not None and not any(p._fw_tangent for p in parts):
        return stack(parts, axis)
    # without a stack op: a sum of products with one-hot masks (only ops with JVPs)
    n = len(parts)
    total = None
    for k, p in enumerate(parts):
        onehot = np.zeros(n, dtype=p._data.dtype)
        onehot[k] = 1
        mask = Tensor._wrap(onehot.reshape((n, 1) if axis == 0 else (1, n)))
        term = F.unsqueeze(p, axis) * mask
        total = term if total is None else total + term
    return total


from .batching import vmap
from .stateless import functional_call

__all__ = [
    "functional_call",
    "grad",
    "grad_and_value",
    "hessian",
    "jacfwd",
    "jacrev",
    "jvp",
    "value_and_grad",
    "vjp",
    "vmap",
]
