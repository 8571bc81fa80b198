"""The seeded random functions with PyTorch's values: ``rand``, ``randn``, ``randint``,
``randperm``, ``normal``, ``bernoulli``, the ``*_like`` forms, and the in-place
``uniform_``, ``normal_``, ``random_``, ``bernoulli_``, ``exponential_`` methods.

>>> import symgrad as torch
>>> _ = torch.manual_seed(0)
>>> torch.rand(3)
tensor([0.4963, 0.7682, 0.0885])
>>> torch.randn(2, 2)
tensor([[0.3643, 0.1344],
        [0.1642, 0.3058]])
>>> torch.randint(0, 10, (5,))
tensor([6, 6, 9, 8, 6])
>>> torch.randperm(6)
tensor([0, 4, 1, 3, 2, 5])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes, errors
from ..eager.tensor import Tensor, _init_leaf
from . import sampling
from .generator import Generator, state_of

_WORD = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
         "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _sizes(size: tuple) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    out = tuple(int(s) for s in size)
    if any(s < 0 for s in out):
        raise RuntimeError(errors.negative_dimension(min(out), list(out)))
    return out


def _float_dtype(dtype: Any, kernel: str) -> np.dtype:
    d = dtypes.as_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    if not d.is_floating_point:
        raise NotImplementedError(errors.kernel_not_implemented(kernel, _WORD[d.name]))
    return d.np_dtype


def _leaf(arr: np.ndarray, requires_grad: bool, name: str | None = None) -> Tensor:
    t = Tensor._wrap(arr)
    _init_leaf(t, requires_grad, name)
    return t


def rand(*sizes: Any, size: Any = None, generator: Generator | None = None, dtype: Any = None,
         requires_grad: bool = False, name: str | None = None, device: Any = None) -> Tensor:
    """Uniform values in [0, 1), PyTorch's for the same seed."""
    shape = _sizes(sizes if size is None else (size,))
    dt = _float_dtype(dtype, "check_uniform_bounds")
    arr = sampling.uniform(state_of(generator), int(np.prod(shape)), dt).reshape(shape)
    return _leaf(arr, requires_grad, name)


def randn(*sizes: Any, size: Any = None, generator: Generator | None = None, dtype: Any = None,
          requires_grad: bool = False, name: str | None = None, device: Any = None) -> Tensor:
    """Standard normal values, PyTorch's for the same seed (both of its code paths).

    >>> import symgrad as torch
    >>> _ = torch.manual_seed(1)
    >>> torch.randn(16)[:3], torch.randn(3)
    (tensor([-1.5256, -0.7502, -0.6540]), tensor([-1.0276, -0.5631, -0.8923]))
    """
    shape = _sizes(sizes if size is None else (size,))
    dt = _float_dtype(dtype, "normal_kernel_cpu")
    arr = sampling.normal(state_of(generator), int(np.prod(shape)), dt).reshape(shape)
    return _leaf(arr, requires_grad, name)


