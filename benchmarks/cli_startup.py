"""Cold-start time of the ``symgrad`` command (fresh subprocess, median of repeats).

    python benchmarks/cli_startup.py [--repeat 9]

Goal (issue 10): ``symgrad diff`` of the seed's formula takes at most
``python -c "import sympy"`` plus 0.2 s; both are measured in the same run, in
interleaved rounds (so load on the machine hits both alike), and the difference
of the medians is printed with the verdict, for wall time and for CPU time (user
+ system, which other processes on a busy machine disturb less). ``--version``/``--help`` do not
import SymPy at all (tested in tests/cli/test_startup.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

EX2 = "sum(a*a) + matmul(a*a, a*a)"
BASELINE = "python -c 'import sympy'"
TARGET = f'symgrad diff "{EX2}" --wrt a'
GOAL = 0.2  # seconds over the baseline
CASES = [
    ("python -c pass", [sys.executable, "-c", "pass"]),
    (BASELINE, [sys.executable, "-c", "import sympy"]),
    ("python -c 'import numpy'", [sys.executable, "-c", "import numpy"]),
    ("symgrad --version", ["--version"]),
    ("symgrad --help", ["--help"]),
    (TARGET, ["diff", EX2, "--wrt", "a"]),
    (f'symgrad diff "{EX2}" --format json', ["diff", EX2, "--format", "json"]),
    ("symgrad run ex2.py (seed)", ["run", "tests/seed/programs/ex2.py"]),
]


def command(args: list[str]) -> list[str]:
    """``python -m symgrad_cli ARGS``: the entry point itself, without the wrapper
    script (a pyenv shim, for instance, adds its own start-up time)."""
    if args and args[0] == sys.executable:
        return args
    return [sys.executable, "-m", "symgrad_cli", *args]


def once(argv: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``argv``."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if hasattr(os, "wait4"):
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
    else:  # pragma: no cover - Windows
        p.wait()
        cpu = float("nan")
    wall = time.perf_counter() - t0
    if p.returncode:
        raise SystemExit(f"{' '.join(argv)} exited with {p.returncode}")
    return wall, cpu


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=9)
    n = p.parse_args().repeat
    cases = list(CASES)
    exe = shutil.which("symgrad")
    if exe:
        cases.append(("symgrad --version (installed script)", [exe, "--version"]))
    argvs = {label: (args if args[0] in (exe, sys.executable) else command(args))
             for label, args in cases}
    for argv in argvs.values():
        once(argv)  # warm the file cache
    walls: dict[str, list[float]] = {label: [] for label in argvs}
    cpus: dict[str, list[float]] = {label: [] for label in argvs}
    for _ in range(n):  # interleaved rounds: each command once per round
        for label, argv in argvs.items():
            wall, cpu = once(argv)
            walls[label].append(wall)
            cpus[label].append(cpu)
    print("| command | wall, median | wall, min | CPU, median |\n|---|---|---|---|")
    for label in argvs:
        w, c = walls[label], cpus[label]
        print(f"| `{label}` | {statistics.median(w):.3f} s | {min(w):.3f} s | "
              f"{statistics.median(c):.3f} s |")
    med = statistics.median
    for what, t in (("wall", walls), ("CPU", cpus)):
        base, diff = med(t[BASELINE]), med(t[TARGET])
        over = diff - base
        verdict = "meets" if over <= GOAL else "misses"
        print(f"\n{what}: `{TARGET}` {diff:.3f} s, `{BASELINE}` {base:.3f} s: {over:+.3f} s "
              f"({diff / base:.2f}x); {verdict} the goal of at most +{GOAL:.1f} s "
              f"(medians of {n} interleaved rounds).")


if __name__ == "__main__":
    main()
