"""Fuzzing the parser: random text and random small ASTs end in a result or a clean
:class:`InputError` / snippet error, never another exception and never a side effect."""

from __future__ import annotations

import ast
import os
import sys

from hypothesis import given
from hypothesis import strategies as st
from cli_helpers import LAZY_OK, assert_clean_error, invoke

from symgrad.commands import InputError, Limits, run_snippet

SMALL = Limits(max_chars=2000, max_tensor_elements=10_000, max_total_elements=200_000,
               max_loop_iterations=200, timeout=2.0)
PRELUDE = ("import torch\nimport torch.autograd.forward_ad as fwAD\n"
           "from torch.autograd.functional import jacobian as jac\n"
           "from functools import partial\n"
           "a = torch.tensor([1., 2., 3.], requires_grad=True)\n")

NAMES = ["a", "torch", "x", "print", "sum", "len", "__class__", "__import__", "open", "eval",
         "range", "F", "enumerate", "zip", "list", "type", "isinstance", "sorted", "any", "jac",
         "fwAD"]
ATTRS = ["sum", "grad", "data", "sigmoid", "backward", "__class__", "__globals__", "shape",
         "format", "zero_", "T", "exp", "nn", "functional", "tofile", "_data", "mro", "items",
         "keys", "primal", "tangent", "_saved_self", "register_hook", "grad_fn", "type", "func"]
FUNCS = ["torch.exp", "torch.zeros", "torch.sigmoid", "torch.matmul", "sum", "print", "len",
         "abs", "open", "getattr", "a.sum", "torch.tensor", "round", "max", "enumerate", "zip",
         "list", "type", "isinstance", "sorted", "repr", "torch.eye", "torch.diag",
         "torch.func.grad", "torch.func.vmap", "torch.func.jacrev", "torch.func.hessian", "jac",
         "torch.allclose", "a.register_hook", "fwAD.make_dual", "torch.Tensor", "partial"]
OPS = [ast.Add(), ast.Sub(), ast.Mult(), ast.Div(), ast.Pow(), ast.MatMult(), ast.Mod(),
       ast.FloorDiv(), ast.BitAnd(), ast.LShift()]
CONSTS = st.one_of(st.integers(-3, 12), st.sampled_from([9, 10**6, 2**70, 0.5, -1.5, "s", "{}",
                                                         None, True, ...]))


def _leaf() -> st.SearchStrategy[ast.expr]:
    return st.one_of(st.builds(ast.Name, st.sampled_from(NAMES)),
                     st.builds(ast.Constant, CONSTS))


def _extend(children: st.SearchStrategy[ast.expr]) -> st.SearchStrategy[ast.expr]:
    return st.one_of(
        st.builds(ast.BinOp, children, st.sampled_from(OPS), children),
        st.builds(ast.UnaryOp, st.sampled_from([ast.USub(), ast.Not(), ast.Invert()]), children),
        st.builds(ast.Attribute, children, st.sampled_from(ATTRS)),
        st.builds(lambda f, args: ast.Call(ast.parse(f, mode="eval").body, args, []),
                  st.sampled_from(FUNCS), st.lists(children, max_size=3)),
        st.builds(ast.Subscript, children, children),
        st.builds(ast.List, st.lists(children, max_size=3)),
        st.builds(ast.Tuple, st.lists(children, max_size=3)),
        st.builds(lambda l, r: ast.Compare(l, [ast.Lt()], [r]), children, children),
        st.builds(lambda x: ast.Lambda(ast.arguments([], [], None, [], [], None, []), x),
                  children),
        st.builds(lambda x: ast.ListComp(x, [ast.comprehension(ast.Name("x"), x, [], 0)]),
                  children),
        # symgrad run's comprehensions, dicts and generator expressions (loops.py)
        st.builds(lambda k, x, it: k(x, [ast.comprehension(ast.Name("x"), it, [], 0)]),
                  st.sampled_from([ast.SetComp, ast.GeneratorExp]), children, children),
        st.builds(lambda x, it, c: ast.ListComp(x, [ast.comprehension(
            ast.Tuple([ast.Name("i"), ast.Name("x")]), ast.Call(ast.Name("enumerate"), [it], []),
            [c], 0)]), children, children, children),
        st.builds(lambda k, v, it: ast.DictComp(k, v, [ast.comprehension(ast.Name("x"), it, [],
                                                                          0)]),
                  children, children, children),
        st.builds(lambda ks, v: ast.Dict(ks, [v] * len(ks)), st.lists(children, max_size=3),
                  children),
    )


EXPRS = st.recursive(_leaf(), _extend, max_leaves=12)


def _unparse(e: ast.expr) -> str:
    return ast.unparse(ast.fix_missing_locations(ast.Expression(e)))


def _run(text: str) -> None:
    try:
        run_snippet(text, "fuzz.py", SMALL)  # a snippet error is returned, not raised
    except InputError as e:
        assert "\n" not in str(e)


@given(EXPRS)
def test_random_ast_snippets_end_cleanly(expr: ast.expr) -> None:
    _run(PRELUDE + "x = " + _unparse(expr) + "\nprint(x)\n")


# loops: a random iterable or condition, a random body (while is bounded by the loop budget)
LOOP_BODIES = st.sampled_from(["x = t", "x = x + 1", "a.register_hook(print)", "break",
                               "continue", "print(t)", "y = [t, t]", "pass"])


@given(EXPRS, LOOP_BODIES)
def test_random_for_loops_end_cleanly(expr: ast.expr, body: str) -> None:
    _run(PRELUDE + "x = 0\nfor t in " + _unparse(expr) + ":\n    " + body + "\n")


@given(EXPRS, LOOP_BODIES)
def test_random_while_loops_end_cleanly(expr: ast.expr, body: str) -> None:
    _run(PRELUDE + "x = 0\nt = 1\nwhile " + _unparse(expr) + ":\n    " + body + "\n")


@given(st.text(alphabet=st.sampled_from(list("a()[]*+-./_ 0123456789:=\n'\"{}torchsum@%")),
               max_size=80))
def test_random_text_snippets_end_cleanly(text: str) -> None:
    _run(PRELUDE + text)


@given(EXPRS)
def test_random_ast_expressions_through_cli(expr: ast.expr) -> None:
    r = invoke("diff", _unparse(expr), "--wrt", "a")
    assert "Traceback" not in r.output
    if r.exit_code == 2:
        assert_clean_error(r, 2)
    else:
        assert r.exit_code in (0, 1)


def test_fuzzing_left_no_files_and_no_modules(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = set(sys.modules)
    for text in ["open('f','w')", "__import__('os')", "a.__class__", "torch.save(a,'f')"]:
        _run(PRELUDE + text)
    test_random_ast_snippets_end_cleanly()
    assert os.listdir(tmp_path) == []
    assert not {m for m in set(sys.modules) - before if not m.startswith(LAZY_OK)}
