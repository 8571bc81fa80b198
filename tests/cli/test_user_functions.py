"""``symgrad run`` of snippets with their own functions: ``def``, ``lambda``, ``return``,
closures, ``global``/``nonlocal``, decorators, f-strings and ``try``/``except``/``raise``
(:mod:`symgrad.parsing.functions`), and the promises that still hold around them:
recursion is bounded, limit errors cannot be caught, no dunder is reachable, format
specs cannot ask for unbounded output. Python semantics are checked against Python
itself (the same text run by ``exec``, only for trusted test text); PyTorch's messages
are golden data recorded from torch 2.13."""

from __future__ import annotations

import ast
import contextlib
import io

import pytest
from cli_helpers import assert_clean_error, invoke
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz import EXPRS, PRELUDE, SMALL, _unparse

from symgrad.commands import InputError, Limits, run_snippet


def run(text: str) -> str:
    r = invoke("run", "--no-formulas", "-", input=text)
    assert r.exit_code == 0, r.output
    return r.stdout


def python_output(text: str) -> str:
    """What Python prints for ``text`` (trusted test text without torch)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(text, "<test>", "exec"), {})  # noqa: S102 - the test's own text
    return out.getvalue()


# ------------------------------------------------------------ Python semantics
PLAIN = {
    "defaults and keywords": "def f(x, k=2, *, m=1):\n    return x * k + m\n"
                             "print(f(3), f(3, 4), f(3, m=10), f(k=5, x=1))\n",
    "varargs": "def f(a, *rest, **kw):\n    return a, len(rest), kw\n"
               "print(f(1), f(1, 2, 3, z=4))\nxs = [5, 6]\nprint(f(*xs))\n"
               "def g(**kw):\n    return f(0, **kw)\nprint(g(q=1))\n",
    "closures": "def make(k):\n    def add(x):\n        return x + k\n    return add\n"
                "a2 = make(2)\na5 = make(5)\nprint(a2(1), a5(1))\n",
    "nonlocal": "def counter():\n    n = 0\n    def inc():\n        nonlocal n\n"
                "        n = n + 1\n        return n\n    return inc\nc = counter()\n"
                "c()\nc()\nprint(c())\n",
    "global": "total = 0\ndef add(v):\n    global total\n    total = total + v\n"
              "add(2)\nadd(3)\nprint(total)\n",
    "locals stay local": "x = 1\ndef f():\n    x = 2\n    return x\nprint(f(), x)\n",
    "unbound local": "x = 1\ndef f():\n    try:\n        y = x\n    except Exception as e:\n"
                     "        print(e)\n    x = 2\n    return x\nprint(f())\n",
    "shadowing in loop": "i = 10\ndef f():\n    s = 0\n    for i in range(3):\n        s = s + i\n"
                         "    return s, i\nprint(f(), i)\n",
    "recursion": "def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\n"
                 "print(fact(20))\n",
    "no return": "def f():\n    pass\nprint(f())\n",
    "lambda": "sq = lambda v, p=2: v ** p\nprint(sq(3), sq(2, p=5), (lambda: 7)())\n",
    "mutable default": "def f(x=[]):\n    x.append(1)\n    return x\nf()\nprint(f())\n",
    "return in loop": "def first(n):\n    for i in range(n):\n        if i * i > 10:\n"
                      "            return i\n    return -1\nprint(first(10), first(2))\n",
    "f-strings": "x = 3.14159\nn = 7\ns = 'ab'\n"
                 "print(f'{x:.2f}|{x:8.3f}|{n:03d}|{n:>5}|{s!r}|{s!s:^6}|{n:,}|{x:e}|{n:x}')\n"
                 "print(f'{n * 2} and {s}{s}', f'{x:{5}.{2}}')\n",
    "try/except/else/finally": "def f(v):\n    try:\n        if v < 0:\n"
                               "            raise ValueError('negative')\n        r = 'ok'\n"
                               "    except (TypeError, ValueError) as e:\n        r = 'caught ' + str(e)\n"
                               "    else:\n        r = r + '!'\n    finally:\n        print('finally', v)\n"
                               "    return r\nprint(f(1))\nprint(f(-1))\n",
    "bare raise": "try:\n    try:\n        x = 1 / 0\n    except ZeroDivisionError:\n"
                  "        print('inner')\n        raise\nexcept Exception as e:\n    print('outer', e)\n",
    "return through finally": "def f():\n    try:\n        return 1\n    finally:\n"
                              "        print('cleanup')\nprint(f())\n",
    "break in try": "for i in range(3):\n    try:\n        if i == 1:\n            break\n"
                    "    finally:\n        print('f', i)\n",
}


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_user_functions_behave_as_in_python(name: str) -> None:
    assert run(PLAIN[name]) == python_output(PLAIN[name])


def test_functions_compute_with_tensors() -> None:
    text = ("import torch\ndef loss(w, x, y):\n    return ((w * x - y) ** 2).sum()\n"
            "w = torch.tensor([1., 2.], requires_grad=True)\n"
            "l = loss(w, torch.tensor([3., 4.]), torch.tensor([1., 1.]))\nl.backward()\n"
            "print(l, w.grad)\n")
    r = invoke("run", "-", input=text)
    assert r.exit_code == 0, r.output
    # PyTorch 2.13 prints exactly these two lines
    assert r.stdout.startswith("tensor(53., grad_fn=<SumBackward0>) tensor([12., 56.])\n")
    assert "w.grad = " in r.stdout  # the report names the leaf after its variable


def test_decorators_no_grad_and_enable_grad() -> None:
    text = ("import torch\n@torch.no_grad()\ndef f(x):\n    return x * 2\n"
            "@torch.enable_grad()\ndef g(x):\n    return x * 2\n"
            "x = torch.ones(2, requires_grad=True)\nprint(f(x))\nwith torch.no_grad():\n"
            "    print(g(x))\n")
    # PyTorch 2.13
    assert run(text) == "tensor([2., 2.])\ntensor([2., 2.], grad_fn=<MulBackward0>)\n"


def test_f_strings_of_tensors_match_pytorch() -> None:
    text = ("import torch\nt = torch.tensor([1.5, 2.25])\n"
            "print(f\"{t}|{t.sum():.2f}|{t.sum()!r}|{3.14159:8.3f}|{'ab'!r:>6}|{7:03d}\")\n")
    # PyTorch 2.13
    assert run(text) == "tensor([1.5000, 2.2500])|3.75|tensor(3.7500)|   3.142|  'ab'|007\n"


def test_catching_a_pytorch_error() -> None:
    text = ("import torch\ntry:\n    torch.ones(2, requires_grad=True).backward()\n"
            "except RuntimeError as e:\n    print('caught:', e)\n")
    # PyTorch 2.13's message
    assert run(text) == "caught: grad can be implicitly created only for scalar outputs\n"


def test_type_name_of_a_caught_error() -> None:
    text = ("import torch\ntry:\n    torch.ones(2).backward()\nexcept RuntimeError as e:\n"
            "    print(type(e).__name__, e)\nprint(type(torch.ones(1)).__name__)\n")
    # PyTorch 2.13
    assert run(text) == ("RuntimeError element 0 of tensors does not require grad and does not "
                         "have a grad_fn\nTensor\n")
    for bad in ("x = type(1).__name__.__class__\n", "x = type.__name__\n", "x = type(1).mro()\n",
                "x = type(1, 2).__name__\n"):
        assert_clean_error(invoke("run", "-", input=bad), 2)


def test_uncaught_raise_is_the_snippets_error() -> None:
    r = invoke("run", "-", input="def f():\n    raise ValueError('bad value')\nf()\n")
    assert r.exit_code == 1
    assert "ValueError: bad value" in r.stderr and "Traceback" not in r.output


def test_wrong_arguments_give_a_type_error() -> None:
    r = invoke("run", "-", input="def f(x):\n    return x\nf(1, 2)\n")
    assert r.exit_code == 1 and "TypeError: f() too many positional arguments" in r.stderr


# ------------------------------------------------------------ refusals and limits
REFUSED = {
    "recursion bomb": ("def f(n):\n    return f(n + 1)\nf(0)\n",
                       "function calls nested more than 40 deep"),
    "mutual recursion": ("def f(n):\n    return g(n)\ndef g(n):\n    return f(n)\nf(0)\n",
                         "function calls nested more than 40 deep"),
    "recursion through lambda": ("f = lambda n: f(n)\nf(0)\n", "nested more than 40 deep"),
    "caught recursion bomb": (("def f(n):\n    return f(n + 1)\ntry:\n    f(0)\n"
                              "except RuntimeError:\n    print('caught')\n"),
                              "function calls nested more than 40 deep"),
    "caught loop limit": (("try:\n    for i in range(100000):\n        pass\n"
                          "    for i in range(10):\n        pass\nexcept Exception:\n"
                          "    print('caught')\n"), "loops ran more than 100000"),
    "caught size limit": (("def f():\n    return [0] * 10**9\ntry:\n    f()\nexcept:\n"
                          "    print('caught')\n"), "sequence of 1000000000 items"),
    "function globals": ("def f():\n    pass\nprint(f.__globals__)\n", "'__globals__' is not"),
    "function code": ("f = lambda: 0\nprint(f.__code__)\n", "'__code__' is not allowed"),
    "function closure": ("def f():\n    pass\nx = f.__closure__\n", "'__closure__' is not"),
    "function attribute": ("def f():\n    pass\nx = f.name\n", "unknown attribute 'name'"),
    "dunder parameter": ("def f(__x):\n    pass\n", "name '__x' is not allowed"),
    "dunder global": ("def f():\n    global __builtins__\n", "'__builtins__' is not allowed"),
    "dunder except name": ("try:\n    pass\nexcept Exception as __e:\n    pass\n",
                           "'__e' is not allowed"),
    "user decorator": ("def d(f):\n    return f\n@d\ndef g():\n    pass\n",
                       "decorator 'd' is not allowed"),
    "print decorator": ("@print\ndef g():\n    pass\n", "decorator 'print' is not allowed"),
    "catching exit": ("try:\n    x = 1 / 0\nexcept SystemExit:\n    pass\n", "unknown name 'SystemExit'"),
    "catching a function": ("try:\n    x = 1 / 0\nexcept print:\n    pass\n",
                            "catching this is not allowed"),
    "format spec bomb": ("x = 3\nprint(f\"{x:{'>'*10**9}}\")\n", "sequence of 1000000000"),
    "format width": ("x = 3\nprint(f'{x:>999999999}')\n", "format spec '>999999999' is not"),
    "format width built": ("x = 3\nw = '9' * 8\nprint(f'{x:>{w}}')\n", "is not allowed"),
    "format field trick": ("x = 3\nspec = '{0.__class__}'\nprint(f'{x:{spec}}')\n",
                           "format spec '{0.__class__}' is not allowed"),
    "format dunder": ("x = 3\nprint(f'{x.__class__}')\n", "'__class__' is not allowed"),
    "long f-string": ("s = 'a' * 900000\nt = f'{s}{s}'\n", "sequence of 1800000 items"),
    "return at module level": ("return 1\n", "'return' outside a function is not allowed"),
    "starred target": ("a, *b = [1, 2]\n", "starred expressions (*x) outside a call's"),
    "break in a function": ("def f():\n    break\nfor i in range(3):\n    f()\n",
                            "invalid syntax at line 2, column 5: 'break' outside loop"),
    "continue at top level": ("continue\n", "'continue' outside loop"),
    "async def": ("async def f():\n    pass\n", "async functions are not allowed"),
    "while else in a function": ("def f():\n    while True:\n        pass\n    else:\n"
                                 "        pass\n", "while ... else is not allowed"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_cleanly(name: str, clean_cwd) -> None:
    text, message = REFUSED[name]
    r = invoke("run", "-", input=text)
    assert_clean_error(r, 2)
    assert message in r.stderr, r.stderr
    assert "caught" not in r.stdout


def test_time_limit_cannot_be_caught(clean_cwd) -> None:
    text = ("import torch\ndef work():\n    for i in range(300):\n        for j in range(300):\n"
            "            x = torch.ones(50) @ torch.ones(50)\ntry:\n    work()\n"
            "except Exception:\n    print('caught')\nfinally:\n    print('finally')\n"
            "print('escaped')\n")
    with pytest.raises(InputError, match="time limit") as info:
        run_snippet(text, "t.py", Limits(timeout=0.3))
    out = info.value.output
    assert "caught" not in out and "finally" not in out and "escaped" not in out


def test_a_limit_rewrapped_by_the_library_is_still_not_caught(clean_cwd) -> None:
    # x.grad_formula runs the user's backward on symbolic tensors; the loop limit it hits
    # there reaches the snippet as the library's NotImplementedError, yet no except sees it
    text = ("import torch\nclass Sq(torch.autograd.Function):\n    @staticmethod\n"
            "    def forward(ctx, x):\n        ctx.save_for_backward(x)\n        return x * x\n"
            "    @staticmethod\n    def backward(ctx, g):\n        x, = ctx.saved_tensors\n"
            "        for i in range(60000):\n            pass\n        return 2 * x * g\n"
            "x = torch.tensor([1., 2.], requires_grad=True)\nSq.apply(x).sum().backward()\n"
            "try:\n    print(x.grad_formula)\nexcept Exception as e:\n    print('caught', e)\n")
    r = invoke("run", "-", input=text)
    assert_clean_error(r, 2)
    assert "loops ran more than 100000 iterations" in r.stderr and "caught" not in r.stdout


def test_format_spec_on_a_tensor_is_pytorchs_type_error() -> None:
    r = invoke("run", "-", input="import torch\nt = torch.ones(2)\nprint(f'{t:>20}')\n")
    assert r.exit_code == 1
    # torch 2.13
    assert "TypeError: unsupported format string passed to Tensor.__format__" in r.stderr


def test_deep_closures_stay_bounded(clean_cwd) -> None:
    depth = 30
    lines = [f"{'    ' * i}def f{i}():" for i in range(depth)]
    lines.append(f"{'    ' * depth}return {depth}")
    lines += [f"{'    ' * (i + 1)}return f{i + 1}()" for i in range(depth - 2, -1, -1)]
    assert run("\n".join(lines) + "\nprint(f0())\n") == f"{depth}\n"
    deeper = "\n".join(f"{'    ' * i}def f{i}():" for i in range(120)) + "\n" + " " * 480 + "pass\n"
    assert_clean_error(invoke("run", "-", input=deeper), 2)


def test_diff_still_refuses_run_only_syntax() -> None:
    for expr, what in [("(lambda: a)()", "lambda expressions are not allowed"),
                       ("f'{a}'", "f-strings are not allowed"),
                       ("sum(*[a])", "starred expressions (*x) are not allowed")]:
        r = invoke("diff", expr, "--wrt", "a")
        assert_clean_error(r, 2)
        assert what in r.stderr


# ------------------------------------------------------------ fuzzing the new syntax
def _end_cleanly(text: str) -> None:
    try:
        run_snippet(text, "fuzz.py", SMALL)  # a snippet error is returned, not raised
    except InputError as e:
        assert "\n" not in str(e)


@given(EXPRS, EXPRS, st.sampled_from(["", "!r", "!s"]),
       st.sampled_from(["", ":>4", ":.3", ":{x}", ":{'>'*9}", ":,", ":08.2f"]))
def test_random_function_bodies_end_cleanly(body: ast.expr, arg: ast.expr, conv: str,
                                            spec: str) -> None:
    text = (PRELUDE + f"def f(x, *r, k=1, **kw):\n    y = {_unparse(body)}\n    return y\n"
            f"g = lambda x: {_unparse(body)}\n"
            f"try:\n    v = f({_unparse(arg)})\nexcept Exception as e:\n    v = e\n"
            f"print(f'{{v{conv}{spec}}}', g(a))\n")
    _end_cleanly(text)


@given(st.lists(st.sampled_from(
    ["def ", "f", "(", ")", ":", "\n", "    ", "return ", "x", "lambda ", "try", "except ",
     "raise ", "finally", "global ", "nonlocal ", "*", "**", ",", "=", "1", "f'", "{", "}",
     "'", "a", "__class__", ".", "!r"]), max_size=40).map("".join))
def test_random_function_text_ends_cleanly(text: str) -> None:
    _end_cleanly(PRELUDE + text)
