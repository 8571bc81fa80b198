"""``sg.optim.lr_scheduler`` prints what PyTorch 2.13 prints: every learning rate of
eight schedules over ten epochs (recursive forms, so the floats' bits), the losses of
the SGD loop they drive, the optimizer's repr with ``initial_lr``, the warnings,
``state_dict`` keys and errors (``golden/schedulers.out``, recorded from torch)."""

from __future__ import annotations

import pytest

import symgrad as sg
from tests.golden_scripts import recorded, run_as_is, run_script


def test_schedules_match_pytorch(monkeypatch) -> None:
    assert run_script("schedulers.py", monkeypatch) == recorded("schedulers.py")


def test_step_before_optimizer_step_warns_once() -> None:
    w = sg.tensor([1.0], requires_grad=True)
    opt = sg.optim.SGD([w], lr=0.1)
    sched = sg.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        sched.step()
    assert sched.get_last_lr() == [0.05] and opt.param_groups[0]["lr"] == 0.05


def test_live_against_torch() -> None:
    torch = pytest.importorskip("torch")
    import sys
    assert run_as_is("schedulers.py") == recorded("schedulers.py")
    assert sys.modules["torch"] is torch
