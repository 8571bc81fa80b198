"""``symgrad.kernels.known``: helpers are real functions whose pasted source
runs on its own, and kernels print elementwise functions from the table."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg
from symgrad.kernels import known
from symgrad.kernels.printer import KernelPrinter
from symgrad.symbolic.algebra import add, call, mul
from symgrad.symbolic.nodes import Detach, LogSoftmax, Softmax
from symgrad.symbolic.symbols import TensorSymbol


@pytest.mark.parametrize("name", sorted(known.HELPERS))
def test_pasted_helper_source_runs_on_its_own(name: str) -> None:
    fn = known.HELPERS[name]
    imports, source = known.preamble([fn])
    assert '"""' not in source and ">>>" not in source  # docstrings stay in the package
    ns: dict = {}
    code = compile("\n".join([*imports, "import numpy as np", "", source]), name, "exec",
                   dont_inherit=True)  # as in a file of its own: no `from __future__` here
    exec(code, ns)  # noqa: S102
    assert ns[name].__code__.co_names == fn.__code__.co_names
    assert set(ns) - {"__builtins__", "np", "math"} <= known.reserved_names()


def test_preamble_brings_what_a_helper_calls() -> None:
    imports, source = known.preamble([known.HELPERS["_scatter_add"], known.HELPERS["erf"]])
    assert imports == ["import math"]
    assert [line for line in source.splitlines() if line.startswith("def ")] == [
        "def _full_index(index: np.ndarray, shape: tuple[int, ...], dim: int) -> tuple:",
        "def _scatter_add(src: np.ndarray, dim: int, index: np.ndarray,",
        "def erf(x: np.ndarray) -> np.ndarray:"]


def test_kernel_source_pastes_the_numerics_helpers() -> None:
    Z = sg.symbol("Z", (2, 3))
    k = sg.lambdify(sg.log_softmax(Z, 1) + sg.sigmoid(Z), [Z])
    src = k.source
    for name in ("def log_softmax(", "def _kept_max(", "def _axes(", "def sigmoid("):
        assert src.count(name) == 1, name
    ns: dict = {}
    exec(compile(src, "pasted.py", "exec", dont_inherit=True), ns)  # noqa: S102 - pasted elsewhere
    z = np.array([[1000.0, 0.0, -np.inf], [1.0, 2.0, 3.0]])
    want = z - np.log(np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True)) \
        - z.max(1, keepdims=True) + 1 / (1 + np.exp(-z))
    with np.errstate(over="ignore"):
        np.testing.assert_allclose(ns["kernel"](z), want, rtol=1e-12)


def test_a_parameter_named_like_a_helper_does_not_hide_it() -> None:
    x = sg.symbol("sigmoid", (3,))
    k = sg.lambdify(sg.sigmoid(x) * 2, [x])
    assert "def kernel(sigmoid_1):" in k.source
    np.testing.assert_allclose(k(np.zeros(3)), [1.0, 1.0, 1.0])
    np.testing.assert_allclose(k(sigmoid=np.zeros(3)), [1.0, 1.0, 1.0])


def test_softmax_nodes_print_their_dim() -> None:
    c = TensorSymbol("c", (2, 3))
    p = KernelPrinter()
    assert p.doprint(Softmax.new(c, 1)) == "softmax(c, 1)"
    assert p.doprint(LogSoftmax.new(c, None)) == "log_softmax(c, None)"
    assert set(p.helpers) == {"softmax", "log_softmax"}


def test_detach_keeps_the_grouping_of_its_argument() -> None:
    a, b, c = (TensorSymbol(n, (3,)) for n in "abc")
    expr = mul(call(Detach, add(a, b)), c)
    assert KernelPrinter().doprint(expr) == "(a + b)*c"
    k = sg.lambdify(expr, ["a", "b", "c"])
    np.testing.assert_allclose(k(np.ones(3), np.ones(3), np.full(3, 3.0)), [6.0] * 3)


def test_detach_in_a_tensor_program_computes_the_right_value() -> None:
    a = sg.tensor([1.0, 2.0], requires_grad=True, name="a")
    b = sg.tensor([3.0, 4.0], requires_grad=True, name="b")
    y = ((a + b).detach() * b).sum()
    value, (ga, gb) = sg.compile_grad(y, [a, b])(a.detach().numpy(), b.detach().numpy())
    assert value == pytest.approx(y.item())
    np.testing.assert_allclose(gb, [4.0, 6.0])
    np.testing.assert_allclose(ga, [0.0, 0.0])


def test_rows_print_as_numpy_calls_templates_and_helpers() -> None:
    import sympy
    from symgrad.symbolic.nodes import Relu, Sigmoid, Step
    a = TensorSymbol("a", (3,))
    p = KernelPrinter()
    assert p.doprint(sympy.asinh(a)) == "np.arcsinh(a)"
    assert p.doprint(Relu(a)) == "np.maximum(a, 0)"
    assert p.doprint(Sigmoid(a)) == "sigmoid(a)" and p.doprint(Step(a, 0.5)) == "step(a, 0.5)"
    assert set(p.helpers) == {"sigmoid", "step"}
    assert known.numpy_callee(sympy.exp) == "np.exp" and known.numpy_callee(Relu) is None
