"""Indexing: ``x[key]`` gradients (repeated indices add up), ``x[key] = v``,
``cat``/``stack``/``gather``/``unbind``, the symbolic record, and PyTorch's errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import symgrad as sg
from symgrad.ops import OPS


def leaf(data: Any) -> sg.Tensor:
    return sg.tensor(data, dtype=sg.float64, requires_grad=True)


def test_repeated_indices_scatter_add() -> None:
    a = leaf([1., 2., 3.])
    a[[0, 0, 2, 0]].sum().backward()
    assert a.grad.tolist() == [3., 0., 1.]


def test_mask_gradient_and_result_is_a_copy() -> None:
    a = leaf([1., -2., 3.])
    x = a * 1
    y = x[x > 0]
    assert y.grad_fn.name() == "IndexBackward0" and y._base is None and y._vc is not x._vc
    (y * y).sum().backward()
    assert a.grad.tolist() == [2., 0., 6.]


def test_int_then_list_follows_torch_not_numpy() -> None:
    x = sg.zeros(2, 3, 4)
    assert tuple(x[0, :, [1, 2]].shape) == (3, 2)   # NumPy would give (2, 3)


def test_setitem_mask_uses_index_put() -> None:
    a = leaf([1., 5., 3.])
    x = a * 2
    x[x > 4] = 0
    assert x.grad_fn.name() == "IndexPutBackward0" and x._version == 1
    x.sum().backward()
    assert a.grad.tolist() == [2., 0., 0.]


def test_setitem_broadcasts_tensor_value_and_sums_its_gradient() -> None:
    a = leaf(np.ones((2, 3)))
    b = leaf([1., 2., 3.])
    x = a * 1
    x[[0, 1]] = b
    x.sum().backward()
    assert b.grad.tolist() == [2., 2., 2.] and a.grad.tolist() == [[0.] * 3] * 2


def test_setitem_number_on_plain_tensor() -> None:
    x = sg.zeros(2, 3)
    x[1, ::2] = 7
    x[..., 1] = 1
    assert x.tolist() == [[0., 1., 0.], [7., 1., 7.]] and x._version == 2


def test_cat_stack_gather_gradients() -> None:
    a, b = leaf([1., 2.]), leaf([[3.], [4.]])
    c = sg.cat([a.unsqueeze(1), b * b], 1)
    s = sg.stack([a, a * 3], 0)
    g = sg.gather(a, 0, sg.tensor([1, 1, 0]))
    assert (c.grad_fn.name(), s.grad_fn.name(), g.grad_fn.name()) == (
        "CatBackward0", "StackBackward0", "GatherBackward0")
    (c.sum() + s.sum() + g.sum()).backward()
    assert a.grad.tolist() == [1. + 4. + 1., 1. + 4. + 2.]
    assert b.grad.tolist() == [[6.], [8.]]


def test_cat_promotes_dtypes() -> None:
    assert sg.cat([sg.tensor([1, 2]), sg.tensor([0.5])]).dtype == sg.float32


def test_unbind_and_iteration_are_select_views() -> None:
    x = leaf([[1., 2.], [3., 4.]]) * 1
    rows = list(x)
    assert [r.tolist() for r in rows] == [[1., 2.], [3., 4.]]
    assert all(r._base is x for r in x.unbind(1))
    with pytest.raises(TypeError, match="iteration over a 0-d tensor"):
        iter(sg.tensor(1.))


@pytest.mark.parametrize("key,kind,message", [
    (5, IndexError, "index 5 is out of bounds for dimension 0 with size 2"),
    ((0, 0, 0), IndexError, "too many indices for tensor of dimension 2"),
    ([0, -3], IndexError, "index -3 is out of bounds for dimension 0 with size 2"),
    (1.5, IndexError, "only integers, slices"),
    (slice(None, None, -1), ValueError, "step must be greater than zero"),
    ((..., ...), IndexError, "an index can only have a single ellipsis"),
])
def test_index_errors(key: Any, kind: type, message: str) -> None:
    x = sg.zeros(2, 3)
    with pytest.raises(kind, match=message.replace("(", r"\(").replace("[", r"\[")):
        x[key]


def test_mask_shape_error() -> None:
    with pytest.raises(IndexError, match=r"The shape of the mask \[3\] at index 0 does not"):
        sg.zeros(2, 3)[sg.tensor([True, False, True])]


def test_setitem_shape_errors() -> None:
    x = sg.zeros(4)
    with pytest.raises(RuntimeError, match=r"shape mismatch: value tensor of shape \[3\]"):
        x[[0, 1]] = sg.zeros(3)
    with pytest.raises(RuntimeError, match=r"The expanded size of the tensor \(3\) must match"):
        x[1:] = sg.zeros(2)


def test_cat_and_stack_errors() -> None:
    with pytest.raises(ValueError, match="expected a non-empty list"):
        sg.cat([])
    with pytest.raises(RuntimeError, match="Sizes of tensors must match except in dimension 1"):
        sg.cat([sg.zeros(2, 3), sg.zeros(3, 3)], 1)
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        sg.stack([sg.zeros(2), sg.zeros(3)])


def test_symbolic_record_uses_normalized_keys() -> None:
    x = leaf(np.zeros((3, 4))) * 1
    y = x[1:, [0, 2]]
    assert y.record.op is OPS["index"]
    key = y.record.attrs["key"]
    assert key[0] == slice(None) and key[1].tolist() == [0, 2]
    assert y.record.inputs[0].record.op is OPS["slice"]
    a, b = sg.cat([x, x]).record.inputs
    assert a is b and a._data is None and a.record is x.record


def test_indexing_value_less_symbols_records_only() -> None:
    s = sg.symbol("s", (3, 4))
    y = s[0, 1:]
    assert y._data is None and y.record.op is OPS["slice"] and y.record.inputs[0].record.op is OPS["select"]
    t = sg.symbol("s2", (3,)) * 2
    t[[0, 1]] = 0.
    assert t._data is None and t.record.op is OPS["index_put"]


def test_double_backward_through_indexing() -> None:
    a = leaf([1., 2., 3.])
    y = (a[[0, 0, 2]] ** 3).sum()
    (g,) = sg.autograd.grad(y, a, create_graph=True)
    assert g.tolist() == [6., 0., 27.]
    (h,) = sg.autograd.grad(g.sum(), a)
    assert h.tolist() == [12., 0., 18.]
