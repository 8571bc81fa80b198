"""``torch.func.vmap`` (and ``torch.vmap``): map a function over a batch dimension.

symgrad runs ``func`` once per batch element, on slices of the mapped
arguments (``in_dims``: an int, ``None`` for an argument that is not
mapped, or a tuple with one entry per argument, nested like the
arguments), and stacks the results along ``out_dims``. Slicing and
stacking are recorded ops, so ``vmap`` composes with ``grad``, ``jacrev``,
``jacfwd``, ``hessian`` and itself, in either order, and the result is
differentiable. PyTorch's errors are kept for mismatched batch sizes, bad
``in_dims``/``out_dims`` and outputs that are not tensors.

>>> import symgrad as torch
>>> x = torch.tensor([[1., 2.], [3., 4.]])
>>> torch.func.vmap(torch.dot, in_dims=(0, None))(x, torch.tensor([1., -1.]))
tensor([-1., -1.])
>>> torch.func.vmap(torch.func.grad(lambda a: (a ** 2).sum()))(x)
tensor([[2., 4.],
        [6., 8.]])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..eager.tensor import Tensor

__all__ = ["vmap"]


def _name(func: Callable) -> str:
    return getattr(func, "__name__", type(func).__name__)


def _spec(x: Any) -> str:
    if isinstance(x, (tuple, list)):
        inner = ",\n  ".join(_spec(v) for v in x)
        return f"TreeSpec({type(x).__name__}, None, [{inner}])"
    if isinstance(x, dict):
        inner = ",\n  ".join(_spec(v) for v in x.values())
        return f"TreeSpec(dict, {list(x)}, [{inner}])"
    return "*"


def _broadcast_dims(in_dims: Any, args: Any, func: Callable) -> Any:
    """``in_dims`` expanded to the structure of ``args`` (an int applies to all leaves)."""
    if in_dims is None or isinstance(in_dims, int):
        if isinstance(args, (tuple, list)):
            return type(args)(_broadcast_dims(in_dims, a, func) for a in args)
        if isinstance(args, dict):
            return {k: _broadcast_dims(in_dims, v, func) for k, v in args.items()}
        return in_dims
    if isinstance(in_dims, (tuple, list)) and isinstance(args, (tuple, list)) \
            and len(in_dims) == len(args):
        return type(args)(_broadcast_dims(d, a, func) for d, a in zip(in_dims, args))
    if isinstance(in_dims, dict) and isinstance(args, dict) and set(in_dims) == set(args):
        return {k: _broadcast_dims(in_dims[k], v, func) for k, v in args.items()}
    raise _Mismatch()


class _Mismatch(Exception):
    pass


def _pairs(dims: Any, args: Any) -> list[tuple[Any, Any]]:
    if isinstance(args, (tuple, list)):
        return [p for d, a in zip(dims, args) for p in _pairs(d, a)]
    if isinstance(args, dict):
        return [p for k in args for p in _pairs(dims[k], args[k])]
    return [(dims, args)]


def _slice(args: Any, dims: Any, b: int) -> Any:
    """Batch element ``b`` of the mapped leaves of ``args``."""
    if isinstance(args, (tuple, list)):
        return type(args)(_slice(a, d, b) for a, d in zip(args, dims))
    if isinstance(args, dict):
        return {k: _slice(v, dims[k], b) for k, v in args.items()}
    if dims is None:
        return args
    return args.select(dims, b)


def _stack(parts: list[Any], out_dim: Any, func: Callable) -> Any:
    from ..eager.subscript import stack
    first = parts[0]
    if isinstance(first, (tuple, list)):
        dims = out_dim if isinstance(out_dim, (tuple, list)) else [out_dim] * len(first)
        return type(first)(_stack([p[i] for p in parts], dims[i], func)
                           for i in range(len(first)))
    if isinstance(first, dict):
        return {k: _stack([p[k] for p in parts], out_dim, func) for k in first}
    if not isinstance(first, Tensor):
        if out_dim is None:
            return first
        raise ValueError(f"vmap({_name(func)}, ...): `{_name(func)}` must only return Tensors, "
                         f"got type {type(first)}. Did you mean to set out_dims= to None for "
                         "output?")
    if out_dim is None:
        return first
    nd = first.ndim + 1
    if not -nd <= out_dim < nd:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-nd}, {nd - 1}],"
                         f" but got {out_dim})")
    return stack(parts, out_dim)


def vmap(func: Callable, in_dims: Any = 0, out_dims: Any = 0, randomness: str = "error", *,
         chunk_size: int | None = None) -> Callable:
    """``func`` mapped over dimension ``in_dims`` of its arguments (see the module docstring)."""
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        name = _name(func)
        if not (in_dims is None or isinstance(in_dims, (int, tuple, list, dict))) or \
                in_dims is None:
            raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): expected "
                             "`in_dims` to be int or a (potentially nested) tuple matching the "
                             f"structure of inputs, got: {type(in_dims)}.")
        dims_in = in_dims if not isinstance(in_dims, list) else tuple(in_dims)
        try:
            dims = _broadcast_dims(dims_in, args, func)
        except _Mismatch:
            raise ValueError(
                f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible "
                "with the structure of `inputs`. in_dims has structure "
                f"{_spec(in_dims)} but inputs has structure {_spec(args)}.") from None
        sizes = []
        norm = []
        for d, a in _pairs(dims, args):
            if d is None:
                norm.append(None)
                continue
            if not isinstance(a, Tensor):
                raise ValueError(  # noqa: TRY004 - PyTorch's type
                    f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for an "
                    f"input but the input is of type {type(a)}. We cannot vmap over non-Tensor "
                    "arguments, please use None as the respective in_dim")
            if not -a.ndim <= d < a.ndim:
                raise ValueError(
                    f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim={d} for some "
                    f"input, but that input is a Tensor of dimensionality {a.ndim} so expected "
                    f"in_dim to satisfy -{a.ndim} <= in_dim < {a.ndim}.")
            sizes.append(a.shape[d])
            norm.append(d % a.ndim)
        if not sizes:
            raise ValueError(
                f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): at least one input must be a "
                "Tensor mapped over a dimension (in_dim not None)")
        if len(set(sizes)) > 1:
            raise ValueError("vmap: Expected all tensors to have the same size in the mapped "
                             f"dimension, got sizes {sizes} for the mapped dimension")
        it = iter(norm)
        dims = _refill(dims, args, it)
        outs = [func(*_slice(args, dims, b), **kwargs) for b in range(sizes[0])]
        return _stack(outs, out_dims, func)
    return wrapped


def _refill(dims: Any, args: Any, it: Any) -> Any:
    """``dims`` with each leaf replaced by the next normalised dimension."""
    if isinstance(args, (tuple, list)):
        return type(args)(_refill(d, a, it) for d, a in zip(dims, args))
    if isinstance(args, dict):
        return {k: _refill(dims[k], v, it) for k, v in args.items()}
    return next(it)
