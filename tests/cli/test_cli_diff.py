"""``symgrad diff``: every option and format, golden formulas, clean errors."""

from __future__ import annotations

import json

import pytest
import sympy
from cli_helpers import assert_clean_error, invoke, needs

EX2 = "sum(a*a) + matmul(a*a, a*a)"
a = sympy.Symbol("a")

symbolic = needs("symgrad.symbolic.api", "sg.diff")
kernels = needs("symgrad.kernels.lambdify", "sg.lambdify")


def _same(text: str, expected: sympy.Expr) -> bool:
    # our own printed output, parsed back in the test only
    return sympy.simplify(sympy.sympify(text.strip(), locals={"a": a}) - expected) == 0


@symbolic
def test_ex2_formula_is_4a3_plus_2a() -> None:
    r = invoke("diff", EX2, "--wrt", "a")
    assert r.exit_code == 0, r.output
    assert r.stdout == "4*a**3 + 2*a\n"
    assert _same(r.stdout, 4 * a**3 + 2 * a)


@symbolic
def test_ex1_formula_through_diff_and_method_syntax() -> None:
    r = invoke("diff", "(a*a).sum()", "--wrt", "a")
    assert r.exit_code == 0 and _same(r.stdout, 2 * a)


@symbolic
def test_wrt_defaults_to_first_variable_and_torch_prefix_works() -> None:
    r = invoke("diff", "torch.sum(torch.exp(a))")
    assert r.exit_code == 0 and r.stdout == "exp(a)\n"


@symbolic
def test_stdin_expression() -> None:
    r = invoke("diff", "-", "--wrt", "a", input=EX2 + "\n")
    assert r.exit_code == 0 and r.stdout == "4*a**3 + 2*a\n"


@symbolic
def test_forward_mode_prints_jvp_along_da() -> None:
    r = invoke("diff", EX2, "--wrt", "a", "--mode", "forward")
    assert r.exit_code == 0, r.output
    assert "da" in r.stdout and "a" in r.stdout


@symbolic
def test_several_wrt_are_labelled() -> None:
    r = invoke("diff", "sum(W @ x)", "--wrt", "W", "--wrt", "x", "--shape", "W=2,3",
               "--shape", "x=3")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].startswith("d/dW = ") and lines[1].startswith("d/dx = ")


@symbolic
def test_jacobian_and_hessian() -> None:
    r = invoke("diff", "sigmoid(a)", "--wrt", "a", "--jacobian")
    assert r.exit_code == 0 and "diag" in r.stdout
    r = invoke("diff", "sum(a*a*a)", "--wrt", "a", "--hessian")
    assert r.exit_code == 0 and "6" in r.stdout and "diag(a)" in r.stdout


@symbolic
@pytest.mark.parametrize("fmt,needle", [("str", "4*a**3"), ("pretty", "⋅"),
                                        ("latex", "a^{3}")])
def test_text_formats(fmt: str, needle: str) -> None:
    r = invoke("diff", EX2, "--wrt", "a", "--format", fmt)
    assert r.exit_code == 0 and needle in r.stdout, r.output


@symbolic
@kernels
def test_numpy_format_prints_kernel_source() -> None:
    r = invoke("diff", EX2, "--wrt", "a", "--format", "numpy")
    assert r.exit_code == 0, r.output
    assert "import numpy as np" in r.stdout and "def " in r.stdout


@symbolic
def test_json_format_has_formula_shape_and_free_symbols() -> None:
    r = invoke("diff", EX2, "--wrt", "a", "--shape", "a=3", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    res = doc["results"][0]
    assert res["formula"] == "4*a**3 + 2*a" and res["shape"] == [3]
    assert res["free_symbols"] == ["a"] and doc["variables"] == {"a": [3]}


@symbolic
def test_default_shape_is_unspecified_length() -> None:
    doc = json.loads(invoke("diff", EX2, "--format", "json").stdout)
    assert doc["variables"] == {"a": [None]} and doc["results"][0]["shape"] == [None]


@symbolic
@kernels
def test_at_evaluates_function_and_derivative() -> None:
    r = invoke("diff", EX2, "--wrt", "a", "--shape", "a=3", "--at", "a=1,2,3")
    assert r.exit_code == 0, r.output
    assert "f = tensor(112.)" in r.stdout
    assert "d/da = tensor([  6.,  36., 114.])" in r.stdout


@symbolic
@kernels
def test_check_runs_three_way_comparison() -> None:
    r = invoke("diff", "sum(sigmoid(a))", "--wrt", "a", "--at", "a=1,2,3", "--check")
    assert "sg.check" in r.stdout and "Traceback" not in r.output
    assert r.exit_code in (0, 1)  # 1 only when the check reports a failure
    assert (r.exit_code == 0) == ("PASSED" in r.stdout)


@pytest.mark.parametrize("args,message", [
    (["sum(a*a)", "--shape", "a=3", "--at", "a=1,2"],
     "error: --at a=1,2 has 2 values but --shape a=3 needs 3"),
    (["sum(a*a)", "--wrt", "b"], "error: --wrt b: 'b' does not appear in the expression"),
    (["sum(a*a)", "--shape", "a=x"], "error: --shape a=x: expected NAME=DIMS"),
    (["sum(a*a)", "--shape", "a3"], "error: --shape a3: expected NAME=DIMS"),
    (["sum(a*a)", "--at", "a=1,zz"], "error: --at a=1,zz: expected NAME=VALUES"),
    (["sum(a*b)", "--at", "a=1"], "error: --at gives no value for 'b'"),
    (["sum(a*a)", "--check"], "error: --check needs values"),
    (["sum(a*a)", "--jacobian", "--hessian"], "error: --jacobian and --hessian cannot"),
    (["sum(a*a)", "--mode", "sideways"], "error: Invalid value for '--mode'"),
    (["sum(a*a)", "--format", "xml"], "error: Invalid value for '--format'"),
    (["1 + 2"], "error: the expression has no variables"),
    (["sum(a*a) +"], "error: invalid syntax at column"),
    (["sum(a*a)", "--bogus"], "error: No such option '--bogus'"),
])
def test_bad_options_give_one_line_and_exit_2(args: list[str], message: str) -> None:
    r = invoke("diff", *args)
    assert_clean_error(r, 2)
    assert r.stderr.startswith(message), r.stderr


def test_missing_expression_is_a_usage_error() -> None:
    assert_clean_error(invoke("diff"), 2)


@symbolic
def test_shape_mismatch_is_a_clean_error() -> None:
    r = invoke("diff", "sum(W @ x)", "--wrt", "W", "--shape", "W=2,3", "--shape", "x=4",
               "--at", "W=1,2,3,4,5,6", "--at", "x=1,2,3,4")
    assert "Traceback" not in r.output and r.exit_code == 2, r.output
    assert len(r.stderr.splitlines()) == 1
    assert r.stderr.startswith("error: RuntimeError: size mismatch") or "mat" in r.stderr


def test_version_and_help() -> None:
    r = invoke("--version")
    assert r.exit_code == 0 and r.stdout.startswith("symgrad, version ")
    for args in (["--help"], ["diff", "--help"], ["run", "-h"]):
        r = invoke(*args)
        assert r.exit_code == 0 and "Usage:" in r.stdout
