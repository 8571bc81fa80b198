"""The fused CPU backend: an elementwise kernel run on cache-sized blocks.

NumPy materialises one full-size array per temporary: on the depth-100 W2
gradient that is hundreds of 800 kB arrays per call, each fresh from the
allocator (page faults) and streamed through memory several times. When a
kernel is *elementwise up to full sums* (every input array has one shape,
every node maps elements, and reductions are sums or dot products over the
whole array that the outputs only add up), the same NumPy code can run on
blocks of :data:`BLOCK` elements: each temporary is then a 64 kB array that
stays in cache and is reused by the allocator, NumPy's SIMD functions still
do the arithmetic, and the sums of the blocks add up to the sum.

Why not numexpr or numba: measured on the development machine (one core,
n = 1e5), numexpr 2.14 without Intel VML computes ``tanh`` 20x and ``exp`` 5x
slower than NumPy's SIMD loops, and a hand-fused numba loop of the W2
gradient (scalar ``libm`` calls) took 1.8x JAX's time; blocking keeps
NumPy's vectorised transcendental functions and removes the memory traffic.

A kernel that is not of this form compiles as the plain NumPy kernel, and
a call on fewer than two blocks of data calls the NumPy code once.
``backend="auto"`` also keeps a small formula (under :data:`AUTO_MIN_NODES`
nodes) as the plain NumPy kernel: there the block loop costs more than it saves.

>>> import numpy as np
>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.symbolic.nodes import SumOver
>>> import sympy as sp
>>> x = TensorSymbol("x", (None,))
>>> kinds([SumOver.new(sp.sin(x) * x, (0,), False), sp.cos(x) * x + sp.sin(x)], ["x"])
('sum', 'map')
>>> kinds([SumOver.new(x, (0,), False) * x], ["x"]) is None  # a sum feeds elementwise work
True
>>> out = _blocked(lambda a: (np.sum(a), 2 * a), (np.arange(5.0),), ("sum", "map"), 2)
>>> float(out[0]), out[1].tolist()
(10.0, [0.0, 2.0, 4.0, 6.0, 8.0])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy as sp
from sympy.core.relational import Relational
from sympy.logic.boolalg import Boolean

from ...symbolic.elementwise import Elementwise
from ...symbolic.nodes import MatProd, SumOver
from ...symbolic.shapes import shape_of
from ..codegen import Generated, _nest, generate
from ..dag import operands, walk
from ..known import helper_source, row_of

#: elements per block: 8192 float64 = 64 kB, under glibc's mmap threshold (no page faults)
BLOCK = 8192
#: ``backend="auto"`` blocks a formula of at least this many distinct nodes: a short one
#: (W1's 8) already runs as a few in-place NumPy calls, which the block loop only slows
AUTO_MIN_NODES = 24


def _elementwise(n: sp.Basic) -> bool:
    if isinstance(n, (sp.Add, sp.Mul, sp.Pow, Elementwise, Relational, Boolean, sp.Max, sp.Min)):
        return True
    return isinstance(n, sp.Function) and row_of(type(n)) is not None


def _rank(n: sp.Basic) -> int | None:
    try:
        return len(tuple(shape_of(n)))
    except Exception:
        return None


def _full_sum(n: sp.Basic) -> bool:
    """A sum of a 1-D array to a scalar: ``sum(v)`` or ``dot(u, v)``."""
    if isinstance(n, SumOver):
        return tuple(n.param(0)) == (0,) and not n.param(1) and _rank(n.args[0]) == 1
    if isinstance(n, MatProd):
        return _rank(n.args[0]) == 1 and _rank(n.args[1]) == 1
    return False


def kinds(outputs: Sequence[sp.Basic], args: Sequence[str]) -> tuple[str, ...] | None:
    """Per output, ``"map"`` (elementwise over the 1-D inputs) or ``"sum"`` (a sum of
    full sums), when the whole kernel can run on blocks; else ``None``."""
    plan = walk(list(outputs))
    kind: dict[sp.Basic, str] = {}   # node -> "map" | "sum" | "const"
    for s in {a for n in plan.order for a in (n.args if not isinstance(n, sp.Symbol) else ())
              if isinstance(a, sp.Symbol)} | {o for o in outputs if isinstance(o, sp.Symbol)}:
        if getattr(s, "value", None) is not None and np.ndim(s.value) > 0:
            return None  # an array constant would not be cut into blocks
        rank = _rank(s)
        if rank not in (0, 1) or (rank == 1 and getattr(s, "value", None) is not None):
            return None
        kind[s] = "map" if rank == 1 else "const"
    for n in plan.order:
        kids = [kind.get(a, "const") for a in operands(n)] + \
               [kind.get(a, "const") for a in n.args if isinstance(a, sp.Symbol)]
        if _full_sum(n):
            if "sum" in kids:
                return None
            kind[n] = "sum"
        elif not _elementwise(n):
            return None
        elif "sum" in kids:  # only sums of sums (times numbers) stay additive over blocks
            if isinstance(n, sp.Add) and all(k == "sum" for k in kids) and \
                    not any(a.is_Number for a in n.args):
                kind[n] = "sum"
            elif isinstance(n, sp.Mul) and kids.count("sum") == 1 and \
                    all(a.is_Number or kind.get(a) == "sum" for a in n.args):
                kind[n] = "sum"
            else:
                return None
        else:
            kind[n] = "map" if "map" in kids else "const"
    out = []
    for o in outputs:
        k = kind.get(o, "const")
        if k == "const":
            return None
        if k == "map" and _rank(o) != 1:
            return None
        out.append(k)
    if "map" not in out and not any(kind.get(s) == "map" for s in kind
                                    if isinstance(s, sp.Symbol)):
        return None
    return tuple(out)


def _blocked(fn: object, args: tuple, kinds: tuple, block: int) -> tuple:
    """``fn(*args)`` computed on blocks of ``block`` elements of the 1-D arguments
    (0-d ones passed whole): ``"map"`` results joined, ``"sum"`` results added."""
    lengths = {np.shape(a)[0] for a in args if np.ndim(a) == 1}
    n = max(lengths, default=0)
    if n < 2 * block or len(lengths) > 1:  # small, or broadcasting (a length-1 vector)
        out = fn(*args)
        return out if len(kinds) > 1 else (out,)
    outs: list = [None] * len(kinds)
    for i in range(0, n, block):
        part = fn(*[a[i:i + block] if np.ndim(a) == 1 else a for a in args])
        for k, (kind, v) in enumerate(zip(kinds, part if len(kinds) > 1 else (part,))):
            if kind == "sum":
                outs[k] = v if outs[k] is None else outs[k] + v
            else:
                if outs[k] is None:
                    outs[k] = np.empty(n, dtype=np.result_type(v))
                outs[k][i:i + block] = v
    return tuple(outs)


def driver(name: str, block_name: str, params: Sequence[str], kinds_: tuple[str, ...],
           ret: str, block: int = BLOCK) -> str:
    """The source of the kernel's entry point: ``_blocked`` over the block function."""
    p = ", ".join(params)
    return (f"def {name}({p}):\n"
            f"    r = _blocked({block_name}, ({p}{',' if len(params) == 1 else ''}), "
            f"{kinds_!r}, {block})\n"
            f"    return {ret}\n")


