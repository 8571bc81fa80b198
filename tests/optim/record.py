"""Record PyTorch 2.13's optimizer steps for :mod:`.cases`: ``python -m tests.optim.record``
writes ``golden.json`` (needs torch)."""

from __future__ import annotations

import json
from pathlib import Path

from ..rng.cases import digest
from .cases import cases


def main() -> None:
    import torch
    golden = {name: digest(fn(torch)) for name, fn in cases().items()}
    path = Path(__file__).with_name("golden.json")
    path.write_text(json.dumps({"torch": torch.__version__, "cases": golden}, indent=0) + "\n")
    print(f"{len(golden)} cases -> {path}")


if __name__ == "__main__":
    main()
