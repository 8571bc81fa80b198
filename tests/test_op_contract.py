"""An op entry is the op's whole contract: rules keyed by input name, derived
JVPs, public names generated from ``api=``, and errors (never silent zeros)
when a rule is missing."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg
import symgrad.autograd.forward_ad as fwAD
from symgrad.eager.dispatch import apply
from symgrad.eager.methods import method_names, public_function, public_functions
from symgrad.ops import OPS
from symgrad.ops.registry import ELEMENTWISE, LINEAR, NONDIFF, VIEW, defop


@pytest.fixture
def temp_op():
    made = []

    def make(name, *args, **kwargs):
        op = defop(name, *args, **kwargs)
        made.append(name)
        return op
    yield make
    for name in made:
        OPS.pop(name, None)


def test_rules_are_keyed_by_input_name() -> None:
    where = OPS["where"]
    assert where.args == ("condition", "self", "other") and where.no_edge == ("condition",)
    assert set(where.vjp) == {"self", "other"} and where.edges == ("self", "other")
    assert OPS["mul"].vjp["other"] is not OPS["mul"].vjp["self"]


def test_elementwise_jvp_is_derived_from_the_vjp() -> None:
    for name in ("sigmoid", "exp", "mul", "div", "maximum"):
        op = OPS[name]
        assert all(op.jvp[n] is op.vjp[n] for n in op.vjp), name
    assert OPS["log_softmax"].jvp["self"] is not OPS["log_softmax"].vjp["self"]  # its own


def test_linear_ops_get_the_forward_as_jvp() -> None:
    x = sg.tensor([[1., 2.], [3., 4.]])
    with fwAD.dual_level():
        d = fwAD.make_dual(x, sg.tensor([[10., 20.], [30., 40.]]))
        y = d[1]  # select: a view, auto_linear
        assert fwAD.unpack_dual(y).tangent.tolist() == [30., 40.]
    assert OPS["select"].jvp["self"].__name__ == "auto_linear_select"


def test_missing_jvp_raises_naming_op_and_input(temp_op) -> None:
    temp_op("_twice_plus", "AddBackward0", LINEAR, "self",  # affine: no auto_linear
            forward=lambda x: 2 * x + 1, vjp={"self": lambda xp, grad, s, a: 2 * grad},
            jvp={}, linear=False)
    op = OPS["_twice_plus"]
    assert op.jvp == {}
    with fwAD.dual_level():
        d = fwAD.make_dual(sg.tensor([1., 2.]), sg.ones(2))
        with pytest.raises(NotImplementedError, match=r"_twice_plus.*'self'"):
            apply(op, (d,), {})


def test_missing_vjp_raises_when_recorded(temp_op) -> None:
    temp_op("_half_rule", "MulBackward0", ELEMENTWISE, "self other",
            forward=lambda x, y: x * y, vjp={"self": lambda xp, grad, s, a: grad * s.other},
            saves={"other": (0,)})
    a = sg.tensor([1., 2.], requires_grad=True)
    b = sg.tensor([3., 4.], requires_grad=True)
    y = apply(OPS["_half_rule"], (a, b.detach()), {})  # no grad needed through other: fine
    y.sum().backward()
    assert a.grad.tolist() == [3., 4.]
    with pytest.raises(RuntimeError, match=r"derivative for 'other' is not implemented.*_half_rule"):
        apply(OPS["_half_rule"], (a, b), {})


def test_defop_refuses_unknown_names(temp_op) -> None:
    with pytest.raises(ValueError, match="not one of its inputs"):
        temp_op("_bad1", "X", ELEMENTWISE, "self", forward=abs, vjp={"input": None})
    with pytest.raises(ValueError, match="unknown api form"):
        temp_op("_bad2", "X", ELEMENTWISE, "self", forward=abs, api=("method", "operator"))
    with pytest.raises(ValueError, match="unknown dtype_rule"):
        temp_op("_bad3", "X", ELEMENTWISE, "self", forward=abs, dtype_rule="div")
    with pytest.raises(ValueError, match="declared twice"):
        temp_op("mul", "X", ELEMENTWISE, "self", forward=abs)


def test_every_declared_public_name_exists() -> None:
    import symgrad.nn.functional as F
    for op in OPS.values():
        names = op.public_names()
        for n in names.get("function", ()):
            assert getattr(sg, n) is public_function(n), (op.name, n)
        for n in names.get("method", ()) + names.get("inplace", ()):
            assert callable(getattr(sg.Tensor, n)), (op.name, n)
        for n in names.get("nn", ()):
            assert callable(getattr(F, n)), (op.name, n)
    assert method_names()["clip"] == "clamp" and "view" not in public_functions()


def test_generated_plain_functions_behave_like_torch() -> None:
    x = sg.tensor([-1., 0., 2.])
    assert sg.sigmoid(input=x).tolist() == sg.sigmoid(x).tolist()
    assert sg.gt(x, 0).tolist() == [False, False, True]
    with pytest.raises(TypeError, match=r"exp\(\).*expected \(input\)"):
        sg.exp(x, x)
    assert x.exp_() is x and x._version == 1


def test_kinds_and_facts_are_fields() -> None:
    assert OPS["relu"].kinks and not OPS["exp"].kinks
    assert OPS["div"].dtype_rule == "true_divide" and sg.div(sg.tensor([1]), 2).dtype == sg.float32
    assert OPS["gt"].kind == NONDIFF and OPS["permute"].kind == VIEW
    assert OPS["slice"].view_text({"dim": 1, "start": 1, "end": 5, "step": 1,
                                   "in_shape": (2, 5)}) == "[:, 1:]"
    assert np.isclose(sg.tensor([1.], requires_grad=True).sigmoid().item(), 0.7310586)
