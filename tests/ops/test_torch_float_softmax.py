"""PyTorch 2.13's float32 ``softmax``/``log_softmax`` bits (symgrad/ops/torch_float/softmax.py)
and ``cross_entropy``'s ``nll_loss`` (symgrad/ops/composite.py).

``golden/torch_float_softmax.json`` holds a digest of every array torch 2.13 computed for
the cases below (AVX512, recorded by ``python -m tests.ops.test_torch_float_softmax``);
the inputs come from the integer generator of ``tests.float32.cases``, the same bits
under both. The kernels are then checked directly (every row length 1..70 and some
long ones, every kind of dim, ``inf``/``nan`` rows, the backwards, 1 to 3 threads),
and on the tape (``nn.Softmax``, ``F.log_softmax``, ``F.cross_entropy`` on 1-d to 4-d
inputs, and their gradients; forward-mode tangents where MKL is installed, as their
``exp`` is MKL's). None of it needs MKL otherwise. With torch installed, the oracle
tests at the end compare live.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import symgrad
from symgrad.ops import numerics
from symgrad.ops.composite import nll_cascade_sum
from symgrad.ops.torch_float import mkl
from symgrad.ops.torch_float import softmax as K
from symgrad.ops.torch_float.sleef_log import logf
from symgrad.ops.torch_float.unary import libm_expf
from tests.float32.cases import values

GOLDEN_PATH = Path(__file__).parent / "golden" / "torch_float_softmax.json"
f32 = np.float32
OPS = ("softmax", "log_softmax")
LENGTHS = [*range(1, 71), 100, 127, 128, 129, 255, 256, 1000]
INNER = [((3, 5), 0), ((5, 3), 0), ((7, 16), 0), ((9, 17), 0), ((4, 40), 0), ((35, 52), 0),
         ((3, 100), 0), ((2, 9, 17), 1), ((6, 35, 12), 1), ((5, 6, 7, 8), 1), ((5, 6, 7, 8), 2),
         ((300, 3), 0), ((2, 1, 33), 1), ((1, 70), 0), ((40, 2, 40), 0)]
INF, NAN = float("inf"), float("nan")
SPECIAL_ROWS = [[-INF] * 5, [INF, 1, 2, 3, 4], [NAN, 1, 2, 3, 4], [1, NAN, -INF, 0, 2],
                [-INF, 0, -INF, 1, -INF], [1e30, -1e30, 0, 1e-30, -0.0], [-0.0, -0.0, -0.0, 0, 0],
                [88.0, 89.0, 90.0, -100, -120], [1e-40, -1e-40, 3e38, -3e38, 0]]


def _x(shape: tuple[int, ...], seed: int, spread: int = 3) -> np.ndarray:
    return values(math.prod(shape), seed, spread).reshape(shape)


# ---------------------------------------------------------------- the cases
# A kernel case maps a namespace of the four functions (NumPy arrays in and out) to
# the arrays it computed; ``threads`` is how many threads PyTorch runs it on.
KernelCase = tuple[int, Callable[[SimpleNamespace], list]]


def _forward_and_backward(k: SimpleNamespace, op: str, x: np.ndarray, dim: int,
                          seed: int) -> list:
    y = getattr(k, op)(x, dim)
    g = _x(x.shape, seed + 5000, 2)
    return [y, getattr(k, op + "_backward")(g, y, dim)]


def kernel_cases() -> dict[str, KernelCase]:
    out: dict[str, KernelCase] = {}
    for op in OPS:
        out[f"{op}-lastdim"] = (2, lambda k, op=op: [
            a for n in LENGTHS for a in _forward_and_backward(k, op, _x((2, n), n), 1, n)])
        out[f"{op}-one-row"] = (2, lambda k, op=op: [
            a for n in (1, 15, 16, 17, 31, 33, 70, 129)
            for a in _forward_and_backward(k, op, _x((n,), n + 100), 0, n)])
        out[f"{op}-wide"] = (2, lambda k, op=op: _forward_and_backward(
            k, op, _x((4, 300), 7, 5) * f32(8), 1, 7))
        out[f"{op}-inner"] = (2, lambda k, op=op: [
            a for i, (shape, dim) in enumerate(INNER)
            for a in _forward_and_backward(k, op, _x(shape, 300 + i), dim, i)])
        out[f"{op}-special"] = (2, lambda k, op=op: [
            getattr(k, op)(np.array(SPECIAL_ROWS, f32), 1),
            getattr(k, op)(np.array(SPECIAL_ROWS, f32).T.copy(), 0),
            getattr(k, op)(np.array(SPECIAL_ROWS * 3, f32).reshape(3, 9, 5), 1)])
        for threads in (1, 3):  # softmax over a non-last dim is split across the threads
            out[f"{op}-threads{threads}"] = (threads, lambda k, op=op: [
                a for i, (shape, dim) in enumerate(INNER[:9])
                for a in _forward_and_backward(k, op, _x(shape, 400 + i), dim, i)]
                + [a for n in (17, 40, 129) for a in _forward_and_backward(
                    k, op, _x((3, n), n + 500), 1, n)])
    return out


def torch_kernels(torch: Any) -> SimpleNamespace:
    def wrap(f: Callable) -> Callable:
        return lambda *arrays: f(*(torch.from_numpy(np.ascontiguousarray(a)) for a in arrays)
                                 ).numpy()
    return SimpleNamespace(
        softmax=lambda x, d: wrap(lambda t: torch.softmax(t, d))(x),
        log_softmax=lambda x, d: wrap(lambda t: torch.log_softmax(t, d))(x),
        softmax_backward=lambda g, y, d: wrap(
            lambda a, b: torch._softmax_backward_data(a, b, d, torch.float32))(g, y),
        log_softmax_backward=lambda g, y, d: wrap(
            lambda a, b: torch._log_softmax_backward_data(a, b, d, torch.float32))(g, y))


def symgrad_kernels(threads: int) -> SimpleNamespace:
    return SimpleNamespace(
        softmax=lambda x, d: K.softmax(x, d, threads=threads), log_softmax=K.log_softmax,
        softmax_backward=lambda g, y, d: K.softmax_backward(g, y, d, threads=threads),
        log_softmax_backward=K.log_softmax_backward)


def _t(T: Any, shape: tuple[int, ...], seed: int, spread: int = 3,
       requires_grad: bool = False) -> Any:
    return T.tensor(_x(shape, seed, spread).tolist(), dtype=T.float32, requires_grad=requires_grad)


def tape_cases() -> dict[str, Callable]:
    """Cases on ``torch``-like modules: values and gradients through the tape."""
    def softmax_module(T: Any) -> list:
        res = []
        for shape, dim in (((3, 10), 1), ((4, 7), 0), ((2, 3, 20), -1), ((20,), 0)):
            x = _t(T, shape, sum(shape), requires_grad=True)
            y = T.nn.Softmax(dim=dim)(x)
            (y * _t(T, shape, 77)).sum().backward()
            res += [y, x.grad, y.sum(dim)]
        return res

    def log_softmax_fn(T: Any) -> list:
        res = []
        for shape, dim in (((5, 33), 1), ((6, 17), 0), ((2, 3, 4), 1)):
            x = _t(T, shape, 2 * sum(shape), requires_grad=True)
            y = T.nn.functional.log_softmax(x, dim=dim)
            (y * _t(T, shape, 78)).sum().backward()
            res += [y, x.grad]
        return res

    def cross_entropy(T: Any) -> list:
        res = []
        for batch, classes in ((3, 10), (64, 10), (17, 5), (1, 4), (300, 3)):
            target = T.tensor([(7 * i + 3) % classes for i in range(batch)])
            for kw in ({}, {"reduction": "sum"}, {"reduction": "none"},
                       {"weight": _t(T, (classes,), 9, 1).abs()},
                       {"ignore_index": 1, "reduction": "mean"}):
                x = _t(T, (batch, classes), batch * classes, 2, requires_grad=True)
                loss = T.nn.functional.cross_entropy(x, target, **kw)
                (loss.sum() if loss.ndim else loss * 0.37).backward()
                res += [loss, x.grad]
        for shape, kw in (((2, 3, 4, 5), {}), ((3, 4, 7), {"reduction": "sum", "ignore_index": 0}),
                          ((4, 3, 5, 2), {"weight": _t(T, (3,), 8, 1).abs()})):  # NllLoss2d
            x = _t(T, shape, 11, 2, requires_grad=True)
            target = T.tensor((np.arange(math.prod(shape) // shape[1]) * 5 % shape[1]).reshape(
                (shape[0], *shape[2:])).tolist())
            loss = T.nn.functional.cross_entropy(x, target, **kw)
            (loss * 0.37).backward()
            res += [loss, x.grad]
        x = _t(T, (6,), 5, requires_grad=True)  # one sample, no batch dim
        loss = T.nn.functional.cross_entropy(x, T.tensor(2))
        loss.backward()
        return res + [loss, x.grad]

    return {"tape-softmax-module": softmax_module, "tape-log-softmax": log_softmax_fn,
            "tape-cross-entropy": cross_entropy}


def forward_mode_case(T: Any) -> list:
    """Tangents of softmax and log_softmax (derivatives.yaml's ``logsumexp_jvp``, whose
    ``exp`` is MKL's in PyTorch)."""
    res = []
    for shape, dim in (((3, 10), 1), ((5, 17), 0), ((2, 3, 33), 2), ((), 0)):
        for op in ("softmax", "log_softmax"):
            with T.autograd.forward_ad.dual_level():
                dual = T.autograd.forward_ad.make_dual(_t(T, shape, 3 + len(shape)),
                                                       _t(T, shape, 4, 1))
                res.append(T.autograd.forward_ad.unpack_dual(getattr(T, op)(dual, dim)).tangent)
    return res


# ---------------------------------------------------------------- digests
def digest(arrays: list) -> list[list]:
    """Each float32 array as ``[shape, sha256 prefix of its bits]`` (every NaN as one NaN)."""
    res = []
    for a in arrays:
        a = np.asarray(a.detach().numpy() if hasattr(a, "detach") else a)
        assert a.dtype == np.float32, a.dtype
        bits = np.where(np.isnan(a), f32(np.nan), a).astype(f32).tobytes()
        res.append([list(a.shape), hashlib.sha256(bits).hexdigest()[:16]])
    return res


def _golden() -> dict:
    if not GOLDEN_PATH.exists():
        pytest.skip("golden/torch_float_softmax.json not recorded")
    return json.loads(GOLDEN_PATH.read_text())["cases"]


def _compare(name: str, got: list[list], want: list[list]) -> None:
    assert len(got) == len(want), name
    bad = [i for i, (g, w) in enumerate(zip(got, want)) if g != w]
    assert not bad, f"{name}: arrays {bad[:10]} of {len(want)} differ from PyTorch's " \
        f"(first: shape {want[bad[0]][0]})"


@pytest.mark.parametrize("name", sorted(kernel_cases()))
def test_kernels_give_pytorchs_bits(name: str) -> None:
    threads, case = kernel_cases()[name]
    _compare(name, digest(case(symgrad_kernels(threads))), _golden()[name])


@pytest.mark.parametrize("name", sorted(tape_cases()))
def test_the_tape_gives_pytorchs_bits(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(K, "torch_threads", lambda: 2)  # as recorded: torch.set_num_threads(2)
    _compare(name, digest(tape_cases()[name](symgrad)), _golden()[name])


@pytest.mark.skipif(not mkl.available(), reason=f"MKL: {mkl.status()}")
def test_forward_mode_tangents_give_pytorchs_bits() -> None:
    _compare("forward-mode", digest(forward_mode_case(symgrad)), _golden()["forward-mode"])


def test_every_case_is_recorded() -> None:
    assert set(_golden()) == set(kernel_cases()) | set(tape_cases()) | {"forward-mode"}


# ---------------------------------------------------------------- the pieces
def test_rows_are_reduced_in_the_vector_order() -> None:
    # 16 lanes, then the shuffle tree: lane 0 meets lane 8 first, and keeps the 1
    x = np.zeros((1, 16), f32)
    x[0, 0], x[0, 1], x[0, 8] = 1e8, 1.0, -1e8
    assert K.reduce_all(K._add, x)[0] == f32(1.0)
    assert np.add.accumulate(x[0])[-1] == f32(0.0)  # left to right: 1e8 + 1 loses it
    tail = np.concatenate([x, np.float32([[-1e8]])], axis=1)  # the 17th joins lane 0
    assert K.reduce_all(K._add, tail)[0] == f32(-1e8 + 1)
    short = np.float32([[1e8, 1.0, -1e8]])  # under 16: left to right, the 1 is lost
    assert K.reduce_all(K._add, short)[0] == f32(0.0)


def test_maximum_propagates_nan_and_keeps_the_second_zero() -> None:
    got = K.maximum(np.float32([np.nan, 1, 0.0, -0.0]), np.float32([1, np.nan, -0.0, 0.0]))
    assert np.isnan(got[:2]).all()
    assert np.signbit(got[2]) and not np.signbit(got[3])


def test_softmax_over_another_dim_splits_positions_between_threads() -> None:
    # 40 positions on 2 threads: [0, 20) and [20, 40), each 16 vector + 4 scalar
    vec = K._softmax_vector_positions(1, 40, 2)
    assert vec.nonzero()[0].tolist() == [*range(16), *range(20, 36)]
    assert K._softmax_vector_positions(1, 40, 1).nonzero()[0].tolist() == list(range(32))
    assert not K._softmax_vector_positions(50, 10, 2).any()  # rows shorter than 16


def test_softmax_follows_the_thread_count_symgrad_keeps(monkeypatch: pytest.MonkeyPatch) -> None:
    x = _x((35, 52), 3)
    one, two = K.softmax(x, 0, threads=1), K.softmax(x, 0, threads=2)
    assert (one != two).sum() == 48  # 16 of the 52 positions change code path
    monkeypatch.setattr(mkl, "get_num_threads", lambda: 1)  # sg.set_num_threads(1)
    assert K.softmax(x, 0).tobytes() == one.tobytes()


def test_the_blocked_kernels_leave_each_chunks_tail_to_scalar_code() -> None:
    vec = K._chunked_vector_positions(40, 3)
    assert vec.nonzero()[0].tolist() == list(range(32))
    big = K._chunked_vector_positions(3000, 30)  # chunks of 1088 positions
    assert not big[1088 * 2 + 816:].any() and big[:1088 * 2 + 816].all()


@given(st.integers(0, 2 ** 32 - 1))
def test_sleef_logf_is_within_one_ulp_of_the_true_log(bits: int) -> None:
    x = np.array([bits], np.uint32).view(f32)
    got = logf(x)[0]
    with np.errstate(all="ignore"):
        want = np.log(x.astype(np.float64))[0]
    if not np.isfinite(want) or not x[0] > 0:
        assert (np.isnan(got) and np.isnan(want)) or got == want
        return
    ulp = np.spacing(np.abs(f32(want)))
    assert abs(float(got) - want) <= ulp


def test_sleef_logf_special_values() -> None:
    got = logf(np.float32([0.0, -0.0, -1.0, np.inf, -np.inf, np.nan, 1.0, 1e-45]))
    assert got[:2].tolist() == [-np.inf, -np.inf]
    assert np.isnan(got[2]) and got[3] == np.inf and np.isnan(got[4]) and np.isnan(got[5])
    assert got[6] == 0.0
    assert abs(float(got[7]) - math.log(float(f32(1e-45)))) <= np.spacing(f32(103.3))


def test_scalar_expf_is_the_c_librarys() -> None:
    x = np.concatenate([values(3000, 5, 6), np.float32([0, -0.0, np.inf, -np.inf, -104, 89])])
    want = np.concatenate([libm_expf(x[i:i + 100]) for i in range(0, x.size, 100)])
    got = K._scalar_expf(x)
    assert got.tobytes() == want.tobytes()


def test_other_dtypes_keep_the_plain_formulas() -> None:
    x = _x((4, 6), 3).astype(np.float64)
    assert np.array_equal(K.softmax(x, 1), numerics.softmax(x, 1))
    assert np.array_equal(K.log_softmax(x, 0), numerics.log_softmax(x, 0))
    s = symgrad.softmax(symgrad.tensor(x.tolist(), dtype=symgrad.float64), 1)
    assert s.dtype == symgrad.float64 and np.array_equal(s.numpy(), numerics.softmax(x, 1))


def test_empty_and_zero_dim_inputs() -> None:
    assert K.softmax(np.zeros((0, 3), f32), 1).shape == (0, 3)
    assert K.log_softmax(np.zeros((2, 0), f32), 0).shape == (2, 0)
    assert K.softmax(f32(3.5), None).tolist() == 1.0
    assert K.log_softmax(f32(3.5), None).tolist() == 0.0
    assert symgrad.softmax(symgrad.tensor(2.0), 0).item() == 1.0


def test_softmax_rows_sum_as_pytorch_prints_them() -> None:
    # the buildmodel tutorial's symptom: PyTorch's rows sum to 1 + 2**-23 here, so it
    # prints 1.0000; the plain formula's rows sum to exactly 1 and print "1."
    x = symgrad.tensor(values(30, 2, 2).reshape(3, 10).tolist())
    assert repr(symgrad.nn.Softmax(dim=1)(x).sum(1)) == "tensor([1.0000, 1.0000, 1.0000])"
    plain = symgrad.tensor(numerics.softmax(x.numpy(), 1).tolist())
    assert repr(plain.sum(1)) == "tensor([1., 1., 1.])"


def test_nll_sums_in_pytorchs_cascade() -> None:
    # 17 samples: sample 0 alone, samples 1..16 one run; not NumPy's order
    x = np.float32([1e8] + [1.0] * 15 + [-1e8])
    total, count = nll_cascade_sum(x, np.ones(17, bool), False, np.ones(17, f32))
    assert count == 17
    assert total == f32(-16.0)  # PyTorch's nll_loss(..., reduction="sum"); NumPy's sum: -8
    assert np.sum(-x) == f32(-8.0)
    skip = np.ones(17, bool)
    skip[3] = False
    assert nll_cascade_sum(x, skip, False, np.ones(17, f32))[1] == 16


def test_cross_entropy_values_and_grad_on_the_tape() -> None:
    x = symgrad.tensor([[0.5, -1.0, 2.0], [1.0, 1.0, 1.0]], requires_grad=True)
    loss = symgrad.nn.functional.cross_entropy(x, symgrad.tensor([2, 0]))
    loss.backward()
    assert loss.grad_fn.name() == "NllLossBackward0"
    assert repr(loss) == "tensor(0.6700, grad_fn=<NllLossBackward0>)"  # PyTorch 2.13's
    assert repr(x.grad) == ("tensor([[ 0.0876,  0.0196, -0.1072],\n"
                            "        [-0.3333,  0.1667,  0.1667]])")


# ---------------------------------------------------------------- live oracle
@pytest.fixture
def torch_threads() -> Any:
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    yield torch
    torch.set_num_threads(before)


@given(st.data())
def test_random_tensors_match_pytorch_live(data: st.DataObject) -> None:
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    try:
        threads = data.draw(st.integers(1, 3))
        torch.set_num_threads(threads)
        shape = tuple(data.draw(st.lists(st.integers(1, 40), min_size=1, max_size=3)))
        dim = data.draw(st.integers(0, len(shape) - 1))
        seed = data.draw(st.integers(0, 2 ** 31))
        x = _x(shape, seed, data.draw(st.integers(0, 6)))
        if data.draw(st.booleans()):
            x.reshape(-1)[:: data.draw(st.integers(2, 9))] = data.draw(
                st.sampled_from([-np.inf, np.inf, np.nan]))
        mine, theirs = symgrad_kernels(threads), torch_kernels(torch)
        for op in OPS:
            got = _forward_and_backward(mine, op, x, dim, seed)
            want = _forward_and_backward(theirs, op, x, dim, seed)
            assert digest(got) == digest(want), (op, shape, dim, threads)
    finally:
        torch.set_num_threads(before)


def test_recorded_golden_is_what_this_torch_computes(torch_threads: Any) -> None:
    torch = torch_threads
    if torch.backends.cpu.get_cpu_capability() != "AVX512":
        pytest.skip("recorded on an AVX512 build")
    golden = _golden()
    for name, (threads, case) in kernel_cases().items():
        torch.set_num_threads(threads)
        assert digest(case(torch_kernels(torch))) == golden[name], name


# ---------------------------------------------------------------- recording
def record() -> None:
    """Write the golden file from torch 2.13 (``python -m tests.ops.test_torch_float_softmax``)."""
    import torch
    if torch.__version__.split("+")[0] != "2.13.0":
        raise SystemExit(f"record with torch 2.13.0, not {torch.__version__}")
    cases = {}
    for name, (threads, case) in kernel_cases().items():
        torch.set_num_threads(threads)
        cases[name] = digest(case(torch_kernels(torch)))
    torch.set_num_threads(2)
    for name, case in tape_cases().items():
        cases[name] = digest(case(torch))
    cases["forward-mode"] = digest(forward_mode_case(torch))
    GOLDEN_PATH.write_text(json.dumps({"torch": torch.__version__, "cpu_capability":
                                       torch.backends.cpu.get_cpu_capability(),
                                       "cases": cases}, indent=0) + "\n")
    print(f"{len(cases)} cases -> {GOLDEN_PATH}")


if __name__ == "__main__":
    record()
