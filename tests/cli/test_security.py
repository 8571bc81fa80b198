"""Hostile input: every item ends in a clean one-line error, with no side effect
(the ``clean_cwd`` fixture checks that no file was created and no module imported)."""

from __future__ import annotations

import pytest
from cli_helpers import assert_clean_error, invoke

T = "import torch\na = torch.tensor([1., 2., 3.], requires_grad=True)\n"

# snippets for `symgrad run -` that must be refused as bad input (exit 2)
HOSTILE_RUN = {
    "dunder class": T + "x = a.__class__\n",
    "subclasses walk": "x = ().__class__.__bases__[0].__subclasses__()\n",
    "globals": T + "x = torch.tensor.__globals__\n",
    "builtins name": "x = __builtins__\n",
    "dunder import": "__import__('os').system('touch pwned')\n",
    "open": "open('pwned', 'w').write('x')\n",
    "getattr": T + "getattr(torch, 'os')\n",
    "eval": "eval('1+1')\n",
    "exec": "exec('x = 1')\n",
    "compile": "compile('1', 'f', 'eval')\n",
    "format string": T + "x = '{0.__class__}'.format(a)\n",
    "percent format": "x = '%s' % 1\n",
    "f-string": T + "x = f'{a.__class__}'\n",
    "import os": "import os\n",
    "from os": "from os import path\n",
    "import submodule": "import torch.testing\n",
    "relative import": "from . import x\n",
    "torch.load": "import torch\ntorch.load('x')\n",
    "torch.save": T + "torch.save(a, 'pwned')\n",
    "private attribute": T + "x = a._data\n",
    "numpy escape": "import torch\nx = torch.tensor([1.]).numpy().tofile('pwned')\n",
    "type() attribute": T + "x = type(a).mro\n",  # type(x) only prints (pybuiltins.py)
    "type() of type()": T + "x = type(type(a)).__name__.__class__\n",
    "huge exponent": "x = 9**9**9\n",
    "huge power": "x = 2**100000\n",
    "huge int literal": "x = " + "9" * 60 + "\n",
    "huge multiply": "x = 2**4000 * 2**4000\n",
    "deep parens": "x = " + "(" * 250 + "1" + ")" * 250 + "\n",
    "deep unary": "x = " + "-" * 500 + "1\n",
    "long chain": "x = " + "+".join(["1"] * 300) + "\n",
    "deep list": "x = " + "[" * 150 + "]" * 150 + "\n",
    "huge zeros": "import torch\nx = torch.zeros(10**9)\n",
    "huge 2d": "import torch\nx = torch.ones(100000, 100000)\n",
    "huge arange": "import torch\nx = torch.arange(1e10)\n",
    "outer product": "import torch\nx = torch.ones(100000, 1) * torch.ones(100000)\n",
    "huge matmul": "import torch\nx = torch.ones(3000, 3000) @ torch.ones(3000, 3000)\n",
    "huge tensor data": "import torch\nx = torch.tensor([[[0.] * 1000] * 1000] * 1000)\n",
    "huge list": "x = [0] * 10**7\n",
    "huge string": "x = 'a' * 10**9\n",
    "doubling": "x = [0]\nfor i in range(60):\n    x = x + x\n",
    "while": "while True:\n    pass\n",
    "huge loop": "for i in range(10**9):\n    pass\n",
    "nested loops": "for i in range(1000):\n    for j in range(1000):\n        pass\n",
    "for over huge range list": "for i in list(range(10**9)):\n    pass\n",
    "for over generator": "for i in (j for j in range(10**9)):\n    pass\n",
    "range alone": "x = range(10)\n",
    "lambda": "f = lambda: 0\nprint(f.__code__)\n",  # functions: test_user_functions.py
    "def": "def f():\n    pass\nprint(f.__globals__)\n",
    "class": "class A(int):\n    pass\n",
    "huge comprehension": "x = [i for i in range(10**9)]\n",
    "nested comprehension": "x = [0 for i in range(1000) for j in range(1000)]\n",
    "comprehension of big lists": "x = [[0] * 10**7 for i in range(2)]\n",
    "dict comprehension": "x = {i: 0 for i in range(10**6)}\n",
    "while else": "while False:\n    pass\nelse:\n    pass\n",
    "item loop target": "x = [0]\nfor x[0] in [1]:\n    pass\n",
    "generator dunder": "x = [i.__class__ for i in [1]]\n",
    "global": "def f():\n    global __builtins__\n",
    "starred": "x = [*[1, 2]]\n",
    "kwargs splat": "print(**{'file': None})\n",
    "dunder kwargs splat": "import torch\nx = torch.ones(2, **{'__class__': 1})\n",
    "dict splat": "x = {**{}}\n",
    "walrus": "print(y := 1)\n",
    "try": "try:\n    x = [0] * 10**9\nexcept Exception:\n    pass\n",  # limits pass except
    "del builtins": "del __builtins__\n",  # del itself is allowed: test_run_del_setattr.py
    "del private": T + "del a._data\n",
    "delattr private": T + "delattr(a, '_version')\n",
    "print file": "print(1, file=None)\n",
    "round huge": "x = round(5, -10**9)\n",
    "setattr other": T + "a.__dict__ = 1\n",
    "set grad_fn": T + "b = a * 2\nb.grad_fn = None\n",
    "bytes": "x = b'abc'\n",
    "null byte": "x = 1\x00\n",
    "syntax": "x = = 1\n",
    "unknown name": "x = y\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_RUN))
def test_hostile_snippet_is_refused_cleanly(name: str, clean_cwd) -> None:
    assert_clean_error(invoke("run", "-", input=HOSTILE_RUN[name]), 2)


# runtime errors of the snippet itself: exit 1, the message, no traceback
RUNTIME_RUN = {
    "sum of lists": "x = sum([[0] * 1000] * 1000, [])\n",
    "key callable": "import torch\nx = max([1], key=torch.zeros)\n",
    "division": "x = 1 / 0\n",
    "float overflow": "x = 10.0 ** 400\n",
}


@pytest.mark.parametrize("name", sorted(RUNTIME_RUN))
def test_runtime_error_in_snippet_exits_1_without_traceback(name: str, clean_cwd) -> None:
    r = invoke("run", "-", input=RUNTIME_RUN[name])
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    assert ", line " in r.stderr


HOSTILE_DIFF = {
    "dunder": "a.__class__",
    "subclasses": "sum(a).__class__.__mro__[1].__subclasses__()",
    "import": "__import__('os')",
    "open": "open('pwned')",
    "getattr": "getattr(a, 'grad')",
    "eval": "eval('a')",
    "format": "'{0.__class__}'.format(a)",
    "lambda": "(lambda: a)()",
    "comprehension": "[x for x in a]",
    "walrus": "(b := a)",
    "statement": "import os",
    "huge exponent": "sum(a) * 9**9**9",
    "deep": "(" * 250 + "a" + ")" * 250,
    "long": "+".join(["a"] * 4000),
    "huge tensor": "sum(a) + sum(zeros(10**9))",
    "f-string": "f'{a}'",
    "unknown function": "sigmod(a)",
    "empty": "",
    "unknown attr": "a.tofile('x')",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_DIFF))
