"""Formula size and build time vs chain depth (W2: ``x = sin(x)*exp(-x*x/4) + tanh(x)``).

symgrad builds the gradient of ``sum(x_D)`` as a DAG whose node count grows
linearly with the depth D; plain ``sympy.diff`` on the same scalar chain
(built with SymPy's automatic evaluation) is run, time-boxed, at small
depths only. Build times are the best of three runs in one process (after a
warm-up) and, separately, one run in a fresh process. Then the build cost
per recorded op (``x = sin(x)*0.5 + x*0.25`` on a valued tensor: ``x.expr``
and ``a.grad_formula``) at 1,000 to 40,000 ops, and every Python-API entry
point on the W2 chain at depths 10, 100, 1000 with the ratio per decade
(linear is about 10x). Prints Markdown tables.

    python benchmarks/symbolic_depth.py [--quick]
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing as mp
import sys
import time
from typing import Any

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


def per_op_case(iterations: int) -> tuple[float, float]:
    """Seconds per recorded op of ``x.expr`` and ``a.grad_formula`` (4 ops per iteration)."""
    import symgrad as sg
    a = sg.tensor([0.5, 1.0, 1.5], requires_grad=True, name=f"p{next(_FRESH)}")
    x = a
    for _ in range(iterations):
        x = sg.sin(x) * 0.5 + x * 0.25
    x.sum().backward()
    gc.collect()
    t0 = time.perf_counter()
    x.expr
    t1 = time.perf_counter()
    a.grad_formula
    t2 = time.perf_counter()
    ops = 4 * iterations
    return (t1 - t0) / ops, (t2 - t1) / ops


ENTRY_DEPTHS = (10, 100, 1000)


def _w2_tensors(depth: int, valued: bool = True) -> tuple[Any, Any]:
    import symgrad as sg
    name = f"e{next(_FRESH)}"
    a = sg.tensor([0.5, 1.0, 1.5], requires_grad=True, name=name) if valued \
        else sg.symbol(name, (3,))
    x = a
    for _ in range(depth):
        x = sg.sin(x) * sg.exp(-x * x / 4) + sg.tanh(x)
    return a, x


def entry_points() -> dict[str, Any]:
    """name -> function(depth) returning the seconds that entry point took."""
    import symgrad as sg

    def timed(prepare: Any, run: Any) -> Any:
        def case(depth: int) -> float:
            args = prepare(depth)
            gc.collect()
            t0 = time.perf_counter()
            run(*args)
            return time.perf_counter() - t0
        return case

    def fresh(depth: int) -> tuple:
        a, x = _w2_tensors(depth)
        return a, x

    def built(depth: int) -> tuple:
        a, x = _w2_tensors(depth)
        y = x.sum()
        y.expr  # the formula exists; the entry point builds what it adds
        return a, x, y

    def backward(depth: int) -> tuple:
        a, x = _w2_tensors(depth)
        y = x.sum()
        y.backward()
        y.expr
        return (a,)

    return {
        "t.expr": timed(fresh, lambda a, x: x.sum().expr),
        "t.grad_formula": timed(backward, lambda a: a.grad_formula),
        "sg.diff": timed(built, lambda a, x, y: sg.diff(y, a)),
        "sg.diff forward": timed(built, lambda a, x, y: sg.diff(y, a, mode="forward")),
        "sg.jacobian": timed(built, lambda a, x, y: sg.jacobian(x, a)),
        "sg.hessian": timed(built, lambda a, x, y: sg.hessian(y, a)),
        "sg.lambdify": timed(built, lambda a, x, y: sg.lambdify(y, [a])),
        "sg.compile_grad": timed(built, lambda a, x, y: sg.compile_grad(y, a)),
        "sg.check + report": timed(lambda d: (_w2_tensors(d)[1].sum(),),
                                   lambda y: str(sg.check(y))),
    }


def main() -> None:
    quick = "--quick" in sys.argv
    per_op()
    entries(ENTRY_DEPTHS[:2] if quick else ENTRY_DEPTHS)
    if quick:
        return
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


def per_op() -> None:
    print("| recorded ops | `x.expr` per op | `a.grad_formula` per op | both per op |")
    print("|---|---|---|---|")
    per_op_case(50)  # warm up
    for iterations in (250, 2500, 10000):
        e, g = min((per_op_case(iterations) for _ in range(3)), key=lambda r: r[0] + r[1])
        print(f"| {4 * iterations} | {e * 1e6:.1f} µs | {g * 1e6:.1f} µs | "
              f"{(e + g) * 1e6:.1f} µs |")
    print()


def entries(depths: tuple[int, ...]) -> None:
    cases = entry_points()
    head = " | ".join(f"depth {d}" for d in depths)
    ratios = " | ".join(f"{b}/{a}" for a, b in zip(depths, depths[1:]))
    print(f"| entry point | {head} | {ratios} |")
    print("|---" * (1 + len(depths) + len(depths) - 1) + "|")
    for name, case in cases.items():
        case(2)  # warm up (templates, imports)
        ts = [min(case(d) for _ in range(2 if d >= 1000 else 3)) for d in depths]
        cells = " | ".join(f"{t * 1e3:.1f} ms" for t in ts)
        rs = " | ".join(f"{b / a:.1f}x" for a, b in zip(ts, ts[1:]))
        print(f"| {name} | {cells} | {rs} |", flush=True)
    print()


if __name__ == "__main__":
    main()
