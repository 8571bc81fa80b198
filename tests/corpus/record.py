"""Record PyTorch's output for each corpus snippet: ``python -m tests.corpus.record [NAME...]``.

Runs every snippet (or the named ones) with real ``import torch``, each in a
fresh Python process (PyTorch warns some things once per process), and
writes ``snippets/<name>.out`` beside it. Needs torch 2.13 installed; refuses
another version, since the corpus records exactly what 2.13 prints.
"""

from __future__ import annotations

import subprocess
import sys

from .harness import HERE, SNIPPETS, run_snippet, snippet_paths

VERSION = "2.13."


def main(argv: list[str]) -> int:
    import torch
    if not torch.__version__.startswith(VERSION):
        print(f"the corpus records torch {VERSION}x, this is {torch.__version__}", file=sys.stderr)
        return 1
    paths = [SNIPPETS / f"{n.removesuffix('.py')}.py" for n in argv] or snippet_paths()
    for path in paths:
        out = subprocess.run([sys.executable, "-m", "tests.corpus.record", "--one", str(path)],
                             cwd=HERE.parents[1], capture_output=True, text=True, check=True)
        path.with_suffix(".out").write_text(out.stdout)
        print(f"{path.stem}: {len(out.stdout.splitlines())} lines")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        from pathlib import Path
        sys.stdout.write(run_snippet(Path(sys.argv[2]), "torch"))
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
