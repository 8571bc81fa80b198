"""Forward mode (tape/forward_ad.py): dual numbers through the ops' JVP rules,
checked against finite differences and against reverse mode (<J v, w> = <v, J^T w>)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import symgrad as sg
from symgrad.eager import dispatch
from tests.helpers import kink_margin, programs, run_program, smooth_leaves
from tests.tape.opcases import CASES, Case

fwAD = sg.autograd.forward_ad


def _jvp(case: Case, xs: list[np.ndarray], vs: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    with fwAD.dual_level():
        duals = [fwAD.make_dual(sg.tensor(x), sg.tensor(v)) for x, v in zip(xs, vs)]
        out = case.fn(sg, *duals)
        primal, tangent = fwAD.unpack_dual(out)
    assert tangent is not None, case.name
    return primal.numpy(), tangent.numpy()


def _value(case: Case, xs: list[np.ndarray]) -> np.ndarray:
    with sg.no_grad():
        return np.asarray(case.fn(sg, *[sg.tensor(x) for x in xs])._data, dtype=np.float64)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_jvp_matches_finite_differences(case: Case) -> None:
    xs = case.inputs(seed=1)
    rng = np.random.default_rng(2)
    vs = [rng.standard_normal(x.shape) for x in xs]
    primal, tangent = _jvp(case, xs, vs)
    np.testing.assert_allclose(primal, _value(case, xs), rtol=1e-12, atol=1e-12)
    h = 1e-6
    fd = (_value(case, [x + h * v for x, v in zip(xs, vs)])
          - _value(case, [x - h * v for x, v in zip(xs, vs)])) / (2 * h)
    np.testing.assert_allclose(tangent, fd, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_jvp_vjp_dot_product(case: Case) -> None:
    """<J v, w> == <v, J^T w>: forward and reverse mode are transposes of each other."""
    xs = case.inputs(seed=3)
    rng = np.random.default_rng(4)
    vs = [rng.standard_normal(x.shape) for x in xs]
    _, jv = _jvp(case, xs, vs)
    w = rng.standard_normal(jv.shape)
    leaves = [sg.tensor(x, requires_grad=True) for x in xs]
    out = case.fn(sg, *leaves)
    jtw = sg.autograd.grad(out, leaves, sg.tensor(w), allow_unused=True)
    lhs = float(np.sum(jv * w))
    rhs = sum(float(np.sum(v * g.numpy())) for v, g in zip(vs, jtw) if g is not None)
    assert lhs == pytest.approx(rhs, rel=1e-10, abs=1e-10)


@given(programs(max_steps=5))
def test_random_programs_jvp_dot_vjp_and_finite_differences(p) -> None:
    leaves = smooth_leaves(p)
    rng = np.random.default_rng(p.seed + 1)
    vs = [rng.standard_normal(x.shape) for x in leaves]
    try:
        with fwAD.dual_level():
            out = run_program(p, sg, [fwAD.make_dual(sg.tensor(x, dtype=sg.float64), sg.tensor(v))
                                      for x, v in zip(leaves, vs)])
            jv = fwAD.unpack_dual(out).tangent
    except RuntimeError:
        assume(False)  # e.g. a matmul of incompatible shapes: not a derivative question
    jv = np.zeros(out.shape) if jv is None else jv.numpy()
    ts = [sg.tensor(x, dtype=sg.float64, requires_grad=True) for x in leaves]
    y = run_program(p, sg, ts)
    w = rng.standard_normal(tuple(y.shape))
    gs = sg.autograd.grad(y, ts, sg.tensor(w), allow_unused=True) if y.requires_grad else \
        [None] * len(ts)
    rhs = sum(float(np.sum(v * g.numpy())) for v, g in zip(vs, gs) if g is not None)
    assert float(np.sum(jv * w)) == pytest.approx(rhs, rel=1e-8, abs=1e-8)

    def f(xs: list[np.ndarray]) -> np.ndarray:
        with sg.no_grad():
            return run_program(p, sg, [sg.tensor(x, dtype=sg.float64) for x in xs]).numpy()
    h = 1e-6
    fd = (f([x + h * v for x, v in zip(leaves, vs)]) - f([x - h * v for x, v in zip(leaves, vs)])) \
        / (2 * h)
    np.testing.assert_allclose(jv, fd, rtol=1e-4, atol=1e-5)


def test_tangent_is_pushed_by_the_forward_pass_not_recorded() -> None:
    with fwAD.dual_level():
        x = fwAD.make_dual(sg.tensor([0., 1.]), sg.tensor([1., 1.]))
        y = x.sin()
        assert y.grad_fn is None and not y.requires_grad  # no reverse tape at all
        assert fwAD.unpack_dual(y).tangent.tolist() == pytest.approx([1.0, np.cos(1.0)])


def test_make_dual_and_unpack_dual_as_pytorch() -> None:
    p = sg.tensor([1., 2., 3.])
    with fwAD.dual_level() as level:
        assert level == 0
        d = fwAD.make_dual(p, sg.ones(3))
        assert repr(d) == "tensor([1., 2., 3.], tangent=tensor([1., 1., 1.]))"
        primal, tangent = fwAD.unpack_dual(d)
        assert repr(primal) == "tensor([1., 2., 3.])" and tangent.tolist() == [1., 1., 1.]
        assert fwAD.unpack_dual(p).tangent is None       # the primal itself stays plain
        assert fwAD.unpack_dual(d.detach()).tangent is None
        assert fwAD.unpack_dual(d > 1).tangent is None    # no tangent for bool results
        r = fwAD.make_dual(sg.tensor([1., 2.], requires_grad=True), sg.ones(2))
        assert repr(r) == "tensor([1., 2.], grad_fn=<ViewBackward0>, tangent=tensor([1., 1.]))"
    assert fwAD.unpack_dual(d).tangent is None            # the level is gone
    assert not dispatch._FORWARD_AD.active


def test_forward_ad_errors_as_pytorch() -> None:
    with pytest.raises(RuntimeError, match="no level exists, make sure to enter_dual_level"):
        fwAD.make_dual(sg.ones(2), sg.ones(2))
    with fwAD.dual_level():
        with pytest.raises(RuntimeError, match=r"Tensor is of size \[3\] while the given "
                                               r"forward gradient is of size \[2\]\."):
            fwAD.make_dual(sg.ones(3), sg.ones(2))
        with pytest.raises(ValueError, match="Expected primal to be floating point or complex, "
                                             "but got: torch.int64"):
            fwAD.make_dual(sg.tensor([1, 2]), sg.ones(2))
        with pytest.raises(ValueError, match="Expected tangent to be floating point"):
            fwAD.make_dual(sg.ones(2), sg.tensor([1, 2]))


def test_inplace_op_updates_the_tangent() -> None:
    with fwAD.dual_level():
        d = fwAD.make_dual(sg.tensor([1., 2., 3.]), sg.ones(3))
        d.mul_(2)
        assert fwAD.unpack_dual(d).tangent.tolist() == [2., 2., 2.]
        d.sin_()
        assert fwAD.unpack_dual(d).tangent.tolist() == pytest.approx(list(2 * np.cos([2., 4., 6.])))


def test_backward_under_forward_ad_pushes_tangents_through_the_backward_pass() -> None:
    """torch.autograd.grad of a dual input: the gradient carries d(grad)/d(tangent)."""
    p = sg.tensor([1., 2., 3.], requires_grad=True)
    with fwAD.dual_level():
        d = fwAD.make_dual(p, sg.ones(3))
        g, = sg.autograd.grad((d * d).sum(), p)
        assert g.tolist() == [2., 4., 6.]
        assert fwAD.unpack_dual(g).tangent.tolist() == [2., 2., 2.]


def test_nested_levels_give_second_derivatives() -> None:
    x0 = sg.tensor([0.3, -0.7], dtype=sg.float64)
    with fwAD.dual_level():
        x = fwAD.make_dual(x0, sg.ones(2, dtype=sg.float64))
        with fwAD.dual_level():
            xx = fwAD.make_dual(x, sg.ones(2, dtype=sg.float64))
            y = xx.sin() * xx
            inner = fwAD.unpack_dual(y).tangent              # y' = sin x + x cos x
        second = fwAD.unpack_dual(inner, level=0).tangent   # y'' = 2 cos x - x sin x
    a = x0.numpy()
    np.testing.assert_allclose(inner.numpy(), np.sin(a) + a * np.cos(a), rtol=1e-12)
    np.testing.assert_allclose(second.numpy(), 2 * np.cos(a) - a * np.sin(a), rtol=1e-12)


def test_tangent_dtype_follows_the_primal() -> None:
    with fwAD.dual_level():
        d = fwAD.make_dual(sg.tensor([1., 2.]), sg.tensor([1., 1.], dtype=sg.float64))
        t = fwAD.unpack_dual(d * 2).tangent
    assert t.dtype == sg.float32


def test_ops_without_tangent_inputs_are_untouched() -> None:
    with fwAD.dual_level():
        y = sg.tensor([1., 2.]).exp()
        assert fwAD.unpack_dual(y).tangent is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert repr(y) == "tensor([2.7183, 7.3891])"


@given(st.integers(1, 4), st.integers(0, 1000))
def test_broadcast_tangent_has_result_shape(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal((2, n)), rng.standard_normal(n)
    with fwAD.dual_level():
        y = fwAD.make_dual(sg.tensor(b), sg.ones(n, dtype=sg.float64)) + sg.tensor(a)
        t = fwAD.unpack_dual(y).tangent
    assert tuple(t.shape) == (2, n) and np.all(t.numpy() == 1)
