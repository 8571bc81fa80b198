"""The op table: one :class:`OpDef` per operation, read by both engines.

An entry says what the op is called (and its PyTorch ``grad_fn`` name), its
kind, what it saves for backward (exactly what PyTorch's derivative formula
saves), its NumPy forward, its per-input VJP and JVP rules, and its SymPy
forward. The rules are written against a namespace ``xp`` so that the same
rule runs on NumPy arrays (plain backward) and on tensors
(``create_graph=True``).

>>> from symgrad.ops import OPS
>>> OPS["mul"].grad_fn_name((), {})
'MulBackward0'
>>> OPS["sigmoid"].saves
{'result': ()}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Rule = Callable[..., Any]

ELEMENTWISE = "elementwise"
REDUCTION = "reduction"
LINEAR = "linear"
VIEW = "view"
SHAPE = "shape"
NONDIFF = "nondiff"
COMPOSITE = "composite"


@dataclass(frozen=True)
class OpDef:
    """One operation.

    ``args`` names the tensor inputs (``self``, ``other`` ...); non-tensor
    arguments are keyword ``attrs``. ``saves`` maps a saved name (an input
    name or ``result``) to the input positions whose gradient needs it (an
    empty tuple: always saved). ``vjp[i](xp, grad, s, attrs)`` returns the
    cotangent of input ``i`` (before unbroadcasting; ``None`` for zero);
    ``jvp[i](xp, tangent, s, attrs)`` returns input ``i``'s contribution to
    the output tangent. ``sym(S, *args, **attrs)`` builds the SymPy forward
    from the symbolic namespace ``S``. A ``variadic`` op (``cat``, ``stack``)
    takes any number of tensors and has one rule of each kind, called with
    the input's position: ``vjp[0](xp, grad, s, attrs, i)``.
    """

    name: str
    grad_fn: str | Callable[[tuple, Mapping[str, Any]], str]
    kind: str
    args: tuple[str, ...]
    forward: Callable[..., Any]
    vjp: tuple[Rule | None, ...] = ()
    jvp: tuple[Rule | None, ...] = ()
    saves: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    sym: Rule | None = None
    dtype_rule: str = "promote"  # promote | float | same | bool | index
    doc: str = ""
    no_edge: tuple[int, ...] = ()  # inputs that never get a gradient edge (where's condition)
    variadic: bool = False  # any number of tensor inputs (cat, stack): rules get the index i

    def grad_fn_name(self, inputs: tuple, attrs: Mapping[str, Any]) -> str:
        """PyTorch's name for this op's backward node (may depend on the call)."""
        g = self.grad_fn
        return g if isinstance(g, str) else g(inputs, attrs)

    @property
    def differentiable(self) -> bool:
        return self.kind != NONDIFF


OPS: dict[str, OpDef] = {}


def defop(name: str, grad_fn: str | Callable, kind: str, args: tuple[str, ...] | str,
          forward: Callable, vjp: tuple | Rule = (), jvp: tuple | Rule = (),
          saves: Mapping[str, tuple[int, ...]] | None = None, sym: Rule | None = None,
          dtype_rule: str = "promote", doc: str = "", no_edge: tuple[int, ...] = (),
          variadic: bool = False) -> OpDef:
    """Declare an op and add it to :data:`OPS`. Returns the entry."""
    if isinstance(args, str):
        args = tuple(args.split())
    if not isinstance(vjp, tuple):
        vjp = (vjp,)
    if not isinstance(jvp, tuple):
        jvp = (jvp,)
    if name in OPS:
        raise ValueError(f"op {name!r} is declared twice")
    op = OpDef(name, grad_fn, kind, args, forward, vjp, jvp, dict(saves or {}), sym,
               dtype_rule, doc, no_edge, variadic)
    OPS[name] = op
    return op
