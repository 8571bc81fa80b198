"""symgrad against real PyTorch: views, indexing, in-place writes through views, hooks.

Each scenario is a function of the library (``symgrad`` or ``torch``) that
returns what a user can observe: values, gradients, ``grad_fn`` names,
versions, messages. Skipped when PyTorch is not installed.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import symgrad as sg

torch = pytest.importorskip("torch")

SCENARIOS: dict[str, Callable[[Any], Any]] = {}


def scenario(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    SCENARIOS[fn.__name__] = fn
    return fn


def obs(x: Any) -> Any:
    """A comparable picture of a result: tensors become (values, grad_fn name)."""
    if isinstance(x, (tuple, list)):
        return [obs(v) for v in x]
    if isinstance(x, dict):
        return {k: obs(v) for k, v in x.items()}
    if hasattr(x, "detach") and hasattr(x, "shape"):
        fn = x.grad_fn
        return (np.round(np.asarray(x.detach().tolist(), dtype=float), 5).tolist(),
                tuple(x.shape), None if fn is None else fn.name())
    return x


def L(t: Any) -> Any:
    """Rounded values of a tensor (float64 results differ in the last bits between engines)."""
    return np.round(np.asarray(t.detach().tolist(), dtype=float), 9).tolist()


def leaf(T: Any, data: Any) -> Any:
    return T.tensor(data, dtype=T.float64, requires_grad=True)


def M(T: Any) -> Any:
    return leaf(T, [[1., -2., 3., 0.5], [4., 5., -6., 2.], [0.1, 8., 9., -1.]])


KEYS = {
    "int": 1, "neg_int": -1, "pair": (1, 2), "slice": slice(1, None), "step": slice(None, None, 2),
    "full_bare": slice(None), "full_tuple": (slice(None),), "ellipsis": Ellipsis,
    "none": None, "none_int": (None, 0), "ell_int": (Ellipsis, 0), "int_slice": (0, slice(1, 3)),
    "slice_int": (slice(1, None), 0), "list": [0, 2], "repeat": [2, 0, 2],
    "int_list": (0, [1, 1, 3]), "two_lists": ([0, 2, 2], [1, 3, 1]),
    "slice_list": (slice(None), [0, 0, 3]), "list_slice": ([1], slice(None, None, 2)),
    "empty": slice(2, 1), "col": (slice(None), 2), "trailing_none": (0, None, Ellipsis, None),
}


@pytest.mark.parametrize("name", sorted(KEYS))
def test_getitem_matches_torch(name: str) -> None:
    def run(T: Any) -> Any:
        a = M(T)
        x = a * 1
        key = KEYS[name]
        y = x[key]
        (y * y).sum().backward()
        return obs(y), L(a.grad), y._version, y._base is x
    assert run(sg) == run(torch)


def test_mask_and_tensor_keys_match_torch() -> None:
    def run(T: Any) -> Any:
        a = M(T)
        x = a * 1
        y = x[x > 2]
        z = x[T.tensor([2, 0])]
        w = x[T.tensor(1)]
        (y.sum() + (z * z).sum() + w.sum() * 3).backward()
        return obs([y, z, w]), L(a.grad)
    assert run(sg) == run(torch)


@scenario
def views_share_counter(T: Any) -> Any:
    a = M(T)
    x = a * 1
    vs = [x.view(12), x.reshape(4, 3), x.t(), x.T, x.transpose(0, 1), x.permute(1, 0),
          x.unsqueeze(1), x.unsqueeze(0).squeeze(0), x.unsqueeze(0).squeeze(), x[None],
          x.flatten(), x[1:], x[:, 2], x.expand(2, 3, 4), x.view(3, 4), x.mT]
    x.mul_(2)
    return [(obs(v), v._version, v._base is x) for v in vs]


@scenario
def reshape_of_transpose_copies(T: Any) -> Any:
    a = M(T)
    x = a * 1
    y = x.t().reshape(12)
    x.add_(1)
    return obs(y), y._version, y._base is None


@scenario
def setitem_int(T: Any) -> Any:
    a = M(T)
    x = a * 2
    x[0] = 5
    x.sum().backward()
    return obs(x), x._version, L(a.grad), [f[0] and f[0].name() for f in
                                           x.grad_fn.next_functions]


@scenario
def setitem_slice_tensor(T: Any) -> Any:
    a = M(T)
    b = leaf(T, [10., 20., 30., 40.])
    x = a * 2
    x[1:] = b * b
    (x * x).sum().backward()
    return obs(x), L(a.grad), L(b.grad)


@scenario
def setitem_broadcast(T: Any) -> Any:
    a = M(T)
    b = leaf(T, [7., 8.])
    x = a * 1
    x[:, 1:3] = b
    (x * x).sum().backward()
    return obs(x), L(a.grad), L(b.grad)


@scenario
def setitem_mask(T: Any) -> Any:
    a = M(T)
    x = a * 1
    x[x > 2] = 0
    (x * x).sum().backward()
    return obs(x), x._version, L(a.grad)


@scenario
def setitem_mask_tensor(T: Any) -> Any:
    a = M(T)
    b = leaf(T, 3.)
    x = a * 1
    x[x < 0] = b * 2
    (x * x).sum().backward()
    return obs(x), L(a.grad), L(b.grad)


@scenario
def setitem_repeated_indices(T: Any) -> Any:
    a = M(T)
    b = leaf(T, [1., 2.])
    x = a * 1
    x[[0, 0], [1, 1]] = b
    x.sum().backward()
    return obs(x), L(a.grad), L(b.grad)


@scenario
def setitem_int_then_list(T: Any) -> Any:
    a = M(T)
    x = a * 1
    x[0, [1, 2]] = 0
    (x * x).sum().backward()
    return obs(x), L(a.grad)


@scenario
def augmented_slice(T: Any) -> Any:
    a = M(T)
    x = a * 1
    x[1:] += 1
    x[:, 0] *= 3
    (x * x).sum().backward()
    return obs(x), x._version, L(a.grad)


@scenario
def mul_through_view(T: Any) -> Any:
    a = M(T)
    x = a * 1
    v = x[1:]
    w = x[0]
    v.mul_(2)
    (x * x).sum().backward(retain_graph=True)
    g1 = a.grad.clone()
    a.grad = None
    (w * v.sum()).sum().backward()
    return obs([x, v, w]), L(g1), L(a.grad), v._version, w._version


@scenario
def view_zero(T: Any) -> Any:
    a = M(T)
    x = a * a
    v = x.view(2, 6)
    v[1].zero_()
    x.sum().backward()
    return obs([x, v]), L(a.grad)


@scenario
def sigmoid_through_view(T: Any) -> Any:
    a = M(T)
    x = a * 1
    x[:, 1:].sigmoid_()
    (x * x).sum().backward()
    return obs(x), L(a.grad)


@scenario
def write_into_constant(T: Any) -> Any:
    b = leaf(T, [1., 2., 3.])
    y = T.zeros(2, 3, dtype=T.float64)
    y[1] = b * 2
    (y * y).sum().backward()
    return obs(y), y.requires_grad, y.is_leaf, L(b.grad)


@scenario
def base_inplace_regenerates_views(T: Any) -> Any:
    a = M(T)
    x = a * 1
    v = x[1:]
    x.mul_(3)
    v.sum().backward()
    return obs(v), L(a.grad)


@scenario
def nested_views(T: Any) -> Any:
    a = M(T)
    x = a * 1
    v = x.t()[1:]
    u = v[:, ::2]
    u.add_(a[0, :3].unsqueeze(1))
    (x * x).sum().backward()
    return obs([x, v, u]), L(a.grad)


@scenario
def no_grad_write(T: Any) -> Any:
    a = M(T)
    x = a * 1
    v = x[0]
    with T.no_grad():
        v.fill_(1)
    (x * x).sum().backward()
    return obs([x, v]), L(a.grad)


@scenario
def errors_raised(T: Any) -> Any:
    out = []
    w = leaf(T, [1., 2., 3.])
    m = M(T) * 1
    for f in [lambda: w.__setitem__(0, 1.), lambda: w.__setitem__([0], 1.),
              lambda: w[1:].mul_(2), lambda: w.view(3).zero_(),
              lambda: m[5], lambda: m[0, 0, 0], lambda: m[T.tensor([True, False])],
              lambda: m[[0, 7]], lambda: m[1.5], lambda: m[::-1],
              lambda: m.expand(2, 3, 4).add_(1),
              lambda: m.__setitem__([0, 1], T.zeros(3, dtype=T.float64)),
              lambda: m.__setitem__(slice(1, None), T.zeros(5, dtype=T.float64)),
              lambda: T.cat([m, T.zeros(2, 2)], 1), lambda: T.cat([m, T.zeros(3)], 1),
              lambda: T.cat([], 0), lambda: T.stack([m, m.t()])]:
        try:
            f()
            out.append(None)
        except Exception as e:  # noqa: BLE001 - the exception is the observation
            out.append((type(e).__name__, str(e)))
    return out


@scenario
def cat_stack_gather(T: Any) -> Any:
    a = M(T)
    b = leaf(T, [[1., 2.], [3., 4.], [5., 6.]])
    c = T.cat([a, b, a * 2], 1)
    s = T.stack([b, b * b], 1)
    g = T.gather(a, 1, T.tensor([[0, 0], [3, 1], [2, 2]]))
    g0 = a.gather(0, T.tensor([[2, 0, 2, 2]]))
    ((c * c).sum() + (s * s).sum() + (g * g).sum() + g0.sum()).backward()
    return obs([c, s, g, g0]), L(a.grad), L(b.grad), \
        [n[0] and n[0].name() for n in c.grad_fn.next_functions]


@scenario
def unbind_and_iter(T: Any) -> Any:
    a = M(T)
    rows = list(a * 1)
    cols = (a * 2).unbind(1)
    (rows[0] * rows[2]).sum().backward(retain_graph=True)
    (cols[3] ** 2).sum().backward()
    return [obs(r)[:2] for r in rows + list(cols)], L(a.grad)


@scenario
def hooks_order_and_replace(T: Any) -> Any:
    log = []
    a = leaf(T, [1., 2., 3.])
    b = a * 2
    b.retain_grad()
    b.register_hook(lambda g: log.append(("h1", g.tolist())))
    h2 = b.register_hook(lambda g: g * 10)
    b.register_hook(lambda g: log.append(("h3", g.tolist())))
    a.register_hook(lambda g: log.append(("ha", g.tolist())))
    a.register_hook(lambda g: g + 1)
    (b * b).sum().backward(retain_graph=True)
    first = (list(log), L(b.grad), L(a.grad))
    h2.remove()
    log.clear()
    (b * b).sum().backward()
    return first, (log, L(b.grad), L(a.grad))


@scenario
def retain_grad_then_inplace(T: Any) -> Any:
    a = leaf(T, [1., 2., 3.])
    m = a * 2
    m.retain_grad()
    m.mul_(3)
    c = a * 3
    c.register_hook(lambda g: g * 100)
    c.retain_grad()
    (m.sum() + c.sum()).backward()
    return L(m.grad), L(c.grad), L(a.grad)


@scenario
def hook_errors(T: Any) -> Any:
    out = []
    a = leaf(T, [1., 2., 3.])
    for bad in (lambda g: g[:2], lambda g: g.float()):
        e = a * 2
        e.register_hook(bad)
        try:
            e.sum().backward()
            out.append(None)
        except RuntimeError as ex:
            out.append(str(ex).replace("<lambda>", "f"))
    for f in (lambda: T.zeros(3).register_hook(lambda g: g), lambda: T.zeros(3).retain_grad()):
        try:
            f()
        except RuntimeError as ex:
            out.append(str(ex))
    return out


@scenario
def grad_assignment(T: Any) -> Any:
    out = []
    a = leaf(T, [1., 2., 3.])
    for value in (T.zeros(2, dtype=T.float64), T.zeros(3, dtype=T.float32), [1., 2., 3.]):
        try:
            a.grad = value
        except (RuntimeError, TypeError) as ex:
            out.append((type(ex).__name__, str(ex)))
    a.grad = T.ones(3, dtype=T.float64)
    (a * 2).sum().backward()
    out.append(L(a.grad))
    a.grad = None
    (a * 2).sum().backward()
    out.append(L(a.grad))
    e = a * 2
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert e.grad is None
    out.append([x.category.__name__ for x in w])
    return out


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_matches_torch(name: str) -> None:
    assert SCENARIOS[name](sg) == SCENARIOS[name](torch)
