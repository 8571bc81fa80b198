"""``symgrad plot EXPRESSION --wrt x --range -6,6``: a function and its derivative.

Options and printing only: ``symgrad.commands.differentiate`` parses the
expression with the restricted parser, ``sg.viz.plot`` draws (matplotlib,
an optional extra; without it, one line says how to install it).
"""

from __future__ import annotations

import math
from typing import Any

import click


def _span(ctx: click.Context, param: click.Parameter, value: str) -> tuple[float, float]:
    """``"-6,6"`` -> ``(-6.0, 6.0)``: two finite numbers, the first smaller."""
    parts = value.split(",")
    try:
        lo, hi = (float(p) for p in parts)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not LO,HI (two numbers, e.g. -6,6)",
                                 ctx, param) from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise click.BadParameter(f"'{value}' needs two finite numbers with LO < HI", ctx, param)
    return lo, hi


def command(main: Any) -> click.Command:
    """The ``plot`` command, built on ``main``'s helpers."""

    @click.command("plot")
    @click.argument("expression")
    @click.option("--wrt", metavar="NAME", default=None,
                  help="The variable on the x axis (default: the first).")
    @click.option("--range", "span", default="-6,6", show_default=True, metavar="LO,HI",
                  callback=_span, help="The interval of the x axis.")
    @click.option("--points", type=click.IntRange(2, 100_000), default=401, show_default=True,
                  help="Points on the curve.")
    @click.option("-o", "--output", metavar="FILE", default="symgrad-plot.png",
                  show_default=True, help="The picture (.png, .svg, .pdf).")
    @main._timeout_option(30.0)
    def plot(expression: str, wrt: str | None, span: tuple[float, float], points: int,
             output: str, timeout: float) -> None:
        """Plot EXPRESSION, an elementwise function of one variable, and its derivative.

        \b
          symgrad plot "sigmoid(x)" --wrt x --range -6,6
          symgrad plot "tanh(x) * x" --range -3,3 -o tanh.svg
        """
        with main._guarded(timeout) as deadline:
            import dataclasses

            import symgrad as sg
            from symgrad.commands import DIFF_LIMITS, InputError, differentiate
            main._collect_after_start_up()
            limits = dataclasses.replace(DIFF_LIMITS, timeout=timeout)
            out = differentiate(expression, [wrt] if wrt else [], (), "forward",
                                limits=limits, deadline=deadline)
            x = out.variables[wrt] if wrt else next(iter(out.variables.values()))
            try:
                fig = sg.viz.plot(out.y, x, span, points)
            except ImportError as e:  # no matplotlib: say how to install it
                main._fail(str(e), 1)
            except ValueError as e:
                raise InputError(str(e)) from None
            try:
                fig.savefig(output)
            except (OSError, ValueError) as e:
                main._fail(f"cannot write '{output}': {getattr(e, 'strerror', None) or e}", 1)
            click.echo(f"wrote {output}", err=True)

    return plot
