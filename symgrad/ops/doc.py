"""Generate ``docs/ops.md`` from the op table: ``python -m symgrad.ops.doc > docs/ops.md``.

A test (``tests/ops/test_ops_doc.py``) checks that the committed page is current.

>>> print(render().splitlines()[0])
# Operations
>>> "| `mul` | `MulBackward0` | elementwise | self, other | other (for self), self (for other) |" in render()
True
"""

from __future__ import annotations

from . import OPS
from .registry import OpDef

HEADER = """# Operations

Generated from the op table (`symgrad/ops/`) by `python -m symgrad.ops.doc > docs/ops.md`;
do not edit by hand. Each op is declared once; its PyTorch `grad_fn` name, its kind,
and what the tape saves for backward (as PyTorch's `derivatives.yaml` does; "for x"
means it is saved only when x requires grad) come straight from the entry.

| op | grad_fn | kind | inputs | saves | result dtype |
|---|---|---|---|---|---|
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

def render() -> str:
    """The Markdown page, one row per op in declaration order."""
    rows = []
    for name, op in OPS.items():
        args = ", ".join(op.args) + (" (any number)" if getattr(op, "variadic", False) else "")
        rows.append(f"| `{name}` | {_grad_fn(op)} | {op.kind} | {args} | {_saves(op)} | "
                    f"{op.dtype_rule} |")
    notes = [f"- `{n}`: {op.doc}" for n, op in OPS.items() if op.doc]
    tail = "\n\n## Notes\n\n" + "\n".join(notes) + "\n" if notes else "\n"
    return HEADER + "\n".join(rows) + tail

if __name__ == "__main__":
    print(render(), end="")
