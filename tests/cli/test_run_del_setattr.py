"""The statements ``symgrad run`` gained for the forward-mode AD and Jacobians tutorials
(issue 12): ``del`` (names of the current scope, dict and list items, attributes),
``d[k] = v`` on dicts, ``setattr``/``delattr`` on ``nn.Module`` objects, user objects
and a custom Function's ``ctx``, ``dict(...)``, ``globals()`` and
``torch.utils.benchmark.Timer``, each with its refusals. Errors are Python's and
PyTorch's (recorded from Python 3.11 and torch 2.13)."""

from __future__ import annotations

import pytest
from cli_helpers import assert_clean_error, invoke, run_snippet, snippet_error

T = "import torch\n"
run, runtime_error = run_snippet, snippet_error  # (cli_helpers)


def refused(text: str) -> str:
    """The one-line ``error: ...`` of a refused construct: exit 2."""
    r = invoke("run", "--no-formulas", "-", input=text)
    assert_clean_error(r)
    return r.stderr


# ------------------------------------------------------------------ del
def test_del_removes_names_from_the_scope() -> None:
    assert run("x = 1\ny = 2\nz = 3\ndel x, [y]\nprint('x' in globals(), 'y' in globals(), z)\n") \
        == "False False 3\n"
    assert "unknown name 'x' at line 3" in refused("x = 1\ndel x\nprint(x)\n")


def test_del_of_an_unknown_or_builtin_name_is_pythons_name_error() -> None:
    assert runtime_error("del print\n") == "NameError: name 'print' is not defined"
    assert runtime_error("del nothing\n") == "NameError: name 'nothing' is not defined"


def test_del_in_a_function_touches_only_its_own_names() -> None:
    assert run("x = 3\ndef f():\n    y = 2\n    del y\n    return x\nprint(f(), x)\n") == "3 3\n"
    assert runtime_error("x = 3\ndef f():\n    del x\nf()\n") == (
        "UnboundLocalError: cannot access local variable 'x' where it is not associated "
        "with a value")
    assert run("x = 3\ndef f():\n    global x\n    del x\nf()\nprint('x' in globals())\n") \
        == "False\n"


def test_del_items_of_dicts_and_lists() -> None:
    src = ("d = {'a': 1, 'b': 2}\ndel d['a']\nd['c'] = 3\nxs = [1, 2, 3, 4]\n"
           "del xs[0], xs[-1]\ndel xs[0:1]\nprint(d, xs)\n")
    assert run(src) == "{'b': 2, 'c': 3} [3]\n"
    assert runtime_error("d = {}\ndel d['q']\n") == "KeyError: 'q'"
    assert runtime_error("xs = [1]\ndel xs[5]\n") == \
        "IndexError: list assignment index out of range"


def test_del_of_a_tensor_item_is_pytorchs_type_error() -> None:
    assert runtime_error(T + "t = torch.ones(2)\ndel t[0]\n") == \
        "TypeError: Tensor does not support deleting items"


def test_del_of_items_of_other_objects_is_refused() -> None:
    assert "item deletion on str is not allowed" in refused("s = 'ab'\ndel s[0]\n")


def test_del_ctx_attribute_in_a_custom_functions_jvp() -> None:
    src = T + """import torch.autograd.forward_ad as fwAD
class Fn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, foo):
        result = torch.exp(foo)
        ctx.result = result
        return result

    @staticmethod
    def jvp(ctx, gI):
        gO = gI * ctx.result
        del ctx.result
        return gO

with fwAD.dual_level():
    x = fwAD.make_dual(torch.tensor([0., 1.]), torch.tensor([1., 2.]))
    print(fwAD.unpack_dual(Fn.apply(x)).tangent)
"""
    assert run(src) == "tensor([1.0000, 5.4366])\n"


# ------------------------------------------------------------------ setattr / delattr
def test_setattr_and_delattr_swap_a_modules_parameters_for_duals() -> None:
    src = T + """import torch.autograd.forward_ad as fwAD
model = torch.nn.Linear(2, 1)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[1., 2.]]))
    model.bias.zero_()
params = {name: p for name, p in model.named_parameters()}
with fwAD.dual_level():
    for name, p in params.items():
        delattr(model, name)
        setattr(model, name, fwAD.make_dual(p, torch.ones_like(p)))
    out = model(torch.tensor([[3., 4.]]))
    print(fwAD.unpack_dual(out).tangent.detach())
print(len(list(model.parameters())))
"""
    assert run(src) == "tensor([[8.]])\n0\n"


