"""The matrix functions through ``symgrad diff`` (the CLI's whitelist names them)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from symgrad_cli.main import cli


def _diff(*args: str):
    return CliRunner().invoke(cli, ["diff", *args], catch_exceptions=True)


@pytest.mark.parametrize("expr, wants", [
    ("logdet(X)", "inverse(X)"),
    ("det(X)", "det(X)"),
    ("trace(X @ X)", "X"),
    ("norm(X)", "sqrt("),
    ("sum(diagonal(X) * diagonal(X))", "diag"),
    ("X.inverse().sum()", "inverse(X)"),
])
def test_symgrad_diff_differentiates_matrix_functions(expr: str, wants: str) -> None:
    r = _diff(expr, "--wrt", "X", "--shape", "X=?,?")
    assert r.exit_code == 0, r.output
    assert wants in r.output


def test_symgrad_diff_checks_logdet_at_a_point() -> None:
    r = _diff("logdet(X)", "--wrt", "X", "--shape", "X=2,2", "--at", "X=2,1,0.5,3", "--check")
    assert r.exit_code == 0, r.output
    assert "PASSED" in r.output and "0.5455" in r.output


def test_a_vector_is_not_a_matrix_for_logdet() -> None:
    r = _diff("logdet(x)", "--wrt", "x")  # a lower-case name is a vector by default
    assert r.exit_code == 2
    assert "logdet: The input tensor A must have at least 2 dimensions." in r.output


@pytest.mark.parametrize("expr, wrt, wants", [
    ("logdet(X)", "X", "inverse(X).T"),
    ("det(X)", "X", "det(X)*inverse(X).T"),
    ("trace(A @ X @ B)", "X", "(B @ A).T"),
    ("x @ A @ x", "x", "(A + A.T) @ x"),
])
def test_an_upper_case_name_is_a_matrix_by_default(expr: str, wrt: str, wants: str) -> None:
    r = _diff(expr, "--wrt", wrt)
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines()[-1] == wants


@pytest.mark.parametrize("expr, wants", [
    ("sum(outer(a, b))", "ones(?, ?) @ b"),
    ("trace(outer(a, a))", "2*a"),
])
def test_outer_kron_and_diag_are_in_the_cli_grammar(expr: str, wants: str) -> None:
    r = _diff(expr, "--wrt", "a")
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines()[-1] == wants


@pytest.mark.parametrize("expr", ["outer(a, a)", "kron(a, a)", "diag(a)", "diag_embed(a)"])
def test_results_larger_than_their_inputs_are_bounded_before_allocating(expr: str) -> None:
    # 10**4 values: outer/kron/diag would make 10**8 elements, past the per-tensor limit
    r = _diff(f"sum({expr})", "--wrt", "a", "--shape", "a=10000", "--at",
              "a=" + ",".join(["1"] * 10000))
    assert r.exit_code == 2
    assert "exceeds the limit" in r.output


def test_diag_in_the_cli_evaluates() -> None:
    # (its printed gradient, sum(eye(?)*outer(ones(?), b), dim=1), is b not yet rewritten)
    r = _diff("sum(diag(a) @ b)", "--wrt", "a", "--at", "a=1,2", "--at", "b=3,4")
    assert r.exit_code == 0, r.output
    assert "d/da = tensor([3., 4.])" in r.output
