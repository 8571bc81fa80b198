"""The constructs ``symgrad run`` gained for the golden corpus (issue 12), each with the
bound that keeps it safe: ``while`` loops, ``for`` over iterables, comprehensions, dict
literals, the new builtins (``type``, ``isinstance``, ``enumerate``...), and the new
whitelisted functions (``eye``, ``diag``, ``F.linear``, ``torch.func``,
``torch.autograd.functional``). Outputs are PyTorch 2.13's."""

from __future__ import annotations

import pytest
from cli_helpers import assert_clean_error, invoke, run_snippet, snippet_error

T = "import torch\n"
run, runtime_error = run_snippet, snippet_error  # (cli_helpers)


# ------------------------------------------------------------------ what now runs
def test_while_loop_runs_like_python() -> None:
    src = T + "y = torch.tensor([1., 2.])\nn = 0\nwhile y.norm() < 100:\n    y = y * 2\n" \
              "    n += 1\n    if n > 50:\n        break\nprint(n, y)\n"
    assert run(src) == "6 tensor([ 64., 128.])\n"


def test_for_over_lists_tensors_dicts_and_pairs() -> None:
    src = (T + "for r in torch.tensor([[1., 2.], [3., 4.]]):\n    print(r)\n"
           "for i, (k, v) in enumerate({'a': 1, 'b': 2}.items()):\n    print(i, k, v)\n"
           "for a, b in zip([1, 2, 3], 'xy'):\n    print(a, b)\n"
           "m = torch.nn.Linear(2, 1)\nprint(len(list(m.parameters())))\n")
    assert run(src) == ("tensor([1., 2.])\ntensor([3., 4.])\n0 a 1\n1 b 2\n1 x\n2 y\n2\n")


def test_comprehensions_have_their_own_scope() -> None:
    src = ("x = 10\nsq = [x * x for x in range(4) if x != 2]\nprint(sq, x)\n"
           "print({k: v for k, v in zip('ab', [1, 2])}, {x % 2 for x in [1, 2, 3]})\n"
           "print(sum(x for x in [1, 2, 3]), sorted([3, 1, 2], reverse=True))\n")
    assert run(src) == "[0, 1, 9] 10\n{'a': 1, 'b': 2} {0, 1}\n6 [3, 2, 1]\n"


def test_type_prints_like_pytorch_and_compares_with_the_class() -> None:
    src = (T + "x = torch.ones(1)\nprint(type(x), type(1), type(x) == torch.Tensor)\n"
           "print(isinstance(x, torch.Tensor), isinstance(1, (float, int)))\n")
    assert run(src) == "<class 'torch.Tensor'> <class 'int'> True\nTrue True\n"


def test_functools_partial_binds_arguments() -> None:
    src = (T + "from functools import partial\ndef f(a, b, k=1):\n    return a * b + k\n"
           "print(partial(f, 2, k=10)(3), partial(torch.mul, torch.ones(2))(3))\n")
    assert run(src) == "16 tensor([3., 3.])\n"


def test_print_options_last_only_as_long_as_the_snippet() -> None:
    assert run(T + "torch.set_printoptions(precision=2)\nprint(torch.tensor([1.12345]))\n") \
        == "tensor([1.12])\n"
    assert run(T + "print(torch.tensor([1.12345]))\n") == "tensor([1.1235])\n"


def test_iteration_errors_are_pythons() -> None:
    assert runtime_error("for i in 5:\n    pass\n") == "TypeError: 'int' object is not iterable"
    assert runtime_error(T + "for r in torch.tensor(1.):\n    pass\n") == \
        "TypeError: iteration over a 0-d tensor"
    assert runtime_error("d = {[1]: 2}\n") == "TypeError: unhashable type: 'list'"
    assert runtime_error(T + "isinstance(torch.ones(1), 3)\n") == \
        "TypeError: isinstance() arg 2 must be a type, a tuple of types, or a union"