def randint(*args: Any, size: Any = None, generator: Generator | None = None,
            dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """``randint(high, size)`` or ``randint(low, high, size)``: integers in [low, high)."""
    args = list(args)
    if size is None and args and isinstance(args[-1], (tuple, list)):
        size = args.pop()
    if size is None:
        raise TypeError(errors.RANDINT_NO_SIZE)
    low, high = (0, args[0]) if len(args) == 1 else (args[0], args[1])
    low, high = int(low), int(high)
    if low >= high:
        raise RuntimeError(errors.random_from_to(low, high))
    shape = _sizes((size,))
    d = dtypes.as_dtype(dtype) if dtype is not None else dtypes.int64
    vals = sampling.random_from_to(state_of(generator), int(np.prod(shape)), low, high)
    return _leaf(vals.astype(d.np_dtype).reshape(shape), requires_grad)


def randperm(n: int, generator: Generator | None = None, dtype: Any = None,
             requires_grad: bool = False, device: Any = None) -> Tensor:
    """A random permutation of ``0 .. n-1`` (PyTorch's Fisher-Yates order)."""
    n = int(n)
    if n < 0:
        raise RuntimeError(errors.negative_dimension(n, [n]))
    d = dtypes.as_dtype(dtype) if dtype is not None else dtypes.int64
    return _leaf(sampling.randperm(state_of(generator), n).astype(d.np_dtype), requires_grad)


def rand_like(input: Tensor, dtype: Any = None, requires_grad: bool = False,
              device: Any = None) -> Tensor:
    return rand(*input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn_like(input: Tensor, dtype: Any = None, requires_grad: bool = False,
               device: Any = None) -> Tensor:
    return randn(*input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randint_like(input: Tensor, low: int = 0, high: int | None = None, dtype: Any = None,
                 requires_grad: bool = False, device: Any = None) -> Tensor:
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input.dtype,
                   requires_grad=requires_grad)


def normal(mean: Any, std: Any = 1.0, size: Any = None, *, generator: Generator | None = None,
           dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """``normal(mean, std, size)`` with floats, or elementwise with tensor ``mean``/``std``
    (drawn as ``normal_(0, std)`` then ``+ mean``, or ``normal_(0, 1) * std + mean``)."""
    st = state_of(generator)
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        if size is None:
            raise TypeError(errors.NORMAL_NO_SIZE)
        return normal_(empty_float(_sizes((size,)), dtype), mean, std, generator=generator)
    m = mean if isinstance(mean, Tensor) else None
    s = std if isinstance(std, Tensor) else None
    ref = m if m is not None else s
    shape = np.broadcast_shapes(*(tuple(t.shape) for t in (m, s) if t is not None))
    dt = ref.dtype.np_dtype
    n = int(np.prod(shape))
    if s is None:
        _check_std(float(std))
        z = sampling.normal(st, n, dt, 0.0, float(std)).reshape(shape)
        return _leaf((z + m._value()).astype(dt), requires_grad)
    if np.any(s._value() < 0):
        raise RuntimeError(errors.normal_std_tensor())
    z = sampling.normal(st, n, dt).reshape(shape)
    mv = m._value() if m is not None else dt.type(mean)
    return _leaf((z * s._value() + mv).astype(dt), requires_grad)


def empty_float(shape: tuple[int, ...], dtype: Any = None) -> Tensor:
    dt = _float_dtype(dtype, "normal_kernel_cpu")
    return _leaf(np.zeros(shape, dt), False)


def bernoulli(input: Tensor, p: Any = None, *, generator: Generator | None = None) -> Tensor:
    """0/1 draws with probabilities ``input`` (one uniform each, in ``input``'s precision)."""
    if p is not None:
        return bernoulli_(Tensor._wrap(np.zeros(input.shape, input.dtype.np_dtype)), p,
                          generator=generator)
    v = input._value()
    if v.size and (np.any(v < 0) or np.any(v > 1)):
        raise RuntimeError(errors.BERNOULLI_P)
    hits = sampling.bernoulli_tensor(state_of(generator), v)
    return _leaf(hits.astype(v.dtype), False)


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,
                generator: Generator | None = None) -> Tensor:
    """Category indices drawn with probabilities ``input`` (rows of a matrix, or a vector).

    PyTorch's two CPU paths: without replacement (or one sample) ``input / q`` with
    ``q ~ Exp(1)`` and the largest entries; with replacement a binary search of one 53-bit
    uniform per sample in the normalised cumulative sum.

    >>> import symgrad as torch
    >>> _ = torch.manual_seed(0)
    >>> torch.multinomial(torch.tensor([0.1, 0.2, 0.7]), 2), torch.multinomial(
    ...     torch.tensor([0.1, 0.2, 0.7]), 4, replacement=True)
    (tensor([2, 1]), tensor([2, 2, 2, 1]))
    """
    p = np.asarray(input._value())
    if p.ndim not in (1, 2):
        raise RuntimeError(errors.MULTINOMIAL_DIM)
    rows = p.reshape(-1, p.shape[-1])
    n_cat = rows.shape[1]
    if np.any(rows < 0):
        raise RuntimeError(errors.MULTINOMIAL_NEGATIVE)
    if not np.all(np.isfinite(rows)):
        raise RuntimeError(errors.MULTINOMIAL_NONFINITE)
    if np.any(rows.sum(axis=1) <= 0):
        raise RuntimeError(errors.MULTINOMIAL_SUM)
    if not replacement and num_samples > n_cat:
        raise RuntimeError(errors.MULTINOMIAL_TOO_MANY)
    st = state_of(generator)
    if not replacement or num_samples == 1:
        q = sampling.exponential(st, rows.size, rows.dtype).reshape(rows.shape)
        ratio = (rows / q).astype(rows.dtype)
        order = np.argsort(-ratio, axis=1, kind="stable")[:, :num_samples]
        out = order.astype(np.int64)
    else:
        out = np.empty((rows.shape[0], num_samples), np.int64)
        for i, row in enumerate(rows):
            cum = np.cumsum(row, dtype=row.dtype)
            cum = (cum / cum[-1]).astype(row.dtype)
            cum[-1] = 1
            u = sampling._unit(st, num_samples, np.float64)
            out[i] = np.searchsorted(cum.astype(np.float64), u, side="left")
    return _leaf(out.reshape(p.shape[:-1] + (num_samples,)), False)


# ------------------------------------------------------------------ in place
def _write(self: Tensor, arr: np.ndarray) -> Tensor:
    """Write ``arr`` into ``self`` as an in-place op (leaf check, version bump)."""
    return self.copy_(Tensor._wrap(np.asarray(arr, dtype=self.dtype.np_dtype)))


def uniform_(self: Tensor, a: float = 0.0, b: float = 1.0, *,
             generator: Generator | None = None) -> Tensor:
    """Fill with uniform values in [a, b) (what ``nn.init`` and ``nn.Linear`` use)."""
    if a > b:
        raise RuntimeError(errors.uniform_bounds(a, b))
    dt = _float_dtype(self.dtype, "check_uniform_bounds")
    vals = sampling.uniform(state_of(generator), self.numel(), dt, float(a), float(b))
    return _write(self, vals.reshape(self.shape))


def _check_std(std: float) -> None:
    if std < 0:
        raise RuntimeError(errors.normal_std(std))


def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *,
            generator: Generator | None = None) -> Tensor:
    """Fill with normal values (``mean + std * z``, PyTorch's arithmetic)."""
    _check_std(std)
    dt = _float_dtype(self.dtype, "normal_kernel_cpu")
    vals = sampling.normal(state_of(generator), self.numel(), dt, float(mean), float(std))
    return _write(self, vals.reshape(self.shape))


def random_(self: Tensor, *args: Any, generator: Generator | None = None, **kwargs: Any) -> Tensor:
    """``random_()``, ``random_(to)`` or ``random_(from, to)``."""
    bounds = list(args) + [kwargs[k] for k in ("from", "to") if k in kwargs]
    st = state_of(generator)
    if not bounds:
        vals = sampling.random_default(st, self.numel(), self.dtype.np_dtype)
    else:
        low, high = (0, bounds[0]) if len(bounds) == 1 else (bounds[0], bounds[1])
        if int(low) >= int(high):
            raise RuntimeError(errors.random_from_to(int(low), int(high)))
        vals = sampling.random_from_to(st, self.numel(), int(low), int(high))
    return _write(self, vals.reshape(self.shape))


def bernoulli_(self: Tensor, p: Any = 0.5, *, generator: Generator | None = None) -> Tensor:
    """Fill with 0/1 draws of probability ``p`` (a float: one 53-bit uniform each)."""
    if isinstance(p, Tensor):
        pv = np.broadcast_to(p._value(), tuple(self.shape))
        hits = sampling.bernoulli_tensor(state_of(generator), pv)
    else:
        if not 0 <= p <= 1:
            raise RuntimeError(errors.BERNOULLI_P)
        pv = np.full(tuple(self.shape), float(p), np.float64)
        hits = sampling.bernoulli_tensor(state_of(generator), pv)
    return _write(self, hits)


def exponential_(self: Tensor, lambd: float = 1.0, *,
                 generator: Generator | None = None) -> Tensor:
    """Fill with exponential values of rate ``lambd``."""
    dt = _float_dtype(self.dtype, "exponential_cpu")
    vals = sampling.exponential(state_of(generator), self.numel(), dt, float(lambd))
    return _write(self, vals.reshape(self.shape))


METHODS = {"uniform_": uniform_, "normal_": normal_, "random_": random_,
           "bernoulli_": bernoulli_, "exponential_": exponential_, "bernoulli": bernoulli,
           "multinomial": multinomial}
"""The Tensor methods this module adds (bound by :mod:`symgrad.random`)."""
