"""Cold start: ``symgrad --version`` and ``--help`` must not import SymPy; ``symgrad
diff`` imports none of the subsystems it does not use; ``import symgrad`` loads
the random generator, autograd's extras, nn and the SymPy parts on first use.

Every probe runs in a fresh interpreter (what this process has imported says
nothing about a cold start). Speed itself is measured by
``benchmarks/cli_startup.py``, never asserted here.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import sys
from symgrad_cli.main import cli
try:
    cli.main({args!r}, prog_name="symgrad")
except SystemExit:
    pass
print("SYMPY" if any(m == "sympy" or m.startswith("sympy.") for m in sys.modules) else "CLEAN")
"""


def _python(code: str, *args: str) -> str:
    """Standard output of ``python -c code args`` in a fresh interpreter."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["diff", "--help"],
                                  ["run", "--help"]])
def test_version_and_help_do_not_import_sympy(args: list[str]) -> None:
    out = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], capture_output=True,
                         text=True, check=True).stdout
    assert out.splitlines()[-1] == "CLEAN"


def test_probe_can_see_sympy_when_it_is_imported() -> None:
    # the probe is able to fail: a diff does import SymPy
    out = subprocess.run([sys.executable, "-c", PROBE.format(args=["diff", "sum(a*a)"])],
                         capture_output=True, text=True).stdout
    assert out.splitlines()[-1] == "SYMPY"


# What a diff of a formula (printed as text) never needs; each costs start-up time
# (numpy.random about 10 ms, nn and the run interpreter's report a few ms each).
NOT_FOR_DIFF = ("symgrad.random", "symgrad.autograd", "symgrad.nn", "symgrad.optim",
                "symgrad.func", "symgrad.checking", "symgrad.kernels", "symgrad.viz",
                "symgrad.linalg", "symgrad.commands.run", "numpy.random", "sympy.codegen",
                "matplotlib", "graphviz", "IPython")

IMPORTED = """
import sys
from symgrad_cli.main import cli
try:
    cli.main(sys.argv[2:], prog_name="symgrad")
except SystemExit:
    pass
wanted = sys.argv[1].split(",")
print("imported:", *(w for w in wanted if any(m == w or m.startswith(w + ".") for m in sys.modules)))
"""


def _imported_by(*args: str) -> set[str]:
    """Which of :data:`NOT_FOR_DIFF` ``symgrad ARGS`` imports, in a fresh interpreter."""
    last = _python(IMPORTED, ",".join(NOT_FOR_DIFF), *args).splitlines()[-1]
    assert last.startswith("imported:")
    return set(last.split()[1:])


def test_diff_imports_only_what_it_uses() -> None:
    assert _imported_by("diff", "sum(a*a) + matmul(a*a, a*a)", "--wrt", "a") == set()
    assert _imported_by("diff", "sum(sigmoid(W @ x))", "--wrt", "W", "--mode", "forward",
                        "--format", "latex") == set()


def test_the_import_probe_can_fail() -> None:
    # the same probe sees the parts a command does use: kernels for --format numpy,
    # and the random generator, autograd, nn and the run interpreter for `run`
    assert "symgrad.kernels" in _imported_by("diff", "sum(a*a)", "--format", "numpy")
    seed = Path(__file__).resolve().parents[1] / "seed" / "programs" / "ex2.py"
    ran = _imported_by("run", str(seed), "--no-formulas")
    assert {"symgrad.commands.run", "symgrad.nn"} <= ran


# ``import symgrad`` and then the lazy names: each line prints what it found, and
# whether the module behind it had loaded before it was asked for.
LAZY = """
import sys
import symgrad as torch
print("random loaded:", "symgrad.random" in sys.modules, "numpy.random" in sys.modules)
print("autograd loaded:", "symgrad.autograd" in sys.modules)
print("dir:", all(n in dir(torch) and n in torch.__all__ for n in
                  ("manual_seed", "randn", "Generator", "autograd", "random", "nn")))
x = torch.empty(3).uniform_()          # a Tensor method bound by symgrad.random
print("uniform_:", x.shape == (3,), "symgrad.random" in sys.modules)
torch.manual_seed(0)
print("randn:", torch.randn(2))
from symgrad import Generator, randint
print("from-import:", Generator.__name__, randint(3, (2,), generator=Generator().manual_seed(1)))
print("modules:", torch.random is sys.modules["symgrad.random"], type(torch.autograd).__name__,
      torch.autograd.grad.__name__)
"""


def test_import_symgrad_loads_random_and_autograd_on_first_use() -> None:
    out = _python(LAZY).splitlines()
    assert out == [
        "random loaded: False False",
        "autograd loaded: False",
        "dir: True",
        "uniform_: True True",
        "randn: tensor([ 1.5410, -0.2934])",            # torch.manual_seed(0); torch.randn(2)
        "from-import: Generator tensor([1, 2])",      # recorded from torch 2.13.0
        "modules: True module grad",
    ]


def test_placeholders_are_the_methods_random_binds() -> None:
    """The Tensor methods ``symgrad/__init__`` holds places for are exactly those
    :mod:`symgrad.random` binds, with their real signatures and docstrings."""
    import inspect

    import symgrad
    from symgrad.random.functions import METHODS
    tree = ast.parse(Path(symgrad.__file__).read_text())
    held = next(ast.literal_eval(node.iter) for node in ast.walk(tree)
                if isinstance(node, ast.For) and isinstance(node.iter, ast.Tuple)
                and "uniform_" in ast.literal_eval(node.iter))
    assert sorted(held) == sorted(METHODS)
    for name, fn in METHODS.items():
        assert getattr(symgrad.Tensor, name) is fn
        assert inspect.signature(getattr(symgrad.Tensor, name)) == inspect.signature(fn)
    placeholder = symgrad._LoadsOnFirstUse("symgrad.random", "normal_")
    assert inspect.signature(placeholder) == inspect.signature(METHODS["normal_"])
    assert placeholder.real() is METHODS["normal_"]


GC_PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("collector on:", gc.isenabled(), "frozen:", gc.get_freeze_count() > 0))
sys.argv = ["symgrad", *sys.argv[1:]]
from symgrad_cli.main import main
main()
"""


@pytest.mark.parametrize("args", [["diff", "sum(a*a)"], ["run", "-"]])
def test_the_collector_runs_again_once_a_command_has_loaded(args: list[str]) -> None:
    """``main`` holds the garbage collector off while the command imports, then
    freezes what the imports built and collects again for the command's own work."""
    out = subprocess.run([sys.executable, "-c", GC_PROBE, *args], input="x = 1\n",
                         capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "collector on: True frozen: True"


def test_in_process_the_collector_is_left_alone() -> None:
    # CliRunner calls cli, not main: the test process's collector is not touched
    import gc

    from cli_helpers import invoke
    frozen = gc.get_freeze_count()
    assert invoke("diff", "sum(a*a)").exit_code == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen
