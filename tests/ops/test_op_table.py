"""Per-op tests generated from ``symgrad.ops.OPS`` and the samples table.

For every sample: the tape gradient against float64 central differences
(with all inputs requiring grad, and with each alone, so that each op's
``saves`` is exercised: a rule that reads a value the op did not save
fails), the dot-product test between the JVP and VJP rules
(<u, J v> = <J^T u, v>), and a second-order check (``create_graph=True``:
the gradient of <grad, v> against central differences of the gradient).
"""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg
from symgrad.checking.graph import replay
from symgrad.ops import OPS
from symgrad.ops.broadcast import sum_to
from symgrad.ops.registry import NONDIFF
from symgrad.ops.xp import NumpyXP
from symgrad.tape.saved import Primals

from ..helpers import central_diff
from .samples import BACKWARD_ONLY, SAMPLES, Sample

IDS = [s.id for s in SAMPLES]


def _tensors(sample: Sample, wrt: set[int],
             arrays: list[np.ndarray] | None = None) -> list[sg.Tensor]:
    out = []
    for i, a in enumerate(sample.args if arrays is None else arrays):
        if a.dtype == np.bool_:
            out.append(sg.tensor(a))
        else:
            out.append(sg.tensor(a.copy(), dtype=sg.float64, requires_grad=i in wrt))
    return out


def _float_args(sample: Sample) -> list[int]:
    return [i for i, a in enumerate(sample.args) if a.dtype != np.bool_]


def _weights(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1.0, 1.0, shape)


def _loss_value(sample: Sample, arrays: list[np.ndarray], w: np.ndarray) -> float:
    if sample.grad_inside:  # the sample differentiates: it needs a graph
        y = sample.fn(sg, *_tensors(sample, set(sample.floats), arrays)).detach()
    else:
        with sg.no_grad():
            y = sample.fn(sg, *_tensors(sample, set(), arrays))
    return float(np.sum(np.asarray(y.numpy(), dtype=np.float64) * w))


def test_every_op_has_samples() -> None:
    """A new op in the table must come with samples (or name the op it is the backward of)."""
    covered = {s.op for s in SAMPLES} | set(BACKWARD_ONLY)
    missing = sorted(set(OPS) - covered)
    assert not missing, f"ops without samples in tests/ops/samples.py: {missing}"


@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_sample_records_its_op(sample: Sample) -> None:
    ts = _tensors(sample, set(_float_args(sample)))
    y = sample.fn(sg, *ts)
    if OPS[sample.op].kind == NONDIFF:
        assert not y.requires_grad and y.grad_fn is None
    else:
        assert y.record.op is OPS[sample.op]
        assert y.grad_fn is not None and y.grad_fn._op is OPS[sample.op]


def _diff_samples() -> list[Sample]:
    return [s for s in SAMPLES if OPS[s.op].kind != NONDIFF]


@pytest.mark.parametrize("sample", _diff_samples(), ids=[s.id for s in _diff_samples()])
@pytest.mark.parametrize("alone", [False, True], ids=["all", "alone"])
def test_tape_gradient_matches_finite_differences(sample: Sample, alone: bool) -> None:
    floats = _float_args(sample)
    groups = [{i} for i in floats] if alone else [set(floats)]
    for wrt in groups:
        ts = _tensors(sample, wrt)
        y = sample.fn(sg, *ts)
        w = _weights(tuple(y.shape))
        loss = (y * sg.tensor(w, dtype=sg.float64)).sum()
        inputs = [ts[i] for i in sorted(wrt)]
        grads = sg.autograd.grad(loss, inputs, allow_unused=True)
        arrays = [a.copy() for a in sample.args]
        for i, g in zip(sorted(wrt), grads):
            fd = _central(sample, arrays, i, w)
            got = np.zeros_like(fd) if g is None else g.numpy()
            assert got.shape == sample.args[i].shape
            np.testing.assert_allclose(got, fd, rtol=sample.tol, atol=sample.tol,
                                       err_msg=f"d/d arg{i} of {sample.id}")


def _central(sample: Sample, arrays: list[np.ndarray], i: int, w: np.ndarray) -> np.ndarray:
    return central_diff(lambda xs: _loss_value(sample, xs, w), arrays, i, sample.eps)


@pytest.mark.parametrize("sample", _diff_samples(), ids=[s.id for s in _diff_samples()])
def test_jvp_and_vjp_rules_are_adjoint(sample: Sample) -> None:
    """<u, J_i v_i> == <J_i^T u, v_i> for each input, straight from the table's rules."""
    ts = _tensors(sample, set(_float_args(sample)))
    y = sample.fn(sg, *ts)
    op, inputs, attrs = y.record.op, y.record.inputs, y.record.attrs
    recorded = replay(y)  # records keep intermediates as value-less ghosts: recompute them
    values = {name: (recorded[id(x)] if isinstance(x, sg.Tensor) else x)
              for name, x in zip(op.args, inputs)}
    values["result"] = y._data
    for name in op.saves:  # non-tensors saved from attrs (max(dim)'s indices)
        values.setdefault(name, attrs.get(name))
    s = Primals(values)
    rng = np.random.default_rng(1)
    checked = 0
    for i, x in enumerate(inputs):
        name = op.args[0] if op.variadic else op.args[i]  # rules are keyed by input name
        if not isinstance(x, sg.Tensor) or not x.dtype.is_floating_point or name in op.no_edge:
            continue
        v = rng.uniform(-1, 1, x.shape)
        u = rng.uniform(-1, 1, y.shape)
        if op.variadic:  # cat, stack: one rule, told the input's position
            jv = op.jvp[name](NumpyXP, v, s, attrs, i)
            jtu = op.vjp[name](NumpyXP, u, s, attrs, i)
        else:
            jv = op.jvp[name](NumpyXP, v, s, attrs)
            jtu = op.vjp[name](NumpyXP, u, s, attrs)
        lhs = 0.0 if jv is None else float(np.sum(u * np.broadcast_to(jv, y.shape)))
        rhs = 0.0 if jtu is None else float(np.sum(sum_to(np.asarray(jtu), tuple(x.shape)) * v))
        assert lhs == pytest.approx(rhs, rel=1e-9, abs=1e-12), f"input {i} of {sample.id}"
        checked += 1
    assert checked or not _float_args(sample)