def test_hostile_expression_is_refused_cleanly(name: str, clean_cwd) -> None:
    assert_clean_error(invoke("diff", HOSTILE_DIFF[name], "--wrt", "a"), 2)


def test_wall_time_limit_stops_a_busy_snippet(clean_cwd) -> None:
    busy = "import torch\nx = torch.ones(10)\nfor i in range(100000):\n    x = x * 1.0 + 0.0\n"
    r = invoke("run", "--timeout", "0.1", "-", input=busy)
    assert_clean_error(r, 2)
    assert "time limit" in r.stderr


def test_error_names_position_and_suggestion(clean_cwd) -> None:
    r = invoke("diff", "sigmod(a)", "--wrt", "a")
    assert r.stderr == "error: unknown function 'sigmod' at column 1; did you mean 'sigmoid'?\n"
    r = invoke("run", "-", input="import torch\nx = torch.sigmod(1)\n")
    assert r.stderr.startswith("error: unknown attribute 'sigmod' of 'torch' at line 2, column 5")
    assert "did you mean 'sigmoid'?" in r.stderr


def test_exponent_refused_before_computing(clean_cwd) -> None:
    r = invoke("run", "-", input="x = 9**9**9\n")
    assert "integer result would have about" in r.stderr and "line 1, column 5" in r.stderr


def test_tensor_limit_message(clean_cwd) -> None:
    r = invoke("run", "-", input="import torch\nx = torch.zeros(10**9)\n")
    assert "tensor of 1000000000 elements at line 2, column 5 exceeds the limit" in r.stderr
