"""Cold start: ``symgrad --version`` and ``--help`` must not import SymPy."""

from __future__ import annotations

import subprocess
import sys

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
