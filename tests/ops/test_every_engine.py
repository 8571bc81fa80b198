"""Every differentiable sample through ``sg.check``: the tape's gradient, the
symbolic rule's gradient (``sg.diff``, compiled by the kernel printer) and
float64 central differences of the formula's kernel agree.

For each sample of ``tests/ops/samples.py`` whose op is differentiable, with
float64 leaves that require grad: ``loss = (y * w).sum()`` for a fixed random
``w`` of ``y``'s shape, then ``sg.check(loss).passed``, and that the check
really had both engines: it differentiated the formula's kernel (not a replay
of the tape), every input has a symbolic gradient (``sg.check`` passes with
"n/a" there), and the kernel computes the tape's loss. Ops reached only as the
backward of another op are checked one order up, on ``<J^T u, v>`` with
``create_graph=True``. Samples stay 1e-3 away from their kinks
(``test_samples.py``); one that cannot pass is listed in ``XFAIL`` with the
reason, and must fail in the way it says.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

import symgrad as sg
from symgrad.ops import OPS
from symgrad.ops.registry import NONDIFF

from .samples import BACKWARD_ONLY, SAMPLES, Sample, differentiable_samples


@dataclass(frozen=True)
class Bug:
    """A known symgrad bug: what is wrong, and the text it leaves in the report's
    ``symbolic_error`` (how the test tells it from any other failure)."""

    reason: str
    symptom: str


class KnownBug(AssertionError):
    """A sample failed in the way its ``XFAIL`` entry says."""


# test id (sample id, or backward-only op + sample id) -> the bug that makes sg.check
# fail there; strict, so a fix must remove the entry. (Empty: the two bugs this test
# found, slice keys printed as invalid kernels and a missing S.zeros, are fixed.)
XFAIL: dict[str, Bug] = {}


def _leaves(sample: Sample) -> list[sg.Tensor]:
    return [sg.tensor(a) if a.dtype == np.bool_ else
            sg.tensor(a.copy(), dtype=sg.float64, requires_grad=True, name=f"x{i}")
            for i, a in enumerate(sample.args)]


def _weighted_sum(y: sg.Tensor, seed: int = 0) -> sg.Tensor:
    w = np.random.default_rng(seed).uniform(-1.0, 1.0, tuple(y.shape))
    return (y * sg.tensor(w, dtype=sg.float64)).sum()


def _assert_checked(loss: sg.Tensor, leaves: list[sg.Tensor], what: str,
                    rel: float = 1e-9) -> None:
    """``sg.check(loss)`` passes, with a formula, its kernel and a symbolic gradient for
    every input; ``what`` is the test id (an ``XFAIL`` entry must fail as it says)."""
    report = sg.check(loss)
    bug = XFAIL.get(what)
    if bug is not None and bug.symptom in (report.symbolic_error or ""):
        raise KnownBug(f"{what}: {report.symbolic_error}")
    assert report.passed, f"{what}\n{report}"
    # both engines really ran: a formula and its kernel, a symbolic gradient per input
    assert report.forward.startswith("formula kernel"), f"{what}: no formula kernel\n{report}"
    assert all(r.symbolic_ok for r in report.inputs), \
        f"{what}: no symbolic gradient ({report.symbolic_error})\n{report}"
    value = sg.lambdify(loss, leaves)(*(t.detach().numpy() for t in leaves))
    assert float(value) == pytest.approx(loss.item(), rel=rel, abs=1e-12), \
        f"{what}: the formula's kernel computes another loss than the tape"


def _param(*values: object, id: str) -> object:
    marks = [pytest.mark.xfail(reason=XFAIL[id].reason, raises=KnownBug, strict=True)] \
        if id in XFAIL else []
    return pytest.param(*values, id=id, marks=marks)


@pytest.mark.parametrize("sample", [_param(s, id=s.id) for s in differentiable_samples()])
def test_tape_formula_and_finite_differences_agree(sample: Sample) -> None:
    ts = _leaves(sample)
    loss = _weighted_sum(sample.fn(sg, *ts))
    # the kernel computes in float64: a float32 sample (to_dtype) agrees to its own tol
    _assert_checked(loss, [ts[i] for i in sample.floats], sample.id,
                    rel=1e-9 if sample.tol <= 1e-5 else sample.tol)


def _second_order() -> list:
    """(backward-only op, a sample of an op whose backward records it)."""
    return [_param(op, s, id=f"{op}-{s.id}") for op, of in sorted(BACKWARD_ONLY.items())
            for s in SAMPLES if s.op in of.split(", ") and not s.grad_inside]


def _graph_ops(t: sg.Tensor) -> set[str]:
    """Names of the ops recorded below ``t``."""
    seen, stack, names = set(), [t], set()
    while stack:
        x = stack.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        if x.record.op is not None:
            names.add(x.record.op.name)
        stack.extend(i for i in x.record.inputs if isinstance(i, sg.Tensor))
    return names


@pytest.mark.parametrize("op,sample", _second_order())
def test_backward_only_ops_agree_one_order_up(op: str, sample: Sample) -> None:
    """``phi = <J(x)^T u, v>`` for the sample's Jacobian J, a function of ``x`` and of
    the output gradient ``u``; its backward-only op is the one that maps ``u``."""
    ts = _leaves(sample)
    xs = [ts[i] for i in sample.floats]
    y = sample.fn(sg, *ts)
    w = np.random.default_rng(0).uniform(-1.0, 1.0, tuple(y.shape))
    u = sg.tensor(w, dtype=sg.float64, requires_grad=True, name="u")
    grads = sg.autograd.grad(y, xs, grad_outputs=u, create_graph=True)
    phi = sum(_weighted_sum(g, seed=k + 1) for k, g in enumerate(grads))
    assert op in _graph_ops(phi), f"{op} not recorded"
    _assert_checked(phi, xs + [u], f"{op}-{sample.id}")


def test_every_differentiable_op_is_checked() -> None:
    """An op without a differentiable sample (or, if backward-only, without a
    sample of the op it is the backward of) makes this fail."""
    forward = {s.op for s in differentiable_samples()}
    backward = {op for op, of in BACKWARD_ONLY.items() if set(of.split(", ")) <= forward}
    missing = sorted(n for n, op in OPS.items()
                     if op.kind != NONDIFF and n not in forward | backward)
    assert not missing, f"differentiable ops without samples in tests/ops/samples.py: {missing}"


def test_fill_with_a_tensor_value_is_an_input_of_the_formula() -> None:
    """The defect REDESIGN.md found: ``fill_(b)`` stored the 0-d tensor ``b`` as a
    constant of the formula, so ``b``'s symbolic gradient was 0 (tape: 3)."""
    assert "fill_tensor-plain" in {s.id for s in differentiable_samples()}
    a = sg.tensor([1., 2., 3.], dtype=sg.float64, requires_grad=True, name="a")
    b = sg.tensor(0.5, dtype=sg.float64, requires_grad=True, name="b")
    y = (a * 1).fill_(b).sum()
    assert sg.check(y).passed
    (gb,) = sg.lambdify(sg.diff(y, [b]), [a, b])(a.detach().numpy(), b.detach().numpy())
    assert float(gb) == 3.0
    y.backward()
    assert b.grad.item() == 3.0 and a.grad.tolist() == [0.0, 0.0, 0.0]
