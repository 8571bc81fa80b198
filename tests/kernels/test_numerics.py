"""``symgrad.ops.numerics``: the one copy of each stable NumPy function, in
both tails, at ``±inf``, on empty arrays, in float32, and pasted into a kernel."""

from __future__ import annotations

import math

import numpy as np
import pytest

from symgrad.ops import numerics as nx

TAILS = np.array([-1e4, -800.0, -40.0, -1.0, 0.0, 1.0, 40.0, 800.0, 1e4])


def _ref_sigmoid(v: float) -> float:
    return 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))


def _ref_logsumexp(row: np.ndarray) -> float:
    m = max(row)
    return m + math.log(sum(math.exp(v - m) for v in row))


# ------------------------------------------------------------------- sigmoid
def test_sigmoid_in_both_tails_never_overflows() -> None:
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        got = nx.sigmoid(TAILS)
    np.testing.assert_allclose(got, [_ref_sigmoid(v) for v in TAILS], rtol=1e-15, atol=0)
    assert got[0] == 0.0 and got[-1] == 1.0 and got[4] == 0.5


def test_sigmoid_at_infinities_and_nan() -> None:
    got = nx.sigmoid(np.array([-np.inf, np.inf, np.nan]))
    assert got[0] == 0.0 and got[1] == 1.0 and np.isnan(got[2])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_sigmoid_keeps_the_floating_dtype(dtype) -> None:
    x = TAILS.astype(dtype)
    assert nx.sigmoid(x).dtype == dtype
    assert nx.sigmoid(x[0]).dtype == dtype  # a NumPy scalar too


def test_sigmoid_of_an_empty_array() -> None:
    got = nx.sigmoid(np.zeros((0, 3), np.float32))
    assert got.shape == (0, 3) and got.dtype == np.float32


# ---------------------------------------------------------------------- step
def test_step_values_and_dtype() -> None:
    x = np.array([-np.inf, -1.0, 0.0, 2.0, np.inf], np.float32)
    got = nx.step(x, 0.5)
    assert got.tolist() == [0.0, 0.0, 0.5, 1.0, 1.0] and got.dtype == np.float32
    assert nx.step(np.array([0, 3])).dtype == np.float64  # integers give a float
    assert nx.step(np.zeros(0)).shape == (0,)


# ----------------------------------------------------------------------- erf
def test_erf_matches_math_and_keeps_dtype() -> None:
    x = np.array([-np.inf, -3.0, -0.5, 0.0, 0.5, 3.0, np.inf])
    np.testing.assert_array_equal(nx.erf(x), [math.erf(v) for v in x])
    assert nx.erf(x.astype(np.float32)).dtype == np.float32
    assert nx.erf(np.zeros((2, 0))).shape == (2, 0)
    assert np.isnan(nx.erf(np.array([np.nan]))[0])


# ---------------------------------------------------------------- shift_max
def test_shift_max_replaces_non_finite_maxima_by_zero() -> None:
    x = np.array([[1.0, 5.0], [-np.inf, -np.inf], [np.inf, 0.0], [np.nan, 1.0]])
    got = nx.shift_max(x, 1)
    assert got.shape == (4, 1)
    assert got[:, 0].tolist() == [5.0, 0.0, 0.0, 0.0]


def test_shift_max_of_empty_arrays_has_the_kept_shape() -> None:
    assert nx.shift_max(np.zeros((0, 3), np.float32), 0).dtype == np.float32
    assert nx.shift_max(np.zeros((0, 3)), (0, 1)).shape == (1, 1)
    assert nx.shift_max(np.zeros((2, 0)), None).shape == (1, 1)


