"""The ``symgrad`` command: a click group; only parses, calls the API, formats.

Kept import-light: ``symgrad --version`` and ``--help`` import neither
SymPy nor the tensor engine; each command imports what it needs.

Exit codes: 0 success; 1 the snippet raised (``run``), a ``--check``
failed, or symgrad itself failed; 2 bad input (one line on stderr, never a
traceback).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import click


def _version() -> str:
    """symgrad's version, read from ``symgrad/_version.py`` without importing symgrad
    (which would load NumPy and the engine just to print a version)."""
    spec = importlib.util.find_spec("symgrad")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "_version.py"
        if path.exists():
            m = re.search(r"__version__\s*=\s*['\"]([^'\"]+)['\"]", path.read_text())
            if m:
                return m.group(1)
    from symgrad._version import __version__  # fallback: import it
    return __version__


__version__ = _version()

FORMATS = ("str", "pretty", "latex", "numpy", "json")  # symgrad.commands.present.FORMATS


class _Group(click.Group):
    """A click group whose errors are one line: ``error: ...``."""

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Abort:
            click.echo("error: aborted", err=True)
            rv = 1
        except click.ClickException as e:
            hint = ""
            if isinstance(e, click.UsageError) and e.ctx is not None:
                hint = f" (see {e.ctx.command_path} --help)"
            _fail(e.format_message() + hint, e.exit_code)
        code = rv if isinstance(rv, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


def _fail(message: str, code: int) -> None:
    click.echo("error: " + " ".join(message.split("\n")), err=True)
    sys.exit(code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="symgrad")
def cli() -> None:
    """symgrad: see and trust gradients."""


def _read(source: str, what: str) -> tuple[str, str]:
    """Text and a display name for ``source`` (``-`` is standard input)."""
    if source == "-":
        return sys.stdin.read(), "<stdin>"
    try:
        with open(source, encoding="utf-8") as f:
            return f.read(), source.replace("\\", "/").rsplit("/", 1)[-1]
    except (OSError, UnicodeDecodeError) as e:
        _fail(f"cannot read {what} '{source}': {getattr(e, 'strerror', None) or e}", 2)
    raise AssertionError  # unreachable


def _guard(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call the API; bad input exits 2 with one line, anything else exits 1, no traceback."""
    from symgrad.parsing import InputError
    try:
        return fn(*args, **kwargs)
    except InputError as e:
        _fail(str(e), 2)
    except RecursionError:
        _fail("input too deeply nested for symgrad to process", 2)
    except Exception as e:  # noqa: BLE001 - a traceback reaching the user is a bug
        if isinstance(e, ModuleNotFoundError) and (e.name or "").startswith("symgrad"):
            from symgrad.errors import CLI_MISSING_PIECE
            _fail(CLI_MISSING_PIECE.format(feature="this command", piece=e.name), 1)
        _fail(f"symgrad failed: {type(e).__name__}: {e}", 1)


@cli.command()
@click.argument("expression")
@click.option("--wrt", multiple=True, metavar="NAME",
              help="Variable to differentiate with respect to (repeatable; default: the first).")
@click.option("--shape", "shapes", multiple=True, metavar="NAME=DIMS",
              help="Shape of a variable, e.g. a=3 or W=4,3 ('?' for an unspecified length, "
                   "'a=' for a scalar). Default: a vector of unspecified length.")
@click.option("--mode", type=click.Choice(["reverse", "forward"]), default="reverse",
              show_default=True, help="reverse: gradient (VJP); forward: JVP along d<NAME>.")
@click.option("--jacobian", is_flag=True, help="Print the Jacobian instead.")
@click.option("--hessian", is_flag=True, help="Print the Hessian of a scalar expression.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="str", show_default=True,
              help="numpy: the kernel's source; json: formula, shape and free symbols.")
@click.option("--at", "at_specs", multiple=True, metavar="NAME=VALUES",
              help="Evaluate there, e.g. a=1,2,3 (repeatable; tangents as da=...).")
@click.option("--check", is_flag=True,
              help="Cross-check tape, formula and finite differences at --at.")
def diff(expression: str, wrt: tuple[str, ...], shapes: tuple[str, ...], mode: str,
         jacobian: bool, hessian: bool, fmt: str, at_specs: tuple[str, ...],
         check: bool) -> None:
    """Print the derivative of EXPRESSION ('-' reads it from standard input).

    \b
      symgrad diff "sum(a*a) + matmul(a*a, a*a)" --wrt a
      symgrad diff "sum(W @ x)" --wrt W --shape W=2,3 --shape x=3
      symgrad diff "sum(sigmoid(a))" --shape a=3 --at a=1,2,3 --check
    """
    if expression == "-":
        expression = _read("-", "expression")[0].strip()
    from symgrad.commands import differentiate
    from symgrad.commands.present import diff_text
    out = _guard(differentiate, expression, wrt, shapes, mode, jacobian, hessian, at_specs,
                 check)
    click.echo(_guard(diff_text, out, fmt))
    if out.check is not None and not out.check.passed:
        sys.exit(1)


@cli.command()
@click.argument("file", metavar="FILE")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=20.0, show_default=True,
              help="Wall-time limit in seconds.")
@click.option("--formulas/--no-formulas", default=True, show_default=True,
              help="After the output, show the formula behind each leaf's .grad.")
def run(file: str, timeout: float, formulas: bool) -> None:
    """Run a PyTorch-style snippet FILE safely ('-' reads standard input).

    'import torch' means symgrad. Leaves are named after their variables, so
    the formulas behind .grad read 'a.grad = 4*a**3 + 2*a = tensor(...)'.
    """
    text, name = _read(file, "snippet")
    from symgrad.commands import Limits, run_snippet
    from symgrad.commands.present import run_report
    result = _guard(run_snippet, text, name, Limits(timeout=timeout))
    click.echo(result.stdout, nl=False)
    for w in result.warnings:
        click.echo(w, err=True)
    if result.error is not None:
        click.echo(str(result.error), err=True)
        sys.exit(1)
    if formulas:
        report = _guard(run_report, result)
        if report:
            click.echo("\n" + report, nl=False)


def main() -> None:  # pragma: no cover - console entry point
    cli()
