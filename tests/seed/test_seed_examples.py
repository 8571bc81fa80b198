"""The seed's five programs, run with ``import symgrad as torch``, print what PyTorch prints."""

from __future__ import annotations

import contextlib
import io
import pathlib
import re

import pytest

SEED = pathlib.Path(__file__).resolve().parents[2] / "tests" / "seed" / "programs"

EXPECTED = {
    "ex1.py": "tensor([2., 4., 6.])\n",
    "ex2.py": "tensor([  6.,  36., 114.])\n",
    "ex4.py": "tensor([0., 0., 0.])\n",
}

STALE = ("one of the variables needed for gradient computation has been modified by an "
         "inplace operation: [torch.FloatTensor [3]], which is output 0 of SigmoidBackward0, "
         "is at version 1; expected version 0 instead. Hint: enable anomaly detection to find "
         "the operation that failed to compute its gradient, with "
         "torch.autograd.set_detect_anomaly(True).")


def run_program(name: str) -> str:
    src = (SEED / name).read_text().replace("import torch", "import symgrad as torch")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(src, name, "exec"), {"__name__": "__seed__"})
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_prints_what_pytorch_prints(name: str) -> None:
    assert run_program(name) == EXPECTED[name]


@pytest.mark.parametrize("name,line", [("ex3.py", 5), ("ex5.py", 4)])
def test_seed_inplace_error_matches_pytorch(name: str, line: int) -> None:
    with pytest.raises(RuntimeError) as info:
        run_program(name)
    msg = str(info.value)
    assert msg.startswith(STALE)
    # symgrad names the culprit: the in-place call and where it was made
    assert re.search(rf"`zero_\(\)` at {name}:{line}", msg)