# ----------------------------------------------------------------- logsumexp
@pytest.mark.parametrize("dim", [0, 1, (0, 1), None, -1])
def test_logsumexp_matches_the_exact_sum(dim) -> None:
    x = np.array([[1000.0, 999.0, -3.0], [-1000.0, -1001.0, 5.0]])
    axes = (0, 1) if dim is None else tuple(d % 2 for d in np.atleast_1d(dim))
    moved = np.moveaxis(x, axes, tuple(range(-len(axes), 0))).reshape(
        x.shape[1 - axes[0]] if len(axes) == 1 else 1, -1)
    want = np.array([_ref_logsumexp(r) for r in moved])
    got = nx.logsumexp(x, dim)
    np.testing.assert_allclose(np.ravel(got), want, rtol=1e-15)
    kept = nx.logsumexp(x, dim, keepdim=True)
    assert kept.ndim == 2 and np.ravel(kept).tolist() == np.ravel(got).tolist()


def test_logsumexp_at_infinities_and_empty() -> None:
    x = np.array([[-np.inf, -np.inf], [np.inf, 0.0], [-np.inf, 2.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # no warning escapes
        got = nx.logsumexp(x, 1)
    assert got.tolist() == [-np.inf, np.inf, 2.0]
    assert nx.logsumexp(np.zeros(0), 0).tolist() == -np.inf
    assert nx.logsumexp(np.zeros((2, 0)), 1).tolist() == [-np.inf, -np.inf]
    assert nx.logsumexp(np.zeros((0, 2)), 1).shape == (0,)


@pytest.mark.parametrize("keepdim", [False, True])
def test_logsumexp_keeps_float32(keepdim: bool) -> None:
    x = np.array([[100.0, 100.0], [-100.0, 0.0]], np.float32)
    got = nx.logsumexp(x, 1, keepdim)
    assert got.dtype == np.float32
    np.testing.assert_allclose(np.ravel(got), [100 + math.log(2), 0.0], rtol=1e-6)
    assert nx.logsumexp(x, None).dtype == np.float32
    assert nx.logsumexp(x, 1, shape=(2, 2)).shape == (2,)  # the op table passes `shape`


# ---------------------------------------------------- softmax, log_softmax
def test_softmax_and_log_softmax_in_both_tails() -> None:
    x = np.array([[1000.0, 1000.0, -1000.0], [-1000.0, -1000.0, -1000.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        sm, lsm = nx.softmax(x, 1), nx.log_softmax(x, 1)
    np.testing.assert_allclose(sm, [[0.5, 0.5, 0.0], [1 / 3] * 3], rtol=1e-15)
    np.testing.assert_allclose(lsm[1], [-math.log(3)] * 3, rtol=1e-15)
    assert lsm[0, 2] == pytest.approx(-2000 - math.log(2))
    np.testing.assert_allclose(np.exp(lsm), sm, rtol=1e-14, atol=0)


def test_softmax_with_infinities_matches_pytorch() -> None:
    # torch.softmax / log_softmax: a row of -inf, or with an inf, is all nan
    x = np.array([[-np.inf, 0.0], [-np.inf, -np.inf], [np.inf, 0.0], [np.inf, np.inf]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # and silently
        sm, lsm = nx.softmax(x, 1), nx.log_softmax(x, 1)
    assert sm[0].tolist() == [0.0, 1.0] and np.isnan(sm[1:]).all()
    assert lsm[0].tolist() == [-np.inf, 0.0] and np.isnan(lsm[1:]).all()


@pytest.mark.parametrize("fn", [nx.softmax, nx.log_softmax])
def test_softmax_family_dtype_and_empty(fn) -> None:
    x = np.linspace(-3, 3, 6, dtype=np.float32).reshape(2, 3)
    assert fn(x, 1).dtype == np.float32 and fn(x, 0).shape == (2, 3)
    assert fn(np.zeros((0, 3), np.float32), 1).shape == (0, 3)
    assert fn(np.zeros((3, 0)), 1).shape == (3, 0)
    assert fn(np.float64(2.0), None) == pytest.approx(1.0 if fn is nx.softmax else 0.0)


def test_softmax_rows_sum_to_one() -> None:
    x = np.random.default_rng(0).standard_normal((4, 5)) * 50
    np.testing.assert_allclose(nx.softmax(x, 1).sum(1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(nx.softmax(x, 0).sum(0), 1.0, rtol=1e-15)
