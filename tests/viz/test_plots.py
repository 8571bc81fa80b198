"""Plots: f and its derivative; finite-difference error against step size."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import symgrad as sg
from symgrad.viz import messages
from symgrad.viz.plots import curves


def test_curves_are_the_function_and_its_derivative() -> None:
    x = sg.symbol("x", (None,))
    xs, f, df = curves(sg.tanh(x) * x, x, (-3.0, 3.0), 61)
    assert np.allclose(f, np.tanh(xs) * xs)
    assert np.allclose(df, np.tanh(xs) + xs * (1 - np.tanh(xs) ** 2))


def test_a_scalar_symbol_plots_too() -> None:
    x = sg.symbol("x", ())
    xs, f, df = curves(sg.exp(x), x, (0.0, 1.0), 5)
    assert np.allclose(f, np.exp(xs)) and np.allclose(df, np.exp(xs))


@pytest.mark.parametrize("y, span, match", [
    ("two", (-1.0, 1.0), "also depends on y"),
    ("one", (1.0, -1.0), "two finite numbers lo < hi"),
    ("one", (0.0, float("inf")), "two finite numbers lo < hi"),
])
def test_bad_plots_are_refused(y: str, span: tuple[float, float], match: str) -> None:
    x, other = sg.symbol("x", (None,)), sg.symbol("y", (None,))
    f = sg.sin(x) * other if y == "two" else sg.sin(x)
    with pytest.raises(ValueError, match=match):
        curves(f, x, span)


def test_x_must_be_a_symbol() -> None:
    x = sg.tensor([1., 2.])
    with pytest.raises(TypeError, match="value-less symbol"):
        curves(x * 2, x, (0.0, 1.0))


def test_without_matplotlib_one_line_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    x = sg.symbol("x", (None,))
    with pytest.raises(ImportError) as info:
        sg.viz.plot(sg.sigmoid(x), x)
    assert str(info.value) == messages.NO_MATPLOTLIB
    with pytest.raises(ImportError, match="pip install"):
        sg.viz.fd_steps(sg.tensor([1.], requires_grad=True).exp().sum(), steps=[1e-3]).plot()


def test_the_plot_has_both_curves() -> None:
    pytest.importorskip("matplotlib")
    x = sg.symbol("x", (None,))
    fig = sg.viz.plot(sg.sigmoid(x), x, (-6, 6), n=50)
    (ax,) = fig.axes
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["sigmoid(x)", "d/dx"]
    assert np.isclose(max(ax.get_lines()[1].get_ydata()), 0.25, atol=1e-3)


def test_the_step_scan_is_a_v() -> None:
    a = sg.tensor([0.3, 1.1], requires_grad=True, name="a")
    scan = sg.viz.fd_steps((a.sigmoid() * a).sum())
    errs = np.array(scan.errors["a"])
    best = int(np.argmin(errs))
    assert 1e-9 < scan.best_step("a") < 1e-2
    assert errs[0] > 100 * errs[best] and errs[-1] > 100 * errs[best]  # both arms rise
    assert str(scan).splitlines()[0].split() == ["step", "a"]


def test_the_step_scan_plots_on_log_axes() -> None:
    pytest.importorskip("matplotlib")
    a = sg.tensor([0.3], requires_grad=True, name="a")
    fig = sg.viz.fd_steps(a.exp().sum(), steps=[1e-8, 1e-4, 1e-1]).plot()
    (ax,) = fig.axes
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
