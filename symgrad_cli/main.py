"""The ``symgrad`` command: a click group; only parses, calls the API, formats.

Kept import-light: ``symgrad --version`` and ``--help`` import neither
SymPy nor the tensor engine; each command imports what it needs, with the
garbage collector held off until it has (:func:`_collect_after_start_up`).

Exit codes: 0 success; 1 the snippet raised (``run``), a ``--check``
failed, or symgrad itself failed; 2 bad input (one line on stderr, never a
traceback).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import importlib.util
import os
import re
import stat
import sys
import warnings
from collections.abc import Iterator
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
            try:
                rv = super().main(args, prog_name, complete_var, standalone_mode=False,
                                  **extra)
            except BaseException as e:  # an alarm repeated while unwinding: one line still
                if type(e).__name__ != "TimeUp":
                    raise
                from symgrad.parsing.deadline import stop_alarms
                stop_alarms()
                _fail(_TIMED_OUT[-1] if _TIMED_OUT else "time limit exceeded", 2)
        except click.exceptions.Abort:
            click.echo("error: aborted", err=True)
            rv = 1
        except click.ClickException as e:
            hint = ""
            if isinstance(e, click.UsageError) and e.ctx is not None:
                hint = f" (see {e.ctx.command_path} --help)"
            if isinstance(e, click.NoSuchOption) and e.ctx is not None \
                    and e.ctx.command.name == "diff" and not e.option_name.startswith("--"):
                from symgrad.errors import CLI_LEADING_DASH
                hint = CLI_LEADING_DASH
            _fail(e.format_message() + hint, e.exit_code)
        code = rv if isinstance(rv, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


_TIMED_OUT: list[str] = []  # the running command's time-limit message


def _fail(message: str, code: int) -> None:
    click.echo("error: " + " ".join(message.split("\n")), err=True)
    if _TIMED_OUT and message == _TIMED_OUT[-1]:
        _exit_now(code)
    sys.exit(code)


def _exit_now(code: int) -> None:
    """After a time-out, leave without tearing down what the command built (freeing a
    huge formula DAG can take seconds past the limit). Only as the real process
    (``CliRunner`` swaps the streams, and must get its ``SystemExit``)."""
    if sys.stdout is sys.__stdout__ and sys.stderr is sys.__stderr__:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="symgrad")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """symgrad: see and trust gradients."""
    if ctx.invoked_subcommand == "diff":  # before any option of diff loads NumPy
        _one_blas_thread()


def _check_timeout(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """``--timeout``: a finite number of seconds; NaN, inf, 0 and negatives are refused
    (the limit cannot be switched off)."""
    from symgrad.parsing import InputError
    from symgrad.parsing.deadline import seconds_of
    try:
        return seconds_of(value)
    except InputError as e:
        raise click.BadParameter(str(e), ctx, param) from None


def _timeout_option(default: float) -> Any:
    return click.option("--timeout", type=float, default=default, show_default=True,
                        metavar="SECONDS", callback=_check_timeout,
                        help="Wall-time limit in seconds, over everything the command does "
                             "(reading, running, derivatives, report, output).")


def _read(source: str, what: str, max_chars: int) -> tuple[str, str]:
    """Text and a display name for ``source`` (``-`` is standard input): a regular
    file or standard input, at most ``max_chars`` characters, read without blocking
    on a FIFO and without reading more than the limit."""
    from symgrad import errors
    try:
        if source == "-":
            text, name = sys.stdin.read(max_chars + 1), "<stdin>"
        else:
            fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            try:
                info = os.fstat(fd)
            except OSError:
                os.close(fd)
                raise
            if not stat.S_ISREG(info.st_mode):
                os.close(fd)
                _fail(errors.CLI_NOT_A_FILE.format(what=what, source=source), 2)
            with os.fdopen(fd, encoding="utf-8") as f:
                text = f.read(max_chars + 1)
            name = source.replace("\\", "/").rsplit("/", 1)[-1]
    except (OSError, UnicodeDecodeError) as e:
        _fail(f"cannot read {what} '{source}': {getattr(e, 'strerror', None) or e}", 2)
    except MemoryError:
        _fail(errors.PARSE_OUT_OF_MEMORY.format(where=f" reading {what} '{source}'"), 2)
    if len(text) > max_chars:
        _fail(errors.CLI_INPUT_TOO_LONG.format(what=what.capitalize(), limit=max_chars), 2)
    return text.removeprefix("\ufeff"), name


def _stop_if_timed_out(e: Exception) -> None:
    """After the time limit, no further alarm may interrupt printing the error."""
    if _TIMED_OUT and str(e).startswith(_TIMED_OUT[-1]):
        from symgrad.parsing.deadline import stop_alarms
        stop_alarms()


def _collect_after_start_up() -> None:
    """Call once a command has imported what it runs on. :func:`main` starts with the
    garbage collector off: importing SymPy, NumPy and symgrad builds some 125,000
    container objects that live as long as the process and are never garbage, yet
    every full collection walks all of them, during the imports and once more at exit
    (together about 0.1 s of a ``symgrad diff``). From here on they are frozen out of
    every collection (:func:`gc.freeze`) and the collector runs again, for what the
    command itself builds. A no-op in-process (``CliRunner``), where the collector was
    never switched off."""
    if _START_UP:
        _START_UP.clear()
        gc.freeze()
        gc.enable()


_START_UP: list[bool] = []  # [True] while main() holds the collector off


def _one_blas_thread() -> None:
    """``diff`` only evaluates values typed on the command line: starting a BLAS
    thread pool when NumPy loads would cost more (about 40 ms on two cores) than
    it could ever save. A user's own setting wins; ``run`` keeps the pool."""
    if "numpy" not in sys.modules:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")


