"""Time of every entry point against the depth of the W2 chain (10, 100, 1000, 10,000).

The W2 chain (``benchmarks/workloads.py``) is ``x = sin(x)*exp(-(x*x)/4) + tanh(x)``
repeated D times: its formula DAG grows linearly with D while the same formula
printed as a tree grows like 4^D, so any walk that loses the sharing shows up
here as an exponential row. Linear means about 10x per decade of depth.

Each cell runs in its own subprocess (so one exponential cell cannot hang the
table; it prints ``> cap`` after ``--cap`` seconds): it first warms the entry point
up on a depth-3 chain (imports, caches), then builds the depth-D inputs (not
timed) and times the entry point alone (best of up to five runs, while they add
up to less than a second with their setup). The CLI rows run the click command
in that process with the program on stdin (the chain as a ``for`` loop), so they
count the command's work, not Python's start-up (``benchmarks/cli_startup.py``
measures that). A capped cell says whether the
cap hit while building its inputs (``(in setup)``) or in the entry point itself.
A depth is skipped, with a note, when the previous depth's time predicts more
than the cap.

    python benchmarks/scaling.py                       # all rows, depths 10..10000
    python benchmarks/scaling.py --depths 10 100 1000 --cap 30 --rows cli
    python benchmarks/scaling.py --list                # the row names
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEPTHS = (10, 100, 1000, 10_000)
VALUES = [0.5, 1.0, 1.5]


# ----------------------------------------------------------------------- the chain
def chain(lib: Any, x: Any, depth: int) -> Any:
    """The W2 step, exactly as benchmarks/workloads.py writes it (without the sum)."""
    for _ in range(depth):
        x = lib.sin(x) * lib.exp(-(x * x) / 4) + lib.tanh(x)
    return x


_FRESH = itertools.count()


def fresh(stem: str = "a") -> str:
    """A new variable name per run: interned formulas of a previous run (same names)
    would make repeated runs of small depths cache hits, and flatter the ratios."""
    return f"{stem}{next(_FRESH)}"


def program(depth: int, vector: bool = False, name: str = "a") -> str:
    """The chain as a ``symgrad diff`` program (statements ending with the expression)."""
    last = "x" if vector else "sum(x)"
    return (f"x = {name}\nfor i in range({depth}):\n"
            f"    x = sin(x) * exp(-(x * x) / 4) + tanh(x)\n{last}\n")


def snippet(depth: int, name: str = "a") -> str:
    """The chain as a ``symgrad run`` snippet (the loop of issue 10)."""
    return ("import torch\n"
            f"{name} = torch.tensor({VALUES}, requires_grad=True)\n"
            f"x = {name}\nfor i in range({depth}):\n"
            "    x = torch.sin(x) * torch.exp(-x * x / 4) + torch.tanh(x)\n"
            f"x.sum().backward()\nprint({name}.grad)\n")


# ------------------------------------------------------------------------ the rows
# name -> (setup(depth) -> state, timed(state) -> anything); setup is not timed
Row = tuple[Callable[[int], Any], Callable[[Any], Any]]


def _eager(depth: int, backward: bool = False) -> tuple[Any, Any]:
    import symgrad as sg
    a = sg.tensor(VALUES, requires_grad=True, name=fresh())
    y = chain(sg, a, depth).sum()
    if backward:
        y.backward()
    return a, y


def _symbolic(depth: int, vector: bool = False) -> tuple[Any, Any]:
    import symgrad as sg
    a = sg.symbol(fresh(), (None,))
    z = chain(sg, a, depth)
    return a, (z if vector else z.sum())


def _grad(depth: int) -> tuple[Any, Any]:
    import symgrad as sg
    a, y = _symbolic(depth)
    return a, sg.diff(y, a)


def _outcome(depth: int) -> Any:
    from symgrad.commands import differentiate
    name = fresh()
    return differentiate(program(depth, name=name), [name])


def _text(fmt: str) -> Row:
    def timed(g: Any) -> Any:
        from symgrad.commands.present import formula_text
        return formula_text(g[1], fmt)
    return _grad, timed


def _json_api(out: Any) -> Any:
    from symgrad.symbolic import printing
    to_json = getattr(printing, "to_json", None)
    if callable(to_json):
        return to_json(out.results[0].formula)
    from symgrad.commands.present import diff_text
    return diff_text(out, "json")


def _cli(args: list[str], text: Callable[..., str]) -> Row:
    def timed(depth: int) -> Any:
        from click.testing import CliRunner

        from symgrad_cli.main import cli
        name = fresh()  # the variable's name; `{a}` in args is replaced by it
        argv = [a.replace("{a}", name) for a in args]
        r = CliRunner().invoke(cli, [*argv[:1], "-", *argv[1:], "--timeout", "3600"],
                               input=text(depth, name=name))
        failed = r.exit_code not in (0, 1) or "symgrad failed" in r.output or (
            r.exception is not None and not isinstance(r.exception, SystemExit))
        if failed:  # (exit 1 is a check that disagrees; anything else is a failed cell)
            raise RuntimeError(f"exit {r.exit_code}: {r.output.strip()[-300:]}")
        return r.output
    return (lambda depth: depth), timed


def _sg() -> Any:
    import symgrad as sg
    return sg


ROWS: dict[str, Row] = {
    "record + backward (eager, n=3)": (lambda d: d, lambda d: _eager(d, backward=True)),
    "t.expr": (_eager, lambda s: s[1].expr),
    "t.grad_formula": (lambda d: _eager(d, backward=True), lambda s: s[0].grad_formula),
    "sg.diff reverse": (_symbolic, lambda s: _sg().diff(s[1], s[0])),
    "sg.diff forward": (_symbolic, lambda s: _sg().diff(s[1], s[0], mode="forward")),
    "sg.jacobian": (lambda d: _symbolic(d, vector=True), lambda s: _sg().jacobian(s[1], s[0])),
    "sg.hessian": (_symbolic, lambda s: _sg().hessian(s[1], s[0])),
    "sg.lambdify (gradient)": (_grad, lambda s: _sg().lambdify(s[1], [s[0]])),
    "sg.compile_grad": (_symbolic, lambda s: _sg().compile_grad(s[1], s[0])),
    "sg.check": (_eager, lambda s: _sg().check(s[1])),
    "sg.check report (str)": (lambda d: _sg().check(_eager(d)[1]), str),
    "str(formula)": (_grad, lambda s: str(s[1])),
    "printing: str": _text("str"),
    "printing: pretty": _text("pretty"),
    "printing: latex": _text("latex"),
    "printing: json": (_outcome, _json_api),
    "cli: diff": _cli(["diff"], program),
    "cli: diff --format pretty": _cli(["diff", "--format", "pretty"], program),
    "cli: diff --format latex": _cli(["diff", "--format", "latex"], program),
    "cli: diff --format numpy": _cli(["diff", "--format", "numpy"], program),
    "cli: diff --format json": _cli(["diff", "--format", "json"], program),
    "cli: diff --mode forward": _cli(["diff", "--mode", "forward"], program),
    "cli: diff --jacobian": _cli(["diff", "--jacobian"], lambda d, name: program(d, True, name)),
    "cli: diff --hessian": _cli(["diff", "--hessian"], program),
    "cli: diff --at --check": _cli(["diff", "--at", "{a}=" + ",".join(map(str, VALUES)),
                                    "--check"], program),
    "cli: run (with report)": _cli(["run"], snippet),
    "cli: run --no-formulas": _cli(["run", "--no-formulas"], snippet),
}


# ------------------------------------------------------------------- one cell
def cell(row: str, depth: int) -> float:
    """Seconds of ``row`` at ``depth``, in this process (after a depth-3 warm-up)."""
    setup, timed = ROWS[row]
    timed(setup(3))
    best, t_start = float("inf"), time.perf_counter()
    for i in range(5):  # best of up to 5 runs, while they (and their setup) take < 1 s
        state = setup(depth)
        if i == 0:
            print("timing", flush=True)  # the parent tells a slow setup from a slow entry point
        gc.collect()
        t0 = time.perf_counter()
        timed(state)
        best = min(best, time.perf_counter() - t0)
        if time.perf_counter() - t_start > 1.0:
            break
    return best


def run_cell(row: str, depth: int, cap: float) -> tuple[float | None, str]:
    """``(seconds, "")``, or ``(None, why)`` for a capped or failed cell."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--cell", row, str(depth)]
    env = dict(os.environ, PYTHONHASHSEED="0")
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=cap, env=env, check=False)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return None, f"> {cap:g} s" + ("" if "timing" in out else " (in setup)")
    try:
        return float(json.loads(p.stdout.strip().splitlines()[-1])["seconds"]), ""
    except (ValueError, KeyError, IndexError):
        last = (p.stderr.strip().splitlines() or ["no output"])[-1]
        return None, "failed: " + last[:80].replace("|", "/")


