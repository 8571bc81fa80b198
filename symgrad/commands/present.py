"""Text for people and JSON for tools: formulas, ``diff`` outcomes, ``run`` reports.

Formulas print through symgrad's printers (:mod:`symgrad.symbolic.printing`)
when that module provides them, else through SymPy's printers, which honour
the ``_sympystr``/``_pretty``/``_latex`` methods of symgrad's nodes. A big
formula prints in let form (its result, then ``where`` and one line per
named intermediate), cut to a number of lines that says how many it left out.
Nothing here walks a formula as a tree: symbols come from a memoised walk.

>>> import sympy
>>> formula_text(sympy.Symbol("a") ** 2, "str")
'a**2'
"""

from __future__ import annotations

import importlib
import json
from typing import Any

import numpy as np

FORMATS = ("str", "pretty", "latex", "numpy", "json")
MAX_FORMULA_CHARS = 20_000   # any formula's text, at most (cut at a line end, saying how much)
MAX_FORMULA_LINES = 200      # let-form lines that ``symgrad diff`` prints (the first and the last)
REPORT_FORMULA_LINES = 40    # ... and the ``run`` report, per .grad


def _printer(kind: str) -> Any:
    """``fn(expr, max_lines)`` printing in ``kind`` (``str``, ``pretty``, ``latex``)."""
    try:
        mod = importlib.import_module("symgrad.symbolic.printing")
    except ImportError:
        mod = None
    fn = getattr(mod, {"str": "to_str", "pretty": "to_pretty", "latex": "to_latex"}[kind], None)
    if callable(fn):
        return fn
    import sympy
    plain = {"str": sympy.sstr, "pretty": lambda e: sympy.pretty(e, use_unicode=True),
             "latex": sympy.latex}[kind]
    return lambda e, max_lines=None: plain(e)


def _cut(text: str, limit: int = MAX_FORMULA_CHARS) -> str:
    """``text`` within ``limit`` characters, cut at a line end where there is one."""
    if len(text) <= limit:
        return text
    end = text.rfind("\n", 0, limit)
    end = end if end > limit // 2 else limit
    return text[:end] + f" ... ({len(text) - end} more characters)"


def formula_text(expr: Any, fmt: str = "str", max_lines: int | None = MAX_FORMULA_LINES) -> str:
    """``expr`` printed as ``str``, ``pretty`` or ``latex`` (let form for a big formula,
    at most ``max_lines`` of its lines; cut to a readable length)."""
    return _cut(str(_printer(fmt)(expr, max_lines=max_lines)))


def _symbols(expr: Any) -> list[str]:
    """The names of ``expr``'s symbols, sorted (SymPy's ``free_symbols`` would walk
    a shared formula as a tree: exponential)."""
    if not hasattr(expr, "args"):
        return []
    from symgrad.symbolic.letform import symbol_names
    return symbol_names(expr)


def _formula_json(expr: Any) -> dict[str, Any]:
    try:
        from symgrad.symbolic.printing import to_json
    except ImportError:
        return {"formula": formula_text(expr, "str", None),
                "latex": formula_text(expr, "latex", None), "let": []}
    return to_json(expr)


def _tensor_text(value: Any) -> str:
    import symgrad as sg
    arr = np.asarray(value)
    if arr.dtype.kind == "f" and arr.dtype != sg.get_default_dtype().np_dtype:
        arr = arr.astype(sg.get_default_dtype().np_dtype)
    return repr(sg.tensor(arr))


def _shape_json(shape: tuple) -> list:
    return [None if d is None else int(d) for d in shape]


def _label_block(label: str, body: str) -> str:
    if "\n" in body:
        return f"{label} =\n" + "\n".join("  " + line for line in body.splitlines())
    return f"{label} = {body}"


def diff_text(out: Any, fmt: str) -> str:
    """What ``symgrad diff`` prints for ``fmt`` (every format but json)."""
    if fmt == "json":
        return diff_json(out)
    if fmt == "numpy":
        return _numpy_text(out)
    lines: list[str] = []
    single = len(out.results) == 1 and out.at is None
    for r in out.results:
        body = formula_text(r.formula, fmt)
        if single:
            lines.append(body)
        elif fmt == "latex":
            lines.append(f"% {r.label}\n{body}")
        else:
            lines.append(_label_block(r.label, body))
    if out.at is not None:
        lines.append(_at_text(out))
    if out.check is not None:
        lines.append(str(out.check).rstrip())
    return "\n".join(lines)


def _at_text(out: Any) -> str:
    point = ", ".join(f"{n} = {_tensor_text(v)}" for n, v in out.at.items())
    rows = [f"at {point}:", _label_block("  f", _tensor_text(out.y.detach()._data))]
    for r, v in zip(out.results, out.values):
        rows.append(_label_block("  " + r.label, _tensor_text(v)))
    return "\n".join(rows)


