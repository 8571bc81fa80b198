"""The ``symgrad`` command: a click group; only parses, calls the API, formats.

Kept import-light: ``symgrad --version`` and ``--help`` do not import SymPy.
"""

from __future__ import annotations

import click

from symgrad._version import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="symgrad")
def cli() -> None:
    """symgrad: see and trust gradients."""


def main() -> None:  # pragma: no cover - console entry point
    cli()
