"""``sg.check``: passes correct gradients, and names the cause when they disagree.

Each diagnosis has a test that provokes it: a ``.data`` change (seed ex4),
an in-place change the version counter catches (seed ex3), float32
rounding, a kink, a non-finite value under ``where``, and a wrong rule in
the tape or in the symbolic engine.
"""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg
from symgrad.ops import OPS


def causes(report) -> list[str]:
    return [d.cause for d in report.diagnoses]


def test_seed_ex1_passes():
    a = sg.tensor([1, 2, 3.], requires_grad=True, name="a")
    report = sg.check((a * a).sum())
    assert report.passed and bool(report) and report.diagnoses == []
    assert report.inputs[0].tape_ok and report.inputs[0].symbolic_ok


def test_seed_ex2_passes():
    a = sg.tensor([1, 2, 3.], requires_grad=True, name="a")
    out = a * a
    y = out.sum()
    y += sg.matmul(out, out)
    assert sg.check(y).passed


def test_seed_ex4_is_flagged_as_a_data_mutation():
    a = sg.tensor([1, 2, 3.], requires_grad=True, name="a")
    out = a.sigmoid()
    c = out.data
    c.zero_()
    report = sg.check(out.sum())
    assert not report.passed
    assert causes(report)[0] == "data-mutation"
    message = report.diagnoses[0].message
    assert "SigmoidBackward0" in message and "`.data`" in message
    assert "sigmoid(a)" in message          # the formula the tape should have used
    assert report.inputs[0].tape_abs > 0.1  # the tape says 0
    assert report.inputs[0].symbolic_ok     # the formula is right


def test_check_leaves_grad_and_graph_alone():
    a = sg.tensor([1, 2, 3.], requires_grad=True, name="a")
    h = a.tanh()
    h.retain_grad()
    y = (h * a).sum()
    sg.check(y)
    assert a.grad is None and h.grad is None
    y.backward()  # the graph was retained, not freed
    assert a.grad is not None


def test_check_after_backward_uses_the_accumulated_grad():
    a = sg.tensor([1, 2, 3.], requires_grad=True, name="a")
    out = a.sigmoid()
    out.data.zero_()
    y = out.sum()
    y.backward()  # frees the graph
    report = sg.check(y)
    assert "second time" in report.tape_error
    assert not report.passed and report.inputs[0].tape_abs > 0.1  # a.grad == 0 was compared
    assert causes(report) == ["data-mutation"]
    assert "already freed" in report.diagnoses[0].message


def test_inplace_change_caught_by_the_version_counter():
    a = sg.tensor([1, 2, 3.], requires_grad=True, name="a")
    out = a.sigmoid()
    out.detach().zero_()
    report = sg.check(out.sum())
    assert causes(report)[0] == "inplace"
    assert "modified by an inplace operation" in report.diagnoses[0].message


def test_float32_rounding_is_named():
    a = sg.tensor([0.1234567, 0.7654321], requires_grad=True, name="a")  # float32
    y = (((a + 1e4) - 1e4) ** 2).sum()
    report = sg.check(y)
    assert not report.passed
    assert causes(report) == ["float32"]
    a64 = sg.tensor([0.1234567, 0.7654321], dtype=sg.float64, requires_grad=True)
    assert sg.check((((a64 + 1e4) - 1e4) ** 2).sum()).passed


def test_kink_is_named():
    a = sg.tensor([0.0, 1.0, -1.0], dtype=sg.float64, requires_grad=True, name="a")
    report = sg.check(sg.relu(a).sum())
    assert not report.passed
    assert "kink" in causes(report)
    d = report.diagnoses[causes(report).index("kink")]
    assert "relu" in d.message and "one-sided differences are 1 and 0" in d.message


def test_kink_of_clamp_at_its_bound_is_named():
    a = sg.tensor([0.0, 0.5], dtype=sg.float64, requires_grad=True, name="a")
    report = sg.check(sg.clamp(a, 0.0, 1.0).sum())  # the bound passes the gradient
    assert "kink" in causes(report) and "clamp" in report.diagnoses[0].message


def test_maximum_tie_agrees_with_central_differences():
    # PyTorch splits a tie in half, which is what a central difference sees
    a = sg.tensor([1.0, 2.0], dtype=sg.float64, requires_grad=True, name="a")
    b = sg.tensor([1.0, 0.0], dtype=sg.float64, requires_grad=True, name="b")
    assert sg.check(sg.maximum(a, b).sum()).passed


