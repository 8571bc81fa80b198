"""``nn.Module`` and friends: registration, naming of formula symbols, hooks, state,
dtype conversion and PyTorch's messages (goldens recorded from PyTorch 2.13)."""

from __future__ import annotations

import pytest

import symgrad as torch
from symgrad import nn
from symgrad.nn.module import symbol_name


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(2, 3)
        self.act = nn.Tanh()
        self.fc2 = nn.Linear(3, 1)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


def test_registration_and_walks() -> None:
    net = Net()
    assert [n for n, _ in net.named_parameters()] == ["fc1.weight", "fc1.bias", "fc2.weight",
                                                      "fc2.bias"]
    assert [n for n, _ in net.named_modules()] == ["", "fc1", "act", "fc2"]
    assert [type(m).__name__ for m in net.children()] == ["Linear", "Tanh", "Linear"]
    assert len(list(net.parameters())) == 4


@pytest.mark.parametrize("path, name", [
    ("fc1.weight", "W_fc1"), ("fc1.bias", "b_fc1"), ("0.weight", "W0"), ("2.bias", "b2"),
    ("layers.0.weight", "W_layers_0"), ("weight", "W"), ("scale", "scale"),
    ("block.scale", "scale_block"),
])
def test_symbol_names_follow_the_module_path(path: str, name: str) -> None:
    assert symbol_name(path) == name


def test_a_model_call_names_its_parameters_in_formulas() -> None:
    torch.manual_seed(0)
    net = Net()
    x = torch.tensor([[1., 2.]], name="x")
    loss = net(x).sum()
    loss.backward()
    assert net.fc1.weight.name == "W_fc1" and net.fc2.bias.name == "b_fc2"
    assert str(loss.expr) == "sum(b_fc2 + tanh(b_fc1 + x @ W_fc1.T) @ W_fc2.T)"
    assert "W_fc2" in str(net.fc1.weight.grad_formula)
    report = torch.check(loss)
    assert report.passed


def test_an_explicit_name_is_kept() -> None:
    lin = nn.Linear(2, 1)
    lin.weight.name = "A"
    lin(torch.ones(2))
    assert lin.weight.name == "A" and lin.bias.name == "b"


def test_forward_hooks_see_and_replace_the_output() -> None:
    lin = nn.Linear(2, 1)
    seen = []
    h = lin.register_forward_hook(lambda m, args, out: seen.append(out.shape) or out * 0)
    assert torch.equal(lin(torch.ones(4, 2)), torch.zeros(4, 1))
    h.remove()
    lin(torch.ones(4, 2))
    assert seen == [torch.Size([4, 1])]


def test_load_state_dict_reports_like_pytorch() -> None:
    lin = nn.Linear(2, 3)
    with pytest.raises(RuntimeError) as info:
        lin.load_state_dict({"weight": torch.zeros(3, 3), "bias": torch.zeros(3),
                             "x": torch.zeros(1)})
    assert str(info.value) == (
        'Error(s) in loading state_dict for Linear:\n\tUnexpected key(s) in state_dict: "x". '
        "\n\tsize mismatch for weight: copying a param with shape torch.Size([3, 3]) from "
        "checkpoint, the shape in current model is torch.Size([3, 2]).")
    res = lin.load_state_dict({"weight": torch.ones(3, 2)}, strict=False)
    assert res.missing_keys == ["bias"] and torch.equal(lin.weight.detach(), torch.ones(3, 2))


def test_assignment_errors_are_pytorchs() -> None:
    lin = nn.Linear(2, 3)
    with pytest.raises(TypeError, match=r"cannot assign 'torch.FloatTensor' as parameter "
                                        r"'weight' \(torch.nn.Parameter or None expected\)"):
        lin.weight = torch.zeros(2)
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'foo'"):
        lin.foo  # noqa: B018


def test_double_converts_parameters_in_place() -> None:
    lin = nn.Linear(2, 3)
    w = lin.weight
    lin.double()
    assert lin.weight is w and w.dtype == torch.float64


def test_zero_grad_to_zeros() -> None:
    lin = nn.Linear(2, 1)
    lin(torch.ones(2)).sum().backward()
    lin.zero_grad(set_to_none=False)
    assert repr(lin.bias.grad) == "tensor([0.])"
    lin.zero_grad()
    assert lin.bias.grad is None


def test_dropout_draws_pytorchs_mask() -> None:
    torch.manual_seed(0)
    d = nn.Dropout(0.5)
    assert repr(d) == "Dropout(p=0.5, inplace=False)"
    assert repr(d(torch.ones(2, 8))) == ("tensor([[0., 0., 2., 0., 0., 0., 2., 2.],\n"
                                         "        [0., 2., 2., 2., 2., 0., 2., 2.]])")
    assert torch.equal(d.eval()(torch.ones(3)), torch.ones(3))
    torch.manual_seed(0)
    assert repr(nn.functional.dropout(torch.arange(1., 7.), 0.3)) == \
        "tensor([0.0000, 0.0000, 4.2857, 0.0000, 7.1429, 0.0000])"


def test_sequential_indexing_and_module_list_repr() -> None:
    seq = nn.Sequential(nn.Linear(1, 2), nn.ReLU(), nn.Linear(2, 1))
    assert isinstance(seq[0], nn.Linear) and len(seq) == 3
    assert repr(seq[1:]) == ("Sequential(\n  (1): ReLU()\n"
                             "  (2): Linear(in_features=2, out_features=1, bias=True)\n)")
    assert repr(nn.ModuleList([nn.ReLU(), nn.ReLU()])) == "ModuleList(\n  (0-1): 2 x ReLU()\n)"


def test_layers_called_separately_get_distinct_symbols() -> None:
    fc1, fc2 = nn.Linear(2, 2), nn.Linear(2, 2)
    out = fc2(fc1(torch.ones(2)))
    assert fc1.weight.name != fc2.weight.name
    assert fc1.weight.name.startswith("W") and fc2.weight.name.startswith("W")
    assert torch.check(out.sum()).passed
