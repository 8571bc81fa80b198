"""Helpers shared by the CLI tests (imported by name; conftest puts this folder on sys.path)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from symgrad_cli.main import cli

SEED = Path(__file__).resolve().parents[1] / "seed" / "programs"

# modules the CLI may legitimately import on first use
LAZY_OK = ("symgrad", "sympy", "mpmath", "numpy", "symgrad_cli")


def has_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def needs(module: str, what: str):
    """Skip (naming the missing piece) until another helper's part has landed."""
    return pytest.mark.skipif(not has_module(module), reason=f"{what} ({module}) not built yet")


def invoke(*args: str, input: str | None = None):
    """Run ``symgrad ARGS``; never lets an exception escape silently."""
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=True)
    return result


def assert_clean_error(result, code: int = 2) -> None:
    """Exit ``code``, exactly one line on stderr starting with ``error:``, no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code == code, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr


def run_snippet(text: str) -> str:
    """``symgrad run --no-formulas -`` of ``text``: exit 0, its standard output."""
    r = invoke("run", "--no-formulas", "-", input=text)
    assert r.exit_code == 0, r.output
    return r.stdout


def snippet_error(text: str) -> str:
    """The ``Type: message`` line of a snippet's own (catchable) error: exit 1."""
    r = invoke("run", "--no-formulas", "-", input=text)
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    return r.stderr.splitlines()[1]
