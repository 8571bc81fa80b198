"""Constructors, dtypes and PyTorch's type promotion, attributes and conversions."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg


@pytest.fixture(autouse=True)
def _default_dtype():
    yield
    sg.set_default_dtype(sg.float32)


# ------------------------------------------------------------- constructors
def test_float_data_defaults_to_float32() -> None:
    assert sg.tensor([1, 2, 3.]).dtype == sg.float32
    assert sg.tensor(2.5).dtype == sg.float32


def test_int_and_bool_data_keep_their_kind() -> None:
    assert sg.tensor([1, 2]).dtype == sg.int64
    assert sg.tensor([True, False]).dtype == sg.bool
    assert sg.tensor(3).dtype == sg.int64


def test_explicit_dtype_wins() -> None:
    t = sg.tensor([1, 2], dtype=sg.float64)
    assert t.dtype == sg.float64 and t.tolist() == [1.0, 2.0]


def test_numpy_arrays_keep_their_dtype_and_are_copied() -> None:
    a = np.array([1., 2.])
    t = sg.tensor(a)
    assert t.dtype == sg.float64
    a[0] = 9
    assert t.tolist() == [1.0, 2.0]


def test_from_numpy_shares_memory() -> None:
    a = np.array([1., 2.], dtype=np.float32)
    t = sg.from_numpy(a)
    a[0] = 9
    assert t.tolist() == [9.0, 2.0]


def test_set_default_dtype_changes_float_constructors() -> None:
    sg.set_default_dtype(sg.float64)
    assert sg.tensor([1.5]).dtype == sg.float64
    assert sg.ones(2).dtype == sg.float64
    assert sg.get_default_dtype() == sg.float64
    assert (sg.tensor([1, 2]) * 2.5).dtype == sg.float64


def test_set_default_dtype_rejects_integer_types() -> None:
    with pytest.raises(TypeError):
        sg.set_default_dtype(sg.int64)


@pytest.mark.parametrize("make,shape,dtype", [
    (lambda: sg.zeros(2, 3), (2, 3), sg.float32),
    (lambda: sg.ones((2,)), (2,), sg.float32),
    (lambda: sg.full((2, 2), 7), (2, 2), sg.int64),
    (lambda: sg.full((2,), 1.5), (2,), sg.float32),
    (lambda: sg.arange(4), (4,), sg.int64),
    (lambda: sg.arange(0, 1, 0.25), (4,), sg.float32),
    (lambda: sg.linspace(0, 1, 5), (5,), sg.float32),
    (lambda: sg.rand(3, 2), (3, 2), sg.float32),
    (lambda: sg.randn(4), (4,), sg.float32),
    (lambda: sg.zeros_like(sg.ones(2, 2, dtype=sg.float64)), (2, 2), sg.float64),
    (lambda: sg.ones_like(sg.tensor([1, 2])), (2,), sg.int64),
])
def test_constructor_shape_and_dtype(make, shape, dtype) -> None:
    t = make()
    assert tuple(t.shape) == shape and t.dtype == dtype


def test_constructors_accept_requires_grad() -> None:
    assert sg.zeros(2, requires_grad=True).requires_grad
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype"):
        sg.zeros(2, dtype=sg.int64, requires_grad=True)


def test_manual_seed_makes_rand_reproducible() -> None:
    sg.manual_seed(3)
    a = sg.randn(3).tolist()
    sg.manual_seed(3)
    assert sg.randn(3).tolist() == a


# ---------------------------------------------------------------- promotion
@pytest.mark.parametrize("expr,dtype", [
    ("sg.tensor([1, 2]) * 2.5", sg.float32),
    ("sg.tensor([1, 2]) * 2", sg.int64),
    ("sg.tensor([1, 2]) / 2", sg.float32),
    ("sg.tensor([1, 2]) / sg.tensor([2, 2])", sg.float32),
    ("sg.tensor([True]) + 1", sg.int64),
    ("sg.tensor([True]) * 1.5", sg.float32),
    ("sg.tensor([1., 2.]) * sg.tensor(2., dtype=sg.float64)", sg.float32),
    ("sg.tensor([1, 2]) * sg.tensor(2.)", sg.float32),
    ("sg.tensor(2., dtype=sg.float64) * sg.tensor(2.)", sg.float64),
    ("sg.tensor([1., 2.]) * sg.tensor([1., 2.], dtype=sg.float64)", sg.float64),
    ("sg.tensor([1], dtype=sg.int32) * sg.tensor([1])", sg.int64),
    ("sg.tensor([1, 2], dtype=sg.int32) + 5", sg.int32),
    ("sg.tensor(2, dtype=sg.int32) * sg.tensor([1, 2], dtype=sg.int8)", sg.int8),
    ("sg.tensor([1, 2]).exp()", sg.float32),
    ("sg.tensor([1, 2]).sum()", sg.int64),
    ("sg.tensor([1., 2.]) > 1", sg.bool),
])
def test_promotion_follows_pytorch(expr: str, dtype) -> None:
    assert eval(expr, {"sg": sg}).dtype == dtype


def test_int_tensor_times_float_value() -> None:
    assert repr(sg.tensor([1, 2]) * 2.5) == "tensor([2.5000, 5.0000])"


# --------------------------------------------------------------- attributes
def test_shape_dtype_ndim() -> None:
    t = sg.tensor([[1., 2., 3.], [4., 5., 6.]])
    assert t.shape == (2, 3) and repr(t.shape) == "torch.Size([2, 3])"
    assert t.dtype == sg.float32 and repr(t.dtype) == "torch.float32"
    assert t.ndim == 2 and t.dim() == 2 and t.numel() == 6
    assert t.size() == (2, 3) and t.size(1) == 3 and t.size(-1) == 3
    assert len(t) == 2


def test_T_reverses_dims() -> None:
    t = sg.tensor([[1., 2., 3.], [4., 5., 6.]])
    assert t.T.tolist() == [[1., 4.], [2., 5.], [3., 6.]]
    assert tuple(sg.zeros(2, 3, 4).T.shape) == (4, 3, 2)


def test_zero_dim_tensor() -> None:
    t = sg.tensor(3.5)
    assert t.shape == () and t.ndim == 0 and t.numel() == 1
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(t)


# -------------------------------------------------------------- conversions
def test_numpy_shares_memory_with_the_tensor() -> None:
    t = sg.tensor([1., 2.])
    a = t.numpy()
    assert a.dtype == np.float32
    a[0] = 5
    assert t.tolist() == [5., 2.]


def test_numpy_on_tensor_requiring_grad_raises() -> None:
    t = sg.tensor([1., 2.], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Can't call numpy\(\) on Tensor that requires grad. "
                                           r"Use tensor.detach\(\).numpy\(\) instead."):
        t.numpy()
    assert t.detach().numpy().tolist() == [1., 2.]


def test_item_tolist_float() -> None:
    t = sg.tensor([[1., 2.], [3., 4.]])
    assert t.tolist() == [[1., 2.], [3., 4.]]
    assert t.sum().item() == 10.0 and isinstance(t.sum().item(), float)
    assert float(t.sum()) == 10.0
    assert sg.tensor([7]).item() == 7 and isinstance(sg.tensor([7]).item(), int)
    assert int(sg.tensor(3.7)) == 3


def test_item_of_many_elements_raises() -> None:
    with pytest.raises(RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"):
        sg.tensor([1., 2.]).item()


def test_bool_of_many_elements_is_ambiguous() -> None:
    with pytest.raises(RuntimeError, match="Boolean value of Tensor with more than one value"):
        bool(sg.tensor([1., 2.]))
    assert bool(sg.tensor([1.])) is True


def test_format_of_zero_dim_tensor_formats_the_number() -> None:
    assert f"{sg.tensor(2.5):.2f}" == "2.50"