def generate_blocked(outputs: Sequence[sp.Basic], args: Sequence[Any], *, name: str,
                     likes: Sequence[str | None] | None = None, structure: Any = None,
                     cse: bool = True, block: int = BLOCK,
                     min_nodes: int = 0) -> Generated | None:
    """The fused kernel's source: the NumPy kernel of ``outputs`` as ``_block``, the
    pasted ``_blocked`` helper and an entry point ``name``; ``None`` when the
    formula is not elementwise up to full sums, or has fewer than ``min_nodes``
    distinct nodes (then the NumPy kernel is the one)."""
    if min_nodes and len(walk(list(outputs)).order) < min_nodes:
        return None
    ks = kinds(outputs, [getattr(a, "name", a) for a in args])
    if ks is None:
        return None
    gen = generate(outputs, args, cse=cse, name="_block", likes=likes,
                   structure=tuple(range(len(outputs))) if len(outputs) > 1 else None)
    results = [f"r[{i}]" for i in range(len(outputs))]
    ret = _nest(structure, results) if structure is not None else (
        results[0] if len(results) == 1 else ", ".join(results))
    source = (gen.source + "\n" + helper_source(_blocked) + "\n\n"
              + driver(name, "_block", gen.params, ks, ret, block))
    return Generated(source, gen.params, gen.constants, gen.n_nodes, gen.n_temps)
