"""Record PyTorch 2.13's float32 values for :mod:`.cases`: ``python -m tests.float32.record``
writes ``golden.json`` (needs torch; PyTorch runs single-threaded here, as the tests
compare with one thread's order of additions)."""

from __future__ import annotations

import json
from pathlib import Path

from .cases import cases, digest


def main() -> None:
    import torch
    if torch.__version__.split("+")[0] != "2.13.0":
        raise SystemExit(f"record with torch 2.13.0, not {torch.__version__}")
    torch.set_num_threads(1)
    golden = {name: digest(fn(torch)) for name, fn in cases().items()}
    path = Path(__file__).with_name("golden.json")
    path.write_text(json.dumps({"torch": torch.__version__, "cpu_capability":
                                torch.backends.cpu.get_cpu_capability(), "cases": golden},
                               indent=0) + "\n")
    print(f"{len(golden)} cases -> {path}")


if __name__ == "__main__":
    main()
