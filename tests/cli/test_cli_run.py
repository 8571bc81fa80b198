"""``symgrad run``: the seed programs unchanged, golden outputs, the formula section."""

from __future__ import annotations

import pytest
from cli_helpers import SEED, assert_clean_error, invoke, needs

symbolic = needs("symgrad.symbolic.build", "t.grad_formula")

PRINTS = {
    "ex1.py": "tensor([2., 4., 6.])\n",
    "ex2.py": "tensor([  6.,  36., 114.])\n",
    "ex4.py": "tensor([0., 0., 0.])\n",
}
STALE = ("RuntimeError: one of the variables needed for gradient computation has been modified "
         "by an inplace operation: [torch.FloatTensor [3]], which is output 0 of "
         "Sigmoid, is at version 1; expected version 0 instead. Hint: enable anomaly "
         "detection to find the operation that failed to compute its gradient, with "
         "torch.autograd.set_detect_anomaly(True, check_nan=False).")


@pytest.mark.parametrize("name", sorted(PRINTS))
def test_seed_prints_what_pytorch_prints(name: str) -> None:
    r = invoke("run", str(SEED / name), "--no-formulas")
    assert r.exit_code == 0, r.output
    assert r.stdout == PRINTS[name] and r.stderr == ""


CULPRIT = {
    "ex3.py": "symgrad: the version was bumped by `c.zero_()` at ex3.py:5, and `c` is "
              "`out.detach()`, which shares out's version counter.",
    "ex5.py": "symgrad: the version was bumped by `out.zero_()` at ex5.py:4.",
}


@pytest.mark.parametrize("name,line", [("ex3.py", 6), ("ex5.py", 5)])
def test_seed_inplace_error_exits_1_with_pytorch_message_and_culprit(name: str,
                                                                   line: int) -> None:
    r = invoke("run", str(SEED / name))
    assert r.exit_code == 1 and "Traceback" not in r.output
    err = r.stderr.splitlines()
    assert err[0] == f"{name}, line {line}: out.sum().backward()"
    assert err[1] == STALE
    assert err[2] == CULPRIT[name]


GOLDEN = {
    "ex1.py": "tensor([2., 4., 6.])\n\n# symgrad: the formulas behind .grad\n"
              "a.grad = 2*a = tensor([2., 4., 6.])\n",
    "ex2.py": "tensor([  6.,  36., 114.])\n\n# symgrad: the formulas behind .grad\n"
              "a.grad = 4*a**3 + 2*a = tensor([  6.,  36., 114.])\n",
}


@symbolic
@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_seed_golden_output_with_formulas(name: str) -> None:
    r = invoke("run", str(SEED / name))
    assert r.exit_code == 0 and r.stdout == GOLDEN[name], r.output


@symbolic
def test_ex4_silent_data_mutation_is_flagged() -> None:
    r = invoke("run", str(SEED / "ex4.py"))
    assert r.exit_code == 0
    out = r.stdout.splitlines()
    assert out[0] == "tensor([0., 0., 0.])"
    assert out[3].startswith("a.grad = ") and out[3].endswith("= tensor([0., 0., 0.])")
    assert "sigmoid(a)" in out[3]
    assert out[4].startswith("  ! but the formula gives tensor([0.1966, 0.1050, 0.0452])")


def test_stdin_snippet_and_python_features() -> None:
    src = ("import torch\nimport torch.nn.functional as F\nfrom torch import no_grad\n"
           "w = torch.tensor([0.5, -1.0], requires_grad=True)\nlosses = []\n"
           "for step in range(3):\n    loss = (w * w).sum()\n    loss.backward()\n"
           "    with torch.no_grad():\n        w -= 0.25 * w.grad\n    w.grad = None\n"
           "    losses.append(round(loss.item(), 4))\n"
           "print(losses, w.is_leaf, w.shape, w.dtype)\nprint(F.relu(w), sep='', end='!\\n')\n"
           "if w.requires_grad and not False:\n    print('ok', w.grad is None)\n")
    r = invoke("run", "-", "--no-formulas", input=src)
    assert r.exit_code == 0, r.output
    assert r.stdout == ("[1.25, 0.3125, 0.0781] True torch.Size([2]) torch.float32\n"
                        "tensor([0.0625, 0.0000], grad_fn=<ReluBackward0>)!\nok True\n")


def test_leaves_are_named_after_variables() -> None:
    r = invoke("run", "-", "--no-formulas",
               input="import torch\nx = torch.ones(2, requires_grad=True)\nprint(x.name)\n")
    assert r.stdout == "x\n"


def test_nonleaf_grad_warning_goes_to_stderr_with_line() -> None:
    src = "import torch\na = torch.ones(2, requires_grad=True)\nb = a * 2\nprint(b.grad)\n"
    r = invoke("run", "-", "--no-formulas", input=src)
    assert r.exit_code == 0 and r.stdout == "None\n"
    assert r.stderr.startswith("<stdin>, line 4: UserWarning: The .grad attribute")


def test_snippet_runtime_error_shows_line_and_keeps_earlier_output() -> None:
    r = invoke("run", "-", input="import torch\nprint(1)\nx = torch.ones(2) @ torch.ones(3)\n")
    assert r.exit_code == 1 and r.stdout == "1\n"
    assert r.stderr.splitlines()[0] == "<stdin>, line 3: x = torch.ones(2) @ torch.ones(3)"
    assert r.stderr.splitlines()[1].startswith("RuntimeError: inconsistent tensor size")


def test_missing_file_is_a_clean_error(tmp_path) -> None:
    assert_clean_error(invoke("run", str(tmp_path / "nope.py")), 2)


def test_grad_mode_restored_after_failed_run() -> None:
    import symgrad as sg
    invoke("run", "-", input="import torch\ntorch.set_grad_enabled(False)\nx = 1 / 0\n")
    assert sg.is_grad_enabled()
