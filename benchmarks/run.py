"""Run the workloads on every arm and print one Markdown table.

    python benchmarks/run.py            # the full run (a few minutes)
    python benchmarks/run.py --quick    # fewer repeats, W2 at depths 10 and 30 only
    python benchmarks/run.py --backends # then every kernel backend (benchmarks/backends.py)

Arms: symgrad kernels (``sg.lambdify`` forward, ``sg.compile_grad`` value and
gradient), symgrad tape (eager forward, forward + backward), hand-written
NumPy, plain SymPy ``diff`` + ``lambdify`` (elementwise workloads, with and
without ``cse=True``, time-boxed in a child process), PyTorch eager and
``jax.jit(jax.value_and_grad)`` when installed. "gradient" is always value
and gradient together (what one training step needs). Times are medians.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one thread for every arm: a fair, quiet comparison

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.setrecursionlimit(100_000)

from workloads import Workload, all_workloads  # noqa: E402


@dataclass
class Row:
    workload: str
    arm: str
    build: float | None = None      # seconds
    size: str = ""
    fwd: float | None = None        # seconds
    grad: float | None = None       # seconds (value and gradient)
    note: str = ""


def timeit(fn: Callable[[], Any], budget: float, max_repeat: int) -> float:
    """Median wall time of ``fn`` over repeats fitting in about ``budget`` seconds."""
    t0 = time.perf_counter()
    fn()
    first = time.perf_counter() - t0
    n = max(3, min(max_repeat, int(budget / max(first, 1e-7))))
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# -------------------------------------------------------------------------- arms
def arm_numpy(w: Workload, A: dict, cfg: Any) -> Row:
    return Row(w.key, "hand-written NumPy", None, "",
               timeit(lambda: w.numpy_forward(A), cfg.budget, cfg.repeat),
               timeit(lambda: w.numpy_value_and_grad(A), cfg.budget, cfg.repeat))


def arm_kernels(w: Workload, A: dict, cfg: Any) -> Row:
    import symgrad as sg
    t0 = time.perf_counter()
    T = {k: sg.symbol(k, v.shape, requires_grad=k in w.wrt) for k, v in A.items()}
    y = w.model(sg, T)
    fwd = sg.lambdify(y, [T[k] for k in A])
    wrt = [T[k] for k in w.wrt]
    vg = sg.compile_grad(y, wrt if len(wrt) > 1 else wrt[0])
    build = time.perf_counter() - t0
    args = [A[k] for k in A]
    vargs = [A[k] for k in vg.args]
    return Row(w.key, "symgrad kernels", build, f"{vg.n_nodes} (DAG)",
               timeit(lambda: fwd(*args), cfg.budget, cfg.repeat),
               timeit(lambda: vg(*vargs), cfg.budget, cfg.repeat))


def arm_tape(w: Workload, A: dict, cfg: Any) -> Row:
    import symgrad as sg

    def forward() -> Any:
        T = {k: sg.tensor(v, requires_grad=k in w.wrt) for k, v in A.items()}
        return w.model(sg, T)

    def step() -> Any:
        T = {k: sg.tensor(v, requires_grad=k in w.wrt) for k, v in A.items()}
        y = w.model(sg, T)
        y.backward()
        return y
    return Row(w.key, "symgrad tape", None, "",
               timeit(forward, cfg.budget, cfg.repeat), timeit(step, cfg.budget, cfg.repeat))


def arm_torch(w: Workload, A: dict, cfg: Any) -> Row:
    import torch
    torch.set_num_threads(1)
    with torch.no_grad():
        T0 = {k: torch.from_numpy(v) for k, v in A.items()}

    def forward() -> Any:
        with torch.no_grad():
            return w.model(torch, T0)

    def step() -> Any:
        T = {k: torch.from_numpy(v).requires_grad_(k in w.wrt) for k, v in A.items()}
        y = w.model(torch, T)
        y.backward()
        return y
    return Row(w.key, "PyTorch eager", None, "", timeit(forward, cfg.budget, cfg.repeat),
               timeit(step, cfg.budget, cfg.repeat))


def arm_jax(w: Workload, A: dict, cfg: Any) -> Row:
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)

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
    t0 = time.perf_counter()
    fj = jax.jit(f)
    vg = jax.jit(jax.value_and_grad(f))
    jax.block_until_ready(vg(params, rest))
    jax.block_until_ready(fj(params, rest))
    build = time.perf_counter() - t0
    return Row(w.key, "jax.jit(value_and_grad)", build, "",
               timeit(lambda: jax.block_until_ready(fj(params, rest)), cfg.budget, cfg.repeat),
               timeit(lambda: jax.block_until_ready(vg(params, rest)), cfg.budget, cfg.repeat))


def _sympy_child(w: Workload, cse: bool, q: Any, budget: float, repeat: int) -> None:
    import sympy
    A = w.inputs(np.random.default_rng(0))
    (name, x), = [(k, v) for k, v in A.items()]
    t0 = time.perf_counter()
    sym, f = w.sympy_scalar(sympy)
    g = sympy.diff(f, sym)
    fk = sympy.lambdify([sym], f, "numpy", cse=cse)
    gk = sympy.lambdify([sym], [f, g], "numpy", cse=cse)
    build = time.perf_counter() - t0
    q.put(("built", build))
    size = sympy.count_ops(g)
    fwd = timeit(lambda: fk(x).sum(), budget, repeat)
    grad = timeit(lambda: [r.sum() if i == 0 else r for i, r in enumerate(gk(x))], budget,
                  repeat)
    q.put(("done", build, f"{size} (tree)", fwd, grad))


def arm_sympy(w: Workload, cse: bool, cfg: Any) -> Row:
    """Plain SymPy in a child process, killed after ``cfg.timebox`` seconds."""
    arm = f"plain SymPy diff+lambdify{' (cse)' if cse else ''}"
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_sympy_child, args=(w, cse, q, cfg.budget, cfg.repeat))
    p.start()
    deadline = time.perf_counter() + cfg.timebox
    built: float | None = None
    result = None
    while time.perf_counter() < deadline:
        try:
            msg = q.get(timeout=0.2)
        except Exception:
            if not p.is_alive():
                break
            continue
        if msg[0] == "built":
            built = msg[1]
        else:
            result = msg
            break
    if result is None:
        p.terminate()
        p.join()
        what = (f"built in {built:.1f} s; timing did not finish in {cfg.timebox:.0f} s"
                if built is not None else f"diff + lambdify did not finish in {cfg.timebox:.0f} s")
        return Row(w.key, arm, None if built is None else built, "", None, None, what)
    p.join()
    return Row(w.key, arm, result[1], result[2], result[3], result[4])


# ---------------------------------------------------------------------- table
def _ms(x: float | None) -> str:
    if x is None:
        return "-"
    if x >= 1:
        return f"{x:.2f} s"
    if x >= 1e-3:
        return f"{x * 1e3:.3g} ms"
    return f"{x * 1e6:.3g} µs"


def table(rows: list[Row], hand: dict[str, float]) -> str:
    out = ["| workload | arm | build | formula size | forward | gradient | grad/fwd | "
           "gradient vs hand NumPy | note |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = f"{r.grad / r.fwd:.2f}" if r.grad and r.fwd else "-"
        h = hand.get(r.workload)
        rel = f"{r.grad / h:.2f}x" if r.grad and h else "-"
        out.append(f"| {r.workload} | {r.arm} | {_ms(r.build)} | {r.size or '-'} | "
                   f"{_ms(r.fwd)} | {_ms(r.grad)} | {ratio} | {rel} | {r.note} |")
    return "\n".join(out)


def growth(depths: tuple[int, ...], cfg: Any) -> str:
    """W2 build time and formula size against depth: symgrad vs plain SymPy."""
    import symgrad as sg
    from workloads import w2
    lines = ["| depth | symgrad formula (ops on symbols) | symgrad `sg.diff` | kernel "
             "(codegen + compile) | total build | DAG nodes (value + grad) | kernel lines | "
             "plain SymPy diff | plain SymPy derivative size (tree ops) |",
             "|---|---|---|---|---|---|---|---|---|"]
    sym_depths = sorted(set(depths) | {1, 2, 3, 4, 5, 6})
    sympy_dead = False
    from symgrad.kernels.codegen import generate
    from symgrad.kernels.lambdify import Kernel
    for d in sym_depths:
        w = w2(d)
        x = sg.symbol("x", (100_000,))
        t0 = time.perf_counter()
        y = w.model(sg, {"x": x})
        e = y.expr
        t1 = time.perf_counter()
        g = sg.diff(y, x)
        t2 = time.perf_counter()
        k = Kernel(generate([e, g], ["x"], likes=[None, "x"], structure=(0, 1),
                            name="value_and_grad"), ["x"], "value_and_grad")
        t3 = time.perf_counter()
        sp_build, sp_size = "-", "-"
        if not sympy_dead and d <= 8:
            r = _sympy_growth(d, cfg.timebox)
            if r is None:
                sympy_dead = True
                sp_build = f"> {cfg.timebox:.0f} s (killed)"
            else:
                sp_build, sp_size = _ms(r[0]), str(r[1])
        elif sympy_dead:
            sp_build = "not attempted (a smaller depth timed out)"
        lines.append(f"| {d} | {_ms(t1 - t0)} | {_ms(t2 - t1)} | {_ms(t3 - t2)} | "
                     f"{_ms(t3 - t0)} | {k.n_nodes} | {k.source.count(chr(10))} | "
                     f"{sp_build} | {sp_size} |")
    return "\n".join(lines)


def _growth_child(d: int, q: Any) -> None:
    import sympy
    from workloads import w2_sympy
    t0 = time.perf_counter()
    sym, f = w2_sympy(d)(sympy)
    g = sympy.diff(f, sym)
    q.put((time.perf_counter() - t0, sympy.count_ops(g)))


def _sympy_growth(d: int, timebox: float) -> tuple[float, int] | None:
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_growth_child, args=(d, q))
    p.start()
    try:
        return q.get(timeout=timebox)
    except Exception:
        return None
    finally:
        p.terminate()
        p.join()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, W2 depths 10, 30")
    ap.add_argument("--timebox", type=float, default=30.0, help="seconds per plain-SymPy try")
    ap.add_argument("--only", default="", help="comma-separated workload keys (W1,W2-10,...)")
    ap.add_argument("--backends", action="store_true",
                    help="then every kernel backend against JAX jit (benchmarks/backends.py)")
    cfg = ap.parse_args(argv)
    cfg.budget, cfg.repeat = (0.3, 7) if cfg.quick else (1.0, 25)
    depths = (10, 30) if cfg.quick else (10, 30, 100, 300)
    rows: list[Row] = []
    hand: dict[str, float] = {}
    only = set(filter(None, cfg.only.split(",")))
    for w in all_workloads(depths):
        if only and w.key not in only:
            continue
        A = w.inputs(np.random.default_rng(0))
        arms: list[Callable[[], Row]] = [lambda: arm_numpy(w, A, cfg),
                                         lambda: arm_kernels(w, A, cfg),
                                         lambda: arm_tape(w, A, cfg),
                                         lambda: arm_torch(w, A, cfg),
                                         lambda: arm_jax(w, A, cfg)]
        if w.sympy_scalar is not None and (w.key == "W1" or w.key == "W2-10"):
            arms += [lambda: arm_sympy(w, False, cfg), lambda: arm_sympy(w, True, cfg)]
        for make in arms:
            try:
                row = make()
            except ImportError as exc:
                if "jax" in str(exc) or "torch" in str(exc):
                    continue  # optional peers
                row = Row(w.key, make.__code__.co_names[0], note=f"error: {exc}")
            except Exception as exc:  # keep the table going; the note says what failed
                row = Row(w.key, "?", note=f"{type(exc).__name__}: {str(exc)[:80]}")
                row.arm = {0: "hand-written NumPy", 1: "symgrad kernels", 2: "symgrad tape",
                           3: "PyTorch eager"}.get(arms.index(make), "other")
            rows.append(row)
            if row.arm == "hand-written NumPy":
                hand[w.key] = row.grad or 0.0
            print(f"  {row.workload:7s} {row.arm:34s} fwd {_ms(row.fwd):>9s} "
                  f"grad {_ms(row.grad):>9s} {row.note}", file=sys.stderr, flush=True)
    print(table(rows, hand))
    if not only or any(k.startswith("W2") for k in only):
        print()
        print(growth(depths, cfg))
    if cfg.backends:
        import backends
        print()
        print(backends.table([w for w in all_workloads((100,)) if not only or w.key in only],
                             5 if cfg.quick else 9, (1, 2, 4)))


if __name__ == "__main__":
    main()
