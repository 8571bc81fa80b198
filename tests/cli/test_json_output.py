"""``--format json`` is always valid JSON: non-finite values are the strings
"nan", "inf" and "-inf" (HARDENING M18: NaN and Infinity tokens are not JSON)."""

from __future__ import annotations

import json

from cli_helpers import invoke


def _strict(text: str) -> dict:
    def refuse(token: str) -> None:
        raise AssertionError(f"not JSON: {token}")
    return json.loads(text, parse_constant=refuse)


def test_non_finite_values_are_strings_M18() -> None:
    r = invoke("diff", "sum(sqrt(a))", "--at", "a=-1,0", "--format", "json")
    assert r.exit_code == 0, r.output
    doc = _strict(r.output)
    assert doc["value"] == "nan" and doc["results"][0]["value"] == ["nan", "inf"]


def test_non_finite_values_in_a_matrix() -> None:
    r = invoke("diff", "sqrt(a)", "--shape", "a=2,2", "--at", "a=-1,0,1,4", "--format", "json")
    assert r.exit_code == 0, r.output
    assert _strict(r.output)["value"] == [["nan", 0.0], [1.0, 2.0]]


def test_finite_values_stay_numbers() -> None:
    r = invoke("diff", "sum(a*a)", "--at", "a=1,2", "--format", "json")
    doc = _strict(r.output)
    assert doc["value"] == 5.0 and doc["results"][0]["value"] == [2.0, 4.0]