@pytest.mark.parametrize("sample", [s for s in _diff_samples() if s.second_order],
                         ids=[s.id for s in _diff_samples() if s.second_order])
def test_second_order_matches_finite_differences_of_gradient(sample: Sample) -> None:
    floats = _float_args(sample)
    ts = _tensors(sample, set(floats))
    xs = [ts[i] for i in floats]
    y = sample.fn(sg, *ts)
    w = _weights(tuple(y.shape))
    loss = (y * sg.tensor(w, dtype=sg.float64)).sum()
    grads = sg.autograd.grad(loss, xs, create_graph=True, allow_unused=True)
    vs = [_weights(tuple(x.shape), seed=k + 7) for k, x in enumerate(xs)]
    terms = [(g * sg.tensor(v, dtype=sg.float64)).sum() for g, v in zip(grads, vs)
             if g is not None and g.requires_grad]
    if terms:
        phi = terms[0]
        for t in terms[1:]:
            phi = phi + t
        hvp = sg.autograd.grad(phi, xs, allow_unused=True)
    else:  # the gradient does not depend on the inputs: second derivative zero
        hvp = (None,) * len(xs)

    def phi_value(arrays: list[np.ndarray]) -> float:
        tt = [sg.tensor(a) if a.dtype == np.bool_ else
              sg.tensor(a, dtype=sg.float64, requires_grad=i in floats)
              for i, a in enumerate(arrays)]
        yy = sample.fn(sg, *tt)
        ll = (yy * sg.tensor(w, dtype=sg.float64)).sum()
        gs = sg.autograd.grad(ll, [tt[i] for i in floats], allow_unused=True)
        return float(sum(np.sum(g.numpy() * v) for g, v in zip(gs, vs) if g is not None))

    arrays = [a.copy() for a in sample.args]
    h = 1e-5
    for k, i in enumerate(floats):
        x = arrays[i]
        fd = central_diff(phi_value, arrays, i, h)
        got = np.zeros(x.shape) if hvp[k] is None else hvp[k].numpy()
        np.testing.assert_allclose(got, fd, rtol=1e-4, atol=max(1e-5, sample.tol),
                                   err_msg=f"second order, d/d arg{i} of {sample.id}")


def _graph_ops(t: sg.Tensor) -> set[str]:
    """Names of the ops on the tape below ``t``."""
    seen, stack, names = set(), [t.grad_fn], set()
    while stack:
        n = stack.pop()
        if n is None or n in seen:
            continue
        seen.add(n)
        if getattr(n, "_op", None) is not None:
            names.add(n._op.name)
        stack.extend(c for c, _ in n.next_functions)
    return names


@pytest.mark.parametrize("backward_op,forward_op", sorted(BACKWARD_ONLY.items()))
def test_backward_only_ops_transpose_back_to_the_jvp(backward_op: str, forward_op: str) -> None:
    """The VJP of a VJP is the JVP: d<J^T u, v>/du = J v, with J v by central differences."""
    samples = [s for s in SAMPLES if s.op in forward_op.split(", ") and not s.grad_inside]
    assert samples, forward_op
    for sample in samples:
        floats = _float_args(sample)
        ts = _tensors(sample, set(floats))
        y = sample.fn(sg, *ts)
        u = sg.tensor(_weights(tuple(y.shape)), dtype=sg.float64, requires_grad=True)
        grads = sg.autograd.grad(y, [ts[i] for i in floats], grad_outputs=u, create_graph=True)
        assert any(backward_op in _graph_ops(g) for g in grads), sample.id
        vs = [_weights(tuple(ts[i].shape), seed=3 + i) for i in floats]
        phi = sum((g * sg.tensor(v, dtype=sg.float64)).sum() for g, v in zip(grads, vs))
        (jv,) = sg.autograd.grad(phi, [u])
        h = 1e-6
        plus = [a.copy() for a in sample.args]
        minus = [a.copy() for a in sample.args]
        for i, v in zip(floats, vs):
            plus[i] = plus[i] + h * v
            minus[i] = minus[i] - h * v
        with sg.no_grad():
            yp = sample.fn(sg, *_tensors(sample, set(), plus))
            ym = sample.fn(sg, *_tensors(sample, set(), minus))
        np.testing.assert_allclose(jv.numpy(), (yp.numpy() - ym.numpy()) / (2 * h),
                                   rtol=1e-5, atol=1e-6, err_msg=sample.id)
