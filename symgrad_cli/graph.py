"""``symgrad graph EXPRESSION`` and ``symgrad run --graph FILE``: pictures from the command line.

Options and printing only: the expression is parsed and built by
``symgrad.commands.differentiate`` (the restricted parser), the picture is
``symgrad.viz``'s. The commands are made by :func:`command`, which takes the
CLI's main module for its shared helpers (one deadline, one-line errors).
"""

from __future__ import annotations

from typing import Any

import click

WHAT = ("autograd", "formula", "gradient")


def _write(picture: Any, output: str | None, fail: Any) -> None:
    """DOT text on standard output, or the picture saved as ``output`` (by suffix)."""
    if output is None:
        click.echo(picture.source)
        return
    try:
        picture.save(output)
    except ValueError as e:
        fail(str(e), 2)
    except RuntimeError as e:  # no Graphviz here: say what to install, in one line
        fail(str(e), 1)
    except OSError as e:
        fail(f"cannot write '{output}': {e.strerror or e}", 1)
    click.echo(f"wrote {output}", err=True)


def command(main: Any) -> click.Command:
    """The ``graph`` command, built on ``main``'s helpers."""

    @click.command("graph")
    @click.argument("expression")
    @click.option("--what", type=click.Choice(WHAT), default="autograd", show_default=True,
                  help="autograd: the grad_fn graph, as torchviz draws it (with --at "
                       "values; without, the formula's DAG); formula: the expression's DAG; "
                       "gradient: the DAG of its gradient (--wrt).")
    @click.option("--wrt", metavar="NAME", default=None,
                  help="For --what gradient: the variable (default: the first).")
    @click.option("--shape", "shapes", multiple=True, metavar="NAME=DIMS",
                  help="Shape of a variable, as in symgrad diff.")
    @click.option("--at", "at_specs", multiple=True, metavar="NAME=VALUES",
                  help="Values of the variables (then the graph holds real tensors).")
    @click.option("-o", "--output", metavar="FILE", default=None,
                  help="Write FILE (.svg, .png: needs Graphviz; .dot, .gv: text). "
                       "Default: DOT text on standard output.")
    @main._timeout_option(30.0)
    def graph(expression: str, what: str, wrt: str | None, shapes: tuple[str, ...],
              at_specs: tuple[str, ...], output: str | None, timeout: float) -> None:
        """Draw the autograd graph of EXPRESSION ('-' reads standard input), or its
        formula's DAG, each shared subexpression once.

        \b
          symgrad graph "sum(sigmoid(a) * a)" -o graph.svg
          symgrad graph "sum(exp(a) * exp(a))" --what gradient --wrt a
        """
        with main._guarded(timeout) as deadline:
            import dataclasses

            import symgrad as sg
            from symgrad.commands import DIFF_LIMITS, InputError, differentiate
            main._collect_after_start_up()
            if expression == "-":
                expression = main._read("-", "expression", DIFF_LIMITS.max_chars)[0]
            limits = dataclasses.replace(DIFF_LIMITS, timeout=timeout)
            # forward mode: cheap for any output shape; its results are not drawn
            out = differentiate(expression, [wrt] if wrt else [], shapes, "forward",
                                at_specs=at_specs, limits=limits, deadline=deadline)
            scope = dict(out.variables)
            try:
                if what == "autograd":
                    picture = sg.viz.graph(out.y, scope)
                elif what == "formula":
                    picture = sg.viz.formula(out.y)
                else:
                    x = out.variables[wrt] if wrt else next(iter(out.variables.values()))
                    picture = sg.viz.formula(sg.diff(out.y.sum() if out.y.ndim else out.y, x))
            except ValueError as e:  # too big to draw legibly: bad input, one line
                raise InputError(str(e)) from None
            _write(picture, output, main._fail)

    return graph


class RunGraph:
    """``symgrad run --graph FILE``: the autograd graph as the snippet's first
    ``backward()`` saw it, before backward frees what the graph saved."""

    def __init__(self) -> None:
        self.picture: Any = None

    def on_backward(self, tensor: Any, variables: dict[str, Any]) -> None:
        if self.picture is None:
            import symgrad as sg
            self.picture = sg.viz.graph(tensor, dict(variables))

    def write(self, output: str, fail: Any, failed: bool = False) -> None:
        """Save the picture; with none, say so (unless the snippet failed first:
        its own error is what the user needs to see)."""
        if self.picture is None:
            if failed:
                return
            fail(f"--graph draws the graph at the snippet's first backward(), and it made "
                 f"none; nothing written to '{output}'", 1)
        _write(self.picture, output, fail)
