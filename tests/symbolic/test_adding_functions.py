"""Adding an elementwise function is cheap on the symbolic and kernel side.

Every row of the kernels' table (``symgrad.kernels.known.FUNCTIONS``)
round-trips with nothing else written for it: ``S.<name>`` builds it,
``sympy.diff`` differentiates it, the kernel printer prints it, and the
kernel agrees with an independent value (SymPy's own ``evalf`` for SymPy's
functions, the class's ``numpy`` for symgrad's) and its derivative kernel
with finite differences. A function SymPy lacks is one ``Elementwise``
subclass plus one row (last test).
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import sympy

import symgrad as sg
from symgrad.kernels import known
from symgrad.kernels.printer import KernelPrinter
from symgrad.symbolic import elementwise
from symgrad.symbolic.algebra import E, call
from symgrad.symbolic.elementwise import Elementwise, lookup
from symgrad.symbolic.evaluate import evaluate
from symgrad.symbolic.namespace import S
from symgrad.symbolic.nodes import SumOver
from symgrad.symbolic.printing import latex, pretty, sstr
from symgrad.symbolic.reverse import gradient
from symgrad.symbolic.symbols import TensorSymbol

#: candidate sample points, tried in turn until the function is real and finite on them
DOMAINS = (np.array([-0.9, -0.3, 0.2, 0.7]), np.array([1.2, 1.7, 2.5, 3.0]))

#: SymPy's piecewise-constant functions: SymPy's derivative is a ``Derivative`` or a
#: ``DiracDelta``, not PyTorch's zero, so an op needs a zero-derivative class (``Sign``)
PIECEWISE_CONSTANT = {"floor", "ceiling", "sign"}


def _class_of(key: str) -> type[sympy.Function]:
    """The class a table row is for: symgrad's by class name, else SymPy's."""
    ours = [c for c in elementwise.FUNCTIONS.values() if c.__name__ == key]
    if ours:
        return ours[0]
    from sympy.codegen import cfunctions
    cls = getattr(sympy, key, None) or getattr(cfunctions, key)
    assert issubclass(cls, sympy.Function), key
    return cls


def _arity(cls: type) -> int:
    if issubclass(cls, Elementwise):
        params = [p for p in inspect.signature(cls.numpy).parameters.values()
                  if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD]
        static = isinstance(inspect.getattr_static(cls, "numpy"), staticmethod)
        return len(params) - (0 if static else 1)
    return min(cls.nargs)


def _reference(cls: type, expr: sympy.Expr, values: dict[str, np.ndarray]) -> np.ndarray:
    """The function's value, independently of the kernels: SymPy's ``evalf``
    per element, or (for symgrad's own classes) the reference evaluator."""
    if issubclass(cls, Elementwise):
        return evaluate(expr, values)
    cols = list(zip(*values.values()))
    out = [complex(cls(*[sympy.Float(v) for v in vs]).evalf()) for vs in cols]
    return np.array([v.real if v.imag == 0 else np.nan for v in out])


def _samples(n: int, points: np.ndarray) -> dict[str, np.ndarray]:
    # argument i: the points, shrunk and shifted so that no two arguments tie
    return {f"x{i}": points * (1 - 0.25 * i) + 0.05 * i for i in range(n)}


@pytest.mark.parametrize("key", sorted(known.FUNCTIONS))
def test_every_table_row_round_trips(key: str) -> None:
    cls = _class_of(key)
    n = _arity(cls)
    xs = [TensorSymbol(f"x{i}", (4,)) for i in range(n)]

    # S.<name> builds it, with no line of its own in the namespace
    s_name = cls.name if issubclass(cls, Elementwise) else key
    built = getattr(S, s_name)(*[E(x) for x in xs]).x
    assert type(built) is lookup(s_name)
    assert lookup(s_name) is cls or s_name in elementwise.FUNCTIONS  # ours shadow SymPy's
    expr = call(cls, *xs)

    # it prints (text, LaTeX, 2-D) and SymPy differentiates it
    assert sstr(expr) and latex(expr) and pretty(expr)
    if key in PIECEWISE_CONSTANT:
        with pytest.raises(NotImplementedError, match=f"derivative of {key}"):
            gradient(SumOver.make(expr), xs)
        partials = []
    else:
        partials = [sympy.diff(expr, x) for x in xs]
        assert not any(p.has(sympy.Derivative) for p in partials)  # fdiff is defined
        assert gradient(SumOver.make(expr), xs)

    # the kernel prints it from the table and agrees with the reference
    code = KernelPrinter().doprint(expr)
    assert "Not supported" not in code and "node_" not in code
    for points in DOMAINS:
        values = _samples(n, points)
        want = _reference(cls, expr, values)
        if np.all(np.isfinite(want)):
            break
    else:  # pragma: no cover - a new row needs a domain above
        pytest.fail(f"{key}: no sample domain where it is real and finite")
    names = list(values)
    got = sg.lambdify(expr, names)(*values.values())
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    assert sg.lambdify(expr, names)(*[v.astype(np.float32) for v in values.values()]).dtype \
        == np.float32

    # ... and so does its derivative, against finite differences of the kernel
    kernel = sg.lambdify(expr, names)
    h = 1e-6
    for i, p in enumerate(partials):
        d = sg.lambdify(p, names)
        got_d = np.broadcast_to(d(*values.values()), (4,))
        up = dict(values, **{f"x{i}": values[f"x{i}"] + h})
        down = dict(values, **{f"x{i}": values[f"x{i}"] - h})
        fd = (kernel(*up.values()) - kernel(*down.values())) / (2 * h)
        np.testing.assert_allclose(got_d, fd, rtol=1e-6, atol=1e-6, err_msg=f"{key} arg {i}")


def test_table_rows_name_real_classes_and_helpers() -> None:
    for key, row in known.FUNCTIONS.items():
        _class_of(key)
        if callable(row):
            assert known.HELPERS[row.__name__] is row


def test_a_function_sympy_lacks_is_one_class_and_one_row(monkeypatch) -> None:
    """``logaddexp``: its class (derivative in ``fdiff``, value in ``numpy``)
    and a row are all it takes for S, printing, diff, evaluate and kernels."""

    class LogAddExp(Elementwise):
        """``log(exp(x) + exp(y))``."""

        def fdiff(self, argindex: int = 1) -> sympy.Expr:
            x, y = self.args
            return sympy.exp((x if argindex == 1 else y) - self)

        def numpy(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
            return np.logaddexp(x, y)

    try:
        monkeypatch.setitem(known.FUNCTIONS, "LogAddExp", "np.logaddexp")
        a, b = TensorSymbol("a", (3,)), TensorSymbol("b", (3,))
        f = S.logaddexp(E(a), E(b) * 2).x
        assert sstr(f) == "logaddexp(a, 2*b)" and r"\operatorname{logaddexp}" in latex(f)
        grad = sympy.diff(f, b)
        kernel = sg.lambdify([f, grad], [a, b])
        av, bv = np.array([0.0, 800.0, -3.0]), np.array([1.0, -2.0, 400.0])
        value, db = kernel(av, bv)
        assert "np.logaddexp(" in kernel.source
        np.testing.assert_allclose(value, np.logaddexp(av, 2 * bv))
        np.testing.assert_allclose(value, evaluate(f, {"a": av, "b": bv}))
        np.testing.assert_allclose(db, 2 * np.exp(2 * bv - value))
    finally:
        elementwise.FUNCTIONS.pop("logaddexp", None)
