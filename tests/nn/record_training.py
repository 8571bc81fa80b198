"""Record PyTorch's training traces for ``training_cases.py`` (needs torch 2.13):

    python -m tests.nn.record_training > tests/nn/golden_training.json
"""

from __future__ import annotations

import json

from .training_cases import CASES, digest


def main() -> None:
    import torch

    out = {"torch": torch.__version__, "threads": torch.get_num_threads(),
           "cases": {name: digest(f(torch)) for name, f in CASES.items()}}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
