"""The one per-op test record: sample calls of every op in ``symgrad.ops.OPS``.

Each :class:`Sample` names the op it exercises (the op of the returned
tensor's record), a function of the library ``T`` (``symgrad`` or ``torch``)
and of the input tensors, and float64 input arrays chosen away from kinks
and singularities. Every op gets a plain case, a broadcasting case where
broadcasting applies, and an edge case (a zero-dim or empty tensor, a zero
in a product, a non-contiguous input ...).

A sample also says

- ``domain``: per input, the :class:`Domain` (an open interval, possibly
  without 0) where the op is defined and smooth, with a map from any real
  tensor into it;
- ``kink_margin``: for a call with kinks (relu at 0, ties of max ...), how
  far its inputs are from them (``None``: smooth on its domain);
- ``any_shape``: the function takes inputs of any rank 0-3 (broadcasting
  together), so random programs can use it;
- ``grad_inside``: the function differentiates (``autograd.grad`` with
  ``create_graph``), so it needs grad mode and inputs that require grad.

Every generic per-op test reads this table and nothing else: the tape
tests (``test_op_table.py``), the three-way check of every sample
(``test_every_engine.py``), the derivative cases of ``tests/tape/opcases.py``
and the random programs of ``tests/helpers.py`` and
``tests/symbolic/test_engines_agree.py``. An op without samples makes them
fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from symgrad.ops import OPS
from symgrad.ops.registry import NONDIFF

_rng = np.random.default_rng(20261127)


# ------------------------------------------------------------- input values

def sym(*shape: int) -> np.ndarray:
    """Values in ±[0.2, 1.2], away from zero."""
    return np.asarray(_rng.uniform(0.2, 1.2, shape) * _rng.choice([-1.0, 1.0], shape))


def pos(*shape: int) -> np.ndarray:
    """Positive values in [0.5, 2]."""
    return np.asarray(_rng.uniform(0.5, 2.0, shape))


def unit(*shape: int) -> np.ndarray:
    """Probabilities in [0.2, 0.8]."""
    return np.asarray(_rng.uniform(0.2, 0.8, shape))


def sep(*shape: int) -> np.ndarray:
    """Distinct values at least 0.1 apart (no ties for max/min)."""
    n = int(np.prod(shape)) if shape else 1
    return np.asarray((_rng.permutation(n) * 0.25 - n * 0.1).reshape(shape))


def spd(*shape: int) -> np.ndarray:
    """Well-conditioned symmetric positive definite matrices: ``shape`` is the batch
    shape and the size ``n`` (``spd(2, 3)``: two 3x3 matrices)."""
    *batch, n = shape
    m = _rng.uniform(-0.5, 0.5, tuple(batch) + (n, n))
    return np.asarray(m @ np.swapaxes(m, -1, -2) + np.eye(n))


def mask(*shape: int) -> np.ndarray:
    return np.asarray(_rng.random(shape) > 0.5)


# ------------------------------------------------------------------ domains

def _same(T: Any, x: Any) -> Any:
    return x


def _positive(T: Any, x: Any) -> Any:
    return x * x + 0.5


@dataclass(frozen=True)
class Domain:
    """Where an op's input is defined and smooth: the open interval (``lo``, ``hi``),
    without 0 if ``nonzero`` (a region of it is enough: ``log1p`` is tested on
    ``POS``). ``into(T, x)`` maps any real tensor into the domain: random programs
    feed an op through it, so that every program is defined everywhere."""

    name: str
    lo: float = -np.inf
    hi: float = np.inf
    nonzero: bool = False
    into: Callable[[Any, Any], Any] = _same

    def contains(self, a: np.ndarray) -> bool:
        a = np.asarray(a)
        if self is MASK:
            return a.dtype == np.bool_
        inside = bool(np.all((a > self.lo) & (a < self.hi)))
        return inside and not (self.nonzero and np.any(a == 0))


REAL = Domain("real")
NONZERO = Domain("nonzero", nonzero=True, into=_positive)
POS = Domain("pos", 0.0, into=_positive)
UNIT = Domain("unit", 0.0, 1.0, into=lambda T, x: T.sigmoid(x))
def _spd(T: Any, x: Any) -> Any:
    """Symmetric positive definite matrices (positive numbers below rank 2)."""
    if x.ndim < 2:
        return x * x + 0.5
    return x @ x.transpose(-1, -2) + T.eye(x.shape[-1], dtype=x.dtype)


SPD = Domain("spd", into=_spd)
HALF_PI = Domain("half_pi", -np.pi / 2, np.pi / 2, into=lambda T, x: T.tanh(x))
MASK = Domain("mask")  # a boolean input (a condition, a mask): never differentiated
DOMAINS = {d.name: d for d in (REAL, NONZERO, POS, UNIT, HALF_PI, MASK, SPD)}


# -------------------------------------------------------------------- kinks

def op_kinks(op: str) -> bool:
    """Whether the op table says ``op`` has kinks (relu at 0, ties of max ...)."""
    return OPS[op].kinks


def _min_abs(a: Any) -> float:
    return float(np.min(np.abs(a))) if np.size(a) else np.inf


def away_from(*points: float) -> Callable[..., float]:
    """Kinks at fixed points of the first input (relu and abs at 0, clamp's bounds)."""
    def margin(a: np.ndarray, *_: Any) -> float:
        return min(_min_abs(np.asarray(a) - p) for p in points)
    return margin


def ties(a: np.ndarray, b: np.ndarray, *_: Any) -> float:
    """Kinks where two inputs tie (maximum, minimum, a condition ``a > b``)."""
    return _min_abs(np.subtract(*np.broadcast_arrays(a, b)))


def band(width: float) -> Callable[..., float]:
    """Kinks where two inputs are ``width`` apart (smooth_l1's ``beta``, huber's ``delta``)."""
    def margin(a: np.ndarray, b: np.ndarray, *_: Any) -> float:
        return _min_abs(np.abs(np.subtract(*np.broadcast_arrays(a, b))) - width)
    return margin


def gaps(dim: int | None = None) -> Callable[..., float]:
    """Kinks where the largest (or smallest) two entries along ``dim`` tie (max, amin ...);
    ``None``: over all entries. Rank 0 has no ties."""
    def margin(a: np.ndarray, *_: Any) -> float:
        a = np.asarray(a)
        if a.ndim == 0:
            return np.inf
        flat = a.reshape(-1, 1) if dim is None else np.moveaxis(a, dim, 0)
        if flat.shape[0] < 2 or flat.size == 0:
            return np.inf
        s = np.sort(flat, axis=0)
        return float(min(np.min(s[-1] - s[-2]), np.min(s[1] - s[0])))
    return margin


def singular_gaps(a: np.ndarray, *_: Any) -> float:
    """Kinks of singular values: two of them tie, or one is zero."""
    sv = np.linalg.svd(np.asarray(a), compute_uv=False)
    return float(min(np.min(sv), np.min(-np.diff(sv, axis=-1), initial=np.inf)))


def fixed_condition(*_: Any) -> float:
    """``where`` with a boolean mask input: the branch never switches, no kink."""
    return np.inf


# ------------------------------------------------------------------ records

@dataclass(frozen=True)
class Sample:
    """One call of an op: ``fn(T, *tensors)`` on ``args`` (float64 arrays, bool masks)."""

    op: str
    fn: Callable[..., Any]
    args: tuple[np.ndarray, ...]
    name: str = ""
    domain: tuple[Domain, ...] = ()   # one per arg (see :class:`Domain`)
    kink_margin: Callable[..., float] | None = None  # kink_margin(*args): distance from kinks
    any_shape: bool = False           # fn takes inputs of any rank 0-3 (random programs)
    grad_inside: bool = False         # fn calls autograd.grad (needs grad mode)
    second_order: bool = True
    eps: float = 1e-6
    tol: float = 1e-5

    @property
    def id(self) -> str:
        return f"{self.op}-{self.name or 'plain'}"

    @property
    def smooth(self) -> bool:
        """No kink anywhere on the domain: derivatives of every order are checkable."""
        return self.kink_margin is None

    @property
    def differentiable(self) -> bool:
        return OPS[self.op].kind != NONDIFF

    @property
    def floats(self) -> list[int]:
        """Positions of the float (differentiable) inputs."""
        return [i for i, a in enumerate(self.args) if a.dtype != np.bool_]

    def into_domain(self, T: Any, *xs: Any) -> list[Any]:
        """``xs`` (tensors of library ``T``, any real values) mapped into the domain."""
        return [d.into(T, x) for d, x in zip(self.domain, xs)]


def S(op: str, fn: Callable[..., Any], *args: np.ndarray, name: str = "",
      domain: str | tuple[str, ...] = "real", kinks: Callable[..., float] | None = None,
      **kw: Any) -> Sample:
    """A :class:`Sample`; ``domain`` names one domain for every float input or one per input,
    ``kinks`` is its ``kink_margin``."""
    names = (domain,) * len(args) if isinstance(domain, str) else domain
    assert len(names) == len(args), f"{op}: one domain per input"
    doms = tuple(MASK if a.dtype == np.bool_ else DOMAINS[n] for a, n in zip(args, names))
    return Sample(op, fn, tuple(args), name, doms, kinks, **kw)


def _index_put(T: Any, a: Any, b: Any) -> Any:
    x = a * 1
    x[T.tensor([0, 2])] = b
    return x


def _copy_slices(T: Any, a: Any, b: Any) -> Any:
    x = a * 1
    x[1:] = b
    return x


def _stale_view(T: Any, a: Any) -> Any:
    """A view whose base changed in place: regenerated from the base (AsStridedBackward0)."""
    x = a * 1
    v = x[1:]
    x.mul_(2)
    return v


def _then(x: Any, write: Callable[[Any], Any]) -> Any:
    """Run ``write(x)`` (an in-place step) and return ``x``."""
    write(x)
    return x


def _dim0(reduce: Callable[[Any], Any]) -> Callable[..., Any]:
    """``reduce(a)`` over dim 0, and ``a`` itself at rank 0 (symgrad refuses dim 0 of a
    0-d tensor, PyTorch accepts it: see ``test_parity_gaps.py``)."""
    return lambda T, a: reduce(a) if a.ndim else a


def _selfdot(T: Any, a: Any) -> Any:
    """``a @ a^T`` at any rank (a product of a 0-d tensor is a ``mul``)."""
    return a @ a.transpose(-1, -2) if a.ndim >= 2 else a @ a if a.ndim else a * a


def _grad_of(T: Any, y: Any, a: Any) -> Any:
    """d(sum y**2)/da with ``create_graph``: the gradient is itself differentiable."""
    return T.autograd.grad((y ** 2).sum(), a, create_graph=True)[0]


def _functional(T: Any) -> Any:
    return T.nn.functional


SAMPLES: list[Sample] = [
    # ------------------------------------------------------------ arithmetic
    S("add", lambda T, a, b: a + b, sym(3), sym(3), any_shape=True),
    S("add", lambda T, a, b: a + b, sym(2, 3), sym(3), name="broadcast"),
    S("add", lambda T, a, b: T.add(a, b, alpha=2.5), sym(2, 1), sym(3), name="alpha",
      any_shape=True),
    S("add", lambda T, a, b: a + b, sym(0, 3), sym(3), name="empty"),
    S("add", lambda T, a: a + 1.5, sym(4), name="scalar", any_shape=True),
    S("sub", lambda T, a, b: a - b, sym(3), sym(3), any_shape=True),
    S("sub", lambda T, a, b: a - b, sym(2, 1), sym(3), name="broadcast"),
    S("sub", lambda T, a, b: T.sub(a, b, alpha=-2), sym(), sym(2), name="alpha0d",
      any_shape=True),
    S("rsub", lambda T, a: 2 - a, sym(2, 3), any_shape=True),
    S("rsub", lambda T, a: 1.5 - a, sym(), name="zerodim"),
    S("mul", lambda T, a, b: a * b, sym(3), sym(3), any_shape=True),
    S("mul", lambda T, a, b: a * b, sym(4, 1), sym(3), name="broadcast"),
    S("mul", lambda T, a: a * 2.5, sym(2, 2), name="scalar", any_shape=True),
    S("mul", lambda T, a, b: a * b, sym(), sym(2, 2), name="zerodim"),
    S("mul", lambda T, a: a * a, sym(3), name="same", any_shape=True),
    S("div", lambda T, a, b: a / b, sym(3), sym(3), domain=("real", "nonzero"), any_shape=True),
    S("div", lambda T, a, b: a / b, sym(2, 3), sym(2, 1), name="broadcast",
      domain=("real", "nonzero")),
    S("div", lambda T, a: a / 4.0, sym(3), name="scalar", any_shape=True),
    S("div", lambda T, a, b: a / b, sym(), sym(3), name="zerodim", domain=("real", "nonzero")),
    S("neg", lambda T, a: -a, sym(3), any_shape=True),
    S("neg", lambda T, a: -a, sym(0), name="empty"),
    S("pow", lambda T, a: a ** 2, sym(3), any_shape=True),
    S("pow", lambda T, a: a ** 3, sym(2, 2), name="cube", any_shape=True),
    S("pow", lambda T, a: a ** 0.5, pos(3), name="sqrt", domain="pos", any_shape=True),
    S("pow", lambda T, a: a ** -1, sym(3), name="negative", domain="nonzero", any_shape=True),
    S("pow", lambda T, a: a ** 0, sym(3), name="zero"),
    S("pow", lambda T, a: T.square(a), sym(2, 3), name="square", any_shape=True),
    S("pow_tensor", lambda T, a, b: a ** b, pos(3), sym(3), domain=("pos", "real"),
      any_shape=True),
    S("pow_tensor", lambda T, a, b: a ** b, pos(2, 3), sym(3), name="broadcast",
      domain=("pos", "real")),
    S("pow_tensor", lambda T, a, b: a ** b, pos(), sym(2), name="zerodim", domain=("pos", "real")),
    S("rpow", lambda T, a: 2.0 ** a, sym(3), any_shape=True),
    S("rpow", lambda T, a: 0.5 ** a, sym(2, 2), name="base_lt_1"),
    # ------------------------------------------------------- unary functions
    S("exp", lambda T, a: T.exp(a), sym(3), any_shape=True),
    S("exp", lambda T, a: a.exp(), sym(), name="zerodim"),
    S("log", lambda T, a: T.log(a), pos(3), domain="pos", any_shape=True),
    S("log", lambda T, a: a.log(), pos(2, 2), name="2d", domain="pos"),
    S("log1p", lambda T, a: T.log1p(a), pos(3), domain="pos", any_shape=True),
    S("expm1", lambda T, a: T.expm1(a), sym(3), any_shape=True),
    S("sqrt", lambda T, a: T.sqrt(a), pos(3), domain="pos", any_shape=True),
    S("rsqrt", lambda T, a: T.rsqrt(a), pos(3), domain="pos", any_shape=True),
    S("sin", lambda T, a: T.sin(a), sym(3), any_shape=True),
    S("cos", lambda T, a: T.cos(a), sym(3), any_shape=True),
    S("tan", lambda T, a: T.tan(a), sym(3), domain="half_pi", any_shape=True),
    S("tanh", lambda T, a: T.tanh(a), sym(3), any_shape=True),
    S("tanh", lambda T, a: a.tanh(), sym(0, 2), name="empty"),
    S("sigmoid", lambda T, a: T.sigmoid(a), sym(3), any_shape=True),
    S("sigmoid", lambda T, a: a.sigmoid(), np.array([-30.0, 0.5, 30.0]), name="tails"),
    S("asinh", lambda T, a: T.asinh(a), sym(3), any_shape=True),
    S("asinh", lambda T, a: a.asinh(), np.array([-40.0, 0.3, 1e3]), name="tails"),
    S("erf", lambda T, a: T.erf(a), sym(3), any_shape=True),
    S("erf", lambda T, a: a.erf(), np.array([-6.0, -0.3, 0.0, 2.5]), name="tails"),
    S("gelu", lambda T, a: _functional(T).gelu(a), sym(2, 3), any_shape=True),
    S("gelu", lambda T, a: _functional(T).gelu(a, approximate="tanh"), sym(4), name="tanh"),
    # activations with a grad_fn of their own (ops/activations.py)
    S("silu", lambda T, a: _functional(T).silu(a), sym(2, 3), any_shape=True),
    S("elu", lambda T, a: _functional(T).elu(a, 0.7), sym(2, 3), kinks=away_from(0.0)),
    S("elu", lambda T, a: _functional(T).selu(a), sym(4), name="selu", kinks=away_from(0.0)),
    S("elu_inplace", lambda T, a: _functional(T).elu(a * 1, 0.7, inplace=True), sym(4),
      kinks=away_from(0.0)),
    S("celu", lambda T, a: _functional(T).celu(a, 1.5), sym(4), kinks=away_from(0.0)),
    S("celu_inplace", lambda T, a: _functional(T).celu(a * 1, 1.5, inplace=True), sym(4),
      kinks=away_from(0.0)),
    S("softplus", lambda T, a: _functional(T).softplus(a), sym(2, 3), kinks=away_from(20.0),
      any_shape=True),
    S("softplus", lambda T, a: _functional(T).softplus(a, 2.0, 1.0), sym(4), name="threshold",
      kinks=away_from(0.5)),
    S("leaky_relu", lambda T, a: _functional(T).leaky_relu(a, 0.2), sym(2, 3),
      kinks=away_from(0.0)),
    S("leaky_relu_inplace", lambda T, a: _functional(T).leaky_relu(a * 1, 0.2, inplace=True),
      sym(4), kinks=away_from(0.0)),
    S("hardtanh", lambda T, a: _functional(T).hardtanh(a, -0.5, 0.5), sym(2, 3),
      kinks=away_from(-0.5, 0.5)),
    S("hardtanh", lambda T, a: _functional(T).relu6(a * 4), sym(4), name="relu6",
      kinks=away_from(0.0, 1.5)),
    S("log_sigmoid", lambda T, a: _functional(T).logsigmoid(a), sym(2, 3), any_shape=True),
    S("mish", lambda T, a: _functional(T).mish(a), sym(2, 3), any_shape=True),
    S("hardswish", lambda T, a: _functional(T).hardswish(a * 4), sym(2, 3),
      kinks=away_from(-0.75, 0.75)),
    S("hardsigmoid", lambda T, a: _functional(T).hardsigmoid(a * 4), sym(2, 3),
      kinks=away_from(-0.75, 0.75)),
    S("smooth_l1_loss", lambda T, a, b: _functional(T).smooth_l1_loss(a, b), sym(3), sym(3),
      kinks=band(1.0)),
    S("smooth_l1_loss", lambda T, a, b: _functional(T).smooth_l1_loss(a, b, reduction="none",
                                                                      beta=0.5),
      sym(2, 3), sym(2, 3), name="none", kinks=band(0.5)),
    S("huber_loss", lambda T, a, b: _functional(T).huber_loss(a, b, reduction="sum", delta=0.8),
      sym(2, 3), sym(2, 3), kinks=band(0.8)),
    S("logaddexp", lambda T, a, b: T.logaddexp(a, b), sym(3), sym(3), any_shape=True),
    S("logaddexp", lambda T, a, b: a.logaddexp(b), sym(2, 3), sym(3) + 20.0,
      name="broadcast_apart"),
    S("reciprocal", lambda T, a: T.reciprocal(a), sym(3), domain="nonzero", any_shape=True),
    S("mul", lambda T, a: 2 / a, sym(3), name="rdiv", domain="nonzero", any_shape=True),
    S("relu", lambda T, a: T.relu(a), sym(4), kinks=away_from(0.0), any_shape=True),
    S("abs", lambda T, a: T.abs(a), sym(4), kinks=away_from(0.0), any_shape=True),
    S("clamp", lambda T, a: T.clamp(a, -0.5, 0.5), np.array([-1.0, -0.3, 0.1, 0.7]),
      kinks=away_from(-0.5, 0.5), any_shape=True),
    S("clamp", lambda T, a: a.clamp(min=0.0), sym(4), name="min", kinks=away_from(0.0),
      any_shape=True),
    S("clamp", lambda T, a: a.clamp(max=0.0), sym(2, 2), name="max", kinks=away_from(0.0)),
    S("maximum", lambda T, a, b: T.maximum(a, b), sep(4), sep(4) + 0.05, kinks=ties,
      any_shape=True),
    S("maximum", lambda T, a, b: T.maximum(a, b), sep(2, 3), sep(3) + 0.05, name="broadcast",
      kinks=ties),
    S("minimum", lambda T, a, b: T.minimum(a, b), sep(4), sep(4) + 0.05, kinks=ties,
      any_shape=True),
    S("minimum", lambda T, a, b: T.minimum(a, b), sep(2, 1), sep(3) + 0.05, name="broadcast",
      kinks=ties),
    S("where", lambda T, c, a, b: T.where(c, a, b), mask(4), sym(4), sym(4),
      kinks=fixed_condition),
    S("where", lambda T, c, a, b: T.where(c, a, b), mask(2, 3), sym(3), sym(2, 1),
      name="broadcast", kinks=fixed_condition),
    S("where", lambda T, c, a: T.where(c, a, 0.5), mask(3), sym(3), name="scalar",
      kinks=fixed_condition),
    S("where", lambda T, a, b: T.where(a > b, a, b * 2), sep(2, 3), sep(3) + 0.05,
      name="compare", kinks=ties, any_shape=True),
    S("sign", lambda T, a: T.sign(a), sym(3), kinks=away_from(0.0), any_shape=True),
    # ----------------------------------------------- comparisons (no gradient)
    *[S(n, (lambda n: lambda T, a, b: getattr(T, n)(a, b))(n), sep(3), sep(3))
      for n in ("gt", "lt", "ge", "le", "eq", "ne")],
    S("gt", lambda T, a: a > 0, sym(2, 2), name="scalar"),
    S("logical_and", lambda T, a, b: T.logical_and(a, b), mask(3), mask(3)),
    S("logical_or", lambda T, a, b: T.logical_or(a, b), mask(2, 3), mask(3), name="broadcast"),
    S("logical_not", lambda T, a: T.logical_not(a), mask(3)),
    S("detach", lambda T, a: (a * 2).detach(), sym(3)),
    # ------------------------------------------------ in-place-only ops
    S("zero", lambda T, a: (a * 1).zero_(), sym(3)),
    S("fill", lambda T, a: (a * 1).fill_(2.5), sym(2, 2)),
    S("copy", lambda T, a, b: (a * 1).copy_(b), sym(3), sym(3)),
    S("copy", lambda T, a, b: (a * 1).copy_(b), sym(2, 3), sym(3), name="broadcast"),
    # --------------------------------------------------------- products
    S("matmul", lambda T, a, b: a @ b, sym(3), sym(3), name="1d1d"),
    S("matmul", lambda T, a, b: a @ b, sym(2, 3), sym(3), name="2d1d"),
    S("matmul", lambda T, a, b: a @ b, sym(3), sym(3, 2), name="1d2d"),
    S("matmul", lambda T, a, b: a @ b, sym(2, 3), sym(3, 4), name="2d2d"),
    S("matmul", lambda T, a, b: a @ b, sym(2, 2, 3), sym(3, 2), name="batched"),
    S("matmul", lambda T, a, b: a @ b, sym(2, 2, 3), sym(3), name="batched1d"),
    S("matmul", lambda T, a, b: a @ b, sym(3), sym(2, 3, 2), name="1dbatched"),
    S("matmul", lambda T, a, b: T.matmul(a, b), sym(2, 1, 2, 3), sym(3, 3, 2),
      name="broadcast"),
    S("matmul", _selfdot, sym(3, 2), name="self", any_shape=True),
    S("dot", lambda T, a, b: T.dot(a, b), sym(3), sym(3)),
    S("mm", lambda T, a, b: T.mm(a, b), sym(2, 3), sym(3, 2)),
    S("mm", lambda T, a, b: T.mm(a.t(), b), sym(3, 2), sym(3, 2), name="transposed"),
    S("mv", lambda T, a, b: T.mv(a, b), sym(2, 3), sym(3)),
    S("addmm", lambda T, b, x, w: _functional(T).linear(x, w, b), sym(2), sym(4, 3), sym(2, 3)),
    S("addmm", lambda T, b, x, w: _functional(T).linear(x, w, b), sym(1), sym(4, 3),
      sym(2, 3), name="broadcast"),
    S("binary_cross_entropy_with_logits",
      lambda T, x: _functional(T).binary_cross_entropy_with_logits(
          x, T.tensor([[1., 0., 0.5], [0., 1., 1.]], dtype=x.dtype)), sym(2, 3)),
    S("binary_cross_entropy_with_logits",
      lambda T, x: _functional(T).binary_cross_entropy_with_logits(
          x, T.tensor([1., 0., 1.], dtype=x.dtype), reduction="sum",
          pos_weight=T.tensor([2., 0.5, 1.], dtype=x.dtype)), sym(3), name="pos_weight"),
    # ------------------------------------------------ matrix functions (ops/matfun.py)
    S("trace", lambda T, a: T.trace(a), sym(3, 3)),
    S("trace", lambda T, a: a.trace(), sym(2, 3), name="rectangular"),
    S("linalg_det", lambda T, a: T.det(a), spd(3)),
    S("linalg_det", lambda T, a: T.linalg.det(a), spd(2, 3), name="batched"),
    S("linalg_det", lambda T, a: a.det(), -spd(2), name="negative"),
    S("logdet", lambda T, a: T.logdet(a), spd(3), domain="spd"),
    S("logdet", lambda T, a: a.logdet(), spd(2, 2), name="batched", domain="spd"),
    S("slogdet", lambda T, a: T.linalg.slogdet(a).logabsdet, spd(3)),
    S("slogdet", lambda T, a: T.slogdet(a)[1], -spd(2, 3), name="negative"),
    S("linalg_inv", lambda T, a: T.inverse(a), spd(3)),
    S("linalg_inv", lambda T, a: T.linalg.inv(a), spd(2, 2), name="batched"),
    S("linalg_solve", lambda T, a, b: T.linalg.solve(a, b), spd(3), sym(3)),
    S("linalg_solve", lambda T, a, b: T.linalg.solve(a, b), spd(3), sym(3, 2), name="matrix"),
    S("linalg_solve", lambda T, a, b: T.linalg.solve(a, b), spd(2, 3), sym(2, 3),
      name="batched_vectors"),
    S("linalg_solve", lambda T, a, b: T.linalg.solve(a, b), spd(3), sym(2, 3, 2),
      name="broadcast"),
    S("diagonal", lambda T, a: T.diagonal(a), sym(3, 3)),
    S("diagonal", lambda T, a: a.diagonal(1, 0, 2), sym(2, 3, 4), name="offset_dims"),
    S("diagonal", lambda T, a: T.diag(a, -1), sym(3, 2), name="diag"),
    S("diag_embed", lambda T, a: T.diag(a), sym(3)),
    S("diag_embed", lambda T, a: T.diag(a, 1), sym(3), name="offset"),
    S("diag_embed", lambda T, a: T.diag_embed(a, -1, 0, 2), sym(2, 3), name="batched"),
    S("outer", lambda T, a, b: T.outer(a, b), sym(3), sym(2)),
    S("outer", lambda T, a, b: a.ger(b), sym(2), sym(2), name="ger"),
    S("kron", lambda T, a, b: T.kron(a, b), sym(2, 2), sym(2, 3)),
    S("kron", lambda T, a, b: T.kron(a, b), sym(3), sym(2), name="vectors"),
    S("kron", lambda T, a, b: a.kron(b), sym(2), sym(2, 2), name="ranks"),
    S("linalg_svdvals", lambda T, a: T.linalg.svdvals(a), sym(2, 3), kinks=singular_gaps,
      second_order=False),
    S("linalg_svdvals", lambda T, a: T.linalg.svdvals(a), sym(2, 3, 2), name="batched",
      kinks=singular_gaps, second_order=False),
    S("linalg_vector_norm", lambda T, a: T.norm(a), sym(2, 3), kinks=away_from(0)),
    S("linalg_vector_norm", lambda T, a: a.norm(p=1, dim=1), sym(2, 3), name="p1",
      kinks=away_from(0)),
    S("linalg_vector_norm", lambda T, a: T.linalg.vector_norm(a, 3, dim=0, keepdim=True),
      sym(2, 3), name="p3", kinks=away_from(0)),
    S("linalg_vector_norm", lambda T, a: T.linalg.vector_norm(a, float("inf"), dim=-1),
      sep(2, 3), name="inf", kinks=away_from(0)),
    S("linalg_vector_norm", lambda T, a: T.linalg.matrix_norm(a), sym(2, 2, 3), name="fro",
      kinks=away_from(0)),
    # ------------------------------------------------------- reductions
    S("sum", lambda T, a: a.sum(), sym(2, 3), any_shape=True),
    S("sum", lambda T, a: a.sum(1), sym(2, 3), name="dim"),
    S("sum", _dim0(lambda a: a.sum(0)), sym(2, 3), name="dim0", any_shape=True),
    S("sum", _dim0(lambda a: a.sum(-1, keepdim=True)), sym(3, 2), name="keepdim",
      any_shape=True),
    S("sum", lambda T, a: a.sum((0, 2), keepdim=True), sym(2, 3, 2), name="dims_keepdim"),
    S("sum", lambda T, a: a.sum(), sym(), name="zerodim"),
    S("sum", lambda T, a: a.sum(0), sym(0, 3), name="empty"),
    S("mean", lambda T, a: a.mean(), sym(2, 3), any_shape=True),
    S("mean", lambda T, a: a.mean(-1, keepdim=True), sym(2, 3), name="dim_keepdim"),
    S("mean", _dim0(lambda a: a.mean(0)), sym(3, 2), name="dim0", any_shape=True),
    S("prod", lambda T, a: a.prod(), sym(4), any_shape=True),
    S("prod", lambda T, a: a.prod(1), sym(2, 3), name="dim"),
    S("prod", lambda T, a: a.prod(), np.array([0.0, 2.0, -1.5]), name="one_zero"),
    # known gap: with create_graph, prod's gradient at two zeros is a constant 0
    # (PyTorch's exclusive-cumprod formula gives the exact second derivative)
    S("prod", lambda T, a: a.prod(0), np.array([[0.0, 1.0], [0.0, 2.0], [3.0, 0.0]]),
      name="two_zeros", second_order=False),
    S("amax", lambda T, a: a.amax(), sep(2, 3), kinks=gaps(), any_shape=True),
    S("amax", lambda T, a: a.amax(1, keepdim=True), sep(2, 3), name="dim", kinks=gaps(1)),
    S("amin", lambda T, a: a.amin(), sep(2, 3), kinks=gaps(), any_shape=True),
    S("amin", lambda T, a: a.amin(0), sep(2, 3), name="dim", kinks=gaps(0)),
    S("max_all", lambda T, a: a.max(), sep(4), kinks=gaps(), any_shape=True),
    S("min_all", lambda T, a: a.min(), sep(2, 2), kinks=gaps(), any_shape=True),
    S("max_dim", lambda T, a: a.max(1)[0], sep(2, 3), kinks=gaps(1)),
    S("max_dim", lambda T, a: a.max(0, keepdim=True)[0], sep(3, 2), name="keepdim",
      kinks=gaps(0)),
    S("max_dim", _dim0(lambda a: a.max(0)[0]), sep(3, 2), name="dim0", kinks=gaps(0),
      any_shape=True),
    S("min_dim", lambda T, a: a.min(-1)[0], sep(2, 3), kinks=gaps(-1)),
    S("min_dim", _dim0(lambda a: a.min(0)[0]), sep(2, 3), name="dim0", kinks=gaps(0),
      any_shape=True),
    # ------------------------------------------------------------ shapes
    S("reshape", lambda T, a: a.reshape(3, 2), sym(2, 3)),
    S("reshape", lambda T, a: a.view(-1), sym(2, 3), name="view"),
    S("reshape", lambda T, a: a.flatten(), sym(2, 3), name="flatten", any_shape=True),
    S("reshape", lambda T, a: a.reshape(-1), sym(3, 2), name="flat", any_shape=True),
    S("unsqueeze", lambda T, a: a.unsqueeze(1), sym(2, 3)),
    S("unsqueeze", lambda T, a: a.unsqueeze(0), sym(3), name="front", any_shape=True),
    S("squeeze", lambda T, a: a.squeeze(), sym(2, 1, 3)),
    S("squeeze", lambda T, a: a.squeeze(1), sym(2, 1), name="dim"),
    S("squeeze", lambda T, a: a.unsqueeze(-1).squeeze(-1), sym(2, 3), name="last",
      any_shape=True),
    S("permute", lambda T, a: a.permute(2, 0, 1), sym(2, 3, 2)),
    S("permute", lambda T, a: a.transpose(0, 1), sym(2, 3), name="transpose"),
    S("permute", lambda T, a: a.t(), sym(2, 3), name="t"),
    S("permute", lambda T, a: a.T, sym(2, 3), name="T"),
    S("permute", lambda T, a: a.permute(tuple(range(a.ndim))[::-1]), sym(2, 3, 2),
      name="reversed", any_shape=True),
    S("expand", lambda T, a: a.expand(2, 3), sym(3)),
    S("expand", lambda T, a: a.expand(2, 2, 3), sym(2, 1), name="new_dims"),
    S("expand", lambda T, a: a.expand(2, *a.shape), sym(3), name="front", any_shape=True),
    S("sum_to_size", lambda T, a: a.sum_to_size(1, 3), sym(2, 3)),
    S("clone", lambda T, a: a.clone(), sym(3), any_shape=True),
    S("to_dtype", lambda T, a: a.float(), sym(3), eps=1e-3, tol=1e-3),
    S("reshape_copy", lambda T, a: a.t().reshape(6), sym(2, 3)),
    # ------------------------------------------------- indexing and views
    S("select", lambda T, a: a[1], sym(2, 3)),
    S("select", lambda T, a: a[:, -1], sym(2, 3), name="negative"),
    S("select", lambda T, a: a[1], sym(3, 2), name="row"),
    S("select", lambda T, a: a[..., -1], sym(2, 3), name="last_dim"),
    S("unbind", lambda T, a: a.unbind(1)[2], sym(2, 3)),
    S("slice", lambda T, a: a[1:3], sym(4)),
    S("slice", lambda T, a: a[:, ::2], sym(2, 3), name="step"),
    S("slice", lambda T, a: a[2:2], sym(4), name="empty"),
    S("slice", lambda T, a: a[:, 1:], sym(2, 3), name="dim1"),
    S("slice", lambda T, a: a[::2], sym(5), name="step_odd"),
    S("slice", lambda T, a: a[3:1], sym(4), name="reversed_bounds"),
    S("alias", lambda T, a: a[...], sym(3), any_shape=True),
    S("alias", lambda T, a: a[...], sym(2, 3), name="2d"),
    S("index", lambda T, a: a[T.tensor([0, 2, 0])], sym(3), name="repeated"),
    S("index", lambda T, a: a[T.tensor([True, False, True])], sym(3), name="mask"),
    S("index", lambda T, a: a[[0, 0, 2]], sym(3, 2), name="list"),
    S("index", lambda T, a, m: a[m], sym(2, 3), mask(2, 3), name="mask_input"),
    S("index", lambda T, a: a[:, [1, 1]], sym(2, 3), name="slice_list"),
    S("index_put", _index_put, sym(3), sym(2)),
    S("index_put", _index_put, sym(3), sym(), name="broadcast"),
    S("index_put", lambda T, a, b: _then(a * 1, lambda x: x.__setitem__([2, 0], b)),
      sym(3), sym(2), name="list"),
    S("index_put", lambda T, a, b: _then(a * 1, lambda x: x.__setitem__(x > 0, b)),
      sym(2, 3), sym(), name="mask_broadcast"),
    # fill_ with a 0-d tensor value: the value is an input of the formula (it was once
    # stored as a constant, so its gradient was 0 in the formula and 3 on the tape)
    S("fill_tensor", lambda T, a, b: (a * 1).fill_(b), sym(3), sym()),
    S("fill_tensor", lambda T, a: _then(a * 1, lambda x: x.__setitem__(Ellipsis, 2.0)), sym(3),
      name="setitem_scalar"),
    S("copy_slices", _copy_slices, sym(3), sym(2)),
    S("copy_slices", _copy_slices, sym(3), sym(1), name="broadcast"),
    S("copy_slices", lambda T, a, b: _then(a * 1, lambda x: x.__setitem__(slice(1, None), b)),
      sym(3, 2), sym(2), name="broadcast_rows"),
    S("copy_slices", lambda T, a: _then(a * 1, lambda x: x.t()[0].mul_(a[1, 1] * 1)), sym(2, 2),
      name="mul_"),
    S("as_view", _stale_view, sym(3)),
    S("as_view", _stale_view, sym(2, 3), name="2d"),
    S("cat", lambda T, a, b: T.cat([a, b]), sym(2), sym(3)),
    S("cat", lambda T, a, b: T.cat([a, b], 1), sym(2, 1), sym(2, 2), name="dim1"),
    S("cat", lambda T, a, b: T.cat([a, b, a], 1), sym(2, 1), sym(2, 3), name="repeated"),
    S("cat", lambda T, a, b: T.cat([a, b]), sym(0), sym(2), name="empty"),
    S("stack", lambda T, a, b: T.stack([a, b], 1), sym(2), sym(2)),
    S("stack", lambda T, a, b: T.stack([a, b]), sym(), sym(), name="zerodim"),
    S("stack", lambda T, a, b: T.stack([a, b], -1), sym(2, 3), sym(2, 3), name="last"),
    S("gather", lambda T, a: T.gather(a, 1, T.tensor([[0, 0], [1, 0]])), sym(2, 2)),
    S("index_copy", lambda T, a, b: T.index_copy(a, 0, T.tensor([2, 0]), b), sym(3, 2), sym(2, 2)),
    S("index_copy", lambda T, a, b: a.index_copy(1, T.tensor([1]), b), sym(2, 3), sym(2, 1),
      name="dim1"),
    S("gather", lambda T, a: T.gather(a, 1, T.tensor([[0, 0], [2, 1]])), sym(2, 3), name="2x3"),
    # ------------------------------------------------ backward-only ops, as the gradient
    # of a gradient (create_graph=True); not through ``index``, whose ``IndexPutBackward0``
    # PyTorch names ``IndexPutImplBackward0`` (test_parity_gaps.py)
    S("index_backward", lambda T, a: _grad_of(T, a[1], a), sym(3), name="select",
      grad_inside=True),
    S("index_backward", lambda T, a: _grad_of(T, a[:, 1:], a), sym(2, 3), name="slice",
      grad_inside=True),
    S("index_backward", lambda T, a: _grad_of(T, T.gather(a, 1, T.tensor([[0, 0], [1, 0]])), a),
      sym(2, 2), name="gather", grad_inside=True),
    # ------------------------------------------------------- composites
    S("logsumexp", lambda T, a: T.logsumexp(a, 1), sym(2, 3)),
    S("logsumexp", lambda T, a: T.logsumexp(a, 0, keepdim=True), sym(3, 2), name="keepdim"),
    S("logsumexp", lambda T, a: T.logsumexp(a, (0, 1), keepdim=True), sym(2, 3), name="dims"),
    S("logsumexp", lambda T, a: T.logsumexp(a, -1), sym(3), name="last", any_shape=True),
    S("softmax", lambda T, a: T.softmax(a, 1), sym(2, 3)),
    S("softmax", lambda T, a: T.softmax(a, 0), np.array([-40.0, 0.0, 40.0]), name="extremes"),
    S("softmax", lambda T, a: a.softmax(-1), sym(2, 3), name="last", any_shape=True),
    S("log_softmax", lambda T, a: T.log_softmax(a, -1), sym(2, 3), any_shape=True),
    S("mse_loss", lambda T, a, b: _functional(T).mse_loss(a, b), sym(3), sym(3)),
    S("mse_loss", lambda T, a, b: _functional(T).mse_loss(a, b, reduction="none"),
      sym(2, 3), sym(2, 3), name="none"),
    S("binary_cross_entropy", lambda T, a, b: _functional(T).binary_cross_entropy(a, b),
      unit(3), unit(3), domain="unit"),
    S("binary_cross_entropy",
      lambda T, a, b: _functional(T).binary_cross_entropy(a, b, reduction="sum"),
      unit(2, 3), unit(2, 3), name="sum", domain="unit"),
    S("nll_loss", lambda T, a: _functional(T).nll_loss(a, T.tensor([0, 2])), sym(2, 3)),
    S("nll_loss", lambda T, a: _functional(T).cross_entropy(a, T.tensor([2, 0])), sym(2, 3),
      name="cross_entropy"),
    S("nll_loss", lambda T, a: _functional(T).cross_entropy(a, T.tensor([1, 0]),
                                                            reduction="none"),
      sym(2, 3), name="cross_entropy_none"),
    # probabilities as targets, unreduced: the mean and sum reductions end in nodes that
    # PyTorch names differently (test_parity_gaps.py)
    S("neg", lambda T, a, b: _functional(T).cross_entropy(a, T.softmax(b, 1), reduction="none"),
      sym(2, 3), sym(2, 3), name="cross_entropy_probs"),
]


# ops reached only as the backward of another op (tested through its second order)
BACKWARD_ONLY: dict[str, str] = {"index_backward": "select, slice, index, gather",
                                 "view_scatter": "as_view"}


def samples_for(op: str) -> list[Sample]:
    return [s for s in SAMPLES if s.op == op]


def differentiable_samples() -> list[Sample]:
    """The samples of ops with a derivative (kind not ``NONDIFF``)."""
    return [s for s in SAMPLES if s.differentiable]


def program_samples(arity: int) -> list[Sample]:
    """The samples random programs draw from: ``any_shape`` calls with ``arity`` float
    inputs (1: unary ops, reductions, views; 2: broadcasting binary ops). A program feeds
    each input through its domain's ``into`` (see :meth:`Sample.into_domain`)."""
    return [s for s in SAMPLES if s.any_shape and len(s.floats) == arity == len(s.args)]

