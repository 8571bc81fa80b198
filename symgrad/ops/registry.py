"""The op table: one :class:`OpDef` per operation, read by both engines.

An entry is the op's whole contract, in the manner of PyTorch's
``derivatives.yaml``: what the op is called (and its ``grad_fn`` name), its
kind, what it saves for backward (exactly what PyTorch's formula saves), its
NumPy forward, a derivative rule per input *name*, its SymPy forward, and
its public names. The rules are written against a namespace ``xp`` so that
the same rule runs on NumPy arrays (plain backward) and on tensors
(``create_graph=True``).

The rule language:

- ``vjp={"self": rule, "other": rule}``: ``rule(xp, grad, s, a)`` returns
  the cotangent of that input (before unbroadcasting; ``None`` for zero).
  ``s.self``, ``s.other``, ``s.result`` are the saved values and ``a`` the
  non-tensor arguments. An input with no rule is not differentiable:
  recording the op with that input requiring grad raises, naming both.
- ``jvp={...}``: ``rule(xp, t, s, a)`` returns the input's contribution to
  the output tangent. Usually derived, as ``derivatives.yaml`` derives it:
  an ``ELEMENTWISE`` op's JVP is its VJP with the tangent for ``grad``
  (``auto_element_wise``); an op declared ``linear`` in its one tensor input
  (views, ``sum``, ``clone``...) gets the forward applied to the tangent
  (``auto_linear``). A missing JVP raises when a tangent reaches it, never
  a silent zero.
- ``saves={"result": ()}``: a saved name and the inputs whose gradient needs
  it (empty: always saved).
- ``sym(S, *args, **attrs)`` builds the SymPy forward from the symbolic
  namespace ``S``. A ``variadic`` op (``cat``, ``stack``) takes any number of
  tensors and one rule per kind, called with the input's position ``i``.
- ``api=("function", "method", "inplace", "nn")``: the public names the op
  has: ``sg.<name>``, ``Tensor.<name>``, ``Tensor.<name>_`` and
  ``sg.nn.functional.<name>`` (``public`` renames: ``max_all`` is
  ``sg.max``); ``aliases`` are the other public names that record this op
  (``clip`` for ``clamp``, ``transpose`` for ``permute``). A plain op
  (tensor inputs only, no options) gets its function generated; the others
  have a hand-written one in ``symgrad.eager`` under each declared name.
- per-op facts: ``dtype_rule`` (PyTorch's result dtype), ``kinks`` (the
  derivative jumps somewhere: relu, abs, max...), and for views
  ``view_text`` (how the view is written in Python, for error messages) and
  ``put_sym`` (the formula of writing through the view); ``shape_error``
  words PyTorch's message when a value-less (symbolic) call has bad shapes.

>>> from symgrad.ops import OPS
>>> OPS["mul"].grad_fn_name((), {})
'MulBackward0'
>>> OPS["sigmoid"].saves, sorted(OPS["where"].vjp)
({'result': ()}, ['other', 'self'])
>>> OPS["sigmoid"].jvp["self"] is OPS["sigmoid"].vjp["self"]   # auto_element_wise
True
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

API_FORMS = ("function", "method", "inplace", "nn")
DTYPE_RULES = ("promote", "float", "same", "bool", "index", "attr", "true_divide", "where",
               "sum")


@dataclass(frozen=True)
class OpDef:
    """One operation (see the module docstring for the rule language).

    ``edge_vjps`` and ``input_jvps`` are the rules as the engines index
    them, derived by :func:`defop`: one VJP per gradient edge (the inputs
    but ``no_edge``), one JVP per input (``None``: not defined).
    """

    name: str
    grad_fn: str | Callable[[tuple, Mapping[str, Any]], str]
    kind: str
    args: tuple[str, ...]
    forward: Callable[..., Any]
    vjp: Mapping[str, Rule] = field(default_factory=dict)
    jvp: Mapping[str, Rule] = field(default_factory=dict)
    saves: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    sym: Rule | None = None
    dtype_rule: str = "promote"
    doc: str = ""
    no_edge: tuple[str, ...] = ()  # inputs that never get a gradient edge (where's condition)
    variadic: bool = False  # any number of tensor inputs (cat, stack): rules get the index i
    linear: bool = False  # linear in its one tensor input: the JVP is the forward (auto_linear)
    kinks: bool = False  # the derivative jumps (relu at 0, ties of max): checks expect it
    api: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    method_aliases: tuple[str, ...] = ()  # other method-only names (view for reshape)
    public: str = ""  # the public name when it is not the op's (max_all is sg.max)
    view_text: Callable[[Mapping[str, Any]], str] | None = None
    put_sym: Rule | None = None
    shape_error: Callable[[str, list[tuple]], str] | None = None  # message for bad shapes
    edge_vjps: tuple[Rule | None, ...] = ()
    input_jvps: tuple[Rule | None, ...] = ()
    missing_vjp: bool = False  # some edge has no VJP rule: recording checks it
    no_edge_positions: tuple[int, ...] = ()
    # facts about the input arrays' memory layout that a backward rule needs, kept on
    # the node at record time (PyTorch's mm backward keeps its inputs' strides)
    layout: Callable[[tuple], dict[str, Any]] | None = None

    def grad_fn_name(self, inputs: tuple, attrs: Mapping[str, Any]) -> str:
        """PyTorch's name for this op's backward node (may depend on the call)."""
        g = self.grad_fn
        return g if isinstance(g, str) else g(inputs, attrs)

    @property
    def differentiable(self) -> bool:
        return self.kind != NONDIFF

    @property
    def edges(self) -> tuple[str, ...]:
        """The inputs that get a gradient edge, in order."""
        return tuple(n for n in self.args if n not in self.no_edge)

    def public_names(self) -> dict[str, tuple[str, ...]]:
        """``{"function": (...), "method": (...), "inplace": (...), "nn": (...)}``."""
        name = self.public or self.name
        out: dict[str, tuple[str, ...]] = {}
        for form in self.api:
            if form == "inplace":
                out[form] = (name + "_",)
            elif form == "function":
                out[form] = (name,) + self.aliases
            elif form == "method":
                out[form] = (name,) + self.aliases + self.method_aliases
            else:
                out[form] = (name,) + tuple(a for a in self.aliases if form == "nn")
        return out


OPS: dict[str, OpDef] = {}


def _auto_linear(name: str) -> Rule:
    """``auto_linear``: the JVP of an op linear in its input is the op on the tangent."""
    def jvp(xp: Any, t: Any, s: Any, a: Mapping[str, Any]) -> Any:
        return xp.op(OPS[name], t, **a)
    jvp.__name__ = f"auto_linear_{name}"
    return jvp


def defop(name: str, grad_fn: str | Callable, kind: str, args: tuple[str, ...] | str,
          forward: Callable, vjp: Mapping[str, Rule] | None = None,
          jvp: Mapping[str, Rule] | None = None,
          saves: Mapping[str, tuple[int, ...]] | None = None, sym: Rule | None = None,
          dtype_rule: str = "promote", doc: str = "", no_edge: tuple[str, ...] = (),
          variadic: bool = False, linear: bool | None = None, kinks: bool = False,
          api: tuple[str, ...] = (), aliases: tuple[str, ...] = (),
          method_aliases: tuple[str, ...] = (), public: str = "",
          view_text: Callable | None = None, put_sym: Rule | None = None,
          shape_error: Callable | None = None, layout: Callable | None = None) -> OpDef:
    """Declare an op and add it to :data:`OPS`. Returns the entry.

    >>> op = defop("_demo_twice", "MulBackward0", ELEMENTWISE, "self",
    ...            forward=lambda x: 2 * x, vjp={"self": lambda xp, grad, s, a: 2 * grad})
    >>> op.input_jvps[0] is op.vjp["self"], op.edges
    (True, ('self',))
    >>> del OPS["_demo_twice"]
    >>> defop("_bad", "X", ELEMENTWISE, "self", forward=abs, vjp={"other": None})
    Traceback (most recent call last):
    ...
    ValueError: op '_bad': vjp names 'other', which is not one of its inputs ('self',)
    """
    if isinstance(args, str):
        args = tuple(args.split())
    if name in OPS:
        raise ValueError(f"op {name!r} is declared twice")
    if dtype_rule not in DTYPE_RULES:
        raise ValueError(f"op {name!r}: unknown dtype_rule {dtype_rule!r}; one of {DTYPE_RULES}")
    for form in api:
        if form not in API_FORMS:
            raise ValueError(f"op {name!r}: unknown api form {form!r}; one of {API_FORMS}")
    vjp, jvp = dict(vjp or {}), dict(jvp or {})
    for what, rules in (("vjp", vjp), ("jvp", jvp)):
        for k in rules:
            if k not in args:
                raise ValueError(f"op {name!r}: {what} names {k!r}, which is not one of its "
                                 f"inputs {args}")
    if linear is None:
        linear = kind == VIEW
    tensor_inputs = [n for n in args if n not in no_edge]
    for n in args:
        if n in jvp or n not in vjp:
            continue
        if kind == ELEMENTWISE:  # auto_element_wise: the VJP with the tangent for grad
            jvp[n] = vjp[n]
        elif linear and len(tensor_inputs) == 1:  # auto_linear
            jvp[n] = _auto_linear(name)
    edge_vjps = tuple(vjp.get(n) for n in args if n not in no_edge)
    op = OpDef(name, grad_fn, kind, args, forward, vjp, jvp, dict(saves or {}), sym,
               dtype_rule, doc, tuple(no_edge), variadic, linear, kinks, tuple(api),
               tuple(aliases), tuple(method_aliases), public, view_text, put_sym, shape_error, edge_vjps,
               tuple(jvp.get(n) for n in args),
               kind != NONDIFF and any(r is None for r in edge_vjps),
               tuple(i for i, n in enumerate(args) if n in no_edge), layout)
    OPS[name] = op
    return op
