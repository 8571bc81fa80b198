"""Generate ``docs/ops.md`` from the op table: ``python -m symgrad.ops.doc > docs/ops.md``.

A test (``tests/ops/test_ops_doc.py``) checks that the committed page is current.

>>> print(render().splitlines()[0])
# Operations
>>> row = [r for r in render().splitlines() if r.startswith("| `mul` |")][0]
>>> row.split(" | ")[1:6]
['`MulBackward0`', 'elementwise', 'self, other', 'other (for self), self (for other)', 'element-wise']
"""

from __future__ import annotations

from . import OPS
from .registry import OpDef

HEADER = """# Operations

Generated from the op table (`symgrad/ops/`) by `python -m symgrad.ops.doc > docs/ops.md`;
do not edit by hand. Each op is declared once; its PyTorch `grad_fn` name, its kind,
and what the tape saves for backward (as PyTorch's `derivatives.yaml` does; "for x"
means it is saved only when x requires grad) come straight from the entry.

"JVP" says where forward mode's rule comes from: `element-wise` (the VJP with the tangent
for `grad`, as `auto_element_wise`), `linear` (the op applied to the tangent, as
`auto_linear`), or `own`. "public" lists the names the entry declares (`api=`).

| op | grad_fn | kind | inputs | saves | JVP | result dtype | public |
|---|---|---|---|---|---|---|---|
"""


def _grad_fn(op: OpDef) -> str:
    g = op.grad_fn
    if isinstance(g, str):
        return f"`{g}`" if g else "—"
    return "depends on the call"


def _saves(op: OpDef) -> str:
    parts = []
    for name, idxs in op.saves.items():
        if idxs:
            whom = ", ".join(op.args[i] if i < len(op.args) else str(i) for i in idxs)
            parts.append(f"{name} (for {whom})")
        else:
            parts.append(name)
    return ", ".join(parts) or "nothing"


def _jvp(op: OpDef) -> str:
    if not op.differentiable:
        return "—"
    kinds = []
    for n in op.args:
        rule = op.jvp.get(n)
        if rule is None:
            continue
        if rule is op.vjp.get(n) and op.kind == "elementwise":
            kinds.append("element-wise")
        elif getattr(rule, "__name__", "").startswith("auto_linear"):
            kinds.append("linear")
        else:
            kinds.append("own")
    return ", ".join(dict.fromkeys(kinds)) or "none"


def _public(op: OpDef) -> str:
    where = {"function": "sg.{}", "method": "Tensor.{}", "inplace": "Tensor.{}", "nn": "F.{}"}
    names = [where[form].format(n) for form, ns in op.public_names().items() for n in ns]
    return ", ".join(f"`{n}`" for n in names) or "—"


def render() -> str:
    """The Markdown page, one row per op in declaration order."""
    rows = []
    for name, op in OPS.items():
        args = ", ".join(op.args) + (" (any number)" if getattr(op, "variadic", False) else "")
        kind = op.kind + (" (kinks)" if op.kinks else "")
        rows.append(f"| `{name}` | {_grad_fn(op)} | {kind} | {args} | {_saves(op)} | "
                    f"{_jvp(op)} | {op.dtype_rule} | {_public(op)} |")
    notes = [f"- `{n}`: {op.doc}" for n, op in OPS.items() if op.doc]
    tail = "\n\n## Notes\n\n" + "\n".join(notes) + "\n" if notes else "\n"
    return HEADER + "\n".join(rows) + tail


if __name__ == "__main__":
    print(render(), end="")
