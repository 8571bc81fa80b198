"""Formula size and build time vs chain depth (W2: ``x = sin(x)*exp(-x*x/4) + tanh(x)``).

symgrad builds the gradient of ``sum(x_D)`` as a DAG whose node count grows
linearly with the depth D; plain ``sympy.diff`` on the same scalar chain
(built with SymPy's automatic evaluation) is run, time-boxed, at small
depths only. Build times are the best of three runs in one process (after a
warm-up) and, separately, one run in a fresh process. Prints Markdown tables.

    python benchmarks/symbolic_depth.py
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import time

DEPTHS = (10, 30, 100, 300)
SYMPY_DEPTHS = (2, 3, 4, 5, 6)
TIMEOUT = 20.0
_FRESH = itertools.count()


def dag_nodes(expr) -> int:
    from symgrad.symbolic.shapes import tensor_args
    seen, stack = set(), [expr]
    while stack:
        e = stack.pop()
        if e in seen:
            continue
        seen.add(e)
        stack.extend(tensor_args(e))
    return len(seen)


def symgrad_case(depth: int) -> tuple[int, int, float, float]:
    import symgrad as sg
    x = sg.symbol(f"x{next(_FRESH)}", (None,))  # a new symbol: nothing shared with earlier runs
    t0 = time.perf_counter()
    z = x
    for _ in range(depth):
        z = z.sin() * (-z * z / 4).exp() + z.tanh()
    y = z.sum()
    fwd = y.expr
    t1 = time.perf_counter()
    g = sg.diff(y, x)
    t2 = time.perf_counter()
    return dag_nodes(fwd), dag_nodes(g), t1 - t0, t2 - t1


def _plain(depth: int, q) -> None:
    import sympy
    x = sympy.Symbol("x")
    z = x
    for _ in range(depth):
        z = sympy.sin(z) * sympy.exp(-z * z / 4) + sympy.tanh(z)
    t0 = time.perf_counter()
    g = sympy.diff(z, x)
    q.put((time.perf_counter() - t0, sympy.count_ops(g, visual=False) if depth <= 4 else -1))


def plain_sympy(depth: int) -> str:
    q = mp.Queue()
    p = mp.Process(target=_plain, args=(depth, q))
    p.start()
    p.join(TIMEOUT)
    if p.is_alive():
        p.terminate()
        p.join()
        return f"did not finish in {TIMEOUT:.0f} s"
    t, ops = q.get()
    return f"{t * 1e3:.1f} ms" + (f" ({ops} ops)" if ops >= 0 else "")


def _alone(depth: int, q) -> None:
    q.put(symgrad_case(depth))


def alone_case(depth: int) -> tuple[int, int, float, float]:
    """``symgrad_case`` in a fresh process (cold: first-use costs included)."""
    ctx = mp.get_context("spawn")  # nothing inherited: imports and templates included
    q = ctx.Queue()
    p = ctx.Process(target=_alone, args=(depth, q))
    p.start()
    out = q.get()
    p.join()
    return out


def main() -> None:
    print("| depth | forward DAG nodes | gradient DAG nodes | build forward | build gradient "
          "| gradient, fresh process |")
    print("|---|---|---|---|---|---|")
    symgrad_case(2)  # warm up: imports and the local derivative templates
    for d in DEPTHS:
        cold = alone_case(d)[3]
        nf, ng, tf, tg = min((symgrad_case(d) for _ in range(3)), key=lambda r: r[3])
        print(f"| {d} | {nf} | {ng} | {tf * 1e3:.0f} ms | {tg * 1e3:.0f} ms "
              f"| {cold * 1e3:.0f} ms |")
    print()
    print("| depth | plain `sympy.diff` (scalar chain) |")
    print("|---|---|")
    for d in SYMPY_DEPTHS:
        print(f"| {d} | {plain_sympy(d)} |")


if __name__ == "__main__":
    main()
