"""Records keep history, not values: intermediates enter ``t.record.inputs`` as ghosts.

A ghost is a value-less twin of an intermediate (same op, inputs, attrs,
name and ``grad_fn``), shared by all its consumers, so a graph holds only
the values backward saved (as PyTorch does) while formulas and ``sg.check``
still walk the whole history.
"""

from __future__ import annotations

import gc
import weakref

import numpy as np

import symgrad as sg
from symgrad.eager.taping import ghost_of


def test_records_do_not_keep_intermediate_values_alive() -> None:
    a = sg.tensor([1., 2., 3.], requires_grad=True, name="a")
    x = a * 2
    y = (x + 1).exp()  # add saves nothing; exp saves its result
    gone = weakref.ref(x._data)
    del x
    gc.collect()
    assert gone() is None
    assert str(y.expr) == "exp(2*a + 1)"
    y.sum().backward()
    np.testing.assert_allclose(a.grad._data, 2 * np.exp(2 * np.array([1., 2., 3.]) + 1))


def test_consumers_share_one_ghost() -> None:
    a = sg.tensor([1., 2.], requires_grad=True, name="a")
    x = a * a
    y, z = x + x, x.sin()
    g = ghost_of(x)
    assert y.record.inputs == (g, g) and z.record.inputs[0] is g
    assert g._data is None and g.shape == x.shape and g.dtype == x.dtype
    assert g._grad_fn is x._grad_fn and g.record is x.record
    assert str((y + z).expr) == "2*a**2 + sin(a**2)"


def test_leaves_stay_in_records_as_themselves() -> None:
    a = sg.tensor([1., 2.], requires_grad=True)
    c = sg.tensor([3., 4.])
    assert (a * c).record.inputs == (a, c)


def test_a_name_given_later_reaches_the_ghost() -> None:
    a = sg.tensor([1., 2.], requires_grad=True)
    x = a * a
    y = x + 1
    x.name = "h"
    assert y.record.inputs[0].name == "h"
    z = a.exp()
    w = z * 2
    assert w.record.inputs[0].name == z.name


def test_formula_keeps_the_history_a_consumer_saw() -> None:
    a = sg.tensor([1., 2.], requires_grad=True, name="a")
    x = a * a
    y = x * 3
    x.mul_(2)  # rebases x's record; y was computed from the old x
    assert str(y.expr) == "3*a**2" and str(x.expr) == "2*a**2"
    assert ghost_of(x) is not y.record.inputs[0]
    assert sg.check(y.sum()).passed and sg.check(x.sum()).passed


def test_view_consumer_keeps_the_history_it_saw() -> None:
    a = sg.tensor([1., 2., 3.], requires_grad=True, name="a")
    x = a * 1
    v = x[1:]
    y = v * 3
    x.mul_(2)  # regenerates v's history
    assert str(y.expr) == str((a[1:] * 3).expr)
    assert sg.check(y.sum()).passed


def test_check_names_a_data_change_of_a_saved_input() -> None:
    a = sg.tensor([1., 2., 3.], requires_grad=True, name="a")
    h = a * 2
    y = h.sin().sum()  # SinBackward0 saves its input h
    h.data.zero_()
    report = sg.check(y)
    assert not report.passed
    assert report.diagnoses[0].cause == "data-mutation"
    assert "SinBackward0" in report.diagnoses[0].message


def test_check_leaves_retained_grads_of_intermediates_alone() -> None:
    a = sg.tensor([1., 2.], requires_grad=True)
    h = a.tanh()
    h.retain_grad()
    y = (h * 2).sum()
    sg.check(y)
    assert h.grad is None
    y.backward()
    np.testing.assert_array_equal(h.grad._data, [2., 2.])
