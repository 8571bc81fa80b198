"""Kernels agree with the tape, with finite differences and with the reference
evaluator, on random programs (``tests/helpers.py``) and on every node class."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, reject

import symgrad as sg
from symgrad.symbolic.evaluate import evaluate
from tests.helpers import Program, central_diff, kink_margin, programs, run_program


def _build(p: Program, leaves: list[np.ndarray]):
    ts = [sg.tensor(x, requires_grad=True, name=f"x{i}") for i, x in enumerate(leaves)]
    try:
        out = run_program(p, sg, ts)
    except RuntimeError:  # e.g. a size mismatch after a shape-changing step
        reject()
    weights = sg.tensor(np.linspace(0.5, 1.5, out.numel()).reshape(out.shape))
    return ts, (out * weights).sum()


def _forward64(p: Program):
    def f(xs: list[np.ndarray]) -> float:
        ts = [sg.tensor(x) for x in xs]
        with sg.no_grad():
            out = run_program(p, sg, ts)
            w = sg.tensor(np.linspace(0.5, 1.5, out.numel()).reshape(out.shape))
            return float((out * w).sum())
    return f


@given(programs(max_steps=5))
def test_value_and_grad_kernel_agrees_with_tape_and_finite_differences(p: Program):
    sg.set_default_dtype(sg.float64)
    try:
        leaves = p.leaves()
        ts, y = _build(p, leaves)
        tape = sg.autograd.grad(y, ts, allow_unused=True)
        k = sg.compile_grad(y, ts)
        value, grads = k(*leaves)
        assert float(value) == pytest.approx(y.item(), rel=1e-9, abs=1e-12)
        for g_tape, g_kernel, x in zip(tape, grads, leaves):
            want = np.zeros_like(x) if g_tape is None else g_tape.numpy()
            np.testing.assert_allclose(g_kernel, want, rtol=1e-7, atol=1e-9)
        if kink_margin(p, leaves) > 1e-4:
            f = _forward64(p)
            for i, g in enumerate(grads):
                fd = central_diff(f, [x.copy() for x in leaves], i)
                np.testing.assert_allclose(g, fd, rtol=1e-4, atol=1e-6)
    finally:
        sg.set_default_dtype(sg.float32)


@given(programs(max_steps=4))
def test_forward_kernel_agrees_with_reference_evaluator(p: Program):
    leaves = [x.astype(np.float64) for x in p.leaves()]
    ts = [sg.tensor(x, dtype=sg.float64, requires_grad=True, name=f"x{i}")
          for i, x in enumerate(leaves)]
    try:
        out = run_program(p, sg, ts)
    except RuntimeError:
        reject()
    k = sg.lambdify(out, ts)
    want = evaluate(out.expr, {f"x{i}": x for i, x in enumerate(leaves)})
    np.testing.assert_allclose(k(*leaves), want, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(k(*leaves), out.detach().numpy(), rtol=1e-9, atol=1e-12)


def _node_cases():
    from symgrad.symbolic import nodes as N
    from symgrad.symbolic.symbols import TensorSymbol
    a, b = TensorSymbol("a", (2, 3)), TensorSymbol("b", (2, 3))
    v = TensorSymbol("v", (3,))
    c, d = TensorSymbol("c", (2, 3, 2)), TensorSymbol("d", (2, 3, 2))  # dim 2: not a bool
    M = TensorSymbol("M", (3, 2))
    idx = np.array([[0, 2, 1], [1, 1, 0]])
    return {
        "SumOver": N.SumOver.new(a, (1,), False), "MeanOver": N.MeanOver.new(a, (0,), True),
        "ProdOver": N.ProdOver.new(a, (0, 1), False), "AmaxOver": N.AmaxOver.new(a, (1,), False),
        "AminOver": N.AminOver.new(a, (0,), True), "Numel": N.Numel.new(a, (0, 1), False) * a,
        "LogSumExp": N.LogSumExp.new(a, (1,), False), "Softmax": N.Softmax.new(c, 2),
        "LogSoftmax": N.LogSoftmax.new(c, 2), "MatProd": N.MatProd(a, M),
        "Reshape": N.Reshape.new(a, (3, 2)), "Permute": N.Permute.new(a, (1, 0)),
        "BroadcastTo": N.BroadcastTo.new(v, (2, 3)), "SumTo": N.SumTo.new(a, (1, 3)),
        "Unsqueeze": N.Unsqueeze.new(v, (0,)), "Squeeze": N.Squeeze.new(N.Unsqueeze.new(v, (0,)), (0,)),
        "Index": N.Index.new(a, (slice(None), np.array([2, 0]))),
        "IndexPut": N.IndexPut.new(a, v, (1,), False),
        "IndexPutAcc": N.IndexPut.new(a, v, (0,), True),
        "Cat": N.Cat.new(c, d, 2), "Stack": N.Stack.new(c, d, 2),
        "Gather": N.Gather.new(a, 1, idx), "ScatterAdd": N.ScatterAdd.new(a, 1, idx, (2, 3)),
        "Diag": N.Diag.new(v, (3,)), "ZerosLike": N.ZerosLike(a) + a,
        "FullLike": N.FullLike.new(a, 2.5), "CopyTo": N.CopyTo(a, v),
        "Sigmoid": N.Sigmoid(a), "Relu": N.Relu(a), "Step": N.Step(a, 0),
        "Sign": N.Sign(a), "Absolute": N.Absolute(a), "Maximum": N.Maximum(a, b),
        "Minimum": N.Minimum(a, b), "Clamp": N.Clamp(a, -0.5, 0.5),
        "Where": N.Where(N.compare("greater", a, b), a, b), "Detach": N.Detach(a) * b,
    }


@pytest.mark.parametrize("name", sorted(_node_cases()))
def test_every_node_prints_to_numpy_matching_the_reference(name: str):
    from sympy.core.cache import clear_cache
    clear_cache()  # Param(0) == Param(False): keep other tests' cached nodes out
    expr = _node_cases()[name]
    rng = np.random.default_rng(3)
    values = {"a": rng.standard_normal((2, 3)), "b": rng.standard_normal((2, 3)),
              "v": rng.standard_normal(3), "M": rng.standard_normal((3, 2)),
              "c": rng.standard_normal((2, 3, 2)), "d": rng.standard_normal((2, 3, 2))}
    values["a"][0, 0] = 0.0  # a kink input for relu/step/sign/abs
    k = sg.lambdify(expr, ["a", "b", "v", "M", "c", "d"])
    assert "node_" not in k.source  # a real printer, not the bound fallback
    got = k(**values)
    np.testing.assert_allclose(got, evaluate(expr, values), rtol=1e-12, atol=1e-12)


def test_gradient_kernel_with_a_negated_boolean_mask() -> None:
    # found by hypothesis: amax's gradient multiplies by an equality mask, and
    # the kernel printed `-v1*x0` with v1 boolean, which NumPy refuses
    p = Program(shapes=((2, 2),), seed=300,
                steps=(("minimum", (0, 0)), ("add-alpha", (1, 1)), ("add", (2, 0)),
                       ("reciprocal", (0,)), ("amax", (4,))))
    leaves = p.leaves()
    ts, y = _build(p, leaves)
    value, grads = sg.compile_grad(y, ts)(*leaves)
    tape = sg.autograd.grad(y, ts, allow_unused=True)
    for g_tape, g_kernel, x in zip(tape, grads, leaves):
        want = np.zeros_like(x) if g_tape is None else g_tape.numpy()
        np.testing.assert_allclose(g_kernel, want, rtol=1e-7, atol=1e-9)
