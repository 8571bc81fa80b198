"""Losses on symbols whose length is known only at run time (broadcasting with
``None`` lengths in the op layer's shape check)."""

from __future__ import annotations

import numpy as np

import symgrad as sg
import symgrad.nn.functional as F


def test_mse_loss_of_unknown_length_differentiates_and_evaluates() -> None:
    a, b = sg.symbol("a", (None,)), sg.symbol("b", (None,))
    loss = F.mse_loss(a, b)
    assert loss.shape == ()
    k = sg.lambdify(sg.diff(loss, a), [a, b])
    x, y = np.array([1.0, 2.0, 4.0]), np.array([0.0, 2.0, 1.0])
    np.testing.assert_allclose(k(x, y), 2 * (x - y) / 3)