# ------------------------------------------------------------------- the table
def _fmt(t: float) -> str:
    return f"{t * 1e3:.1f} ms" if t < 1 else f"{t:.2f} s"


def table(rows: list[str], depths: list[int], cap: float, echo: Callable[[str], None]) -> None:
    head = " | ".join(f"D={d:,}" for d in depths)
    ratios = " | ".join(f"{b:,}/{a:,}" for a, b in itertools.pairwise(depths))
    echo(f"| entry point | {head} | {ratios} |")
    echo("|---" * (1 + 2 * len(depths) - 1) + "|")
    notes: list[str] = []
    for row in rows:
        times: list[float | None] = []
        cells: list[str] = []
        for i, d in enumerate(depths):
            prev = times[-1] if times else None
            if i and prev is None:
                times.append(None)
                cells.append("skipped")
                continue
            if prev is not None and prev * (d / depths[i - 1]) > cap:
                times.append(None)
                cells.append("skipped")
                notes.append(f"{row}, D={d:,}: skipped, D={depths[i - 1]:,} took {_fmt(prev)}, "
                             f"so linear growth predicts more than the {cap:g} s cap")
                continue
            t, why = run_cell(row, d, cap)
            times.append(t)
            cells.append(_fmt(t) if t is not None else why)
        rs = []
        for a, b in itertools.pairwise(times):
            rs.append(f"{b / a:.1f}x" if a and b else "")
        echo(f"| {row} | " + " | ".join(cells) + " | " + " | ".join(rs) + " |")
    for n in notes:
        echo(f"\n- {n}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--depths", type=int, nargs="+", default=list(DEPTHS))
    p.add_argument("--cap", type=float, default=60.0, help="seconds per cell (default 60)")
    p.add_argument("--rows", nargs="+", default=None,
                   help="rows whose name contains one of these words (default: all)")
    p.add_argument("--list", action="store_true", help="print the row names")
    p.add_argument("--cell", nargs=2, metavar=("ROW", "DEPTH"), help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.cell:
        print(json.dumps({"seconds": cell(a.cell[0], int(a.cell[1]))}))
        return
    if a.list:
        print("\n".join(ROWS))
        return
    rows = [r for r in ROWS if a.rows is None or any(w in r for w in a.rows)]
    print(f"W2 chain, n=3 values; seconds per entry point (best of up to 5 runs within 1 s), "
          f"cap {a.cap:g} s per cell; python {sys.version.split()[0]}\n")
    table(rows, sorted(a.depths), a.cap, lambda s: print(s, flush=True))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    main()
