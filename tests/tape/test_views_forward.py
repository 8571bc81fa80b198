"""Forward mode through views, ``unbind``, aliases and view creation meta
(writes through views update the base's tangent, as PyTorch's forward AD does)."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg

fwAD = sg.autograd.forward_ad


def _write_slice(sg_, x):
    y = x * 1
    y[1:].mul_(x[0])
    return y


def _write_select(sg_, x):
    y = sg_.zeros(4, dtype=sg_.float64)
    y[0] = x[2] * 3
    y[1:3] = x[:2].sin()
    return y


def _write_view_zero(sg_, x):
    y = x.exp()
    v = y.view(2, 2)
    v[0].zero_()
    return y * x


def _write_base_then_view(sg_, x):
    y = x.clone()
    v = y[2:]
    y.mul_(x)          # the base changes: v's tangent follows
    return v * 2



FUNCS = [_write_slice, _write_select, _write_view_zero, _write_base_then_view]


def _jvp(f, p: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with fwAD.dual_level():
        x = fwAD.make_dual(sg.tensor(p), sg.tensor(t))
        y, ty = fwAD.unpack_dual(f(sg, x))
        return y.numpy().copy(), ty.numpy().copy()


@pytest.mark.parametrize("f", FUNCS, ids=lambda f: f.__name__)
def test_writes_through_views_match_finite_differences(f) -> None:
    rng = np.random.default_rng(0)
    p, t = rng.normal(size=4), rng.normal(size=4)
    _, jvp = _jvp(f, p, t)
    eps = 1e-6
    plus = f(sg, sg.tensor(p + eps * t)).numpy()
    minus = f(sg, sg.tensor(p - eps * t)).numpy()
    np.testing.assert_allclose(jvp, (plus - minus) / (2 * eps), rtol=1e-6, atol=1e-8)


def test_write_through_view_updates_base_and_view_tangents() -> None:
    with fwAD.dual_level():
        x = fwAD.make_dual(sg.tensor([1., 2., 3.]), sg.tensor([1., 1., 1.]))
        y = x * 1
        v = y[1:]
        v.mul_(2)
        assert fwAD.unpack_dual(y).tangent.tolist() == [1., 2., 2.]
        assert fwAD.unpack_dual(v).tangent.tolist() == [2., 2.]


def test_base_without_tangent_gets_one_from_its_view() -> None:
    with fwAD.dual_level():
        z = sg.zeros(2, 3)
        u = z.view(6)
        w = z[1]
        u.copy_(fwAD.make_dual(sg.arange(6.), sg.ones(6)))
        assert fwAD.unpack_dual(z).tangent.tolist() == [[1.] * 3] * 2
        assert fwAD.unpack_dual(w).tangent.tolist() == [1.] * 3
        u.zero_()
        assert fwAD.unpack_dual(z).tangent.tolist() == [[0.] * 3] * 2


def test_make_dual_views_are_their_own_forward_base() -> None:
    p = sg.tensor([1., 2., 3.])
    with fwAD.dual_level():
        x = fwAD.make_dual(p, sg.ones(3))
        assert x._base is p
        x[1:].mul_(fwAD.make_dual(sg.tensor(2.), sg.tensor(1.)))
        assert fwAD.unpack_dual(x).tangent.tolist() == [1., 4., 5.]
        assert fwAD.unpack_dual(p).tangent is None
        assert p.tolist() == [1., 4., 6.]


def test_alias_is_a_proper_view_so_writes_rebase_the_base() -> None:
    a = sg.tensor(2., requires_grad=True)
    p = sg.ones(3)
    with fwAD.dual_level():
        x = fwAD.make_dual(p, sg.ones(3))
        x[0].mul_(a)
    assert x._view_fn is not None
    assert p.grad_fn.name() == "torch::autograd::CopySlices"
    p.sum().backward()
    assert a.grad.item() == 1.0


def test_nested_levels_write_through_view() -> None:
    with fwAD.dual_level():
        x = fwAD.make_dual(sg.tensor([1., 2.], dtype=sg.float64),
                           sg.tensor([1., 0.], dtype=sg.float64))
        with fwAD.dual_level():
            x2 = fwAD.make_dual(x, sg.tensor([0., 1.], dtype=sg.float64))
            y = sg.zeros(2, dtype=sg.float64)
            y[0] = x2[0] * x2[1]
            inner = fwAD.unpack_dual(y).tangent          # d/dx1 of x0*x1 at x: [x0, 0]
            assert inner.tolist() == [1., 0.]
        assert fwAD.unpack_dual(inner).tangent.tolist() == [1., 0.]  # d/dx0 of x0


def test_unbind_and_iteration_record_unbind_backward() -> None:
    a = sg.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    b = a * 1
    u0, u1 = b.unbind()
    assert u0.grad_fn.name() == "UnbindBackward0"
    assert u0.grad_fn.next_functions == u1.grad_fn.next_functions == ((b.grad_fn, 0),)
    assert [r.grad_fn.name() for r in b] == ["UnbindBackward0"] * 2
    (u0 * 2 + u1).sum().backward()
    assert a.grad.tolist() == [[2., 2.], [1., 1.]]


def test_unbind_outputs_cannot_be_modified_inplace() -> None:
    b = sg.tensor([[1., 2.], [3., 4.]], requires_grad=True) * 1
    u = b.unbind(1)
    with pytest.raises(RuntimeError, match="^Output 1 of Unbind is a view and is being "):
        u[1].mul_(2)
    with pytest.raises(RuntimeError, match="^Output 0 of Slice is a view"):
        u[1][0:1].zero_()
    assert b._version == 0
    c = sg.ones(2, 2)
    c.unbind()[0].mul_(2)  # nothing tracked: allowed
    assert c.tolist() == [[2., 2.], [1., 1.]]


def test_view_created_in_no_grad_cannot_be_modified_with_grad() -> None:
    a = sg.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    b = a * 1
    with sg.no_grad():
        v = b[0]
        v2 = a[0]
    with pytest.raises(RuntimeError, match="^A view was created in no_grad mode and is being "
                                           "modified inplace with grad mode enabled"):
        v.mul_(2)
    with pytest.raises(RuntimeError, match="^A view was created in no_grad mode"):
        v2.mul_(2)
    with pytest.raises(RuntimeError, match="^A view was created in no_grad mode"):
        v[1:].mul_(2)  # views of such a view inherit it
    with sg.no_grad():
        v.mul_(2)  # both inside no_grad: fine
    c = sg.ones(3)
    with sg.no_grad():
        cv = c[1:]
    cv.mul_(2)  # not tracked: fine
    with pytest.raises(RuntimeError, match="^A view was created in no_grad mode"):
        cv.mul_(a[0, 0])


def test_boolean_scalar_keys() -> None:
    x = sg.arange(6.).reshape(2, 3).requires_grad_()
    y = x * 1
    assert y[True].shape == (1, 2, 3) and y[True].grad_fn.name() == "IndexBackward0"
    assert y[False].shape == (0, 2, 3)
    assert y[0, True].shape == (1, 3)
    assert y[..., False].shape == (2, 3, 0)
    assert y[None, True].shape == (1, 1, 2, 3)
    y[True].sum().backward()
    assert x.grad.tolist() == [[1.] * 3] * 2


@pytest.mark.parametrize("key, message", [
    ((0, 3), "index 3 is out of bounds for dimension 1 with size 3"),
    ((Ellipsis, 9), "index 9 is out of bounds for dimension 1 with size 4"),
    ((0, slice(None), [7]), "index 7 is out of bounds for dimension 0 with size 4"),
    (([0], [0], [9]), "index 9 is out of bounds for dimension 2 with size 4"),
])
def test_index_errors_name_the_dimension_as_torch(key, message) -> None:
    with pytest.raises(IndexError, match=f"^{message}$"):
        sg.zeros(2, 3, 4)[key]
