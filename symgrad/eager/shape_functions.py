"""The shape and view functions (``sg.reshape``, ``sg.permute``, ``sg.expand``...),
each a thin call of its op-table entry through :func:`symgrad.eager.dispatch.apply`.
``symgrad.eager.functions`` re-exports them all.

>>> import symgrad as sg
>>> x = sg.ones(2, 3)
>>> reshape(x, -1, 2).shape, permute(x, 1, 0).shape, expand(sg.ones(3), 2, 3).shape
(torch.Size([3, 2]), torch.Size([3, 2]), torch.Size([2, 3]))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..ops import OPS
from .dispatch import apply
from .tensor import Tensor, _wrap_dim


def _infer_shape(shape: Sequence[int], numel: int | None, src: tuple[int, ...]) -> tuple[int, ...]:
    shape = tuple(int(s) for s in shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if numel is None:  # a value-less tensor with an unknown length: nothing to check
        return tuple(None if s == -1 else s for s in shape)
    if -1 in shape:
        known = int(np.prod([s for s in shape if s != -1])) if len(shape) > 1 else 1
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    if int(np.prod(shape)) != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return shape


def _shape_args(shape: tuple) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return shape


def _target_shape(input: Tensor, shape: tuple) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``input``'s shape and the requested ``shape`` with any ``-1`` filled in."""
    src = tuple(input.shape)
    return src, _infer_shape(shape, None if None in src else int(np.prod(src)) if src else 1, src)


def _reshape_view_kind(data: np.ndarray | None, new: tuple[int, ...]) -> str | None:
    """How PyTorch reshapes ``data``: ``ViewBackward0`` (contiguous), ``ReshapeAliasBackward0``
    (a strided view), or ``None`` when the elements must be copied."""
    if data is None or data.flags.c_contiguous:
        return "ViewBackward0"
    return "ReshapeAliasBackward0" if np.may_share_memory(np.reshape(data, new), data) else None


def reshape(input: Tensor, *shape: Any) -> Tensor:
    """A tensor with the same data in ``shape``: a view when the strides allow, else a copy."""
    src, new = _target_shape(input, _shape_args(shape))
    name = _reshape_view_kind(input._data, new)
    if name is None:
        return apply(OPS["reshape_copy"], (input,), {"shape": new, "in_shape": src})
    return apply(OPS["reshape"], (input,), {"shape": new, "grad_fn": name, "in_shape": src})


def view(input: Tensor, *shape: Any) -> Tensor:
    """The same storage seen in ``shape`` (shares the version counter); an error if the
    strides do not allow it."""
    src, new = _target_shape(input, _shape_args(shape))
    if _reshape_view_kind(input._data, new) is None:
        raise RuntimeError("view size is not compatible with input tensor's size and stride (at "
                           "least one dimension spans across two contiguous subspaces). Use "
                           ".reshape(...) instead.")
    return apply(OPS["reshape"], (input,), {"shape": new, "grad_fn": "ViewBackward0",
                                            "in_shape": src})


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    shape = tuple(input.shape)
    if not shape:
        return reshape(input, 1)
    s, e = _wrap_dim(start_dim, len(shape)), _wrap_dim(end_dim, len(shape))
    if s == e:
        return input
    new = shape[:s] + (int(np.prod(shape[s:e + 1])),) + shape[e + 1:]
    return reshape(input, new)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    return apply(OPS["unsqueeze"], (input,), {"dim": _wrap_dim(dim, input.ndim + 1)})


def squeeze(input: Tensor, dim: int | None = None) -> Tensor:
    d = None if dim is None else _wrap_dim(dim, input.ndim)
    return apply(OPS["squeeze"], (input,), {"dim": d, "in_shape": tuple(input.shape)})


def permute(input: Tensor, *dims: Any) -> Tensor:
    dims = _shape_args(dims)
    nd = input.ndim
    if len(dims) != nd:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {nd} is not equal to len(dims) = {len(dims)}")
    return apply(OPS["permute"], (input,), {"dims": tuple(_wrap_dim(d, nd) for d in dims)})


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    nd = input.ndim
    d0, d1 = _wrap_dim(dim0, nd), _wrap_dim(dim1, nd)
    dims = list(range(nd))
    dims[d0], dims[d1] = dims[d1], dims[d0]
    return apply(OPS["permute"], (input,), {"dims": tuple(dims), "grad_fn": "TransposeBackward0"})


swapaxes = transpose


def t(input: Tensor) -> Tensor:
    nd = input.ndim
    if nd > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {nd}D")
    dims = tuple(reversed(range(nd)))
    return apply(OPS["permute"], (input,), {"dims": dims, "grad_fn": "TBackward0"})


def expand(input: Tensor, *sizes: Any) -> Tensor:
    sizes = _shape_args(sizes)
    src = tuple(input.shape)
    lead = len(sizes) - len(src)
    if lead < 0:
        raise RuntimeError(f"expand(torch.FloatTensor{{{list(src)}}}, size={list(sizes)}): the "
                           "number of sizes provided ({}) must be greater or equal to the number "
                           "of dimensions in the tensor ({})".format(len(sizes), len(src)))
    shape = tuple(src[i - lead] if s == -1 else int(s) for i, s in enumerate(sizes))
    for i, n in enumerate(src):
        if n != 1 and n != shape[i + lead]:
            raise RuntimeError(f"The expanded size of the tensor ({shape[i + lead]}) must match "
                               f"the existing size ({n}) at non-singleton dimension {i + lead}.  "
                               f"Target sizes: {list(sizes)}.  Tensor sizes: {list(src)}")
    return apply(OPS["expand"], (input,), {"shape": shape, "in_shape": src})


def sum_to_size(input: Tensor, *size: Any) -> Tensor:
    size = _shape_args(size)
    return apply(OPS["sum_to_size"], (input,), {"shape": tuple(size),
                                                "in_shape": tuple(input.shape)})
