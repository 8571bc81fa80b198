"""Forward AD through views, unbind, view creation meta and indexing edge cases, live
against PyTorch (skipped without it)."""

from __future__ import annotations

import pytest

import symgrad as sg

torch = pytest.importorskip("torch")


def _script(lib):
    """Values are read at once: PyTorch updates tangents in place, symgrad gives new ones."""
    fwAD = lib.autograd.forward_ad
    out = _Values()
    with fwAD.dual_level():
        x = fwAD.make_dual(lib.tensor([1., 2., 3.]), lib.tensor([1., 1., 1.]))
        y = x * 1
        v = y[1:]
        v.mul_(2)
        out += [fwAD.unpack_dual(y).tangent, fwAD.unpack_dual(v).tangent]
        z = lib.tensor([1., 2., 3.])
        z[0] = x[2] * 3
        out.append(fwAD.unpack_dual(z).tangent)
        w = lib.zeros(2, 3)
        u = w.view(6)
        u.copy_(fwAD.make_dual(lib.arange(6.), lib.ones(6)))
        out.append(fwAD.unpack_dual(w).tangent)
        u.zero_()
        out.append(fwAD.unpack_dual(w).tangent)
        b = lib.ones(3)
        bv = b[1:]
        b.mul_(x)
        out.append(fwAD.unpack_dual(bv).tangent)
        p = lib.tensor([1., 2., 3.])
        d = fwAD.make_dual(p, lib.ones(3))
        d[1:].mul_(fwAD.make_dual(lib.tensor(2.), lib.tensor(1.)))
        out += [fwAD.unpack_dual(d).tangent, p]
    return list(out)


class _Values(list):
    def append(self, t) -> None:
        super().append(t.tolist())

    def __iadd__(self, ts):
        for t in ts:
            self.append(t)
        return self


def test_forward_ad_through_views_matches_torch() -> None:
    assert _script(sg) == _script(torch)


def _message(lib, case: str) -> str:
    a = lib.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    b = a * 1
    try:
        if case == "unbind":
            b.unbind(1)[1].mul_(2)
        elif case == "unbind_view":
            b.unbind()[1][0:1].zero_()
        elif case == "no_grad":
            with lib.no_grad():
                v = b[0]
            v.mul_(2)
        elif case == "no_grad_leaf":
            with lib.no_grad():
                v = a[0]
            v.mul_(2)
    except RuntimeError as e:
        return str(e)
    return "no error"


@pytest.mark.parametrize("case", ["unbind", "unbind_view", "no_grad", "no_grad_leaf"])
def test_view_creation_errors_match_torch(case: str) -> None:
    assert _message(sg, case) == _message(torch, case)


def test_unbind_grad_fn_matches_torch() -> None:
    def names(lib):
        b = lib.tensor([[1., 2.], [3., 4.]], requires_grad=True) * 1
        return [type(r.grad_fn).__name__ for r in list(b) + list(b.unbind(1))]
    assert names(sg) == names(torch)


KEYS = [True, False, (True,), (0, True), (True, 0), (True, [0, 0]), (..., True, [1, 1]),
        ([True, False],), (slice(None), [True, False, True]), (0, 0, True), (-1, -3),
        (slice(None), None, [0, 0]), ([[0], [1]], [[0, 1]])]


def _index(lib, key):
    x = lib.arange(6.).reshape(2, 3).requires_grad_()
    y = (x * 1)[key]
    y.sum().backward()
    return tuple(y.shape), type(y.grad_fn).__name__, y.tolist(), x.grad.tolist()


@pytest.mark.parametrize("key", KEYS, ids=repr)
def test_indexing_edge_cases_match_torch(key) -> None:
    assert _index(sg, key) == _index(torch, key)


BAD = [(0, 3), (1, 0, 5), (0, [5]), (0, slice(None), [7]), (None, 0, 4), (Ellipsis, 9),
       ([0], 0, 9), ([0], [0], [9]), ([0], slice(None), [9])]


@pytest.mark.parametrize("key", BAD, ids=repr)
def test_index_errors_name_the_dimension_as_torch(key) -> None:
    def err(lib):
        with pytest.raises(IndexError) as e:
            lib.zeros(2, 3, 4)[key]
        return str(e.value)
    assert err(sg) == err(torch)


def test_setitem_with_boolean_scalar_matches_torch() -> None:
    def run(lib):
        z = lib.zeros(2, 3)
        z[True] = 1.
        z[False] = 5.
        z[0, True] = lib.tensor([2., 3., 4.])
        return z.tolist()
    assert run(sg) == run(torch)
