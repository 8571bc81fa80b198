"""Formulas: released when nothing refers to them (M9), no expansion of powers of
sums (M12/H3), unknown lengths kept (W2), sg.check leaves .grad alone (W4, M14)."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
import sympy

import symgrad as sg
from symgrad.symbolic import algebra
from symgrad.symbolic.printing import TIDY_TERMS, expanded_terms, tidy


def _loop_step() -> weakref.ref:
    x = sg.tensor(np.random.rand(1000), requires_grad=True)
    c = sg.tensor(np.random.rand(1000))
    (x * c).sum().backward()
    _ = x.grad_formula
    return weakref.ref(c._data)


def test_release_frees_constants_nothing_refers_to() -> None:  # M9
    refs = [_loop_step() for _ in range(4)]
    gc.collect()
    algebra.release()
    gc.collect()
    assert sum(r() is not None for r in refs) <= 1  # (the last may sit in a cache)


def test_release_keeps_live_formulas_right() -> None:
    a = sg.tensor([1.0, 2.0], requires_grad=True, name="a")
    w = sg.tensor([3.0, 4.0])
    y = (sg.sin(a) * w).sum()
    before = sg.lambdify(sg.diff(y, a), [a])(np.array([0.5, 1.0]))
    algebra.release()
    after = sg.lambdify(sg.diff(y, a), [a])(np.array([0.5, 1.0]))
    np.testing.assert_allclose(after, before)
    np.testing.assert_allclose(after, np.cos([0.5, 1.0]) * [3.0, 4.0])


def test_the_table_is_released_past_its_byte_bound(monkeypatch) -> None:
    monkeypatch.setattr(algebra, "RELEASE_BYTES", 10_000)
    refs = [_loop_step() for _ in range(4)]
    gc.collect()
    z = sg.symbol("z", (2,))
    sg.diff(z.sum(), z)  # the next build releases
    gc.collect()
    assert sum(r() is not None for r in refs) <= 1


def test_a_full_collection_releases_a_doubled_table(monkeypatch) -> None:
    gc.collect()
    algebra.release()
    base = len(algebra._TABLE)  # what earlier tests still hold alive stays
    monkeypatch.setattr(algebra, "_next", [10])
    for _ in range(3):
        a = sg.tensor([0.5, 1.0], requires_grad=True, name="a")
        y = a
        for _ in range(30):
            y = sg.sin(y) * 0.5 + y
        _ = sg.diff(y.sum(), a)
    del a, y, _
    grown = len(algebra._TABLE)
    gc.collect()  # a full collection: the table had doubled, so it is released
    assert len(algebra._TABLE) - base < (grown - base) / 2
    keep = sg.symbol("kept", (2,)) * 3
    algebra.release()
    assert id(keep.expr) in algebra._CANON  # live: stays canonical


def test_tidy_does_not_expand_a_power_of_a_sum() -> None:  # M12, H3
    a, b, c, d, e, f = sympy.symbols("a b c d e f")
    p = 40 * (a + b + c + d + e + f) ** 39
    assert expanded_terms(p) > TIDY_TERMS
    assert tidy(p) is p
    assert tidy((a + b) ** 2 - a**2) == 2 * a * b + b**2  # small expansions still happen


def test_unknown_length_is_not_read_off_a_constant() -> None:  # W2
    a = sg.symbol("a", (None,))
    b = sg.symbol("b", ())
    k = sg.lambdify(sg.diff((a + b).sum(), b), [a, b])
    assert k(np.ones(5), 2.0) == 5
    assert k(np.ones(2), 2.0) == 2


def test_check_leaves_a_retained_grad_alone() -> None:  # W4
    a = sg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = a * 2
    h.retain_grad()
    y = (h * h).sum()
    y.backward(retain_graph=True)
    assert sg.check(y).passed
    assert h.grad.tolist() == [4.0, 8.0, 12.0]
    y.backward()
    assert h.grad.tolist() == [8.0, 16.0, 24.0]  # PyTorch's value


def test_check_with_two_leaves_of_one_name_explains() -> None:  # M14
    a = sg.tensor([1.0, 2.0], requires_grad=True, name="a")
    b = sg.tensor([3.0, 4.0], requires_grad=True, name="a")
    y = (a * b).sum()
    report = sg.check(y)
    assert report.passed
    assert "both named 'a'" in str(report)


@pytest.mark.parametrize("wrt,kind,message", [
    ("a", TypeError, "wrt\\[0\\] must be a symgrad Tensor, not str"),
    ("nonleaf", ValueError, "is not a leaf"),
    ("outside", ValueError, "is not an input of y"),
])
def test_check_wrt_errors_are_clear(wrt, kind, message) -> None:  # M14
    a = sg.tensor([1.0, 2.0], requires_grad=True, name="a")
    h = a * 2
    y = (h * h).sum()
    value = {"a": "a", "nonleaf": h, "outside": sg.tensor([1.0], requires_grad=True)}[wrt]
    with pytest.raises(kind, match=message):
        sg.check(y, wrt=value)
    with pytest.raises(TypeError, match="y must be a symgrad Tensor, not str"):
        sg.check("y")
