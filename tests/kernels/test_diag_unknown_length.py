"""Hessians and Jacobians of symbols whose length is known only at run time.

The seed ``eye(n)`` of such a Jacobian reads its length off a tensor of the
kernel (``ones_like(a)``), never off a constant, so one kernel serves every
length.
"""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg


@pytest.mark.parametrize("n", [1, 3, 5])
@pytest.mark.parametrize("src, want", [
    (lambda a: (a * a).sum(), lambda x: 2 * np.eye(len(x))),
    (lambda a: a.sin().sum(), lambda x: -np.diag(np.sin(x))),
    (lambda a: (a * a * a).sum(), lambda x: np.diag(6 * x)),
])
def test_hessian_kernel_of_unknown_length(src, want, n):
    a = sg.symbol("a", (None,))
    h = sg.hessian(src(a), a)
    k = sg.lambdify(h, [a])
    x = np.linspace(0.5, 1.5, n)
    np.testing.assert_allclose(k(x), want(x))


def test_printed_forms_name_the_length():
    a = sg.symbol("a", (None,))
    assert str(sg.hessian((a * a).sum(), a)) == "2*eye(len(a))"
    assert str(sg.hessian(a.sin().sum(), a)) == "-diag(sin(a))"


def test_jacobian_of_unknown_length():
    a = sg.symbol("a", (None,))
    k = sg.lambdify(sg.jacobian(a.sin(), a), [a])
    x = np.array([0.1, 0.2, 0.3, 0.4])
    np.testing.assert_allclose(k(x), np.diag(np.cos(x)))
