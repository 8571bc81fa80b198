"""The rules of the textbook rewrite (:mod:`.rewrite`), one :class:`Rule` each.

Each rule is a pattern, a replacement and an example; every one keeps the
value (tested on random inputs) and never grows the DAG. ``kernel=False``
marks display forms that a kernel should not compute (``diag(v)`` of a
vector is a matrix in memory).

>>> [r.name for r in RULES][:4]
['double_transpose', 'identity_permute', 'transpose_of_products', 'log_of_exp']
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Add, Mul

from .algebra import add, mul, node
from .elementwise import Sigmoid
from .nodes_linalg import Diag, MatProd, matprod
from .nodes_linear import BroadcastTo, Permute, SumOver, SumTo, Unsqueeze
from .nodes_matfun import Outer
from .nodes_reduce import LogSoftmax, Softmax
from .rewrite_algebra import simplify_region
from .rewrite_engine import Context, Pat, Rule, local_size

ANY = Pat()


def _x(name: str, **kw: Any) -> Pat:
    return Pat(name=name, **kw)


def _is_T(e: Any) -> bool:
    return isinstance(e, Permute) and tuple(e.param(0)) == (1, 0)


def _T(e: Any) -> Any:
    """``e.T`` (2-D), with ``(A.T).T`` -> ``A``."""
    return e.args[0] if _is_T(e) else Permute.new(e, (1, 0))


def _coeff(e: Any) -> tuple[Any, Any]:
    """``(c, rest)`` with ``e == c*rest`` and ``c`` a number."""
    if e.is_Mul and e.args[0].is_Number:
        return e.args[0], (e.args[1] if len(e.args) == 2 else mul(*e.args[1:]))
    return sympy.Integer(1), e


# ------------------------------------------------------------ transposes
def _double_transpose(m: dict, ctx: Context) -> Any:
    p, q = m["p"].value, m["q"].value
    perm = tuple(p[i] for i in q)
    x = m["x"]
    return x if perm == tuple(range(len(perm))) else Permute.new(x, perm)


def _identity_permute(m: dict, ctx: Context) -> Any:
    p = tuple(m["p"].value)
    return m["x"] if p == tuple(range(len(p))) else None


def _transpose_of_products(m: dict, ctx: Context) -> Any:
    a, b = m["a"], m["b"]
    if not (_is_T(a) and _is_T(b)):
        return None
    return _T(matprod(b.args[0], a.args[0]))


# ------------------------------------------------ exp/log, softmax, sigmoid
def _log_of_exp(m: dict, ctx: Context) -> Any:
    return m["x"]


def _exp_of_log_softmax(m: dict, ctx: Context) -> Any:
    ls = m["ls"]
    return Softmax.new(ls.args[0], ls.param(0))


def _log_of_softmax(m: dict, ctx: Context) -> Any:
    sm = m["sm"]
    return LogSoftmax.new(sm.args[0], sm.param(0)) if type(sm) is Softmax else None


def _one_plus_exp(f: Any) -> Any:
    """``v`` when ``f`` is ``1/(1 + exp(v))``, else None."""
    if not (f.is_Pow and f.args[1] == -1 and f.args[0].is_Add and len(f.args[0].args) == 2):
        return None
    one, e = f.args[0].args
    if not (one == 1 and isinstance(e, sympy.exp)):
        return None
    return e.args[0]


def _sigmoid_form(m: dict, ctx: Context) -> Any:
    """``exp(u)/(1 + exp(u))`` (the softplus derivative) and ``1/(1 + exp(-u))`` -> ``sigmoid(u)``."""
    e = m["self"]
    fs = list(e.args) if e.is_Mul else [e]
    for i, f in enumerate(fs):
        v = _one_plus_exp(f)
        if v is None:
            continue
        rest = fs[:i] + fs[i + 1:]
        for j, g in enumerate(rest):  # exp(v) * 1/(1 + exp(v))
            if isinstance(g, sympy.exp) and g.args[0] is v:
                return mul(*rest[:j], *rest[j + 1:], node(Sigmoid, v))
        if v.is_Mul and v.args[0] == -1:  # 1/(1 + exp(-u))
            return mul(*rest, node(Sigmoid, mul(*v.args[1:])))
    return None


# ------------------------------------------------------ diag and outer
def _eye_times(m: dict, ctx: Context) -> Any:
    """``diag(u, s) * v`` -> ``diag(u*v, s)`` when ``v`` has shape ``s``."""
    fs = list(m["self"].args)
    for i, d in enumerate(fs):
        if not isinstance(d, Diag):
            continue
        s = tuple(d.param(0))
        for j, v in enumerate(fs):
            if j != i and not v.is_Number and ctx.shape(v) == s and None not in s:
                rest = [f for k, f in enumerate(fs) if k not in (i, j)]
                return mul(*rest, Diag.new(mul(d.args[0], v), s))
    return None


def _sum_of_diag(m: dict, ctx: Context) -> Any:
    """``sum(diag(v), dim)`` over one side of the diagonal -> ``v``."""
    s_node, d = m["self"], m["d"]
    s = tuple(d.param(0))
    v = d.args[0]
    k = len(s)
    if v.is_Number and None not in s:
        v = BroadcastTo.new(v, s)  # sum(eye(n), dim=1) is ones(n)
    if ctx.shape(v) != s or not k:
        return None
    axes = s_node.axes
    if axes not in (tuple(range(k)), tuple(range(k, 2 * k))):
        return None
    return Unsqueeze.new(v, axes) if s_node.keepdim else v


def _sum_to_as_sum(m: dict, ctx: Context) -> Any:
    """``sum_to(x, shape)`` as the PyTorch sum it is: ``sum(x, dim=0)`` for broadcast
    leading axes, ``sum(x, dim=1, keepdim=True)`` for broadcast size-1 axes."""
    e = m["self"]
    x = e.args[0]
    xs, s = ctx.shape(x), tuple(e.param(0))
    if None in xs or None in s:
        return None
    lead = len(xs) - len(s)
    ones = tuple(lead + i for i, n in enumerate(s) if n == 1 and xs[lead + i] != 1)
    if lead and not ones:
        return SumOver.new(x, tuple(range(lead)), False)
    if ones and not lead:
        return SumOver.new(x, ones, True)
    return None


def _outer_rule(m: dict, ctx: Context) -> Any:
    """``unsqueeze(a, 1) * b`` (``a``, ``b`` vectors) -> ``outer(a, b)``."""
    fs = list(m["self"].args)
    for i, u in enumerate(fs):
        if not (isinstance(u, Unsqueeze) and tuple(u.param(0)) in ((1,), (0,))
                and len(ctx.shape(u.args[0])) == 1):
            continue
        col = tuple(u.param(0)) == (1,)
        for j, b in enumerate(fs):
            if j == i or b.is_Number:
                continue
            if isinstance(b, Unsqueeze) and tuple(b.param(0)) == ((0,) if col else (1,)) \
                    and len(ctx.shape(b.args[0])) == 1:
                other = b.args[0]
            elif col and len(ctx.shape(b)) == 1:
                other = b
            else:
                continue
            rest = [f for k, f in enumerate(fs) if k not in (i, j)]
            o = Outer.new(u.args[0], other) if col else Outer.new(other, u.args[0])
            return mul(*rest, o)
    return None


def _matprod_diag(m: dict, ctx: Context) -> Any:
    """``(A*v) @ B`` (``A`` a matrix, ``v`` a vector along its rows) -> ``A @ diag(v) @ B``."""
    prod, b = m["p"], m["b"]
    fs = list(prod.args)
    for i, a in enumerate(fs):
        sa = ctx.shape(a)
        if len(sa) != 2 or not _is_T(a) and not isinstance(a, sympy.Symbol):
            continue
        v = mul(*(f for k, f in enumerate(fs) if k != i))
        sv = ctx.shape(v)
        if sv == (sa[1],) and sa[1] is not None and not v.is_Number:
            c, v = _coeff(v)
            return mul(c, matprod(matprod(a, Diag.new(v, sv)), b))
    return None


# -------------------------------------------------- scalars and collection
def _scalar_out(m: dict, ctx: Context) -> Any:
    """A scalar factor of a matmul operand (or a transpose's) in front."""
    e = m["self"]
    args = list(e.args)
    ts = len(e.tensor_args())
    for i in range(ts):
        x = args[i]
        if not x.is_Mul:
            continue
        sc = [f for f in x.args if f.is_Number or ctx.shape(f) == ()]
        if not sc or len(sc) == len(x.args):
            continue
        ids = {id(f) for f in sc}
        args[i] = mul(*(f for f in x.args if id(f) not in ids))
        inner = matprod(*args) if isinstance(e, MatProd) else Permute.new(args[0], e.param(0))
        return mul(*sc, inner)
    return None


def _collect_matmul(m: dict, ctx: Context) -> Any:
    """``c1*(P @ v) + c2*(Q @ v)`` -> ``(c1*P + c2*Q) @ v`` (and ``v @ N`` as ``N.T @ v``
    for a vector ``v``); likewise a common left factor."""
    e = m["self"]
    groups: dict[tuple, list] = {}
    for t in e.args:
        if isinstance(t, MatProd):
            c, r = sympy.Integer(1), t
        elif t.is_Mul and len(t.args) == 2 and t.args[0].is_Number \
                and isinstance(t.args[1], MatProd):
            c, r = t.args
        else:
            continue
        a, b = r.args
        sa, sb = ctx.shape(a), ctx.shape(b)
        if len(sa) == 1 and len(sb) == 1:  # u @ v == v @ u
            groups.setdefault(("D", *sorted((id(a), id(b)))), []).append((t, c, a, b))
            continue
        if len(sa) == 1 and len(sb) == 2:  # v @ N == N.T @ v
            groups.setdefault(("R", id(a)), []).append((t, c, _T(b), a))
            continue
        groups.setdefault(("R", id(b)), []).append((t, c, a, b))
        if len(sa) == 2 and len(sb) == 2:
            groups.setdefault(("L", id(a)), []).append((t, c, b, a))
    for (side, *_), items in groups.items():
        if len(items) < 2:
            continue
        used = {id(t) for t, *_ in items}
        rest = [t for t in e.args if id(t) not in used]
        if side == "D":  # one dot product, its coefficients summed
            _, _, a, b = items[0]
            new = add(*rest, mul(add(*(c for _, c, _, _ in items)), matprod(a, b)))
            if local_size(new) <= local_size(e):
                return new
            continue
        inner = add(*(mul(c, p) for _, c, p, _ in items))
        common = items[0][3]
        new = add(*rest, matprod(inner, common) if side == "R" else matprod(common, inner))
        if local_size(new) <= local_size(e):
            return new
    return None


def _layout(t: Any) -> bool:
    """A term a factor may merge into: a diagonal, an unsqueeze, a reduction of one
    (``eye(3)``, ``-unsqueeze(p, 1)``, ``sum(eye(3)*p, dim=1)``), maybe with a number."""
    fs = t.args if t.is_Mul else (t,)
    if len(fs) == 2 and fs[0].is_Number and isinstance(fs[1], SumOver):
        fs = (fs[1].args[0],)
    if len(fs) == 1 and isinstance(fs[0], SumOver):
        fs = (fs[0].args[0],)
    if len(fs) == 1 and fs[0].is_Mul:
        fs = fs[0].args
    return any(isinstance(f, (Diag, Unsqueeze)) for f in fs)


def _factor_ids(e: Any) -> set[int]:
    fs = e.args if e.is_Mul else (e,)
    return {id(f.args[0] if f.is_Pow else f) for f in fs}


def _distribute(m: dict, ctx: Context) -> Any:
    """``f*(a + b)`` -> ``f*a + f*b`` when the rules then absorb ``f`` into every
    term (``p*eye(3)`` -> ``diag(p)``) and the result is smaller."""
    e = m["self"]
    if ctx.target != "print" or ctx.depth >= 2:
        return None
    sums = [f for f in e.args if f.is_Add and 1 < len(f.args) <= 4]
    if len(sums) != 1 or len(e.args) > 4 or not any(map(_layout, sums[0].args)):
        return None
    s = sums[0]
    others = [f for f in e.args if f is not s]
    want = {id(f.args[0] if f.is_Pow else f) for f in others if not f.is_Number}
    if not want:  # ``c*(a + b)``: a number is no reason to split a sum
        return None
    ctx.depth += 1
    try:
        terms = [ctx.rewrite(mul(*others, t)) for t in s.args]
    finally:
        ctx.depth -= 1
    if any(want <= _factor_ids(t) for t in terms):
        return None
    cand = add(*terms)
    return cand if local_size(cand, 6) < local_size(e, 6) else None


def _algebra(m: dict, ctx: Context) -> Any:
    return simplify_region(m["self"], ctx)


RULES: list[Rule] = [
    Rule("double_transpose", Pat(Permute, (Pat(Permute, (_x("x"), _x("p"))), _x("q"))),
         _double_transpose, example="(X.T).T -> X", needs=frozenset({Permute})),
    Rule("identity_permute", Pat(Permute, (_x("x"), _x("p"))), _identity_permute,
         example="permute(X, (0, 1)) -> X"),
    Rule("transpose_of_products", Pat(MatProd, (_x("a"), _x("b"))), _transpose_of_products,
         example="A.T @ B.T -> (B @ A).T", needs=frozenset({Permute})),
    Rule("log_of_exp", Pat(sympy.log, (Pat(sympy.exp, (_x("x"),)),)), _log_of_exp,
         example="log(exp(x)) -> x", needs=frozenset({sympy.exp})),
    Rule("exp_of_log_softmax", Pat(sympy.exp, (Pat(LogSoftmax, name="ls"),)),
         _exp_of_log_softmax, example="exp(log_softmax(z, dim=0)) -> softmax(z, dim=0)",
         needs=frozenset({LogSoftmax})),
    Rule("log_of_softmax", Pat(sympy.log, (Pat(Softmax, name="sm"),)), _log_of_softmax,
         example="log(softmax(z, dim=0)) -> log_softmax(z, dim=0)", needs=frozenset({Softmax})),
    Rule("sigmoid_form", Pat((Mul, sympy.Pow)), _sigmoid_form,
         example="exp(x)/(1 + exp(x)) -> sigmoid(x)", needs=frozenset({sympy.Pow, Add})),
    Rule("eye_times", Pat(Mul), _eye_times, example="eye(3)*p -> diag(p)",
         needs=frozenset({Diag})),
    Rule("sum_of_diag", Pat(SumOver, (Pat(Diag, name="d"), ANY, ANY)), _sum_of_diag,
         example="sum(diag(p), dim=1, keepdim=True) -> unsqueeze(p, dim=1)",
         needs=frozenset({Diag})),
    Rule("sum_to_as_sum", Pat(SumTo), _sum_to_as_sum,
         example="sum_to(x, (3,)) -> sum(x, dim=0) (x of shape (2, 3))"),
    Rule("outer", Pat(Mul), _outer_rule,
         example="x*unsqueeze(ones(2), dim=1) -> outer(ones(2), x)", needs=frozenset({Unsqueeze})),
    Rule("scalar_out_of_matmul", Pat((MatProd, Permute)), _scalar_out,
         example="(3*A) @ B -> 3*(A @ B)", needs=frozenset({Mul})),
    Rule("collect_matmul", Pat(Add), _collect_matmul, example="A @ x + x @ A -> (A + A.T) @ x",
         needs=frozenset({MatProd, Mul})),
    Rule("cancel", Pat((Add, Mul)), _algebra, kernel=False,
         example="s*(1 - s)*(-t/s + (1 - t)/(1 - s)) -> s - t"),
    Rule("distribute", Pat(Mul), _distribute, kernel=False,
         example="p*(eye(3) - unsqueeze(p, dim=1)) -> diag(p) - outer(p, p)",
         needs=frozenset({Add})),
    Rule("matmul_diag", Pat(MatProd, (Pat(Mul, name="p"), _x("b"))), _matprod_diag,
         kernel=False, example="(X.T*v) @ X -> X.T @ diag(v) @ X", needs=frozenset({Mul})),
]

__all__ = ["RULES"]
