"""The stale-saved-tensor error keeps PyTorch's text and then names the culprit:
the in-place call, where it was made and the alias it went through."""

from __future__ import annotations

import pytest

import symgrad as sg

PREFIX = "one of the variables needed for gradient computation has been modified by an inplace"
LINE = "test_culprit.py:{}"


def _error(fn) -> str:
    with pytest.raises(RuntimeError) as info:
        fn()
    msg = str(info.value)  # PyTorch's text, unchanged; the culprit is a note
    assert msg.startswith(PREFIX)
    assert msg.endswith("torch.autograd.set_detect_anomaly(True, check_nan=False).")
    (note,) = info.value.__notes__
    head, _, tail = note.partition("symgrad: the version was bumped by ")
    assert head == ""
    return tail


def _line(offset: int) -> str:
    import inspect
    return LINE.format(inspect.currentframe().f_back.f_lineno + offset)


def test_detach_alias_is_named() -> None:
    a = sg.tensor([1., 2.], requires_grad=True)
    out = a.sigmoid()
    c = out.detach()
    where = _line(1)
    c.zero_()
    assert _error(out.sum().backward) == (
        f"`c.zero_()` at {where}, and `c` is `out.detach()`, which shares out's version counter.")


def test_direct_inplace_is_named() -> None:
    a = sg.tensor([1., 2.], requires_grad=True)
    out = a.exp()
    where = _line(1)
    out += 1
    assert _error(out.sum().backward) == f"`out.add_()` at {where}."


def test_view_alias_and_setitem_are_named() -> None:
    a = sg.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    x = a * 1
    y = x * x
    row = x[1]
    where = _line(1)
    row.mul_(2)
    assert _error(y.sum().backward) == (
        f"`row.mul_()` at {where}, and `row` is `x[1]`, which shares x's version counter.")
    x2 = a * 1
    y2 = x2.exp()
    where = _line(1)
    y2[:, 0] = 0.
    assert _error(y2.sum().backward) == f"`y2[:, 0] = ...` at {where}."


def test_several_bumps_are_listed_in_order() -> None:
    a = sg.tensor([1., 2.], requires_grad=True)
    out = a.tanh()
    first = _line(1)
    out.detach().mul_(2)
    second = _line(1)
    out.detach()[0] = 1.
    tail = _error(out.sum().backward)
    assert tail.startswith(f"`mul_()` at {first}, and it was called on `out.detach()`")
    assert f"; then `[0] = ...` at {second}" in tail


def test_data_writes_bump_nothing() -> None:
    a = sg.tensor([1., 2.], requires_grad=True)
    out = a.sigmoid()
    out.data.zero_()
    out.sum().backward()   # silently uses the zeroed output, as PyTorch does
    assert a.grad.tolist() == [0., 0.]
