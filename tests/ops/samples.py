"""Sample inputs for every op in ``symgrad.ops.OPS``.

Each :class:`Sample` names the op it exercises (the op of the returned
tensor's record), a function of the library ``T`` (``symgrad`` or ``torch``)
and of the input tensors, and float64 input arrays chosen away from kinks
and singularities. Every op gets a plain case, a broadcasting case where
broadcasting applies, and an edge case (a zero-dim or empty tensor, a zero
in a product, a non-contiguous input ...). The per-op tests
(``test_op_table.py``) are generated from this table; an op without samples
makes them fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

_rng = np.random.default_rng(20261127)


def sym(*shape: int) -> np.ndarray:
    """Values in ±[0.2, 1.2], away from zero."""
    return np.asarray(_rng.uniform(0.2, 1.2, shape) * _rng.choice([-1.0, 1.0], shape))


def pos(*shape: int) -> np.ndarray:
    """Positive values in [0.5, 2]."""
    return np.asarray(_rng.uniform(0.5, 2.0, shape))


def sep(*shape: int) -> np.ndarray:
    """Distinct values at least 0.1 apart (no ties for max/min)."""
    n = int(np.prod(shape)) if shape else 1
    return np.asarray((_rng.permutation(n) * 0.25 - n * 0.1).reshape(shape))


def mask(*shape: int) -> np.ndarray:
    return np.asarray(_rng.random(shape) > 0.5)


@dataclass(frozen=True)
class Sample:
    """One call of an op: ``fn(T, *tensors)`` on ``args`` (float64 arrays, bool masks)."""

    op: str
    fn: Callable[..., Any]
    args: tuple[np.ndarray, ...]
    name: str = ""
    second_order: bool = True
    eps: float = 1e-6
    tol: float = 1e-5

    @property
    def id(self) -> str:
        return f"{self.op}-{self.name or 'plain'}"


def S(op: str, fn: Callable[..., Any], *args: np.ndarray, name: str = "", **kw: Any) -> Sample:
    return Sample(op, fn, tuple(args), name, **kw)


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


SAMPLES: list[Sample] = [
    # ------------------------------------------------------------ arithmetic
    S("add", lambda T, a, b: a + b, sym(3), sym(3)),
    S("add", lambda T, a, b: a + b, sym(2, 3), sym(3), name="broadcast"),
    S("add", lambda T, a, b: T.add(a, b, alpha=2.5), sym(2, 1), sym(3), name="alpha"),
    S("add", lambda T, a, b: a + b, sym(0, 3), sym(3), name="empty"),
    S("add", lambda T, a: a + 1.5, sym(4), name="scalar"),
    S("sub", lambda T, a, b: a - b, sym(3), sym(3)),
    S("sub", lambda T, a, b: a - b, sym(2, 1), sym(3), name="broadcast"),
    S("sub", lambda T, a, b: T.sub(a, b, alpha=-2), sym(), sym(2), name="alpha0d"),
    S("rsub", lambda T, a: 2 - a, sym(2, 3)),
    S("rsub", lambda T, a: 1.5 - a, sym(), name="zerodim"),
    S("mul", lambda T, a, b: a * b, sym(3), sym(3)),
    S("mul", lambda T, a, b: a * b, sym(4, 1), sym(3), name="broadcast"),
    S("mul", lambda T, a: a * 2.5, sym(2, 2), name="scalar"),
    S("mul", lambda T, a, b: a * b, sym(), sym(2, 2), name="zerodim"),
    S("mul", lambda T, a: a * a, sym(3), name="same"),
    S("div", lambda T, a, b: a / b, sym(3), sym(3)),
    S("div", lambda T, a, b: a / b, sym(2, 3), sym(2, 1), name="broadcast"),
    S("div", lambda T, a: a / 4.0, sym(3), name="scalar"),
    S("div", lambda T, a, b: a / b, sym(), sym(3), name="zerodim"),
    S("neg", lambda T, a: -a, sym(3)),
    S("neg", lambda T, a: -a, sym(0), name="empty"),
    S("pow", lambda T, a: a ** 2, sym(3)),
    S("pow", lambda T, a: a ** 3, sym(2, 2), name="cube"),
    S("pow", lambda T, a: a ** 0.5, pos(3), name="sqrt"),
    S("pow", lambda T, a: a ** -1, sym(3), name="negative"),
    S("pow", lambda T, a: a ** 0, sym(3), name="zero"),
    S("pow", lambda T, a: T.square(a), sym(2, 3), name="square"),
    S("pow_tensor", lambda T, a, b: a ** b, pos(3), sym(3)),
    S("pow_tensor", lambda T, a, b: a ** b, pos(2, 3), sym(3), name="broadcast"),
    S("pow_tensor", lambda T, a, b: a ** b, pos(), sym(2), name="zerodim"),
    S("rpow", lambda T, a: 2.0 ** a, sym(3)),
    S("rpow", lambda T, a: 0.5 ** a, sym(2, 2), name="base_lt_1"),
    # ------------------------------------------------------- unary functions
    S("exp", lambda T, a: T.exp(a), sym(3)),
    S("exp", lambda T, a: a.exp(), sym(), name="zerodim"),
    S("log", lambda T, a: T.log(a), pos(3)),
    S("log", lambda T, a: a.log(), pos(2, 2), name="2d"),
    S("log1p", lambda T, a: T.log1p(a), pos(3)),
    S("expm1", lambda T, a: T.expm1(a), sym(3)),
    S("sqrt", lambda T, a: T.sqrt(a), pos(3)),
    S("rsqrt", lambda T, a: T.rsqrt(a), pos(3)),
    S("sin", lambda T, a: T.sin(a), sym(3)),
    S("cos", lambda T, a: T.cos(a), sym(3)),
    S("tan", lambda T, a: T.tan(a), sym(3)),
    S("tanh", lambda T, a: T.tanh(a), sym(3)),
    S("tanh", lambda T, a: a.tanh(), sym(0, 2), name="empty"),
    S("sigmoid", lambda T, a: T.sigmoid(a), sym(3)),
    S("sigmoid", lambda T, a: a.sigmoid(), np.array([-30.0, 0.5, 30.0]), name="tails"),
    S("reciprocal", lambda T, a: T.reciprocal(a), sym(3)),
    S("mul", lambda T, a: 2 / a, sym(3), name="rdiv"),
    S("relu", lambda T, a: T.relu(a), sym(4)),
    S("abs", lambda T, a: T.abs(a), sym(4)),
    S("clamp", lambda T, a: T.clamp(a, -0.5, 0.5), np.array([-1.0, -0.3, 0.1, 0.7])),
    S("clamp", lambda T, a: a.clamp(min=0.0), sym(4), name="min"),
    S("clamp", lambda T, a: a.clamp(max=0.0), sym(2, 2), name="max"),
    S("maximum", lambda T, a, b: T.maximum(a, b), sep(4), sep(4) + 0.05),
    S("maximum", lambda T, a, b: T.maximum(a, b), sep(2, 3), sep(3) + 0.05, name="broadcast"),
    S("minimum", lambda T, a, b: T.minimum(a, b), sep(4), sep(4) + 0.05),
    S("minimum", lambda T, a, b: T.minimum(a, b), sep(2, 1), sep(3) + 0.05, name="broadcast"),
    S("where", lambda T, c, a, b: T.where(c, a, b), mask(4), sym(4), sym(4)),
    S("where", lambda T, c, a, b: T.where(c, a, b), mask(2, 3), sym(3), sym(2, 1),
      name="broadcast"),
    S("where", lambda T, c, a: T.where(c, a, 0.5), mask(3), sym(3), name="scalar"),
    S("sign", lambda T, a: T.sign(a), sym(3)),
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
    S("dot", lambda T, a, b: T.dot(a, b), sym(3), sym(3)),
    S("mm", lambda T, a, b: T.mm(a, b), sym(2, 3), sym(3, 2)),
    S("mm", lambda T, a, b: T.mm(a.t(), b), sym(3, 2), sym(3, 2), name="transposed"),
    S("mv", lambda T, a, b: T.mv(a, b), sym(2, 3), sym(3)),
    # ------------------------------------------------------- reductions
    S("sum", lambda T, a: a.sum(), sym(2, 3)),
    S("sum", lambda T, a: a.sum(1), sym(2, 3), name="dim"),
    S("sum", lambda T, a: a.sum((0, 2), keepdim=True), sym(2, 3, 2), name="dims_keepdim"),
    S("sum", lambda T, a: a.sum(), sym(), name="zerodim"),
    S("sum", lambda T, a: a.sum(0), sym(0, 3), name="empty"),
    S("mean", lambda T, a: a.mean(), sym(2, 3)),
    S("mean", lambda T, a: a.mean(-1, keepdim=True), sym(2, 3), name="dim_keepdim"),
    S("prod", lambda T, a: a.prod(), sym(4)),
    S("prod", lambda T, a: a.prod(1), sym(2, 3), name="dim"),
    S("prod", lambda T, a: a.prod(), np.array([0.0, 2.0, -1.5]), name="one_zero"),
    # known gap: with create_graph, prod's gradient at two zeros is a constant 0
    # (PyTorch's exclusive-cumprod formula gives the exact second derivative)
    S("prod", lambda T, a: a.prod(0), np.array([[0.0, 1.0], [0.0, 2.0], [3.0, 0.0]]),
      name="two_zeros", second_order=False),
    S("amax", lambda T, a: a.amax(), sep(2, 3)),
    S("amax", lambda T, a: a.amax(1, keepdim=True), sep(2, 3), name="dim"),
    S("amin", lambda T, a: a.amin(), sep(2, 3)),
    S("amin", lambda T, a: a.amin(0), sep(2, 3), name="dim"),
    S("max_all", lambda T, a: a.max(), sep(4)),
    S("min_all", lambda T, a: a.min(), sep(2, 2)),
    S("max_dim", lambda T, a: a.max(1)[0], sep(2, 3)),
    S("max_dim", lambda T, a: a.max(0, keepdim=True)[0], sep(3, 2), name="keepdim"),
    S("min_dim", lambda T, a: a.min(-1)[0], sep(2, 3)),
    # ------------------------------------------------------------ shapes
    S("reshape", lambda T, a: a.reshape(3, 2), sym(2, 3)),
    S("reshape", lambda T, a: a.view(-1), sym(2, 3), name="view"),
    S("reshape", lambda T, a: a.flatten(), sym(2, 3), name="flatten"),
    S("unsqueeze", lambda T, a: a.unsqueeze(1), sym(2, 3)),
    S("squeeze", lambda T, a: a.squeeze(), sym(2, 1, 3)),
    S("squeeze", lambda T, a: a.squeeze(1), sym(2, 1), name="dim"),
    S("permute", lambda T, a: a.permute(2, 0, 1), sym(2, 3, 2)),
    S("permute", lambda T, a: a.transpose(0, 1), sym(2, 3), name="transpose"),
    S("permute", lambda T, a: a.t(), sym(2, 3), name="t"),
    S("permute", lambda T, a: a.T, sym(2, 3), name="T"),
    S("expand", lambda T, a: a.expand(2, 3), sym(3)),
    S("expand", lambda T, a: a.expand(2, 2, 3), sym(2, 1), name="new_dims"),
    S("sum_to_size", lambda T, a: a.sum_to_size(1, 3), sym(2, 3)),
    S("clone", lambda T, a: a.clone(), sym(3)),
    S("to_dtype", lambda T, a: a.float(), sym(3), eps=1e-3, tol=1e-3),
    S("reshape_copy", lambda T, a: a.t().reshape(6), sym(2, 3)),
    # ------------------------------------------------- indexing and views
    S("select", lambda T, a: a[1], sym(2, 3)),
    S("select", lambda T, a: a[:, -1], sym(2, 3), name="negative"),
    S("unbind", lambda T, a: a.unbind(1)[2], sym(2, 3)),
    S("slice", lambda T, a: a[1:3], sym(4)),
    S("slice", lambda T, a: a[:, ::2], sym(2, 3), name="step"),
    S("slice", lambda T, a: a[2:2], sym(4), name="empty"),
    S("alias", lambda T, a: a[...], sym(3)),
    S("index", lambda T, a: a[T.tensor([0, 2, 0])], sym(3), name="repeated"),
    S("index", lambda T, a: a[T.tensor([True, False, True])], sym(3), name="mask"),
    S("index_put", _index_put, sym(3), sym(2)),
    S("index_put", _index_put, sym(3), sym(), name="broadcast"),
    S("fill_tensor", lambda T, a, b: (a * 1).fill_(b), sym(3), sym()),
    S("copy_slices", _copy_slices, sym(3), sym(2)),
    S("copy_slices", _copy_slices, sym(3), sym(1), name="broadcast"),
    S("as_view", _stale_view, sym(3)),
    S("cat", lambda T, a, b: T.cat([a, b]), sym(2), sym(3)),
    S("cat", lambda T, a, b: T.cat([a, b], 1), sym(2, 1), sym(2, 2), name="dim1"),
    S("cat", lambda T, a, b: T.cat([a, b]), sym(0), sym(2), name="empty"),
    S("stack", lambda T, a, b: T.stack([a, b], 1), sym(2), sym(2)),
    S("stack", lambda T, a, b: T.stack([a, b]), sym(), sym(), name="zerodim"),
    S("gather", lambda T, a: T.gather(a, 1, T.tensor([[0, 0], [1, 0]])), sym(2, 2)),
    # ------------------------------------------------------- composites
    S("logsumexp", lambda T, a: T.logsumexp(a, 1), sym(2, 3)),
    S("logsumexp", lambda T, a: T.logsumexp(a, 0, keepdim=True), sym(3, 2), name="keepdim"),
    S("softmax", lambda T, a: T.softmax(a, 1), sym(2, 3)),
    S("softmax", lambda T, a: T.softmax(a, 0), np.array([-40.0, 0.0, 40.0]), name="extremes"),
    S("log_softmax", lambda T, a: T.log_softmax(a, -1), sym(2, 3)),
    S("mse_loss", lambda T, a, b: T.nn.functional.mse_loss(a, b), sym(3), sym(3)),
    S("binary_cross_entropy", lambda T, a, b: T.nn.functional.binary_cross_entropy(a, b),
      _rng.uniform(0.2, 0.8, 3), _rng.uniform(0.2, 0.8, 3)),
    S("nll_loss", lambda T, a: T.nn.functional.nll_loss(a, T.tensor([0, 2])), sym(2, 3)),
]



def _then(x: Any, write: Callable[[Any], Any]) -> Any:
    """Run ``write(x)`` (an in-place step) and return ``x``."""
    write(x)
    return x


# ------------------------------------------------------------ views, indexing (issue 3)
SAMPLES += [
    S("select", lambda T, a: a[1], sym(3, 2)),
    S("select", lambda T, a: a[..., -1], sym(2, 3), name="last_dim"),
    S("slice", lambda T, a: a[:, 1:], sym(2, 3)),
    S("slice", lambda T, a: a[::2], sym(5), name="step"),
    S("slice", lambda T, a: a[3:1], sym(4), name="empty"),
    S("alias", lambda T, a: a[...], sym(2, 3)),
    S("index", lambda T, a: a[[0, 0, 2]], sym(3, 2)),
    S("index", lambda T, a, m: a[m], sym(2, 3), mask(2, 3), name="mask"),
    S("index", lambda T, a: a[:, [1, 1]], sym(2, 3), name="slice_list"),
    S("index_put", lambda T, a, b: _then(a * 1, lambda x: x.__setitem__([2, 0], b)),
      sym(3), sym(2), name="list"),
    S("index_put", lambda T, a, b: _then(a * 1, lambda x: x.__setitem__(x > 0, b)),
      sym(2, 3), sym(), name="mask_broadcast"),
    S("fill_tensor", lambda T, a: _then(a * 1, lambda x: x.__setitem__(Ellipsis, 2.0)), sym(3)),
    S("copy_slices", lambda T, a, b: _then(a * 1, lambda x: x.__setitem__(slice(1, None), b)),
      sym(3, 2), sym(2), name="broadcast"),
    S("copy_slices", lambda T, a: _then(a * 1, lambda x: x.t()[0].mul_(a[1, 1] * 1)), sym(2, 2),
      name="mul_"),
    S("as_view", lambda T, a: _regen(a), sym(2, 3)),
    S("reshape_copy", lambda T, a: a.t().reshape(6), sym(2, 3)),
    S("cat", lambda T, a, b: T.cat([a, b, a], 1), sym(2, 1), sym(2, 3)),
    S("cat", lambda T, a, b: T.cat([a, b]), sym(0), sym(2), name="empty"),
    S("stack", lambda T, a, b: T.stack([a, b], -1), sym(2, 3), sym(2, 3)),
    S("gather", lambda T, a: T.gather(a, 1, T.tensor([[0, 0], [2, 1]])), sym(2, 3)),
]


def _regen(a: Any) -> Any:
    """A view whose base was then written in place: regenerated as AsStridedBackward0."""
    x = a * 1
    v = x[1:]
    x.mul_(2)
    return v


# ops reached only as the backward of another op (tested through its second order)
BACKWARD_ONLY: dict[str, str] = {"index_backward": "select, slice, index, gather",
                                 "view_scatter": "as_view"}


def samples_for(op: str) -> list[Sample]:
    return [s for s in SAMPLES if s.op == op]
