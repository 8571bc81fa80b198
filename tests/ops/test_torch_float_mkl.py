"""PyTorch's float32 bits through MKL (symgrad/ops/torch_float/mkl.py, products.py).

The golden file holds what torch 2.13 computed (``python -m tests.ops.make_mkl_golden``);
the tests rebuild the same seeded inputs. Without MKL the exact tests skip, and the
fallbacks (correctly rounded functions, NumPy's matmul) are checked instead.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import symgrad
from symgrad.ops.torch_float import mkl, products, unary
from tests.ops.make_mkl_golden import FUNCTIONS, LINEAR, PRODUCTS, function_input, operand

GOLDEN = json.loads((Path(__file__).parent / "golden" / "torch_float_mkl.json").read_text())
needs_mkl = pytest.mark.skipif(not mkl.available(), reason=f"MKL: {mkl.status()}")


def as_bits(a) -> list[int]:
    return np.ascontiguousarray(np.asarray(a, np.float32)).reshape(-1).view(np.uint32).tolist()


def _mkl_wheel_installed() -> bool:
    try:
        importlib.metadata.version("mkl")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def test_the_test_extra_mkl_is_found_where_it_is_installed() -> None:
    # the `test` extra installs mkl==2024.2.0 on x86-64 Linux; it must then load
    if not (_mkl_wheel_installed() and sys.platform == "linux"
            and platform.machine() == "x86_64"):
        pytest.skip("the mkl wheel is not installed here")
    assert mkl.available(), mkl.status()
    assert "2024.2" in mkl.status()


@needs_mkl
@pytest.mark.parametrize("name", FUNCTIONS)
def test_functions_give_pytorchs_bits(name: str) -> None:
    x = function_input(name)
    assert as_bits(getattr(unary, name)(x)) == GOLDEN["functions"][name]


@needs_mkl
@pytest.mark.parametrize("case", range(len(PRODUCTS)))
def test_matmul_gives_pytorchs_bits(case: int) -> None:
    s1, s2, t1, t2 = PRODUCTS[case]
    a, b = operand(2 * case, s1, t1), operand(2 * case + 1, s2, t2)
    want = GOLDEN["products"][case]
    out = products.matmul(a, b)
    assert list(out.shape) == want["shape"]
    assert as_bits(out) == want["bits"]


@needs_mkl
@pytest.mark.parametrize("case", range(len(LINEAR)))
def test_linear_on_the_tape_gives_pytorchs_bits(case: int) -> None:
    m, k, n = LINEAR[case]
    x, w, b = operand(100 + case, (m, k), False), operand(200 + case, (n, k), False), \
        operand(300 + case, (n,), False)
    out = symgrad.nn.functional.linear(symgrad.from_numpy(x),
                                       symgrad.from_numpy(w).requires_grad_(),
                                       symgrad.from_numpy(b))
    assert out.grad_fn.name() == "AddmmBackward0"
    assert as_bits(out.detach().numpy()) == GOLDEN["linear"][case]["bits"]


@needs_mkl
def test_the_tape_matmul_and_sin_use_them() -> None:
    s1, s2, t1, t2 = PRODUCTS[3]
    a, b = operand(6, s1, t1), operand(7, s2, t2)
    out = symgrad.from_numpy(a) @ symgrad.from_numpy(b)
    assert as_bits(out.numpy()) == GOLDEN["products"][3]["bits"]
    assert as_bits(symgrad.sin(symgrad.from_numpy(function_input("sin"))).numpy()) \
        == GOLDEN["functions"]["sin"]


@needs_mkl
def test_numpy_alone_would_differ() -> None:
    # the golden data can tell MKL's bits from OpenBLAS's and from correct rounding
    s1, s2, t1, t2 = PRODUCTS[3]
    a, b = operand(6, s1, t1), operand(7, s2, t2)
    assert as_bits(np.matmul(a, b)) != GOLDEN["products"][3]["bits"]
    x = function_input("sqrt")
    assert as_bits(np.sqrt(x.astype(np.float64)).astype(np.float32)) != GOLDEN["functions"]["sqrt"]


def test_small_batched_products_are_a_running_sum_of_rounded_products() -> None:
    # bmm below 400 multiply-adds: PyTorch's plain loop, the same with or without MKL
    rng = np.random.default_rng(3)
    a = rng.standard_normal((4, 5, 6)).astype(np.float32)
    b = rng.standard_normal((4, 6, 3)).astype(np.float32)
    out = products._bmm(a, b)  # below 400 multiply-adds: no MKL call, with or without it
    want = np.zeros((4, 5, 3), np.float32)
    for j in range(6):
        want = want + (a[:, :, j, None] * b[:, None, j, :]).astype(np.float32)
    assert as_bits(out) == as_bits(want)
    assert as_bits(np.matmul(a, b)) != as_bits(want)  # NumPy's order would fail this


def test_shapes_and_zero_sizes() -> None:
    for s1, s2 in [((0, 3), (3, 2)), ((2, 0), (0, 3)), ((3,), (3, 0)), ((2, 0, 3), (3, 4)),
                   ((1, 2, 3), (4, 3, 2))]:
        a = np.ones(s1, np.float32)
        b = np.ones(s2, np.float32)
        out = products.matmul(a, b)
        np.testing.assert_array_equal(out, np.matmul(a, b))
        assert out.dtype == np.float32


def test_0d_and_float64_keep_their_shapes_and_dtypes() -> None:
    assert unary.sin(np.float32(0.5)).shape == ()
    assert unary.sqrt(np.array(2.0)).dtype == np.float64
    assert products.matmul(np.ones(3), np.ones(3)).dtype == np.float64


def test_without_mkl_the_fallbacks_are_correctly_rounded() -> None:
    code = ("import numpy as np\n"
            "from symgrad.ops.torch_float import mkl, unary, products\n"
            "assert not mkl.available() and 'SYMGRAD_NO_MKL' in mkl.status()\n"
            "x = np.linspace(0.1, 9, 50, dtype=np.float32)\n"
            "assert (unary.sqrt(x) == np.sqrt(x.astype(np.float64)).astype(np.float32)).all()\n"
            "a = np.ones((3, 4), np.float32)\n"
            "assert (products.matmul(a, a.T) == 4).all()\n"
            "print('ok')\n")
    env = dict(os.environ, SYMGRAD_NO_MKL="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_status_names_the_install_command_when_missing(monkeypatch) -> None:
    monkeypatch.setenv("SYMGRAD_NO_MKL", "1")
    mkl.library.cache_clear()
    try:
        assert mkl.library() is None
        assert "SYMGRAD_NO_MKL" in mkl.status()
        monkeypatch.delenv("SYMGRAD_NO_MKL")
        monkeypatch.setattr(mkl, "_candidates", lambda: ["/nonexistent/libmkl_rt.so.2"])
        mkl.library.cache_clear()
        assert mkl.library() is None
        assert "/nonexistent/libmkl_rt.so.2" in mkl.status()
        assert "pip install mkl==2024.2.0" in mkl.status()
    finally:
        monkeypatch.undo()
        mkl.library.cache_clear()
        mkl.library()
        mkl._FUNCTIONS.clear()


def test_random_products_match_torch() -> None:
    torch = pytest.importorskip("torch")
    if not mkl.available():
        pytest.skip(mkl.status())
    before = mkl.get_num_threads()
    mkl.set_num_threads(torch.get_num_threads())  # a product's bits depend on the count
    try:
        _random_products(torch)
    finally:
        mkl.set_num_threads(before)


def _random_products(torch) -> None:
    rng = np.random.default_rng(11)
    for _ in range(200):
        d1, d2 = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        k, n, m = (int(v) for v in rng.integers(1, 40, 3))
        batch = [int(v) for v in rng.integers(1, 4, 2)]
        s1 = (k,) if d1 == 1 else tuple(batch[:d1 - 2]) + (n, k)
        s2 = (k,) if d2 == 1 else tuple(batch[:d2 - 2]) + (k, m)
        a = rng.standard_normal(s1).astype(np.float32)
        b = rng.standard_normal(s2).astype(np.float32)
        want = torch.matmul(torch.from_numpy(a), torch.from_numpy(b)).numpy()
        assert as_bits(products.matmul(a, b)) == as_bits(want), (s1, s2)
