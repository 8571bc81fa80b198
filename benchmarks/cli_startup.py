"""Cold-start time of the ``symgrad`` command (fresh subprocess, median of repeats).

    python benchmarks/cli_startup.py [--repeat 7]

Goal: every row under 1 s on a 2-core machine; ``--version``/``--help`` do
not import SymPy (tested in tests/cli/test_startup.py).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

EX2 = "sum(a*a) + matmul(a*a, a*a)"
CASES = [
    ("python -c pass (baseline)", [sys.executable, "-c", "pass"]),
    ("symgrad --version", ["--version"]),
    ("symgrad --help", ["--help"]),
    (f'symgrad diff "{EX2}" --wrt a', ["diff", EX2, "--wrt", "a"]),
]


def command(args: list[str]) -> list[str]:
    """``python -m symgrad_cli ARGS``: the entry point itself, without the wrapper
    script (a pyenv shim, for instance, adds its own start-up time)."""
    if args and args[0] == sys.executable:
        return args
    return [sys.executable, "-m", "symgrad_cli", *args]


def measure(argv: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=7)
    n = p.parse_args().repeat
    print(f"{'command':<52} {'median':>8} {'min':>8}")
    cases = list(CASES)
    exe = shutil.which("symgrad")
    if exe:
        cases.append((f"{exe} --version (installed script)", [exe, "--version"]))
    for label, args in cases:
        argv = args if args[0] == exe else command(args)
        measure(argv, 1)  # warm the file cache
        ts = measure(argv, n)
        print(f"{label:<52} {statistics.median(ts):>7.3f}s {min(ts):>7.3f}s")


if __name__ == "__main__":
    main()
