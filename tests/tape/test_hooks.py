"""Tensor hooks, ``retain_grad`` and ``.grad`` assignment, as PyTorch 2.x does them."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import symgrad as sg
from symgrad import errors


def leaf(data: Any) -> sg.Tensor:
    return sg.tensor(data, dtype=sg.float64, requires_grad=True)


def test_hooks_run_in_registration_order_and_can_replace() -> None:
    log: list[Any] = []
    a = leaf([1., 2.])
    b = a * 2
    b.register_hook(lambda g: log.append(("h1", g.tolist())))
    b.register_hook(lambda g: g * 10)
    b.register_hook(lambda g: log.append(("h3", g.tolist())))
    b.sum().backward()
    assert log == [("h1", [1., 1.]), ("h3", [10., 10.])]
    assert a.grad.tolist() == [20., 20.]


def test_removed_hook_no_longer_runs() -> None:
    a = leaf([1., 2.])
    h = a.register_hook(lambda g: g * 0)
    h.remove()
    h.remove()  # twice is harmless
    (a * 3).sum().backward()
    assert a.grad.tolist() == [3., 3.]


def test_leaf_hook_runs_before_accumulation() -> None:
    seen = []
    a = leaf([1., 2.])
    a.register_hook(lambda g: seen.append(None if a.grad is None else a.grad.tolist()))
    a.register_hook(lambda g: g + 1)
    (a * 2).sum().backward()
    (a * 2).sum().backward()
    assert seen == [None, [3., 3.]] and a.grad.tolist() == [6., 6.]


def test_retain_grad_is_set_after_hooks_and_accumulates() -> None:
    a = leaf([1., 2.])
    c = a * 3
    c.retain_grad()
    c.register_hook(lambda g: g * 100)   # registered after retain_grad, still seen first
    c.sum().backward(retain_graph=True)
    assert c.grad.tolist() == [100., 100.]
    c.sum().backward()
    assert c.grad.tolist() == [200., 200.] and c.retains_grad and not a.retains_grad


def test_retain_grad_follows_inplace_rebase() -> None:
    a = leaf([1., 2.])
    m = a * 2
    m.retain_grad()
    m.mul_(3)
    m.sum().backward()
    assert m.grad.tolist() == [1., 1.] and a.grad.tolist() == [6., 6.]


def test_hook_errors() -> None:
    a = leaf([1., 2.])
    e = a * 2
    e.register_hook(lambda g: g[:1])
    with pytest.raises(RuntimeError, match="^hook '<lambda>' has changed the size of value$"):
        e.sum().backward()
    f = a * 2
    f.register_hook(lambda g: g.float())
    with pytest.raises(RuntimeError, match=r"changed the type of value \(was torch.DoubleTensor "
                                           r"got torch.FloatTensor\)"):
        f.sum().backward()
    with pytest.raises(RuntimeError, match=errors.HOOK_NO_GRAD):
        sg.zeros(2).register_hook(lambda g: g)
    with pytest.raises(RuntimeError, match=errors.RETAIN_NO_GRAD):
        sg.zeros(2).retain_grad()


def test_nonleaf_grad_warns_unless_retained() -> None:
    a = leaf([1.])
    b = a * 2
    with pytest.warns(UserWarning, match="is not a leaf Tensor is being accessed"):
        assert b.grad is None
    b.retain_grad()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert b.grad is None
        assert a.grad is None


def test_grad_assignment_is_validated_and_none_resets() -> None:
    a = leaf([1., 2.])
    with pytest.raises(RuntimeError, match=r"gradient of size '\[3\]' to a tensor of size '\[2\]'"):
        a.grad = sg.zeros(3, dtype=sg.float64)
    with pytest.raises(RuntimeError, match="with dtype 'float' to a tensor with grad_dtype 'Double'"):
        a.grad = sg.zeros(2)
    with pytest.raises(TypeError, match="got grad of type list"):
        a.grad = [1., 2.]
    a.grad = sg.ones(2, dtype=sg.float64)
    (a * 2).sum().backward()
    assert a.grad.tolist() == [3., 3.]
    a.grad = None
    (a * 2).sum().backward()
    assert a.grad.tolist() == [2., 2.]
