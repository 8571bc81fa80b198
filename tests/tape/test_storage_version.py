"""Storage sharing and version counters: ``detach()`` shares the counter,
``.data`` gets a fresh one, every in-place op (and ``+=``) bumps it."""

from __future__ import annotations

import pytest

import symgrad as sg


def test_detach_shares_storage_and_version_counter() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    d = x.detach()
    assert not d.requires_grad and d.grad_fn is None
    d.add_(1)
    assert x.tolist() == [2., 3.]
    assert x._version == d._version == 1


def test_data_shares_storage_with_a_fresh_version_counter() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    d = x.data
    assert not d.requires_grad
    d.add_(1)
    assert x.tolist() == [2., 3.]
    assert x._version == 0 and d._version == 1


def test_data_setter_replaces_storage() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    x.data = sg.tensor([5., 6.])
    assert x.tolist() == [5., 6.] and x.requires_grad


@pytest.mark.parametrize("call", [
    "x.add_(1)", "x.sub_(1)", "x.mul_(2)", "x.div_(2)", "x.pow_(2)", "x.zero_()",
    "x.fill_(3)", "x.copy_(sg.ones(3))", "x.clamp_(0, 1)", "x.sigmoid_()", "x.exp_()",
    "x.relu_()", "x.neg_()", "x.add_(sg.ones(3), alpha=2)",
])
def test_each_inplace_op_bumps_the_version_once(call: str) -> None:
    x = sg.tensor([1., 2., 3.])
    out = eval(call, {"x": x, "sg": sg})
    assert out is x
    assert x._version == 1


@pytest.mark.parametrize("stmt", ["x += 1", "x -= 1", "x *= 2", "x /= 2"])
def test_augmented_assignment_is_inplace(stmt: str) -> None:
    x = sg.tensor([1., 2., 3.])
    env = {"x": x}
    exec(stmt, env)
    assert env["x"] is x and x._version == 1


def test_versions_accumulate() -> None:
    x = sg.tensor([1., 2.])
    x.add_(1)
    x += 1
    x.mul_(2)
    assert x._version == 3
    assert x.tolist() == [6., 8.]


def test_out_of_place_ops_do_not_bump() -> None:
    x = sg.tensor([1., 2.])
    _ = x + 1, x.exp(), x.sum()
    assert x._version == 0


def test_inplace_result_values() -> None:
    x = sg.tensor([-1., 0.5, 2.])
    assert x.clone().clamp_(0, 1).tolist() == [0., 0.5, 1.]
    assert x.clone().relu_().tolist() == [0., 0.5, 2.]
    assert x.clone().neg_().tolist() == [1., -0.5, -2.]
    assert x.clone().fill_(7).tolist() == [7., 7., 7.]
    assert x.clone().pow_(2).tolist() == [1., 0.25, 4.]


def test_inplace_on_int_tensor_cannot_take_a_float_result() -> None:
    x = sg.tensor([1, 2])
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired "
                                           "output type Long"):
        x.mul_(1.5)


def test_inplace_on_leaf_requiring_grad_raises() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in "
                                           "an in-place operation."):
        x.add_(1)
    with pytest.raises(RuntimeError, match="a leaf Variable"):
        x += 1
    assert x._version == 0


def test_inplace_on_leaf_is_allowed_under_no_grad() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    with sg.no_grad():
        x.sub_(1)
    assert x.tolist() == [0., 1.] and x._version == 1 and x.is_leaf


def test_inplace_on_non_leaf_records_the_op() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    y = x * 1
    y.add_(1)
    assert y.grad_fn.name() == "AddBackward0"
    assert y.grad_fn.next_functions[0][0].name() == "MulBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [1., 1.]


def test_accumulated_grad_bumps_its_version() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    (x * 2).sum().backward()
    g = x.grad
    (x * 2).sum().backward()
    assert x.grad is g and g._version == 1 and g.tolist() == [4., 4.]
