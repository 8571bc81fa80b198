"""Views: shared storage and version counter, grad_fn names, writes through views
(``CopySlices``), regenerated views, and a property test of random view/indexing
programs against finite differences."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import symgrad as sg
from tests.helpers import central_diff


def leaf(data: Any) -> sg.Tensor:
    return sg.tensor(data, dtype=sg.float64, requires_grad=True)


def mat() -> sg.Tensor:
    return leaf(np.arange(12.).reshape(3, 4) - 5)


VIEWS = {
    "view": (lambda x: x.view(12), "ViewBackward0"),
    "reshape": (lambda x: x.reshape(4, 3), "ViewBackward0"),
    "flatten": (lambda x: x.flatten(), "ViewBackward0"),
    "t": (lambda x: x.t(), "TBackward0"),
    "T": (lambda x: x.T, "PermuteBackward0"),
    "transpose": (lambda x: x.transpose(0, 1), "TransposeBackward0"),
    "permute": (lambda x: x.permute(1, 0), "PermuteBackward0"),
    "unsqueeze": (lambda x: x.unsqueeze(1), "UnsqueezeBackward0"),
    "squeeze": (lambda x: x.unsqueeze(0).squeeze(), "SqueezeBackward0"),
    "squeeze_dim": (lambda x: x.unsqueeze(0).squeeze(0), "SqueezeBackward1"),
    "expand": (lambda x: x.expand(2, 3, 4), "ExpandBackward0"),
    "select": (lambda x: x[1], "SelectBackward0"),
    "slice": (lambda x: x[:, 1:], "SliceBackward0"),
    "none": (lambda x: x[None], "UnsqueezeBackward0"),
    "ellipsis": (lambda x: x[...], "AliasBackward0"),
}


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_view_shares_storage_and_version_counter(name: str) -> None:
    f, grad_fn = VIEWS[name]
    x = mat() * 1
    v = f(x)
    assert v.grad_fn.name() == grad_fn
    assert v._base is x and v._vc is x._vc
    assert np.shares_memory(v._data, x._data)
    with sg.no_grad():
        x.add_(1)
    assert v._version == x._version == 1
    assert v._data.sum() == pytest.approx(f(x.detach())._data.sum())


def test_reshape_of_non_contiguous_copies() -> None:
    x = mat() * 1
    y = x.t().reshape(12)
    assert y.grad_fn.name() == "UnsafeViewBackward0"
    assert y._base is None and y._vc is not x._vc
    x.detach().zero_()
    assert y._version == 0 and y._data.any()


def test_view_of_non_contiguous_raises() -> None:
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        mat().t().view(12)


def test_write_through_view_rebases_base_with_copy_slices() -> None:
    a = mat()
    x = a * 2
    v = x[1:]
    v.mul_(3)
    assert x.grad_fn.name() == "torch::autograd::CopySlices"
    assert type(x.grad_fn).__name__ == "CopySlices"
    assert x.grad_fn.next_functions[0][0].name() == "MulBackward0"
    assert v.grad_fn.name() == "AsStridedBackward0"
    assert x._version == v._version == 1
    x.sum().backward()
    assert a.grad.tolist() == [[2.] * 4, [6.] * 4, [6.] * 4]


def test_base_inplace_regenerates_live_views() -> None:
    a = mat()
    x = a * 1
    v = x[0]
    x.mul_(5)
    assert v.grad_fn.name() == "AsStridedBackward0"
    v.sum().backward()
    assert a.grad.tolist() == [[5.] * 4, [0.] * 4, [0.] * 4]


def test_view_zero_gives_zero_gradient_to_overwritten_part() -> None:
    a = leaf([1., 2., 3., 4.])
    x = a * a
    x.view(2, 2)[1].zero_()
    x.sum().backward()
    assert a.grad.tolist() == [2., 4., 0., 0.]


def test_value_written_into_constant_gets_gradient() -> None:
    b = leaf([1., 2.])
    y = sg.zeros(3, dtype=sg.float64)
    y[1:] = b * b
    assert y.requires_grad and not y.is_leaf
    assert y.grad_fn.next_functions[0][0] is None
    y.sum().backward()
    assert b.grad.tolist() == [2., 4.]


def test_inplace_on_view_of_leaf_raises_view_message() -> None:
    w = leaf([1., 2., 3.])
    with pytest.raises(RuntimeError, match="^a view of a leaf Variable that requires grad"):
        w[1:].mul_(2)
    with pytest.raises(RuntimeError, match="^a view of a leaf Variable that requires grad"):
        w[0] = 1.
    with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad"):
        w[[0]] = 1.


def test_write_through_view_under_no_grad_keeps_history() -> None:
    w = leaf([1., 2., 3.])
    with sg.no_grad():
        w[0] = 10.
    assert w.is_leaf and w._version == 1 and w.tolist() == [10., 2., 3.]
    (w * w).sum().backward()
    assert w.grad.tolist() == [20., 4., 6.]


def test_write_to_expanded_view_raises() -> None:
    x = sg.zeros(3).expand(2, 3)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        x.add_(1)


def test_saved_tensor_modified_through_view_is_detected() -> None:
    a = leaf([1., 2., 3.])
    x = a * 1
    y = x * x          # saves x
    x[0] = 0.
    with pytest.raises(RuntimeError, match="is at version 1; expected version 0"):
        y.sum().backward()


def test_data_alias_is_not_a_view_of_the_counter() -> None:
    a = leaf([1., 2., 3.])
    out = a.sigmoid()
    d = out.data
    d[0] = 0.
    assert out._version == 0 and out.tolist()[0] == 0.


# ------------------------------------------------------------ property test
def _view_ops(shape: tuple[int, ...]) -> st.SearchStrategy:
    """One view/indexing step valid for ``shape``, as (description, function)."""
    n = len(shape)
    opts: list[st.SearchStrategy] = [
        st.just(("reshape", lambda x: x.reshape(-1))),
        st.just(("unsqueeze", lambda x: x.unsqueeze(0))),
        st.just(("ellipsis", lambda x: x[...])),
        st.just(("stack", lambda x: sg.stack([x, x * 2], 0))),
        st.just(("cat", lambda x: sg.cat([x, x * x], 0) if x.ndim else x)),
    ]
    if n >= 2:
        opts.append(st.just(("t", lambda x: x.transpose(0, 1))))
    if n >= 1 and shape[0] > 0:
        m = shape[0]
        opts += [
            st.integers(-m, m - 1).map(lambda i: (f"[{i}]", lambda x: x[i])),
            st.tuples(st.integers(0, m - 1), st.integers(1, 3)).map(
                lambda p: (f"[{p[0]}::{p[1]}]", lambda x: x[p[0]::p[1]])),
            st.lists(st.integers(-m, m - 1), min_size=1, max_size=4).map(
                lambda ix: (f"[{ix}]", lambda x: x[ix])),
            st.lists(st.booleans(), min_size=m, max_size=m).map(
                lambda bs: (f"[mask {bs}]", lambda x: x[sg.tensor(bs)])),
            st.lists(st.integers(0, m - 1), min_size=1, max_size=3).map(
                lambda ix: (f"gather {ix}", lambda x: x.gather(
                    0, sg.tensor(np.array(ix).reshape((-1,) + (1,) * (x.ndim - 1))
                                 .repeat(1, axis=0))) if x.ndim == 1 else x[ix])),
        ]
    if n >= 2 and shape[1] > 0:
        opts.append(st.integers(0, shape[1] - 1).map(lambda i: (f"[..., {i}, :]", lambda x:
                                                                 x[:, i])))
    return st.one_of(opts)


@st.composite
def view_programs(draw: Any) -> tuple[tuple[int, ...], list]:
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)))
    steps = []
    cur = np.zeros(shape)
    for _ in range(draw(st.integers(1, 3))):
        name, f = draw(_view_ops(cur.shape))
        t = f(sg.tensor(cur))
        steps.append((name, f))
        cur = np.asarray(t._data)
    return shape, steps


@given(view_programs(), st.integers(0, 2 ** 31 - 1))
def test_view_programs_match_finite_differences(prog: Any, seed: int) -> None:
    shape, steps = prog
    rng = np.random.default_rng(seed)
    x0 = rng.standard_normal(shape)

    def run(xv: np.ndarray) -> tuple[sg.Tensor, sg.Tensor]:
        x = leaf(xv)
        y = x.sin()
        for _, f in steps:
            y = f(y)
        w = sg.tensor(np.cos(np.arange(y.numel()).reshape(y.shape) + 1.), dtype=sg.float64)
        return x, ((y * y) * w).sum()

    x, out = run(x0)
    out.backward()
    fd = central_diff(lambda xs: float(run(xs[0])[1].item()), [x0.copy()], 0)
    assert np.allclose(x.grad._data, fd, atol=1e-6), [n for n, _ in steps]


@given(st.lists(st.integers(0, 3), min_size=1, max_size=3), st.integers(0, 2 ** 31 - 1))
def test_writes_through_views_match_finite_differences(rows: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    a0, b0 = rng.standard_normal((4, 3)), rng.standard_normal(3)

    def run(a_v: np.ndarray, b_v: np.ndarray) -> tuple[Any, Any, Any]:
        a, b = leaf(a_v), leaf(b_v)
        x = a.sin()
        for k, r in enumerate(rows):
            if k % 3 == 0:
                x[r] = b * x[r].clone()
            elif k % 3 == 1:
                x[:, 1:].mul_(b[1:])
            else:
                x.t()[r % 3].sigmoid_()
        return a, b, (x * x).sum()

    a, b, out = run(a0, b0)
    out.backward()
    f = lambda xs: float(run(xs[0], xs[1])[2].item())  # noqa: E731
    assert np.allclose(a.grad._data, central_diff(f, [a0.copy(), b0.copy()], 0), atol=1e-6)
    assert np.allclose(b.grad._data, central_diff(f, [a0.copy(), b0.copy()], 1), atol=1e-6)
