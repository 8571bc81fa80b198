"""``no_grad`` / ``enable_grad`` / ``set_grad_enabled`` as context managers and decorators."""

from __future__ import annotations

import symgrad as sg


def test_no_grad_context_stops_recording() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    with sg.no_grad():
        y = x * 2
        assert not sg.is_grad_enabled()
    assert sg.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None and y.is_leaf


def test_no_grad_decorator() -> None:
    @sg.no_grad()
    def double(t: sg.Tensor) -> sg.Tensor:
        return t * 2

    y = double(sg.tensor([1., 2.], requires_grad=True))
    assert not y.requires_grad
    assert double.__name__ == "double"


def test_enable_grad_inside_no_grad() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    with sg.no_grad():
        with sg.enable_grad():
            assert (x * 2).requires_grad
        assert not (x * 2).requires_grad


def test_enable_grad_decorator() -> None:
    @sg.enable_grad()
    def f(t: sg.Tensor) -> sg.Tensor:
        return t * 2

    x = sg.tensor([1.], requires_grad=True)
    with sg.no_grad():
        assert f(x).requires_grad


def test_set_grad_enabled_as_function_and_context() -> None:
    x = sg.tensor([1.], requires_grad=True)
    sg.set_grad_enabled(False)
    try:
        assert not (x * 2).requires_grad
    finally:
        sg.set_grad_enabled(True)
    assert (x * 2).requires_grad
    with sg.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad


def test_set_grad_enabled_decorator() -> None:
    @sg.set_grad_enabled(False)
    def f(t: sg.Tensor) -> sg.Tensor:
        return t * 2

    x = sg.tensor([1.], requires_grad=True)
    assert sg.is_grad_enabled()
    assert not f(x).requires_grad
    assert sg.is_grad_enabled()


def test_grad_mode_restored_after_exception() -> None:
    try:
        with sg.no_grad():
            raise ValueError
    except ValueError:
        pass
    assert sg.is_grad_enabled()
