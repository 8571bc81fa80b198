"""Every kernel backend against JAX jit, PyTorch eager and hand-written NumPy, in one run.

    python benchmarks/backends.py                    # W1-W5, W2 at depth 100
    python benchmarks/backends.py --only W2-100,W3 --repeat 5
    python benchmarks/run.py --backends              # the same table after the main one

One table: per workload and arm, the value-and-gradient time (median of
repeats), its ratio to ``jax.jit(jax.value_and_grad)`` measured in the same
run (every arm called once per round, rounds repeated, so a change of load on a
shared machine hits all arms alike), and the peak memory the call allocates
(``tracemalloc``, which NumPy reports to; "-" for engines that allocate outside
Python's view). dask runs on a local cluster of 1, 2 and 4 single-threaded
workers (threads), its inputs cut into 4 row chunks. Every arm is pinned to one
thread (BLAS, XLA); run under ``taskset -c 0`` for one core in all.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("XLA_FLAGS",
                      "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.setrecursionlimit(100_000)

from workloads import Workload, all_workloads  # noqa: E402


def interleaved(calls: dict[str, Callable[[], Any] | None], repeat: int,
                slow: float = 2.0) -> dict[str, float | None]:
    """Median time of each call over ``repeat`` rounds, each round calling every arm
    once in turn (so a change of load hits every arm alike); an arm slower than
    ``slow`` seconds is timed in the first three rounds only. ``None``: not
    installed, or failed (stderr says why)."""
    samples: dict[str, list[float]] = {k: [] for k, fn in calls.items() if fn is not None}
    for name in list(samples):
        try:
            calls[name]()  # type: ignore[misc]  # warm up (jit, first allocation)
        except Exception as exc:  # keep the table going
            print(f"  {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            del samples[name]
    for r in range(repeat):
        for name, ts in samples.items():
            if r >= 3 and ts and ts[0] > slow:
                continue
            t0 = time.perf_counter()
            calls[name]()  # type: ignore[misc]
            ts.append(time.perf_counter() - t0)
    return {k: statistics.median(samples[k]) if k in samples else None for k in calls}


def peak_bytes(fn: Callable[[], Any]) -> int:
    """Peak bytes allocated (and seen by ``tracemalloc``) during one call of ``fn``."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _symbolic(w: Workload, A: dict) -> tuple[Any, list]:
    import symgrad as sg
    T = {k: sg.symbol(k, v.shape, requires_grad=k in w.wrt) for k, v in A.items()}
    y = w.model(sg, T)
    wrt = [T[k] for k in w.wrt]
    return y, (wrt if len(wrt) > 1 else wrt[0])