def test_missing_attribute_of_a_user_object_is_a_catchable_attribute_error() -> None:
    src = ("class A:\n    pass\ntry:\n    A().missing\nexcept AttributeError as e:\n"
           "    print(e)\n")
    assert run(src) == "'A' object has no attribute 'missing'\n"  # Python's message


# ------------------------------------------------------------ the bounds on them
BOUNDED = {
    "endless while": ("x = 0\nwhile True:\n    x = x + 1\n",
                      "error: loops ran more than 100000 iterations in total at line 2"),
    "while in a function": ("def f():\n    while True:\n        pass\nf()\n",
                            "error: loops ran more than 100000 iterations in total at line 2"),
    "huge generator": ("for i in (j for j in range(10**9)):\n    pass\n",
                       "error: loop of 1000000000 iterations"),
    "huge comprehension": ("x = [0 for i in range(10**9)]\n",
                           "error: loop of 1000000000 iterations"),
    "nested comprehension": ("x = [0 for i in range(1000) for j in range(1000)]\n",
                             "error: loops ran more than 100000 iterations in total"),
    "enumerate of a long loop": ("x = list(enumerate([0] * 10**6))\n", "error: loop of 1000000"),
    "zip of long lists": ("x = zip([0] * 10**6, [0] * 10**6)\n", "error: loop of 1000000"),
    "sorted of a long list": ("x = sorted([0] * 10**6)\n", "error: loop of 1000000"),
    "iterating a long tensor": (T + "for r in torch.zeros(10**6):\n    pass\n",
                                "error: loop of 1000000"),
    "eye": (T + "x = torch.eye(10**5)\n", "error: tensor of 10000000000 elements"),
    "eye n by m": (T + "x = torch.eye(10, 10**7)\n", "error: tensor of 100000000 elements"),
    "diag": (T + "x = torch.diag(torch.ones(10**4))\n", "error: tensor of 100000000 elements"),
    "legacy constructor": (T + "x = torch.Tensor(10**5, 10**5)\n",
                           "error: tensor of 10000000000 elements"),
    "F.linear": (T + "import torch.nn.functional as F\n"
                 "y = F.linear(torch.ones(3000, 3000), torch.ones(3000, 3000))\n",
                 "error: matrix product of 27000000000 multiply-adds"),
    "jacrev output": (T + "x = torch.func.jacrev(torch.sin)(torch.zeros(4000))\n",
                      "error: tensor of 16000000 elements"),
    "jacobian output": (T + "from torch.autograd.functional import jacobian\n"
                        "j = jacobian(lambda x: x * 2, torch.zeros(4000))\n",
                        "error: tensor of 16000000 elements"),
    "hessian output": (T + "from torch.autograd.functional import hessian\n"
                       "h = hessian(lambda x: x.sum(), torch.zeros(4000))\n",
                       "error: tensor of 16000000 elements"),
    "whitelisted function under vmap": (T + "x = torch.func.vmap(torch.diag)(torch.ones(2, 5000))\n",
                                        "error: tensor of 25000000 elements"),
    "partial of a factory": (T + "from functools import partial\nh = partial(torch.zeros, 10**9)\n"
                             "x = h()\n", "error: tensor of 1000000000 elements"),
    "partial under jacrev": (T + "from functools import partial\n"
                             "x = torch.func.jacrev(partial(torch.mul, 2.))(torch.zeros(4000))\n",
                             "error: tensor of 16000000 elements"),
    "saved tensor hook": (T + "a = torch.ones(5, requires_grad=True)\ndef p(x):\n"
                          "    return torch.zeros(10**9)\n"
                          "with torch.autograd.graph.saved_tensors_hooks(p, p):\n    y = a * a\n",
                          "error: tensor of 1000000000 elements"),
    "print precision": (T + "torch.set_printoptions(precision=10**6)\n",
                        "error: set_printoptions(precision=...) above 100 is not allowed"),
    "print edgeitems": (T + "torch.set_printoptions(edgeitems=10**6)\n",
                        "error: set_printoptions(edgeitems=...) above 100 is not allowed"),
    "user function under vmap": (T + "x = torch.func.vmap(lambda t: torch.zeros(10**9))"
                                 "(torch.ones(2))\n", "error: tensor of 1000000000 elements"),
}