def test_setattr_on_user_objects_and_tensors_follows_the_whitelists() -> None:
    src = (T + "class A:\n    pass\na = A()\nsetattr(a, 'w', 3)\nprint(a.w)\ndelattr(a, 'w')\n"
           "t = torch.ones(1)\nsetattr(t, 'requires_grad', True)\nprint(t)\n")
    assert run(src) == "3\ntensor([1.], requires_grad=True)\n"


@pytest.mark.parametrize("src, message", [
    (T + "t = torch.ones(2)\nsetattr(t, '_version', 3)\n", "setting attribute '_version'"),
    (T + "t = torch.ones(2)\nsetattr(t, '_data', 3)\n", "setting attribute '_data'"),
    (T + "m = torch.nn.Linear(1, 1)\ndelattr(m, '_parameters')\n", "are off limits"),
    (T + "m = torch.nn.Linear(1, 1)\nsetattr(m, 'forward', 3)\n", "'forward' belongs to Linear"),
    (T + "m = torch.nn.Linear(1, 1)\nsetattr(m, '__class__', 3)\n", "off limits"),
    (T + "m = torch.nn.Linear(1, 1)\nsetattr(m, 'a b', 3)\n", "a plain identifier"),
    (T + "setattr(torch, 'ones', 3)\n", "setting attribute 'ones' is not allowed"),
    (T + "t = torch.ones(2)\ndelattr(t, 'grad')\n", "deleting attribute 'grad' is not allowed"),
    (T + "m = torch.nn.Linear(1, 1)\ndel m.forward\n", "'forward' belongs to Linear"),
    ("class A:\n    pass\ndelattr(A, 'x')\n", "deleting attribute 'x' is not allowed"),
])
def test_setattr_and_delattr_refusals(src: str, message: str) -> None:
    assert message in refused(src)


def test_delattr_of_a_missing_attribute_and_a_bad_name_are_pythons_errors() -> None:
    assert runtime_error(T + "m = torch.nn.Linear(1, 1)\ndelattr(m, 'foo')\n") == \
        "AttributeError: 'Linear' object has no attribute 'foo'"
    assert runtime_error(T + "m = torch.nn.Linear(1, 1)\nsetattr(m, 3, 1)\n") == \
        "TypeError: attribute name must be string, not 'int'"


# ------------------------------------------------------------------ dict(), functional_call
def test_dict_of_named_parameters_and_functional_call() -> None:
    src = T + """from torch.func import functional_call
model = torch.nn.Linear(2, 1)
params = dict(model.named_parameters())
print(sorted(params), dict(a=1), dict([('b', 2)], c=3))
new = {'weight': torch.tensor([[1., 2.]]), 'bias': torch.tensor([0.5])}
print(functional_call(model, new, (torch.tensor([[3., 4.]]),)))
"""
    assert run(src) == ("['bias', 'weight'] {'a': 1} {'b': 2, 'c': 3}\n"
                        "tensor([[11.5000]])\n")


# ------------------------------------------------------------------ Timer
def test_timer_runs_its_statement_as_snippet_code() -> None:
    src = T + """from torch.utils.benchmark import Timer
calls = []
def f(x):
    calls.append(x)
    return x * 2
m = Timer(stmt="f(3)", globals=globals()).timeit(10)
print(m.number_per_run, len(m.times), len(calls), m.title)
"""
    assert run(src) == "10 1 12 f(3)\n"  # a warm-up of 2 runs, then 10


@pytest.mark.parametrize("stmt, message", [
    ("__import__('os')", "'__import__' is not allowed"),
    ("open('x')", "unknown function 'open'"),
    ("x.__class__", "'__class__' is not allowed"),
])
def test_timer_statements_pass_the_whitelist(stmt: str, message: str) -> None:
    src = T + f"from torch.utils.benchmark import Timer\nx = 1\nTimer(stmt={stmt!r}, " \
              "globals=globals()).timeit(1)\n"
    assert message in refused(src)


def test_timer_runs_count_against_the_loop_budget() -> None:
    src = T + "from torch.utils.benchmark import Timer\nTimer(stmt='1').timeit(10**9)\n"
    assert "loop" in refused(src)
