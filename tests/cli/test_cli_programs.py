"""``symgrad diff`` on a program: statements ending with the expression to differentiate
(how a chain with intermediates, or a loop, is written on the command line)."""

from __future__ import annotations

import json

import pytest
from cli_helpers import assert_clean_error, invoke, needs

symbolic = needs("symgrad.symbolic.api", "sg.diff")

EX2_PROGRAM = "out = a * a\ny = out.sum()\ny = y + matmul(out, out)\ny\n"


@symbolic
def test_program_gives_the_same_formula_as_the_expression() -> None:
    r = invoke("diff", "-", input=EX2_PROGRAM)
    assert r.exit_code == 0, r.output
    assert r.stdout == "4*a**3 + 2*a\n"
    r = invoke("diff", "out = a * a; sum(out) + matmul(out, out)")
    assert r.exit_code == 0 and r.stdout == "4*a**3 + 2*a\n", r.output


@symbolic
def test_assigned_names_and_loop_targets_are_not_variables() -> None:
    src = "x = a * w\nfor i in range(3):\n    x = x * 2\nsum(x)\n"
    doc = json.loads(invoke("diff", "-", "--format", "json", input=src).stdout)
    assert doc["variables"] == {"a": [None], "w": [None]}
    assert doc["results"][0]["formula"] == "8*w"


@symbolic
def test_imports_in_a_program_are_not_variables() -> None:
    r = invoke("diff", "-", input="import torch\nfrom torch import nn\ntorch.sum(a * a)\n")
    assert r.exit_code == 0 and r.stdout == "2*a\n", r.output


@pytest.mark.parametrize("src,message", [
    ("x = a * a\n", "error: the last statement at line 1, column 1 is not an expression"),
    ("x = a\ny = foo(x)\nsum(y)\n", "error: unknown function 'foo' at line 2, column 5"),
    ("x = a\nfor i in range(10**6):\n    x = x * 1\nsum(x)\n",
     "error: loop of 1000000 iterations at line 2, column 10 exceeds the limit"),
    ("import os\nsum(a)\n", "error: import of 'os' is not allowed at line 1"),
    ("x = a\nwhile True:\n    pass\nsum(x)\n", "error: loops ran more than 100000 iterations in total at line 2"),
    ("x = a.__class__\nsum(a)\n", "error: attribute '__class__' is not allowed at line 1"),
])
def test_program_errors_name_the_line(src: str, message: str) -> None:
    r = invoke("diff", "-", input=src)
    assert_clean_error(r, 2)
    assert r.stderr.startswith(message), r.stderr


@symbolic
def test_runtime_error_in_a_program_is_bad_input_with_its_line() -> None:
    r = invoke("diff", "-", "--shape", "a=3", input="b = a.reshape(2, 2)\nsum(b)\n")
    assert_clean_error(r, 2)
    assert "at line 1, column 5" in r.stderr


def test_an_expression_error_keeps_its_one_line_position() -> None:
    r = invoke("diff", "sum(a*a) +")
    assert_clean_error(r, 2)
    assert r.stderr.startswith("error: invalid syntax at column")


@symbolic
def test_leading_space_and_indented_programs_are_accepted_M17() -> None:
    assert invoke("diff", " sum(a*a)").stdout == "2*a\n"
    r = invoke("diff", "-", input="    x = a * a\n    sum(x)\n")
    assert r.exit_code == 0 and r.stdout == "2*a\n", r.output


def test_superscript_digits_are_not_a_length_M10() -> None:
    r = invoke("diff", "sum(a*a)", "--shape", "a=²")
    assert_clean_error(r, 2)
    assert "'²' is not a length" in r.stderr


@symbolic
def test_overflow_while_evaluating_prints_no_raw_warning_M19() -> None:
    r = invoke("diff", "sum(exp(a))", "--at", "a=1000,1")
    assert r.exit_code == 0 and r.stderr == "", r.stderr
    assert "inf" in r.stdout