def test_non_finite_value_under_where_is_named():
    x = sg.tensor([0.0, 1.0, 2.0], dtype=sg.float64, requires_grad=True, name="x")
    y = sg.where(x > 0.5, 1 / x, x).sum()
    report = sg.check(y)
    assert not report.passed
    assert "non-finite" in causes(report)
    d = report.diagnoses[causes(report).index("non-finite")]
    assert "0 * inf" in d.message and "where" in d.message


def test_wrong_tape_rule_is_named(monkeypatch):
    sin = OPS["sin"]
    wrong = lambda xp, grad, s, a: grad * xp.sin(s.self)  # noqa: E731  (should be cos)
    monkeypatch.setitem(sin.__dict__, "vjp", {"self": wrong})
    monkeypatch.setitem(sin.__dict__, "edge_vjps", (wrong,))
    a = sg.tensor([0.3, 0.9], dtype=sg.float64, requires_grad=True, name="a")
    report = sg.check(a.sin().sum())
    assert not report.passed and report.inputs[0].symbolic_ok
    assert causes(report) == ["tape-rule"]
    assert "SinBackward0" in report.diagnoses[0].message


def test_wrong_symbolic_rule_is_named(monkeypatch):
    from symgrad.symbolic import reverse
    from symgrad.symbolic.elementwise import Sigmoid
    monkeypatch.setattr(Sigmoid, "fdiff", lambda self, argindex=1: self)
    monkeypatch.setattr(reverse, "_TEMPLATES", {})  # forget the cached local derivatives
    a = sg.tensor([0.3, 0.9], dtype=sg.float64, requires_grad=True, name="a_sym_bug")
    report = sg.check(a.sigmoid().sum())
    assert not report.passed and report.inputs[0].tape_ok
    assert "symbolic-rule" in causes(report)


def test_report_reads_as_text_and_html():
    a = sg.tensor([1, 2, 3.], requires_grad=True, name="a")
    out = a.sigmoid()
    out.data.zero_()
    report = sg.check(out.sum())
    text = str(report)
    assert text.startswith("sg.check: FAILED") and "likely cause [data-mutation]" in text
    assert "tape abs/rel err" in text and "FAIL" in text
    html = report._repr_html_()
    assert "<table>" in html and "data-mutation" in html


def test_large_inputs_are_sampled():
    a = sg.tensor(np.linspace(-1, 1, 2000), dtype=sg.float64, requires_grad=True, name="a")
    report = sg.check((a.sin() * a).sum())
    assert report.passed and report.inputs[0].checked < report.inputs[0].numel == 2000


def test_nothing_to_check_is_an_error():
    with pytest.raises(ValueError, match="nothing to check"):
        sg.check(sg.tensor([1.0, 2.0]).sum())


def test_wrt_selects_the_inputs_checked():
    a = sg.tensor([1.0, 2.0], requires_grad=True, name="a")
    b = sg.tensor([3.0, 4.0], requires_grad=True, name="b")
    report = sg.check((a * b).sum(), wrt=b)
    assert [r.name for r in report.inputs] == ["b"] and report.passed


def test_a_broken_formula_side_fails_the_check(monkeypatch):
    """A crash of the symbolic side (not a known gap) must not pass as 'n/a'."""
    from symgrad.kernels import lambdify as lam

    def broken(*args, **kwargs):
        raise SyntaxError("invalid kernel source")
    monkeypatch.setattr(lam, "lambdify", broken)
    a = sg.tensor([0.3, 0.9], dtype=sg.float64, requires_grad=True, name="a")
    report = sg.check((a * a).sum())
    assert not report.passed and report.inputs[0].tape_ok
    assert causes(report)[0] == "symbolic-error"
    assert "SyntaxError" in str(report)


def test_report_scans_finite_difference_steps_of_the_checked_graph() -> None:
    """The V of central-difference error against step: both ends worse than the
    middle, and the report's own eps marked on the scan."""
    a = sg.tensor([0.5, 1.0, 2.0], requires_grad=True, name="a")
    report = sg.check(sg.exp(a).sum(), eps=1e-5)
    scan = report.fd_steps([1e-1, 1e-5, 1e-13])
    err = scan.errors["a"]
    assert err[1] < err[0] and err[1] < err[2]
    assert scan.best_step("a") == 1e-5 and scan.check_eps == 1e-5


def test_report_plots_its_step_scan() -> None:
    pytest.importorskip("matplotlib", reason="plots need matplotlib (the plot extra)")
    a = sg.tensor([0.5, 1.0], requires_grad=True, name="a")
    fig = sg.check(sg.sin(a).sum()).plot_steps([1e-2, 1e-6, 1e-12])
    (ax,) = fig.axes
    assert ax.get_xscale() == "log" and len(ax.lines) == 2  # the curve and eps