def _numpy_text(out: Any) -> str:
    import symgrad as sg
    args = list(out.variables.values()) + list(out.tangents.values())
    parts = []
    for r in out.results:
        src = sg.lambdify(r.formula, args).source.rstrip()
        parts.append(src if len(out.results) == 1 else f"# {r.label}\n{src}")
    return "\n\n".join(parts)


def diff_json(out: Any) -> str:
    """``--format json``: formula, shape and free symbols of each result. A big
    formula's ``formula`` and ``latex`` are its result in terms of named
    intermediates, listed in ``let`` in evaluation order (``name``, ``formula``,
    ``latex``); ``let`` is empty for a formula printed inline."""
    doc: dict[str, Any] = {
        "expression": out.expression,
        "mode": out.mode,
        "variables": {n: _shape_json(tuple(t.shape)) for n, t in out.variables.items()},
        "results": [{"label": r.label, "kind": r.kind, "wrt": list(r.wrt),
                     **_formula_json(r.formula),
                     "shape": _shape_json(r.shape), "free_symbols": _symbols(r.formula)}
                    for r in out.results],
    }
    if out.at is not None:
        doc["at"] = {n: _json_values(v) for n, v in out.at.items()}
        doc["value"] = _json_values(out.y.detach()._data)
        for entry, v in zip(doc["results"], out.values):
            entry["value"] = _json_values(v)
    if out.check is not None:
        doc["check"] = {"passed": bool(out.check.passed), "report": str(out.check)}
    return json.dumps(doc, indent=2, allow_nan=False)


def _json_values(v: Any) -> Any:
    """An array as JSON lists: valid JSON, so non-finite numbers become the strings
    ``"nan"``, ``"inf"`` and ``"-inf"`` (JSON has no such numbers).

    >>> _json_values(np.array([[1.0, np.nan], [-np.inf, 2.0]]))
    [[1.0, 'nan'], ['-inf', 2.0]]
    """
    a = np.asarray(v)
    if a.dtype.kind != "f" or bool(np.all(np.isfinite(a))):
        return a.tolist()
    return _finite_or_text(a.tolist())


def _finite_or_text(x: Any) -> Any:
    if isinstance(x, list):
        return [_finite_or_text(y) for y in x]
    if x != x:
        return "nan"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    return x


def run_report(result: Any) -> str:
    """The section after a snippet's output: the formula behind each leaf's ``.grad``."""
    rows = []
    single = len(result.backward_calls) == 1
    for name, leaf in result.leaves.items():
        grad = leaf._grad
        if grad is None:
            continue
        value = repr(grad)
        try:
            formula = leaf.grad_formula
            text = formula_text(formula, "str", REPORT_FORMULA_LINES) \
                if formula is not None else None
        except ModuleNotFoundError as e:
            if (e.name or "").startswith("symgrad"):
                return ""  # this build has no symbolic side: no section rather than noise
            raise
        except Exception as e:  # noqa: BLE001 - the report must not hide the output
            formula, text = None, None
            rows.append(f"{name}.grad = {value}   (no formula: {type(e).__name__}: {e})")
            continue
        if text is None:
            rows.append(f"{name}.grad = {value}")
            continue
        rows.append(_join(f"{name}.grad = " + _indent_rest(text), value))
        if single:
            note = _mismatch_note(result, formula, grad)
            if note:
                rows.append(note)
    if not rows:
        return ""
    return "# symgrad: the formulas behind .grad\n" + "\n".join(rows) + "\n"


def _indent_rest(text: str) -> str:
    """A let form's lines after the first, indented under ``a.grad = ``."""
    first, *rest = text.split("\n")
    return "\n".join([first] + ["  " + line for line in rest])


def _join(head: str, value: str) -> str:
    """``head = value``; under a multi-line head or value, ``= value`` on lines of its own."""
    if "\n" not in value and "\n" not in head:
        return f"{head} = {value}"
    first = head.split("\n", 1)[0]
    pad = " " * (first.index("=") if "=" in first and "\n" not in head else 2)
    lines = value.splitlines()
    return f"{head}\n{pad}= {lines[0]}" + "".join("\n" + pad + "  " + line for line in lines[1:])


def _mismatch_note(result: Any, formula: Any, grad: Any) -> str | None:
    """When the tape's ``.grad`` differs from its formula at the values backward() saw."""
    import symgrad as sg
    values = result.backward_calls[0].values
    names = _symbols(formula)
    if not names or any(n not in values for n in names):
        return None
    try:
        kernel = sg.lambdify(formula, names)
        expected = np.broadcast_to(np.asarray(kernel(**{n: values[n] for n in names}),
                                              dtype=np.float64), grad.shape)
    except Exception:  # noqa: BLE001 - no note rather than a wrong one
        return None
    got = np.asarray(grad._data, dtype=np.float64)
    if np.allclose(got, expected, rtol=1e-4, atol=1e-6, equal_nan=True):
        return None
    return ("  ! but the formula gives " + _tensor_text(expected) + " at the values "
            "backward() saw: a tensor saved for backward was changed in place without "
            "autograd noticing (e.g. through .data), so this .grad is silently wrong")
