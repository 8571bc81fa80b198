"""The optimizer objects: groups, state, ``zero_grad``, ``state_dict``, reprs and errors
as PyTorch 2.13 has them."""

from __future__ import annotations

import pytest

import symgrad as torch


def _w() -> torch.Tensor:
    return torch.tensor([1., 2.], requires_grad=True)


def test_sgd_repr_is_pytorchs() -> None:
    assert repr(torch.optim.SGD([_w()], lr=0.1, momentum=0.9)) == (
        "SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n"
        "    foreach: None\n    fused: None\n    lr: 0.1\n    maximize: False\n"
        "    momentum: 0.9\n    nesterov: False\n    weight_decay: 0\n)")


def test_adam_repr_is_pytorchs() -> None:
    assert repr(torch.optim.Adam([_w()])) == (
        "Adam (\nParameter Group 0\n    amsgrad: False\n    betas: (0.9, 0.999)\n"
        "    capturable: False\n    decoupled_weight_decay: False\n    differentiable: False\n"
        "    eps: 1e-08\n    foreach: None\n    fused: None\n    lr: 0.001\n"
        "    maximize: False\n    weight_decay: 0\n)")


def test_state_dict_numbers_the_parameters() -> None:
    a, b = _w(), _w()
    opt = torch.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1, momentum=0.9)
    (a * b).sum().backward()
    opt.step()
    sd = opt.state_dict()
    assert [g["params"] for g in sd["param_groups"]] == [[0], [1]]
    assert [g["lr"] for g in sd["param_groups"]] == [0.1, 0.5]
    assert repr(sd["state"][0]["momentum_buffer"]) == "tensor([1., 2.])"
    fresh = torch.optim.SGD([{"params": [a]}, {"params": [b]}], lr=0.3, momentum=0.9)
    fresh.load_state_dict(sd)
    assert fresh.param_groups[1]["lr"] == 0.5
    assert torch.equal(fresh.state[a]["momentum_buffer"], opt.state[a]["momentum_buffer"])


def test_zero_grad_sets_none_by_default_and_zeros_on_request() -> None:
    w = _w()
    opt = torch.optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    opt.zero_grad(set_to_none=False)
    assert repr(w.grad) == "tensor([0., 0.])"
    opt.zero_grad()
    assert w.grad is None


def test_step_skips_parameters_without_grad_and_bumps_the_version() -> None:
    a, b = _w(), _w()
    opt = torch.optim.SGD([a, b], lr=0.1)
    (a * a).sum().backward()
    opt.step()
    assert repr(a) == "tensor([0.8000, 1.6000], requires_grad=True)"
    assert repr(b) == "tensor([1., 2.], requires_grad=True)"
    assert a._version == 1 and b._version == 0


def test_closure_loss_is_returned() -> None:
    w = _w()
    opt = torch.optim.SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss
    assert repr(opt.step(closure)) == "tensor(5., grad_fn=<SumBackward0>)"


@pytest.mark.parametrize("make, kind, message", [
    (lambda: torch.optim.SGD([], lr=0.1), ValueError, "optimizer got an empty parameter list"),
    (lambda: torch.optim.SGD([_w()], lr=-1), ValueError, "Invalid learning rate: -1"),
    (lambda: torch.optim.SGD([_w()], lr=0.1, momentum=-1), ValueError,
     "Invalid momentum value: -1"),
    (lambda: torch.optim.SGD([_w()], lr=0.1, weight_decay=-1), ValueError,
     "Invalid weight_decay value: -1"),
    (lambda: torch.optim.SGD([_w()], lr=0.1, nesterov=True), ValueError,
     "Nesterov momentum requires a momentum and zero dampening"),
    (lambda: torch.optim.Adam([_w()], eps=-1), ValueError, "Invalid epsilon value: -1"),
    (lambda: torch.optim.Adam([_w()], betas=(1.0, 0.9)), ValueError,
     "Invalid beta parameter at index 0: 1.0"),
    (lambda: torch.optim.Adam([_w()], betas=(0.9, 1.5)), ValueError,
     "Invalid beta parameter at index 1: 1.5"),
    (lambda: torch.optim.SGD(_w(), lr=0.1), TypeError,
     "params argument given to the optimizer should be an iterable of Tensors or dicts, "
     "but got torch.FloatTensor"),
    (lambda: torch.optim.SGD([_w() * 2], lr=0.1), ValueError, "can't optimize a non-leaf Tensor"),
])
def test_errors_are_pytorchs(make, kind, message) -> None:
    with pytest.raises(kind) as info:
        make()
    assert str(info.value) == message
