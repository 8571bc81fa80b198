"""Cold-start time of the ``symgrad`` command (fresh subprocess, median of repeats).

    python benchmarks/cli_startup.py [--repeat 9]

Goal (issue 10): ``symgrad diff`` of the seed's formula takes at most
``python -c "import sympy"`` plus 0.2 s; both are measured in the same run, in
interleaved rounds (so load on the machine hits both alike), and the difference
of the medians is printed with the verdict, for wall time and for CPU time (user
+ system, which other processes on a busy machine disturb less). ``--version``/``--help`` do not
import SymPy at all, and ``diff`` none of the subsystems it does not use (tested in
tests/cli/test_startup.py).

Bytecode: SymPy's is compiled when it is installed; symgrad's is compiled at its first
import, unless ``PYTHONDONTWRITEBYTECODE`` is set (as on some CI machines), and again
whenever a source file changes. Stale bytecode means every run compiles symgrad from
source (about 0.1 s more), which no installed copy does, so the benchmark first
compiles what is stale (``--as-is`` measures without doing so) and says how much it
compiled.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
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


WHERE = """
import importlib.util
for package in ("symgrad", "symgrad_cli"):
    print(*importlib.util.find_spec(package).submodule_search_locations, sep="\\n")
"""


def stale_bytecode() -> list[str]:
    """The source files of the ``symgrad`` and ``symgrad_cli`` packages the commands
    import (from the current directory, as ``python -m`` does) whose bytecode is
    missing or older than the source."""
    found = subprocess.run([sys.executable, "-c", WHERE], capture_output=True, text=True,
                           check=True).stdout.split()
    stale = []
    for folder in found:
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            stale += [os.path.join(root, name) for name in sorted(files)
                      if name.endswith(".py") and not _fresh(os.path.join(root, name))]
    return stale


def _fresh(path: str) -> bool:
    """Whether the bytecode of ``path`` is what an import would use: its header (PEP 552,
    timestamp-based) names this Python's magic number and the source's mtime and size."""
    try:
        with open(importlib.util.cache_from_source(path), "rb") as f:
            head = f.read(16)
    except OSError:
        return False
    st = os.stat(path)
    words = [int.from_bytes(head[i:i + 4], "little") for i in (4, 8, 12)]
    return head[:4] == importlib.util.MAGIC_NUMBER and words == [
        0, int(st.st_mtime) & 0xFFFFFFFF, st.st_size & 0xFFFFFFFF]


def compile_stale() -> str:
    """Compile the stale bytecode (as installing or a first import would); what was done."""
    stale = stale_bytecode()
    for path in stale:
        compileall.compile_file(path, quiet=2, force=True)
    left = len(stale_bytecode())
    note = f"compiled the bytecode of {len(stale)} stale symgrad modules before measuring"
    return note + (f" ({left} could not be written)" if left else "")


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
    p.add_argument("--as-is", action="store_true",
                   help="measure with symgrad's bytecode as it is (stale: compiled each run)")
    opts = p.parse_args()
    n = opts.repeat
    bytecode = (f"measured as is: {len(stale_bytecode())} symgrad modules with stale bytecode"
                if opts.as_is else compile_stale())
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
    print(f"\nBytecode: {bytecode}.")
    for what, t in (("wall", walls), ("CPU", cpus)):
        base, diff = med(t[BASELINE]), med(t[TARGET])
        over = diff - base
        verdict = "meets" if over <= GOAL else "misses"
        print(f"\n{what}: `{TARGET}` {diff:.3f} s, `{BASELINE}` {base:.3f} s: {over:+.3f} s "
              f"({diff / base:.2f}x); {verdict} the goal of at most +{GOAL:.1f} s "
              f"(medians of {n} interleaved rounds).")


if __name__ == "__main__":
    main()
