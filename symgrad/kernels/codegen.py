"""Formula DAG -> NumPy source: one named temporary per shared node.

The generator walks the DAG once (:mod:`symgrad.kernels.dag`), gives a
temporary to every node that is used more than once (or that would make a
line too deep), prints each temporary's node with :class:`KernelPrinter`
(its shared children print as their names) and returns readable,
self-contained source. No ``sympy.cse``: sharing comes from the DAG.

>>> import sympy as sp
>>> a = sp.Symbol("a")
>>> s = sp.sin(a)
>>> print(generate([s * s + s], ["a"]).source)
import numpy as np
<BLANKLINE>
<BLANKLINE>
def kernel(a):
    v0 = np.sin(a)
    return v0*v0 + v0
<BLANKLINE>
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from .. import errors
from ..symbolic.rewrite import rewrite_many
from ..symbolic.shapes import known as known_shape
from ..symbolic.shapes import shape_of
from . import backends
from .dag import operands, square_links, walk
from .known import preamble, reserved_names
from .lower import lower
from .names import fresh_name, param_name  # the one sanitiser (param_name re-exported)
from .printer import KernelPrinter

MAX_INLINE_DEPTH = 6       # a node nested deeper than this gets its own line
SMALL_CONSTANT = 64        # constants up to this many elements are written into the source
SMALL_INDEX = 4096         # ... and integer index arrays up to this many


@dataclass
class Generated:
    """Source text plus the values it refers to by name."""

    source: str
    params: list[str]                     # the function's parameters, in order
    constants: dict[str, Any] = field(default_factory=dict)   # name -> value bound at compile
    n_nodes: int = 0                       # distinct computation nodes (DAG size)
    n_temps: int = 0


def _temp_prefix(taken: set[str]) -> str:
    prefix = "v"
    while any(re.match(rf"^{prefix}\d+$", n) or n.startswith(prefix + "_out") for n in taken):
        prefix = "_" + prefix
    return prefix


def _constant_source(name: str, value: np.ndarray) -> str:
    arr = np.asarray(value)
    if arr.ndim == 1 and arr.dtype.kind in "iu" and arr.size \
            and np.array_equal(arr, np.arange(arr[0], arr[0] + arr.size)):
        return f"{name} = np.arange({int(arr[0])}, {int(arr[0]) + arr.size})"
    small = SMALL_INDEX if arr.dtype.kind in "iub" else SMALL_CONSTANT
    if arr.size <= small and arr.dtype.kind in "fiub":
        return f"{name} = np.array({arr.tolist()!r}, dtype=np.{arr.dtype.name})"
    return (f"{name} = None  # constant {tuple(arr.shape)} {arr.dtype.name}: "
            "bound when the kernel is compiled")


def symbols_below(roots: Sequence[sp.Basic], order: Sequence[sp.Basic]) -> list[sp.Symbol]:
    """The symbols that ``roots`` (whose DAG nodes are ``order``) read, in first-seen order."""
    seen: dict[sp.Symbol, None] = {}
    for node in list(order) + list(roots):
        cands = (node,) if isinstance(node, sp.Symbol) else node.args
        for a in cands:
            if isinstance(a, sp.Symbol):
                seen.setdefault(a, None)
    return list(seen)


def generate(outputs: Sequence[sp.Basic], args: Sequence[str | sp.Symbol], *, cse: bool = True,
             name: str = "kernel", likes: Sequence[str | None] | None = None,
             structure: Any = None, backend: Any = None) -> Generated:
    """NumPy source of a function ``name(*args)`` returning ``outputs``.

    ``likes[i]``, when given, names the argument whose shape and dtype output
    ``i`` must have (a gradient has its input's shape even where the formula
    is a constant). ``structure`` nests the returned names (e.g. ``(0, (1, 2))``).
    ``backend`` (a name or a :class:`~symgrad.kernels.backends.Backend`) picks
    the printer and the imports: NumPy's ``np.`` calls, or the Array API's ``xp.``.
    """
    spec = backends.get(backend)
    ns = spec.namespace
    sizes: list[int] = []
    # the textbook rewrite's kernel rules (``exp(log_softmax(z))`` -> ``softmax(z)``, ...)
    outputs = rewrite_many([sp.sympify(o, strict=True) for o in outputs], target="kernel")
    outputs = lower(outputs, sizes)
    plan = walk(outputs)
    taken: set[str] = set(reserved_names())  # the preamble's helpers keep their names
    if spec.array_api:
        taken.add("xp")  # the Array API namespace: no parameter takes its name
    params: list[str] = []
    symbol_names: dict[str, str] = {}
    symbol_params: dict[sp.Symbol, str] = {}
    for a in args:  # a name, or the symbol itself (then it binds by identity, not name)
        a_name = a.name if isinstance(a, sp.Symbol) else a
        p = param_name(a_name, taken)
        params.append(p)
        if isinstance(a, sp.Symbol):
            symbol_params[a] = p
        symbol_names.setdefault(a_name, p)
    constants: dict[str, Any] = {}
    const_lines: list[str] = []
    below = symbols_below(outputs, plan.order)
    # a name binds to the argument; a constant shares it only when no free symbol has
    # it and no argument was given as a symbol (an auto-named constant `t0` next to a
    # variable `t0` is bound as a constant)
    free = {s.name for s in below if getattr(s, "value", None) is None}
    free |= {s.name for s in symbol_params}
    for s in below:
        if s in symbol_params:
            continue
        value = getattr(s, "value", None)
        if s.name in symbol_names and (value is None or s.name not in free):
            symbol_params[s] = symbol_names[s.name]
            continue
        if value is None:
            raise ValueError(errors.kernel_missing_symbol(
                s.name, [getattr(a, "name", a) for a in args]))
        p = param_name(s.name, taken)
        symbol_params[s] = p
        constants[p] = value
        const_lines.append(_constant_source(p, value))

    roots = set(outputs)
    names: dict[sp.Basic, str] = {}
    if spec.array_api:  # the Array API printer (dask, JAX, CuPy), its helpers and imports
        from .backends.xp_printer import ArrayAPIPrinter
        printer: KernelPrinter = ArrayAPIPrinter(spec, names, symbol_params, taken)
    else:
        printer = KernelPrinter(names, symbol_params, taken)
    stmt_roots = {o for o in roots if _constant_value(o) is None}
    temps = _choose_temps(plan, stmt_roots, cse, len(outputs) > 1)
    body = _emit(temps, outputs, printer, _temp_prefix(taken))
    n_temps = len(temps)
    results: list[str] = []
    like_syms = {sym.name: sym for sym in symbols_below(outputs, plan.order)}
    for i, out in enumerate(outputs):
        like = None if likes is None else likes[i]
        like = symbol_names.get(like, like) if like is not None else None
        text = printer._print(out)
        value = _constant_value(out)
        if like is not None and value is not None:
            text = f"{ns}.full_like({like}, {printer._print(value)})"
        elif like is not None and not _same_shape(out, like_syms.get(likes[i])):
            r = fresh_name(f"{_temp_prefix(taken)}_out{i}", taken)
            body.append(f"    {r} = {text}")
            body.append(f"    if np.shape({r}) != np.shape({like}):")
            body.append(f"        {r} = {ns}.broadcast_to({r}, np.shape({like}))")
            text = r
        results.append(text)
    ret = _nest(structure, results) if structure is not None else (
        results[0] if len(results) == 1 else ", ".join(results))
    for cname, value in printer.constants.items():
        constants[cname] = value
        if isinstance(value, np.ndarray):
            const_lines.append(_constant_source(cname, value))
        else:
            const_lines.append(f"{cname} = None  # {getattr(value, '__qualname__', 'value')}: "
                               "bound when the kernel is compiled (not pastable)")
    imports, helper_src = preamble(printer.helpers.values())
    lines = [*imports, *sorted(getattr(printer, "imports", ())), "import numpy as np",
             *(line for line in spec.imports if line != "import numpy as np"), ""]
    if helper_src:
        lines += [""] + helper_src.splitlines() + [""]
    if const_lines:
        lines += const_lines + [""]
    lines += ["", f"def {name}({', '.join(params)}):"] + body + [f"    return {ret}", ""]
    return Generated("\n".join(lines), params, constants, sizes[0], n_temps)


def _constant_value(out: sp.Basic) -> sp.Basic | None:
    """The number an output is made of (``2``, ``broadcast_to(2, s)``), if any."""
    if out.is_Number or out.is_NumberSymbol:
        return out
    if type(out).__name__ == "BroadcastTo" and (out.args[0].is_Number
                                                or out.args[0].is_NumberSymbol):
        return out.args[0]
    return None


def _same_shape(out: sp.Basic, sym: Any) -> bool:
    """True when ``out`` statically has the (fully known) shape of ``sym``."""
    want = getattr(sym, "shape", None)
    if want is None or None in want:
        return False
    try:
        return tuple(shape_of(out)) == tuple(want)
    except Exception:
        return False


def _choose_temps(plan: Any, roots: set, cse: bool, multi: bool) -> dict[sp.Basic, set]:
    """The nodes that get a line of their own, in order, each with the
    temporaries its line reads (found through the nodes inlined into it)."""
    temps: dict[sp.Basic, set] = {}
    depth: dict[sp.Basic, int] = {}
    refs: dict[sp.Basic, frozenset] = {}
    links = square_links(plan) if cse else {}
    for node in plan.order:
        d, r = 1, set()
        kids = operands(node)
        if node in links:
            kids = kids + (links[node],)
        for c in kids:
            if c in temps:
                r.add(c)
            else:
                d = max(d, 1 + depth[c])
                r |= refs[c]
        shared = cse and plan.uses.get(node, 0) > 1
        if shared or d > MAX_INLINE_DEPTH or (multi and node in roots) \
                or getattr(node, "kernel_statement", False):
            temps[node] = r
            depth[node], refs[node] = 0, frozenset()
        else:
            depth[node], refs[node] = d, frozenset(r)
    refs_out = set()
    for out in roots:
        refs_out |= {out} if out in temps else set(refs.get(out, ()))
    temps[None] = refs_out  # type: ignore[index]  # the return line
    return temps


def _emit(temps: dict, outputs: Sequence[sp.Basic], printer: KernelPrinter,
          prefix: str) -> list[str]:
    """One line per temporary; a name is reused once its value is dead, so a
    deep chain keeps only the live arrays (not one per level)."""
    order = [n for n in temps if n is not None]
    last: dict[sp.Basic, int] = {}
    for i, n in enumerate(order):
        for c in temps[n]:
            last[c] = i
    for c in temps[None]:
        last[c] = len(order)
    free: list[int] = []
    count = 0
    body = []
    for i, n in enumerate(order):
        dead = [c for c in temps[n] if last.get(c) == i]
        steps = next((s for s in (_inplace(n, c, printer) for c in dead) if s), None)
        if steps is not None:  # update a dead temporary's array in place
            target, ops = steps
            for c in dead:
                if c is not target:
                    heapq.heappush(free, int(printer.names[c][len(prefix):]))
            name = printer.names[target]
            body.extend(f"    {name} {op}= {rhs}" for op, rhs in ops)
            printer.names[n] = name
            continue
        text = printer._print(n)
        for c in dead:
            heapq.heappush(free, int(printer.names[c][len(prefix):]))
        if free:
            k = heapq.heappop(free)
        else:
            k, count = count, count + 1
        printer.names[n] = f"{prefix}{k}"
        body.append(f"    {prefix}{k} = {text}")
    return body


INPLACE_MIN = 1 << 14      # arrays at least this large are updated in place when dead


def _polynomial(e: sp.Basic, names: dict, stop: Any, limit: int = 64) -> set | None:
    """The symbols of ``e`` if it is made (through unnamed nodes, stopping at
    ``stop``) of symbols, integers, ``+``, ``*`` and positive integer powers
    only -- operations whose result has the dtype of their array inputs --
    else ``None``."""
    syms: set = set()
    stack, seen = [e], 0
    while stack:
        x = stack.pop()
        seen += 1
        if seen > limit:
            return None
        if x is stop:
            continue
        if isinstance(x, sp.Symbol):
            syms.add(x)
        elif x.is_Number:
            if not x.is_Integer:
                return None
        elif x in names and x is not e:
            return None
        elif isinstance(x, (sp.Add, sp.Mul)):
            stack.extend(x.args)
        elif isinstance(x, sp.Pow) and x.exp.is_Integer and int(x.exp) > 0:
            if int(x.exp) in (3, 4) and sp.Pow(x.base, 2, evaluate=False) in names:
                return None  # would print through a named square (a hidden read)
            stack.append(x.base)
        else:
            return None
    return syms


def _inplace(n: sp.Basic, c: sp.Basic, printer: KernelPrinter) -> tuple | None:
    """``n`` computed as augmented assignments into the array of the temporary
    ``c`` (dead after this line): ``(c, [(op, rhs), ...])``, or ``None``.

    Legal when ``n`` is a chain of ``+``/``*`` whose path down to ``c`` reads
    ``c`` once, ``n`` has ``c``'s (known, large) shape, and both are
    polynomials with integer coefficients in the same inputs, so the result
    has ``c``'s dtype (``a*(2 + 4*v0)`` -> ``v0 *= 4; v0 += 2; v0 *= a``:
    no new array, so no page faults on fresh memory).
    """
    if not isinstance(n, (sp.Add, sp.Mul)):
        return None
    try:
        shape = tuple(shape_of(n))
        if not known_shape(shape) or int(np.prod(shape)) < INPLACE_MIN \
                or tuple(shape_of(c)) != shape:
            return None
    except Exception:
        return None
    names = printer.names
    own = _polynomial(c, names, None)  # `c` itself is named: _polynomial skips its root
    rest = _polynomial(n, names, c)
    if own is None or rest is None or not rest <= own:
        return None
    path = [n]  # n ... down to the node that has c as an argument
    while c not in path[-1].args:
        kids = [a for a in path[-1].args if isinstance(a, (sp.Add, sp.Mul))
                and a not in names and _reads(a, c, names)]
        if len(kids) != 1:
            return None
        path.append(kids[0])
    for p in path:  # c read once: exactly one argument of each path node leads to it
        if sum(_reads(a, c, names) for a in p.args) != 1:
            return None
    ops: list[tuple[str, str]] = []
    below: sp.Basic = c
    for p in reversed(path):
        for a in p.args:
            if a is below:
                continue
            if isinstance(p, sp.Mul):
                ops.append(("*", printer._factor(a) if not a.is_Number else printer._print(a)))
            else:
                neg, body = printer._signed(a)
                ops.append(("-" if neg else "+", body))
        below = p
    return c, ops


def _reads(e: sp.Basic, c: sp.Basic, names: dict) -> int:
    """How many times the code of ``e`` (inlined children included) reads ``c``."""
    count, stack = 0, [e]
    while stack:
        x = stack.pop()
        if x is c:
            count += 1
        elif x not in names or x is e:
            if isinstance(x, sp.Pow) and x.base is c and x.exp.is_Integer:
                count += 2  # c*c...: more than one read
            stack.extend(a for a in x.args if isinstance(a, sp.Basic))
    return count


def _nest(structure: Any, results: list[str]) -> str:
    """``(0, (1, 2))`` -> ``'r0, (r1, r2)'`` (a top-level tuple without parentheses)."""
    def fmt(s: Any) -> str:
        if isinstance(s, int):
            return results[s]
        inner = ", ".join(fmt(x) for x in s)
        return f"({inner},)" if len(s) == 1 else f"({inner})"
    if isinstance(structure, int):
        return results[structure]
    if len(structure) == 1:
        return fmt(structure)
    return ", ".join(fmt(x) for x in structure)