@pytest.mark.parametrize("name", sorted(BOUNDED))
def test_new_constructs_are_bounded_before_they_allocate(name: str, clean_cwd) -> None:
    src, message = BOUNDED[name]
    r = invoke("run", "-", input=src)
    assert_clean_error(r, 2)
    assert r.stderr.startswith(message), r.stderr


# --------------------------------------------------- nothing new reaches Python objects
CLOSED = {
    "type() attribute": (T + "x = type(torch.ones(1)).mro\n", "unknown attribute 'mro'"),
    "type() call": (T + "x = type(torch.ones(1))(3)\n", "'TypeName' is not callable"),
    "type() dunder": (T + "x = type(torch.ones(1)).__dict__\n", "'__dict__' is not allowed"),
    "class from isinstance arg": (T + "x = torch.Tensor.add\n", "unknown attribute 'add'"),
    "transform result attribute": (T + "g = torch.func.grad(torch.sin)\nprint(g.fn)\n",
                                   "unknown attribute 'fn'"),
    "transform result dunder": (T + "g = torch.func.grad(torch.sin)\nx = g.__closure__\n",
                                "attribute '__closure__' is not allowed"),
    "dict dunder": ("d = {}\nx = d.__class__\n", "attribute '__class__' is not allowed"),
    "dict other methods": ("d = {}\nd.update({'a': 1})\n", "unknown attribute 'update'"),
    "str format": ("x = '{0}'.format(1)\n", "unknown attribute 'format'"),
    "str join": ("x = ','.join(['a'] * 10)\n", "unknown attribute 'join'"),
    "dunder keyword splat": (T + "x = torch.ones(2, **{'__class__': 1})\n",
                             "keyword '__class__' is not allowed"),
    "dict splat in a literal": ("x = {**{}}\n", "**-unpacking in a dict literal is not allowed"),
    "item loop target": ("x = [0]\nfor x[0] in [1]:\n    pass\n",
                         "loop targets other than names"),
    "attribute loop target": (T + "a = torch.ones(1)\nfor a.grad in [1]:\n    pass\n",
                              "loop targets other than names"),
    "while else": ("while False:\n    pass\nelse:\n    pass\n", "while ... else is not allowed"),
    "comprehension dunder": ("x = [i.__class__ for i in [1]]\n", "'__class__' is not allowed"),
    "functools beyond partial": ("from functools import reduce\n",
                                 "unknown attribute 'reduce' of 'functools'"),
    "partial result attribute": (("from functools import partial\ndef f(a):\n    return a\n"
                                  "print(partial(f, 1).func)\n"), "unknown attribute 'func'"),
    "generator internals": (T + "g = torch.Generator()\nx = g.bit_generator\n",
                            "unknown attribute 'bit_generator' of 'Generator'"),
    "graph internals": (T + "torch.autograd.graph.SAVED_HOOKS\n",
                        "unknown attribute 'SAVED_HOOKS' of 'torch.autograd.graph'"),
}


@pytest.mark.parametrize("name", sorted(CLOSED))
def test_new_constructs_open_no_way_out(name: str, clean_cwd) -> None:
    src, message = CLOSED[name]
    r = invoke("run", "-", input=src)
    assert_clean_error(r, 2)
    assert message in r.stderr, r.stderr


def test_diff_programs_bound_while_loops_too() -> None:
    r = invoke("diff", "-", input="x = a\nwhile True:\n    x = x * 1\nsum(x)\n")
    assert_clean_error(r, 2)
    assert "loops ran more than 100000 iterations" in r.stderr