@contextlib.contextmanager
def _guarded(timeout: float) -> Iterator[Any]:
    """Run a command's body inside its one deadline; bad input (a limit included) exits
    2 with one line, anything else exits 1, never a traceback. What the body already
    printed stays printed."""
    from symgrad.parsing import InputError
    from symgrad.parsing.deadline import Deadline
    try:
        deadline = Deadline(timeout)
        _TIMED_OUT[:] = [str(deadline.error())]
        with deadline, warnings.catch_warnings():
            # NumPy's overflow warnings from evaluating a formula would print a kernel's
            # source line; the values themselves (inf, nan) are shown. (`run` reports the
            # snippet's own warnings with their lines.)
            warnings.simplefilter("ignore", RuntimeWarning)
            yield deadline
    except InputError as e:
        _stop_if_timed_out(e)
        _fail(str(e), 2)
    except RecursionError:
        _fail("input too deeply nested for symgrad to process", 2)
    except MemoryError:
        from symgrad import errors
        _fail(errors.PARSE_OUT_OF_MEMORY.format(where=""), 2)
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
@_timeout_option(30.0)
def diff(expression: str, wrt: tuple[str, ...], shapes: tuple[str, ...], mode: str,
         jacobian: bool, hessian: bool, fmt: str, at_specs: tuple[str, ...],
         check: bool, timeout: float) -> None:
    """Print the derivative of EXPRESSION ('-' reads it from standard input).

    \b
      symgrad diff "sum(a*a) + matmul(a*a, a*a)" --wrt a
      symgrad diff "sum(W @ x)" --wrt W --shape W=2,3 --shape x=3
      symgrad diff "sum(sigmoid(a))" --shape a=3 --at a=1,2,3 --check
    """
    with _guarded(timeout) as deadline:
        from symgrad.commands import DIFF_LIMITS, differentiate
        from symgrad.commands.present import diff_text
        _collect_after_start_up()
        if expression == "-":
            expression = _read("-", "expression", DIFF_LIMITS.max_chars)[0]
        limits = dataclasses.replace(DIFF_LIMITS, timeout=timeout)
        out = differentiate(expression, wrt, shapes, mode, jacobian, hessian, at_specs, check,
                            limits, deadline=deadline)
        click.echo(diff_text(out, fmt))
    if out.check is not None and not out.check.passed:
        sys.exit(1)


@cli.command()
@click.argument("file", metavar="FILE")
@_timeout_option(20.0)
@click.option("--formulas/--no-formulas", default=True, show_default=True,
              help="After the output, show the formula behind each leaf's .grad.")
@click.option("--graph", "graph_file", metavar="FILE", default=None,
              help="Draw the autograd graph as the first backward() saw it "
                   "(.svg, .png: needs Graphviz; .dot: text).")
def run(file: str, timeout: float, formulas: bool, graph_file: str | None) -> None:
    """Run a PyTorch-style snippet FILE safely ('-' reads standard input).

    'import torch' means symgrad. Leaves are named after their variables, so
    the formulas behind .grad read 'a.grad = 4*a**3 + 2*a = tensor(...)'.
    """
    with _guarded(timeout) as deadline:
        from symgrad.commands import Limits, run_snippet
        _collect_after_start_up()  # the snippet may build garbage: collect it
        limits = Limits(timeout=timeout)
        text, name = _read(file, "snippet", limits.max_chars)
        # the snippet's output goes out as it is printed, so a limit hit later keeps it
        drawing = _graph.RunGraph() if graph_file else None
        result = run_snippet(text, name, limits, deadline=deadline,
                             write=lambda s: click.echo(s, nl=False),
                             on_backward=drawing.on_backward if drawing else None)
        if drawing is not None and graph_file is not None:
            drawing.write(graph_file, _fail, failed=result.error is not None)
        for w in result.warnings:
            click.echo(w, err=True)
        if result.error is not None:
            click.echo(str(result.error), err=True)
            sys.exit(1)
        if formulas:
            from symgrad.commands.present import run_report
            report = run_report(result)
            if report:
                click.echo("\n" + report, nl=False)


# the picture commands (symgrad graph, symgrad plot), built on this module's helpers
from . import graph as _graph  # noqa: E402
from . import plot as _plot  # noqa: E402

cli.add_command(_graph.command(sys.modules[__name__]))
cli.add_command(_plot.command(sys.modules[__name__]))


def main() -> None:  # pragma: no cover - console entry point
    gc.disable()  # start-up only: see _collect_after_start_up
    _START_UP[:] = [True]
    cli()
