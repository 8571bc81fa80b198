"""``torch.func.functional_call``: a module called with some of its tensors swapped, put
back afterwards (also on error), and PyTorch 2.13's errors, recorded. It composes with
forward-mode duals and the function transforms (``grad``, ``jvp`` over a dict of
parameters, ``jacrev``)."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg
import symgrad.autograd.forward_ad as fwAD
from symgrad import nn
from symgrad.func import functional_call, grad, jacrev, jvp


@pytest.fixture
def lin() -> nn.Linear:
    m = nn.Linear(2, 1)
    with sg.no_grad():
        m.weight.copy_(sg.tensor([[1., 2.]]))
        m.bias.fill_(0.5)
    return m


X = sg.tensor([[3., 4.]])


def test_given_tensors_replace_the_modules_for_one_call(lin: nn.Linear) -> None:
    w = lin.weight
    out = functional_call(lin, {"weight": sg.tensor([[0., 1.]])}, X)
    assert out.tolist() == [[4.5]]
    assert lin.weight is w and type(lin.weight).__name__ == "Parameter"
    assert lin(X).tolist() == [[11.5]]


def test_a_tuple_of_dicts_args_and_kwargs() -> None:
    class Scale(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("s", sg.tensor(2.))

        def forward(self, x: sg.Tensor, *, shift: float = 0.) -> sg.Tensor:
            return x * self.s + shift

    m = Scale()
    out = functional_call(m, ({"s": sg.tensor(3.)}, {}), (sg.tensor([1.]),), {"shift": 1.})
    assert out.tolist() == [4.0]
    assert m.s.item() == 2.0


def test_the_module_is_restored_when_the_call_raises(lin: nn.Linear) -> None:
    w = lin.weight
    with pytest.raises(RuntimeError):
        functional_call(lin, {"weight": sg.ones(3, 3)}, X)
    assert lin.weight is w
    with pytest.raises(RuntimeError):
        functional_call(lin, {"weight": sg.ones(3, 3), "foo": sg.ones(1)}, X)
    assert "foo" not in vars(lin) and lin.weight is w


def test_unknown_keys_are_set_for_the_call_then_removed(lin: nn.Linear) -> None:
    functional_call(lin, {"foo": sg.ones(1)}, X)
    assert not hasattr(lin, "foo")


# PyTorch 2.13's errors, recorded
@pytest.mark.parametrize("given, kw, exc, message", [
    ({"weight": sg.zeros(1, 2), "foo": sg.ones(2)}, {"strict": True}, RuntimeError,
     ("Error(s) in reparametrizing for Linear:\n\tUnexpected key(s): 'foo'.\n\t"
      "Missing key(s): 'bias'.")),
    ({"weight": sg.zeros(1, 2)}, {"strict": True}, RuntimeError,
     "Error(s) in reparametrizing for Linear:\n\tMissing key(s): 'bias'."),
    ({"a.weight": sg.zeros(1, 2)}, {}, AttributeError, "Linear has no attribute `a`"),
    ([{"weight": sg.zeros(1, 2)}, {"weight": sg.zeros(1, 2)}], {}, ValueError,
     "['weight'] appeared in multiple dictionaries; behavior of functional call is ambiguous"),
    ([{"weight": sg.zeros(1, 2)}, 3], {}, ValueError,
     "Expected all elements of parameter_and_buffer_dicts to be dictionaries"),
    (3, {}, ValueError, ("Expected parameter_and_buffer_dicts to be a dict, or a list/tuple "
                         "of dicts, but got <class 'int'>")),
    ({"weight": 3}, {}, TypeError, "3 is not an instance of torch.Tensor"),
])
def test_pytorchs_errors(lin: nn.Linear, given: object, kw: dict, exc: type,
                         message: str) -> None:
    w = lin.weight
    with pytest.raises(exc) as info:
        functional_call(lin, given, X, **kw)
    text = info.value.args[0]
    assert text == message
    assert lin.weight is w


class _Tied(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.a = nn.Linear(2, 2, bias=False)
        self.b = nn.Linear(2, 2, bias=False)
        self.b.weight = self.a.weight

    def forward(self, x: sg.Tensor) -> sg.Tensor:
        return self.b(self.a(x))


def test_tied_weights_are_replaced_together_unless_told_not_to() -> None:
    t = _Tied()
    x = sg.ones(1, 2)
    assert functional_call(t, {"a.weight": sg.eye(2)}, (x,)).tolist() == [[1.0, 1.0]]
    expected = (x @ t.a.weight.detach().T).tolist()
    assert np.allclose(functional_call(t, {"a.weight": sg.eye(2)}, (x,),
                                       tie_weights=False).tolist(), expected)
    with pytest.raises(ValueError, match=r"functional_call got multiple values for keys "
                       r"\['a.weight', 'b.weight'\], which are tied. Consider using "
                       r"tie_weights=False$"):
        functional_call(t, {"a.weight": sg.eye(2), "b.weight": sg.eye(2)}, (x,))


def test_dual_parameters_give_the_modules_jvp(lin: nn.Linear) -> None:
    with fwAD.dual_level():
        duals = {n: fwAD.make_dual(p, sg.ones_like(p)) for n, p in lin.named_parameters()}
        tangent = fwAD.unpack_dual(functional_call(lin, duals, X)).tangent
    assert tangent.tolist() == [[8.0]]  # 3 + 4 + 1


def test_jvp_over_a_dict_of_parameters(lin: nn.Linear) -> None:
    params = dict(lin.named_parameters())
    tangents = {k: sg.ones_like(v) for k, v in params.items()}
    out, t = jvp(lambda p: functional_call(lin, p, X), (params,), (tangents,))
    assert out.tolist() == [[11.5]] and t.tolist() == [[8.0]]
    with pytest.raises(RuntimeError, match="same python structure"):
        jvp(lambda p: functional_call(lin, p, X), (params,), ({"weight": sg.ones(1, 2)},))


def test_grad_and_jacrev_through_functional_call(lin: nn.Linear) -> None:
    def loss(w: sg.Tensor) -> sg.Tensor:
        return functional_call(lin, {"weight": w}, X).sum()

    w = sg.tensor([[1., 2.]])
    assert grad(loss)(w).tolist() == [[3.0, 4.0]]
    assert jacrev(lambda b: functional_call(lin, {"bias": b}, X))(sg.zeros(1)).tolist() \
        == [[[1.0]]]
    assert lin.weight.grad is None


def test_matches_torch_when_installed() -> None:
    torch = pytest.importorskip("torch")
    from torch.func import functional_call as tfc
    m = torch.nn.Linear(2, 1)
    with torch.no_grad():
        m.weight.copy_(torch.tensor([[1., 2.]]))
        m.bias.fill_(0.5)
    out = tfc(m, {"weight": torch.tensor([[0., 1.]])}, torch.tensor([[3., 4.]]))
    assert out.tolist() == [[4.5]]