def arms(w: Workload, A: dict, clients: dict[int, Any]) -> dict[str, Callable[[], Any] | None]:
    """name -> a value-and-gradient call (``None``: not installed)."""
    import symgrad as sg
    y, wrt = _symbolic(w, A)
    out: dict[str, Callable[[], Any] | None] = {}
    out["hand-written NumPy"] = lambda: w.numpy_value_and_grad(A)
    for backend in ("numpy", "fused"):
        k = sg.compile_grad(y, wrt, backend=backend)
        args = [A[a] for a in k.args]
        out[f"symgrad {backend}" + (" (blocked)" if "_blocked" in k.source else "")] = \
            (lambda k=k, args=args: k(*args))
    try:
        import jax
        jax.config.update("jax_enable_x64", True)
        k = sg.compile_grad(y, wrt, backend="jax")
        jargs = [jax.numpy.asarray(A[a]) for a in k.args]
        out["symgrad jax"] = lambda k=k: jax.block_until_ready(k(*jargs))
        out["jax.jit(value_and_grad)"] = _jax_reference(w, A)
    except ImportError:
        out["symgrad jax"] = out["jax.jit(value_and_grad)"] = None
    try:
        import torch
        torch.set_num_threads(1)

        def step() -> Any:
            T = {k: torch.from_numpy(v).requires_grad_(k in w.wrt) for k, v in A.items()}
            loss = w.model(torch, T)
            loss.backward()
            return loss
        out["PyTorch eager"] = step
    except ImportError:
        out["PyTorch eager"] = None
    if clients:
        import dask.array as da
        k = sg.compile_grad(y, wrt, backend="dask")
        dargs = [da.from_array(A[a], chunks=tuple(max(1, -(-n // 4)) if i == 0 else n
                                                  for i, n in enumerate(A[a].shape)))
                 for a in k.args]
        lazy = k(*dargs)
        for n, client in clients.items():
            out[f"symgrad dask, {n} worker{'s' if n > 1 else ''}"] = \
                (lambda client=client: client.compute(lazy, sync=True))
    return out


def _jax_reference(w: Workload, A: dict) -> Callable[[], Any]:
    import jax
    import jax.numpy as jnp

    class Lib:
        sin, exp, tanh, dot = jnp.sin, jnp.exp, jnp.tanh, jnp.dot

        @staticmethod
        def logsumexp(z: Any, d: int) -> Any:
            return jax.scipy.special.logsumexp(z, axis=d)
    names = list(w.wrt)

    def f(params: tuple, rest: dict) -> Any:
        return w.model(Lib, {**rest, **dict(zip(names, params))})
    rest = {k: jnp.asarray(v) for k, v in A.items() if k not in names}
    params = tuple(jnp.asarray(A[k]) for k in names)
    vg = jax.jit(jax.value_and_grad(f))
    return lambda: jax.block_until_ready(vg(params, rest))


def _ms(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x * 1e3:.3g} ms" if x >= 1e-3 else f"{x * 1e6:.3g} µs"


def table(workloads: list[Workload], repeat: int, dask_workers: tuple[int, ...]) -> str:
    clients = _clients(dask_workers)
    lines = ["| workload | arm | gradient | vs JAX jit | vs hand NumPy | vs PyTorch | "
             "peak memory |", "|---|---|---|---|---|---|---|"]
    try:
        for w in workloads:
            A = w.inputs(np.random.default_rng(0))
            calls = arms(w, A, clients if w.key != "W5" else {})
            times = interleaved(calls, repeat)
            for name, t in times.items():
                print(f"  {w.key:7s} {name:30s} {_ms(t)}", file=sys.stderr, flush=True)
            ref = {k: times.get(k) for k in ("jax.jit(value_and_grad)", "hand-written NumPy",
                                             "PyTorch eager")}
            for name, t in times.items():
                if t is None:
                    continue
                fn = calls[name]
                mem = "-" if "jax" in name or "dask" in name or "PyTorch" in name \
                    else f"{peak_bytes(fn) / 2**20:.1f} MB"  # type: ignore[arg-type]
                rel = [f"{t / r:.2f}x" if r else "-" for r in ref.values()]
                lines.append(f"| {w.key} | {name} | {_ms(t)} | {' | '.join(rel)} | {mem} |")
    finally:
        for c in clients.values():
            c.close()
            c.cluster.close()
    return "\n".join(lines)


def _clients(workers: tuple[int, ...]) -> dict[int, Any]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        return {}
    return {n: Client(LocalCluster(n_workers=n, threads_per_worker=1, processes=False,
                                   dashboard_address=":0")) for n in workers}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", default="W1,W2-100,W3,W4,W5", help="workload keys")
    ap.add_argument("--repeat", type=int, default=9, help="interleaved rounds")
    ap.add_argument("--dask-workers", default="1,2,4")
    cfg = ap.parse_args(argv)
    keys = cfg.only.split(",")
    ws = [w for w in all_workloads((10, 30, 100, 300)) if w.key in keys]
    workers = tuple(int(n) for n in cfg.dask_workers.split(",") if n)
    print(table(ws, cfg.repeat, workers))


if __name__ == "__main__":
    main()
