"""``symgrad run`` of a tutorial training step (``nn.Sequential``, ``nn.MSELoss``,
``optim.SGD``) prints PyTorch's losses and the formula of each parameter's gradient,
its symbols named after the module path (``W0``, ``b0``)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from symgrad_cli.main import cli

SNIPPET = Path(__file__).with_name("snippets") / "polynomial_optim_step.py"


def test_run_prints_losses_and_parameter_formulas() -> None:
    res = CliRunner().invoke(cli, ["run", str(SNIPPET)])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[:3] == ["0 73111.3", "1 16135.8", "2 4988.8"]  # PyTorch 2.13 printed these
    grads = {line.split(".grad = ")[0]: line for line in lines if ".grad = " in line}
    assert set(grads) == {"W0", "b0"}
    assert grads["W0"].startswith("W0.grad = (xx.T @ reshape(2*(reshape(b0 + xx @ W0.T, "
                                  "(2000,)) - y), (2000, 1))).T = tensor(")
    assert grads["b0"].startswith("b0.grad = sum(reshape(2*(reshape(b0 + xx @ W0.T, "
                                  "(2000,)) - y), (2000, 1)), dim=0) = tensor([")


def test_run_refuses_members_outside_the_whitelist() -> None:
    text = "import torch\nm = torch.nn.Linear(2, 1)\nm.__dict__\n"
    res = CliRunner().invoke(cli, ["run", "-"], input=text)
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_run_bounds_a_layer_before_building_it() -> None:
    text = "import torch\nm = torch.nn.Linear(100000, 100000)\n"
    res = CliRunner().invoke(cli, ["run", "-"], input=text)
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_run_draws_pytorchs_random_numbers() -> None:
    text = ("import torch\ntorch.manual_seed(0)\n"
            "print(torch.randint(0, 10, (5,)), torch.randperm(4), torch.normal(0.0, 1.0, (2,)))\n"
            "w = torch.empty(3).uniform_(-1, 1)\n"
            "print(w, torch.multinomial(torch.tensor([0.2, 0.8]), 3, True))\n")
    res = CliRunner().invoke(cli, ["run", "-"], input=text)
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[:2] == [  # what PyTorch 2.13 printed
        "tensor([4, 9, 3, 0, 3]) tensor([3, 2, 0, 1]) tensor([-1.0845, -1.3986])",
        "tensor([-0.9553, -0.6623, -0.4122]) tensor([0, 1, 1])"]


def test_run_bounds_random_sizes() -> None:
    for call in ("torch.randint(0, 5, (100000, 100000))", "torch.randperm(100000000)",
                 "torch.normal(0.0, 1.0, (100000, 100000))"):
        res = CliRunner().invoke(cli, ["run", "-"], input=f"import torch\nx = {call}\n")
        assert res.exit_code == 2 and "exceeds the limit" in res.output, call
