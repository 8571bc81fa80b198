"""The seed's five programs, run with ``import symgrad as torch``, print what PyTorch prints."""

from __future__ import annotations

import contextlib
import io
import pathlib

import pytest

SEED = pathlib.Path(__file__).resolve().parents[2] / "tests" / "seed" / "programs"

EXPECTED = {
    "ex1.py": "tensor([2., 4., 6.])\n",
    "ex2.py": "tensor([  6.,  36., 114.])\n",
    "ex4.py": "tensor([0., 0., 0.])\n",
}

STALE = ("one of the variables needed for gradient computation has been modified by an "
         "inplace operation: [torch.FloatTensor [3]], which is output 0 of Sigmoid, "
         "is at version 1; expected version 0 instead. Hint: enable anomaly detection to find "
         "the operation that failed to compute its gradient, with "
         "torch.autograd.set_detect_anomaly(True, check_nan=False).")


def run_program(name: str) -> str:
    src = (SEED / name).read_text().replace("import torch", "import symgrad as torch")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(src, name, "exec"), {"__name__": "__seed__"})
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_prints_what_pytorch_prints(name: str) -> None:
    assert run_program(name) == EXPECTED[name]


CULPRIT = {
    "ex3.py": "symgrad: the version was bumped by `c.zero_()` at ex3.py:5, and `c` is "
              "`out.detach()`, which shares out's version counter.",
    "ex5.py": "symgrad: the version was bumped by `out.zero_()` at ex5.py:4.",
}


@pytest.mark.parametrize("name", sorted(CULPRIT))
def test_seed_inplace_error_matches_pytorch(name: str) -> None:
    with pytest.raises(RuntimeError) as info:
        run_program(name)
    # PyTorch's message, exactly; symgrad names the culprit in a note (shown under
    # it in a traceback): the in-place call, where it was made, the alias it went through
    assert str(info.value) == STALE
    assert info.value.__notes__ == [CULPRIT[name]]
