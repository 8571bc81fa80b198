"""Indexing ops: ``select``, ``unbind``, ``slice``, ``alias`` (views), advanced ``index``,
``index_put``, ``cat``, ``stack`` and ``gather``.

A *key* is a normalized tuple of ints, slices, ``None``, ``Ellipsis`` and
NumPy int or bool arrays (see ``symgrad.eager.subscript``). Basic indexing is a
chain of ``select``/``slice``/``unsqueeze`` views, as in PyTorch; integer and
boolean arrays make ``index``, which copies. Every gradient of an indexing op
is ``index_backward`` (scatter-add into zeros, ``np.add.at`` so repeated
indices add up), and its gradient is indexing again, so ``create_graph``
works without special cases.

>>> import numpy as np
>>> OPS["index"].forward(np.arange(4.), key=(np.array([0, 0, 3]),)).tolist()
[0.0, 0.0, 3.0]
>>> OPS["index_backward"].forward(np.ones(3), shape=(4,), key=(np.array([0, 0, 3]),)).tolist()
[2.0, 0.0, 0.0, 1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .registry import LINEAR, OPS, VIEW, defop

Key = tuple


def dim_key(dim: int, k: Any) -> Key:
    """The key that applies ``k`` at axis ``dim``: ``(:, :, k)`` for ``dim == 2``.

    >>> dim_key(1, 0)
    (slice(None, None, None), 0)
    """
    return (slice(None),) * dim + (k,)


def int_key(key: Key) -> Key:
    """``key`` with each bool array replaced by its ``nonzero()`` int arrays (same meaning;
    a 0-d bool, ``x[True]``, stays: it adds an axis and has no ``nonzero()``).

    >>> int_key((np.array([True, False, True]),))
    (array([0, 2]),)
    """
    if not any(isinstance(k, np.ndarray) and k.dtype == np.bool_ and k.ndim for k in key):
        return key
    out: list[Any] = []
    for k in key:
        if isinstance(k, np.ndarray) and k.dtype == np.bool_ and k.ndim:
            out.extend(np.nonzero(k))
        else:
            out.append(k)
    return tuple(out)


def _is_basic(key: Key) -> bool:
    return not any(isinstance(k, np.ndarray) for k in key)


def _index_backward(grad: np.ndarray, shape: tuple[int, ...], key: Key,
                    of: str = "index") -> np.ndarray:
    """Zeros of ``shape`` with ``grad`` added at ``key`` (repeated indices add up)."""
    out = np.zeros(tuple(shape), dtype=np.asarray(grad).dtype)
    if _is_basic(key):
        out[key] = grad
    else:
        np.add.at(out, int_key(key), grad)
    return out


def _index_put(x: np.ndarray, values: Any, key: Key, accumulate: bool = False) -> np.ndarray:
    out = np.array(x, copy=True)
    if accumulate:
        np.add.at(out, int_key(key), values)
    else:
        out[key] = values
    return out


def _select_key(a: dict) -> Key:
    return dim_key(a["dim"], a["index"])


def _slice_key(a: dict) -> Key:
    return dim_key(a["dim"], slice(a["start"], a["end"], a["step"]))


def _scatter(xp: Any, grad: Any, shape: Any, key: Key, of: str) -> Any:
    return xp.op(OPS["index_backward"], grad, shape=tuple(shape), key=key, of=of)


_BACKWARD_NAMES = {"select": "SelectBackwardBackward0", "slice": "SliceBackwardBackward0",
                   "index": "IndexPutBackward0", "gather": "ScatterAddBackward0",
                   "cat": "SliceBackwardBackward0", "stack": "SelectBackwardBackward0"}

defop("index_backward", lambda inputs, a: _BACKWARD_NAMES.get(a.get("of", "index"),
                                                              "IndexPutBackward0"),
      LINEAR, "grad",
      forward=_index_backward,
      vjp={"grad": lambda xp, grad, s, a: xp.op(OPS["index"], grad, key=a["key"])},
      jvp={"grad": lambda xp, t, s, a: _scatter(xp, t, a["shape"], a["key"], a.get("of", "index"))},
      sym=lambda S, g, shape, key, of="index": S.index_put(S.zeros(shape), key, g, True),
      dtype_rule="same", doc="the adjoint of indexing: scatter-add into zeros")

def slice_text(a: dict) -> str:
    """``start:end:step`` as Python writes it (``1:``, ``:3``, ``::2``).

    >>> slice_text({"start": 1, "end": 3, "step": 1, "in_shape": (3,), "dim": 0})
    '1:'
    """
    shape = a.get("in_shape")
    n = shape[a["dim"]] if shape is not None else None
    start, end, step = a["start"], a["end"], a["step"]
    text = ("" if start == 0 else str(start)) + ":" + ("" if n is not None and end >= n
                                                         else str(end))
    return text + (f":{step}" if step != 1 else "")


# x[..., i, ...] and the outputs of x.unbind(dim): the same view, PyTorch's two names
for _name, _grad_fn, _doc in (
        ("select", "SelectBackward0", "x[..., i, ...]: a view without axis dim"),
        ("unbind", "UnbindBackward0", "output index of x.unbind(dim): select, one node per output")):
    defop(_name, _grad_fn, VIEW, "self",
          forward=lambda x, dim, index, in_shape=None: x[dim_key(dim, index) + (Ellipsis,)],
          vjp={"self": lambda xp, grad, s, a:
              _scatter(xp, grad, a["in_shape"], _select_key(a), "select")},
          sym=lambda S, x, dim, index, in_shape=None: S.index(x, dim_key(dim, index)),
          dtype_rule="same", doc=_doc, api=("function", "method"),
      view_text=lambda a: "[" + ":, " * a["dim"] + str(a["index"]) + "]",
          put_sym=lambda S, base, new, a: S.index_put(base, dim_key(a["dim"], a["index"]), new))

defop("slice", "SliceBackward0", VIEW, "self",
      forward=lambda x, dim, start, end, step, in_shape=None:
      x[dim_key(dim, slice(start, end, step))],
      vjp={"self": lambda xp, grad, s, a:
          _scatter(xp, grad, a["in_shape"], _slice_key(a), "slice")},
      sym=lambda S, x, dim, start, end, step, in_shape=None:
      S.index(x, dim_key(dim, slice(start, end, step))),
      dtype_rule="same", doc="x[..., start:end:step, ...]: a view",
      view_text=lambda a: "[" + ":, " * a["dim"] + slice_text(a) + "]",
      put_sym=lambda S, base, new, a: S.index_put(
          base, dim_key(a["dim"], slice(a["start"], a["end"], a["step"])), new))

defop("alias", "AliasBackward0", VIEW, "self",
      forward=lambda x: x.view(),
      vjp={"self": lambda xp, grad, s, a: grad},
      jvp={"self": lambda xp, t, s, a: t},
      sym=lambda S, x: x,
      dtype_rule="same", doc="x[...]: the same elements, a new view",
      view_text=lambda a: "[...]", put_sym=lambda S, base, new, a: new)

defop("index", "IndexBackward0", LINEAR, "self",
      forward=lambda x, key, in_shape=None: x[key],
      vjp={"self": lambda xp, grad, s, a: _scatter(xp, grad, a["in_shape"], a["key"], "index")},
      sym=lambda S, x, key, in_shape=None: S.index(x, key),
      dtype_rule="same", doc="advanced indexing (int/bool arrays): a copy", linear=True)

defop("index_put", "IndexPutBackward0", LINEAR, "self values",
      forward=_index_put,
      vjp={"self": lambda xp, grad, s, a: xp.op(OPS["index_put"], grad, 0.0, key=a["key"]),
           "values": lambda xp, grad, s, a: xp.op(OPS["index"], grad, key=a["key"])},
      jvp={"self": lambda xp, t, s, a: xp.op(OPS["index_put"], t, 0.0, key=a["key"]),
           "values": lambda xp, t, s, a:
               xp.op(OPS["index_put"], xp.zeros_like(s.self), t, key=a["key"])},
      sym=lambda S, x, values, key, accumulate=False: S.index_put(x, key, values),
      dtype_rule="same", doc="x[key] = values (the self input is only read for its shape)")

defop("index_copy", "IndexCopyBackward0", LINEAR, "self source",
      forward=lambda x, source, dim, index: _index_put(x, source, dim_key(dim, index)),
      vjp={"self": lambda xp, grad, s, a:
               xp.op(OPS["index_put"], grad, 0.0, key=dim_key(a["dim"], a["index"])),
           "source": lambda xp, grad, s, a:
               xp.op(OPS["index"], grad, key=dim_key(a["dim"], a["index"]))},
      jvp={"self": lambda xp, t, s, a:
               xp.op(OPS["index_put"], t, 0.0, key=dim_key(a["dim"], a["index"])),
           "source": lambda xp, t, s, a: xp.op(OPS["index_put"], xp.zeros_like(s.self), t,
                                               key=dim_key(a["dim"], a["index"]))},
      sym=lambda S, x, source, dim, index: S.index_put(x, dim_key(dim, index), source),
      dtype_rule="same", doc="x.index_copy(dim, index, source): rows index of x along dim "
      "replaced by source (index a NumPy int array)")


def _cat_vjp(xp: Any, grad: Any, s: Any, a: dict, i: int) -> Any:
    off = a["offsets"]
    return xp.op(OPS["slice"], grad, dim=a["dim"], start=off[i], end=off[i + 1], step=1,
                 in_shape=tuple(a["shape"]))


def _cat_jvp(xp: Any, t: Any, s: Any, a: dict, i: int) -> Any:
    off = a["offsets"]
    key = dim_key(a["dim"], slice(off[i], off[i + 1], 1))
    return _scatter(xp, t, a["shape"], key, "cat")


defop("cat", "CatBackward0", LINEAR, "tensors",
      forward=lambda *xs, dim, offsets=None, shape=None: np.concatenate(xs, axis=dim),
      vjp={"tensors": _cat_vjp}, jvp={"tensors": _cat_jvp}, variadic=True,
      sym=lambda S, *xs, dim, offsets=None, shape=None: S.cat(xs, dim),
      doc="concatenation along dim; offsets[i]:offsets[i+1] is input i's range", api=("function",),
      aliases=("concat", "concatenate"))

defop("stack", "StackBackward0", LINEAR, "tensors",
      forward=lambda *xs, dim, shape=None: np.stack(xs, axis=dim),
      vjp={"tensors": lambda xp, grad, s, a, i: xp.op(OPS["select"], grad, dim=a["dim"], index=i,
                                          in_shape=tuple(a["shape"]))},
      jvp={"tensors": lambda xp, t, s, a, i:
          _scatter(xp, t, a["shape"], dim_key(a["dim"], i), "stack")},
      variadic=True,
      sym=lambda S, *xs, dim, shape=None: S.stack(xs, dim),
      doc="stacking along a new axis dim", api=("function",))


def gather_key(shape: tuple[int, ...], dim: int, index: np.ndarray) -> Key:
    """The advanced-index key with ``x[key] == gather(x, dim, index)``.

    >>> x = np.arange(6).reshape(2, 3)
    >>> x[gather_key(x.shape, 1, np.array([[2, 0], [1, 1]]))].tolist()
    [[2, 0], [4, 4]]
    """
    grids = np.ogrid[tuple(slice(0, n) for n in index.shape)]
    return tuple(index if d == dim else grids[d] for d in range(index.ndim))


defop("gather", "GatherBackward0", LINEAR, "self",
      forward=lambda x, dim, index, in_shape=None: x[gather_key(x.shape, dim, index)],
      vjp={"self": lambda xp, grad, s, a: _scatter(xp, grad, a["in_shape"],
                                          gather_key(a["in_shape"], a["dim"], a["index"]),
                                          "gather")},
      jvp={"self": lambda xp, t, s, a: xp.op(OPS["gather"], t, **a)},
      sym=lambda S, x, dim, index, in_shape=None: S.gather(x, dim, index),
      dtype_rule="same", doc="out[i][j] = x[i][index[i][j]] (dim=1); index is a NumPy array",
      api=("function", "method"))


defop("fill_tensor", "FillBackward3", LINEAR, "self value",
      forward=lambda x, value: np.full_like(x, value),
      vjp={"self": lambda xp, grad, s, a: xp.zeros_like(grad),
           "value": lambda xp, grad, s, a: xp.sum(grad)},
      jvp={"self": lambda xp, t, s, a: xp.zeros_like(t),
           "value": lambda xp, t, s, a: xp.expand(t, s.self.shape)},
      sym=lambda S, x, value: S.copy_to(x, value),  # value broadcast to x's shape
      dtype_rule="same", doc="x.fill_(value) with a 0-d tensor value (x[key] = number)")
