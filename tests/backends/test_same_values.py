"""One formula object, every engine: the NumPy kernel, the fused CPU kernel, dask
(on a two-worker local cluster) and JAX (``jax.jit``) give the same values to
float64 round-off.

Each differentiable sample of ``tests/ops/samples.py`` becomes a loss
``sum(y * w)``; the formula objects of the loss and its gradients (``sg.diff``,
once) are compiled for each backend and must give the NumPy kernel's values.
A node an engine has no code for is refused when the kernel is built, with the
error that names the backend; an engine's own limits are listed in
``ENGINE_LIMITS`` (so the list can only shrink). Random programs
(``tests/helpers.py``), through ``compile_grad``, add formulas no sample spells
out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

import symgrad as sg
from tests.helpers import programs, run_program, smooth_leaves
from tests.ops.samples import Sample, differentiable_samples

dask = pytest.importorskip("dask", reason="dask not installed (pip install 'symgrad[dask]')")
da = pytest.importorskip("dask.array")

#: backend -> sample id -> the exception the engine itself raises there today (dask's
#: reshape of an unevenly chunked array, a mask of unknown length): the list may only
#: shrink. A node with no Array API code (an accumulating index_put with repeated
#: indices on dask) is refused instead, with the error naming the backend.
ENGINE_LIMITS: dict[str, dict[str, str]] = {
    "dask": {
        "index-mask_input": "ValueError",
        "reshape-plain": "NotImplementedError",
    },
    "jax": {},
}

#: backend -> the samples it refuses (at build or at run time) with the error naming the
#: backend: only dask's accumulating index_put with repeated indices. Every other node
#: (the matrix functions, outer, kron, one_hot, prod's gradient...) must run.
REFUSED: dict[str, set[str]] = {"dask": set(), "jax": set()}


def _leaves(sample: Sample) -> list[sg.Tensor]:
    return [sg.tensor(a) if a.dtype == np.bool_ else
            sg.tensor(a.copy(), dtype=sg.float64, requires_grad=True, name=f"x{i}")
            for i, a in enumerate(sample.args)]


def _flat(r: Any) -> list[np.ndarray]:
    if isinstance(r, (tuple, list)):
        return [x for part in r for x in _flat(part)]
    return [np.asarray(r)]


def _kernel_and_args(sample: Sample) -> tuple[Any, list[np.ndarray]]:
    ts = _leaves(sample)
    y = sample.fn(sg, *ts)
    w = np.random.default_rng(0).uniform(-1.0, 1.0, tuple(y.shape))
    loss = (y * sg.tensor(w, dtype=sg.float64)).sum()
    wrt = [ts[i] for i in sample.floats]
    return loss, wrt


def _chunked(a: np.ndarray) -> Any:
    """A dask array of ``a`` cut into (up to) two chunks along every axis."""
    return da.from_array(a, chunks=tuple(max(1, (n + 1) // 2) for n in a.shape))


def _run(loss: Any, wrt: list, backend: str, client: Any = None,
         formulas: list | None = None) -> list[np.ndarray]:
    """The loss and its gradients on ``backend``: ``compile_grad``'s kernel, or (given
    ``formulas``) the kernel of those very formula objects."""
    if formulas is None:
        k = sg.compile_grad(loss, wrt, backend=backend)
    else:
        k = sg.lambdify(formulas, wrt, backend=backend)
    values = {t.name: t.detach().numpy() for t in wrt}
    args = [values[a] for a in k.args]
    if backend == "dask":
        out = k(*[_chunked(a) for a in args])
        out = client.compute(out, sync=True) if client is not None else dask.compute(out)[0]
    else:
        out = k(*args)
    return _flat(out)


def _assert_same(got: list[np.ndarray], want: list[np.ndarray], what: str) -> None:
    assert len(got) == len(want), what
    for g, w in zip(got, want):
        assert g.shape == w.shape, f"{what}: shape {g.shape} != {w.shape}"
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12, err_msg=what)


SAMPLES = [pytest.param(s, id=s.id) for s in differentiable_samples() if not s.grad_inside]


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_backend_computes_the_numpy_kernels_values(sample: Sample, cluster: Any,
                                                         request: Any) -> None:
    loss, wrt = _kernel_and_args(sample)
    grads = sg.diff(loss, wrt)  # one formula object per output, the same on every engine
    formulas = [loss, *(grads if isinstance(grads, (list, tuple)) else [grads])]
    want = _run(loss, wrt, "numpy", formulas=formulas)
    _assert_same(_run(loss, wrt, "fused", formulas=formulas), want, f"{sample.id} fused")
    backends = ["dask"]
    try:
        request.getfixturevalue("jax_x64")
        backends.append("jax")
    except pytest.skip.Exception:
        pass
    for b in backends:
        try:
            got = _run(loss, wrt, b, cluster if b == "dask" else None, formulas)
        except Exception as exc:
            if isinstance(exc, NotImplementedError) and \
                    f"the {b} kernel backend cannot compute" in str(exc):
                assert sample.id in REFUSED[b], f"{sample.id} refused on {b}: {exc}"
                continue  # a clear refusal, not a wrong kernel
            assert ENGINE_LIMITS[b].get(sample.id) == type(exc).__name__, \
                f"{sample.id} on {b}: {type(exc).__name__}: {exc}"
            continue
        assert sample.id not in ENGINE_LIMITS[b], f"{sample.id} now runs on {b}: unlist it"
        assert sample.id not in REFUSED[b], f"{sample.id} now runs on {b}: unlist it"
        _assert_same(got, want, f"{sample.id} {b}")


def _jax_installed() -> bool:
    try:
        import jax
    except ImportError:
        return False
    jax.config.update("jax_enable_x64", True)
    return True


@settings(max_examples=25)
@given(programs(max_steps=4))
def test_random_programs_agree_on_every_backend(p: Any) -> None:
    leaves = smooth_leaves(p)
    ts = [sg.tensor(x, requires_grad=True, name=f"x{i}") for i, x in enumerate(leaves)]
    loss = run_program(p, sg, ts).sum()
    want = _run(loss, ts, "numpy")
    _assert_same(_run(loss, ts, "fused"), want, f"{p} fused")
    for b in ["dask"] + (["jax"] if _jax_installed() else []):
        try:
            got = _run(loss, ts, b)
        except NotImplementedError as exc:
            assert f"the {b} kernel backend cannot compute" in str(exc)
            continue
        _assert_same(got, want, f"{p} {b}")
