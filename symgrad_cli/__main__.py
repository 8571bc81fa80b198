"""``python -m symgrad_cli``: the same as the ``symgrad`` command."""

from symgrad_cli.main import main

main()
