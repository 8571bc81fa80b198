"""The benchmark workloads W1-W5, each written once against a tensor library.

``model(lib, T)`` builds the scalar loss from a dict of tensors ``T`` with
``lib`` being ``symgrad`` (eager tape, or symbolic tensors for the kernel
arm) or ``torch``; ``numpy_forward``/``numpy_value_and_grad`` are the
hand-written NumPy references; ``sympy_scalar`` (elementwise workloads
only) builds the same function on one plain SymPy symbol, the way a SymPy
user would, for the plain ``sympy.diff`` + ``sympy.lambdify`` arm.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Arrays = dict[str, np.ndarray]


@dataclass
class Workload:
    key: str
    label: str
    inputs: Callable[[np.random.Generator], Arrays]
    wrt: tuple[str, ...]
    model: Callable[[Any, dict[str, Any]], Any]
    numpy_forward: Callable[[Arrays], Any]
    numpy_value_and_grad: Callable[[Arrays], Any]
    sympy_scalar: Callable[[Any], tuple[Any, Any]] | None = None  # sympy -> (symbol, f)
    kernels: bool = True
    consts: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------ W1: the seed
def w1_model(lib: Any, T: dict[str, Any]) -> Any:
    s = T["a"] * T["a"]
    return s.sum() + lib.dot(s, s)


def w1_forward(A: Arrays) -> Any:
    s = A["a"] * A["a"]
    return s.sum() + s @ s


def w1_value_and_grad(A: Arrays) -> Any:
    a = A["a"]
    s = a * a
    value = s.sum() + s @ s
    gs = 1 + 2 * s            # d/ds of sum(s) + s.s
    return value, 2 * a * gs  # chain rule through s = a*a


def w1_sympy(sympy: Any) -> tuple[Any, Any]:
    a = sympy.Symbol("a")
    s = a * a
    return a, s + s * s  # elementwise; the arm sums the result


def w1() -> Workload:
    return Workload("W1", "sum(a*a) + dot(a*a, a*a), n=1e6",
                    lambda rng: {"a": rng.standard_normal(1_000_000)}, ("a",), w1_model,
                    w1_forward, w1_value_and_grad, w1_sympy)


# -------------------------------------------------------- W2: deep elementwise chain
def w2_model(depth: int) -> Callable[[Any, dict[str, Any]], Any]:
    def model(lib: Any, T: dict[str, Any]) -> Any:
        x = T["x"]
        for _ in range(depth):
            x = lib.sin(x) * lib.exp(-(x * x) / 4) + lib.tanh(x)
        return x.sum()
    return model


def w2_forward(depth: int) -> Callable[[Arrays], Any]:
    def f(A: Arrays) -> Any:
        x = A["x"]
        for _ in range(depth):
            x = np.sin(x) * np.exp(-(x * x) / 4) + np.tanh(x)
        return x.sum()
    return f


def w2_value_and_grad(depth: int) -> Callable[[Arrays], Any]:
    def f(A: Arrays) -> Any:
        x = A["x"]
        saved = []
        for _ in range(depth):
            s, e, t = np.sin(x), np.exp(-(x * x) / 4), np.tanh(x)
            saved.append((x, s, e, t))
            x = s * e + t
        g = np.ones_like(x)
        for x, s, e, t in reversed(saved):
            g = g * (np.cos(x) * e - 0.5 * x * s * e + (1 - t * t))
        return x.sum(), g
    return f


def w2_sympy(depth: int) -> Callable[[Any], tuple[Any, Any]]:
    def build(sympy: Any) -> tuple[Any, Any]:
        x0 = sympy.Symbol("x")
        x = x0
        for _ in range(depth):
            x = sympy.sin(x) * sympy.exp(-x * x / 4) + sympy.tanh(x)
        return x0, x
    return build


def w2(depth: int) -> Workload:
    return Workload(f"W2-{depth}", f"chain depth {depth}, n=1e5",
                    lambda rng: {"x": rng.uniform(-2, 2, 100_000)}, ("x",), w2_model(depth),
                    w2_forward(depth), w2_value_and_grad(depth), w2_sympy(depth))


# ---------------------------------------------------------------------- W3: MLP
def w3_model(lib: Any, T: dict[str, Any]) -> Any:
    h = lib.tanh(T["X"] @ T["W1"] + T["b1"])
    d = h @ T["W2"] + T["b2"] - T["Y"]
    return (d * d).mean()


def w3_forward(A: Arrays) -> Any:
    d = np.tanh(A["X"] @ A["W1"] + A["b1"]) @ A["W2"] + A["b2"] - A["Y"]
    return (d * d).mean()


def w3_value_and_grad(A: Arrays) -> Any:
    X, W1, b1, W2, b2, Y = (A[k] for k in ("X", "W1", "b1", "W2", "b2", "Y"))
    h = np.tanh(X @ W1 + b1)
    d = h @ W2 + b2 - Y
    value = (d * d).mean()
    gd = d * (2 / d.size)
    gh = (gd @ W2.T) * (1 - h * h)
    return value, (X.T @ gh, gh.sum(0), h.T @ gd, gd.sum(0))


def w3() -> Workload:
    def inputs(rng: np.random.Generator) -> Arrays:
        return {"W1": rng.standard_normal((64, 128)) / 8, "b1": np.zeros(128),
                "W2": rng.standard_normal((128, 10)) / 11, "b2": np.zeros(10),
                "X": rng.standard_normal((512, 64)), "Y": rng.standard_normal((512, 10))}
    return Workload("W3", "MLP loss, X 512x64, W1 64x128, W2 128x10", inputs,
                    ("W1", "b1", "W2", "b2"), w3_model, w3_forward, w3_value_and_grad)


# -------------------------------------------------------- W4: softmax cross-entropy
W4_LABELS = np.random.default_rng(1).integers(0, 10, 512)
W4_ROWS = np.arange(512)


def w4_model(lib: Any, T: dict[str, Any]) -> Any:
    Z = T["X"] @ T["W"]
    return (lib.logsumexp(Z, 1) - Z[W4_ROWS, W4_LABELS]).mean()


def w4_forward(A: Arrays) -> Any:
    Z = A["X"] @ A["W"]
    m = Z.max(1, keepdims=True)
    lse = np.log(np.exp(Z - m).sum(1)) + m[:, 0]
    return (lse - Z[W4_ROWS, W4_LABELS]).mean()


def w4_value_and_grad(A: Arrays) -> Any:
    X, W = A["X"], A["W"]
    Z = X @ W
    m = Z.max(1, keepdims=True)
    e = np.exp(Z - m)
    s = e.sum(1, keepdims=True)
    value = (np.log(s[:, 0]) + m[:, 0] - Z[W4_ROWS, W4_LABELS]).mean()
    gZ = e / s
    gZ[W4_ROWS, W4_LABELS] -= 1
    return value, X.T @ (gZ / Z.shape[0])


def w4() -> Workload:
    def inputs(rng: np.random.Generator) -> Arrays:
        return {"W": rng.standard_normal((64, 10)) / 8, "X": rng.standard_normal((512, 64))}
    return Workload("W4", "softmax cross-entropy, X 512x64, W 64x10", inputs, ("W",),
                    w4_model, w4_forward, w4_value_and_grad)


# --------------------------------------------------- W5: 1000 small eager ops
W5_OPS = 1000


def w5_model(lib: Any, T: dict[str, Any]) -> Any:
    x = T["x"]
    for i in range(W5_OPS):  # the pattern of benchmarks/tape_overhead.py: mul add tanh exp
        k = i % 4
        x = x * 0.5 if k == 0 else x + 0.1 if k == 1 else lib.tanh(x) if k == 2 else lib.exp(x)
    return x.sum()


def w5_forward(A: Arrays) -> Any:
    x = A["x"]
    for i in range(W5_OPS):
        k = i % 4
        x = x * 0.5 if k == 0 else x + 0.1 if k == 1 else np.tanh(x) if k == 2 else np.exp(x)
    return x.sum()


def w5_value_and_grad(A: Arrays) -> Any:
    x = A["x"]
    tape = []
    for i in range(W5_OPS):
        k = i % 4
        if k == 0:
            x = x * 0.5
        elif k == 1:
            x = x + 0.1
        elif k == 2:
            x = np.tanh(x)
        else:
            x = np.exp(x)
        tape.append((k, x))
    g = np.ones_like(x)
    for k, out in reversed(tape):
        g = g * 0.5 if k == 0 else g if k == 1 else g * (1 - out * out) if k == 2 else g * out
    return x.sum(), g


def w5() -> Workload:
    return Workload("W5", f"{W5_OPS}-op eager chain, n=3",
                    lambda rng: {"x": rng.uniform(-1, 1, 3)}, ("x",), w5_model, w5_forward,
                    w5_value_and_grad)


def all_workloads(depths: tuple[int, ...] = (10, 30, 100, 300)) -> list[Workload]:
    return [w1(), *[w2(d) for d in depths], w3(), w4(), w5()]
