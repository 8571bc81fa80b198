"""``sg.nn.utils`` (clip_grad_norm_, clip_grad_value_, parameters_to_vector,
vector_to_parameters, stateless.functional_call) and the learning-rate schedules print
what PyTorch 2.13 printed (``tests/optim/golden/*.out``), in-process and under
``symgrad run``."""

from __future__ import annotations

import subprocess
import sys

import pytest

import symgrad as sg
from tests.golden_scripts import GOLDEN, recorded, run_script


def test_nn_utils_match_pytorch(monkeypatch) -> None:
    assert run_script("nn_utils.py", monkeypatch) == recorded("nn_utils.py")


@pytest.mark.parametrize("name", ["clip_run", "sched_run"])
def test_symgrad_run_accepts_clipping_and_schedules(name: str) -> None:
    out = subprocess.run([sys.executable, "-m", "symgrad_cli", "run", str(GOLDEN / f"{name}.py"),
                          "--no-formulas"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout == (GOLDEN / f"{name}.out").read_text()


def test_clip_grad_norm_scales_to_max_norm() -> None:
    w = sg.tensor([3.0, 4.0], requires_grad=True)
    w.grad = sg.tensor([30.0, 40.0])
    total = sg.nn.utils.clip_grad_norm_(w, 5.0)
    assert total.item() == 50.0
    assert abs(sg.linalg.vector_norm(w.grad).item() - 5.0) < 1e-5
    assert sg.nn.utils.clip_grad_norm_([], 1.0).item() == 0.0
