"""A SymPy printer that writes NumPy code for formulas, a node at a time.

:class:`KernelPrinter` extends SymPy's ``NumPyPrinter``. A node that has
been given a temporary prints as its name (``names``), so the code
generator prints each temporary's defining node with its shared children
already named. Arithmetic is printed without SymPy's term ordering (which
walks whole trees), small integer powers as products (``a**3`` is
``a*a*a``: ``np.power`` is many times slower), and every call is a NumPy
function or operator that dispatches through ``__array_ufunc__`` /
``__array_function__``. Structural nodes of ``symgrad.symbolic.nodes``
get their ``_print_<Node>`` methods from :mod:`symgrad.kernels.structural`;
elementwise functions print from the table :data:`symgrad.kernels.known.FUNCTIONS`
(one generated ``_print_<name>`` per row, as SymPy's own NumPy printer does).

>>> import sympy as sp
>>> a, b = sp.symbols("a b")
>>> p = KernelPrinter()
>>> p.doprint(4 * a**3 + 2 * a)
'2*a + 4*a*a*a'
>>> p.doprint(sp.exp(-a * a / 4) / (b - 1))
'np.exp(-a*a/4)/(-1 + b)'
>>> p.names[sp.exp(a)] = "t0"
>>> p.doprint(sp.Mul(sp.sin(sp.exp(a)), sp.Pow(sp.exp(a), 2, evaluate=False), evaluate=False))
'np.sin(t0)*t0*t0'
"""

from __future__ import annotations

from typing import Any, Callable

import sympy as sp
from sympy.core.relational import Relational
from sympy.logic.boolalg import Boolean
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import PRECEDENCE, precedence

from .known import FUNCTIONS, row_of
from .names import param_name
from .structural import StructuralPrinting

_MUL = PRECEDENCE["Mul"]
_ADD = PRECEDENCE["Add"]
_POW = PRECEDENCE["Pow"]


#: SymPy singletons -> their Python source
_NAMED_CONSTANTS = ((sp.pi, "np.pi"), (sp.E, "np.e"), (sp.oo, "np.inf"),
                    (sp.S.NegativeInfinity, "-np.inf"), (sp.nan, "np.nan"), (sp.true, "True"),
                    (sp.false, "False"))


def _literal(x: sp.Basic) -> str | None:
    """Python source for a SymPy number (weak Python scalars keep float32)."""
    if x.is_Integer:
        return str(int(x))
    if x.is_Rational or x.is_Float:
        return repr(float(x))
    return next((src for c, src in _NAMED_CONSTANTS if x is c), None)


class KernelPrinter(StructuralPrinting, NumPyPrinter):
    """NumPy code for one node at a time; named nodes print as their names.

    ``helpers`` collects the helper functions the code calls (by name; their
    source goes into the kernel's preamble) and ``constants`` the arrays the
    code refers to by name (index arrays, and the bound ``numpy`` method of a
    node class without a printer).
    """

    printmethod = "_symgrad_numpy"

    def __init__(self, names: dict[sp.Basic, str] | None = None,
                 symbol_names: dict[sp.Symbol, str] | None = None,
                 taken: set[str] | None = None) -> None:
        super().__init__({"fully_qualified_modules": False, "order": "none",
                          "allow_unknown_functions": False})
        self.names: dict[sp.Basic, str] = {} if names is None else names
        # each symbol's name in the source, from codegen.param_name (the one sanitiser)
        self.symbol_names: dict[sp.Symbol, str] = {} if symbol_names is None else symbol_names
        self._bound = symbol_names is not None
        self.helpers: dict[str, Callable[..., Any]] = {}
        self.constants: dict[str, Any] = {}
        self.taken: set[str] = set() if taken is None else taken  # names already in the source

    def _constant(self, value: Any, hint: str) -> str:
        for k, v in self.constants.items():
            if v is value:
                return k
        name = f"_{hint}{len(self.constants)}"
        i = len(self.constants)
        while name in self.taken:  # a parameter may be called `_idx0`
            i += 1
            name = f"_{hint}{i}"
        self.taken.add(name)
        self.constants[name] = value
        return name

    # ----------------------------------------------------------- dispatch
    def doprint(self, expr: Any, assign_to: Any = None) -> str:
        """The code of ``expr`` (CodePrinter's ``doprint`` would first rewrite
        the whole tree, which is exponential on a deep DAG)."""
        return self._print(expr)

    def _print(self, expr: Any, **kwargs: Any) -> str:
        if isinstance(expr, sp.Basic):
            name = self.names.get(expr)
            if name is not None:
                return name
        return super()._print(expr, **kwargs)

    def parenthesize(self, item: Any, level: int, strict: bool = False) -> str:
        if isinstance(item, sp.Basic) and item in self.names:
            return self.names[item]
        prec = precedence(item)
        s = self._print(item)
        if isinstance(item, sp.Pow) and prec > _MUL and ("*" in s.replace("**", "")
                                                         or s.startswith("1/")):
            prec = _MUL  # a small power printed as a product binds like `*`
        if (strict and prec <= level) or prec < level or (not strict and prec == level
                                                          and isinstance(item, sp.Add)):
            return f"({s})"
        return s

    def _module_format(self, fqn: str, register: bool = True) -> str:
        if fqn.startswith("numpy."):
            return "np." + fqn[len("numpy."):]
        return super()._module_format(fqn, register)

    # ------------------------------------------------------------- leaves
    def _print_Symbol(self, expr: sp.Symbol) -> str:
        name = self.symbol_names.get(expr)
        if name is None:  # never print a name that did not go through the sanitiser
            if self._bound:
                raise ValueError(f"kernel printer: symbol {expr.name!r} has no parameter name")
            name = param_name(expr.name, set())
        return name

    def _print_Number(self, expr: sp.Number) -> str:
        s = _literal(expr)
        return s if s is not None else super()._print_Number(expr)

    _print_Integer = _print_Rational = _print_Float = _print_Number
    _print_Half = _print_One = _print_NegativeOne = _print_Zero = _print_Number

    def _print_Pi(self, expr: sp.Basic) -> str:
        return "np.pi"

    def _print_Exp1(self, expr: sp.Basic) -> str:
        return "np.e"

    def _print_Infinity(self, expr: sp.Basic) -> str:
        return "np.inf"

    def _print_NegativeInfinity(self, expr: sp.Basic) -> str:
        return "(-np.inf)"

    def _print_NaN(self, expr: sp.Basic) -> str:
        return "np.nan"

    # --------------------------------------------------------- arithmetic
    def _print_Add(self, expr: sp.Add, order: Any = None) -> str:
        out: list[str] = []
        for term in expr.args:
            neg, body = self._signed(term)
            if not out:
                out.append(("-" if neg else "") + body)
            else:
                out.append((" - " if neg else " + ") + body)
        return "".join(out)

    def _signed(self, term: sp.Basic) -> tuple[bool, str]:
        """(is negative, printed magnitude) of one term of a sum."""
        if term in self.names:
            return False, self.names[term]
        if isinstance(term, sp.Mul):
            c = term.args[0]
            if c.is_Number and c.is_negative:
                return True, self._mul_body(term, negate=True)
        if term.is_Number and term.is_negative:
            return True, self._print(-term)
        return False, self.parenthesize(term, _ADD)

    def _print_Mul(self, expr: sp.Mul) -> str:
        c = expr.args[0]
        if c.is_Number and c.is_negative:
            body = self._mul_body(expr, negate=True)
            # NumPy refuses `-mask` on a boolean array: negate the product instead
            if any(_is_boolean(f) for f in expr.args[1:2]) and ("*" in body or "/" in body):
                return f"-({body})"
            return "-" + body
        return self._mul_body(expr, negate=False)

    def _mul_body(self, expr: sp.Mul, negate: bool) -> str:
        """The product without its sign; ``negate`` drops a negative coefficient."""
        num: list[str] = []
        den: list[str] = []
        for i, f in enumerate(expr.args):
            if f.is_Number:
                c = -f if negate and i == 0 else f  # (only the leading coefficient's sign)
                if c == 1:
                    continue
                if c.is_Rational and not c.is_Integer and c.p in (1, -1):
                    if c.p == -1:
                        num.insert(0, "-1")
                    den.append(str(c.q))
                    continue
                num.insert(0, self._print(c))
                continue
            if isinstance(f, sp.Pow) and f not in self.names and f.exp.is_Number \
                    and f.exp.is_negative:
                den.append(self._power(f.base, -f.exp, _MUL))
                continue
            num.append(self._factor(f))
        top = "*".join(num) if num else "1"
        if not den:
            return top
        bottom = den[0] if len(den) == 1 else "(" + "*".join(den) + ")"
        if len(den) == 1 and ("*" in bottom or "/" in bottom):
            bottom = f"({bottom})"
        return f"{top}/{bottom}"

    def _factor(self, f: sp.Basic) -> str:
        if f in self.names:
            return self.names[f]
        if isinstance(f, sp.Pow):
            return self._print_Pow(f, level=_MUL)
        return self.parenthesize(f, _MUL)

    def _print_Pow(self, expr: sp.Pow, rational: bool = False, level: int = 0) -> str:
        e = expr.exp
        if e.is_Number and e.is_negative:
            body = self._power(expr.base, -e, _MUL)
            if "*" in body or "/" in body:
                body = f"({body})"
            return f"1/{body}"
        s = self._power(expr.base, e, level)
        return f"({s})" if level >= _MUL and "*" in s and level > _MUL else s

    def _power(self, base: sp.Basic, e: sp.Basic, level: int) -> str:
        """``base**e`` for e > 0, with products for small integers."""
        if e == 1:
            return self.parenthesize(base, _MUL)
        if e.is_Integer and int(e) in (3, 4):
            sq = self.names.get(sp.Pow(base, 2, evaluate=False))
            if sq is not None:  # reuse a computed square
                return f"{sq}*{sq}" if int(e) == 4 else f"{sq}*{self.parenthesize(base, _MUL + 1)}"
        if e.is_Integer and int(e) <= 4:
            b = self.parenthesize(base, _MUL + 1)
            return "*".join([b] * int(e))
        if e == sp.S.Half:
            return f"np.sqrt({self._print(base)})"
        if e.is_Rational and e.q == 2 and e.p == 3:
            b = self.parenthesize(base, _MUL + 1)
            return f"{b}*np.sqrt({self._print(base)})"
        b = self.parenthesize(base, _POW, strict=True)
        return f"{b}**{self.parenthesize(e, _POW)}"

    # ---------------------------------------------------------- functions
    def _print_Function(self, expr: sp.Function) -> str:
        row = row_of(type(expr))
        if row is not None:
            return self._print_known(expr, row)
        if hasattr(expr, "numpy") and hasattr(expr, "tensor_args"):
            # a node class without a printer: call its NumPy meaning (bound at compile)
            fn = self._constant(expr.numpy, "node_" + type(expr).__name__)
            return f"{fn}({', '.join(self._print(a) for a in expr.tensor_args())})"
        return super()._print_Function(expr)

    def _print_known(self, expr: sp.Function, row: Any = None) -> str:
        """A function of the :data:`~symgrad.kernels.known.FUNCTIONS` table:
        a NumPy call, a template (itself one call) or a helper call."""
        if row is None:
            row = row_of(type(expr))
        args = [self._print(a) for a in expr.args]
        if callable(row):
            return f"{self._helper(row)}({', '.join(args)})"
        if "{" in row:
            return row.format(*args)
        return f"{row}({', '.join(args)})"

    def _print_Max(self, expr: sp.Basic) -> str:
        s = self._print(expr.args[0])
        for a in expr.args[1:]:
            s = f"np.maximum({s}, {self._print(a)})"
        return s

    def _print_Min(self, expr: sp.Basic) -> str:
        s = self._print(expr.args[0])
        for a in expr.args[1:]:
            s = f"np.minimum({s}, {self._print(a)})"
        return s

    def _print_Relational(self, expr: sp.Basic) -> str:
        op = {"==": "np.equal", "!=": "np.not_equal", "<": "np.less", "<=": "np.less_equal",
              ">": "np.greater", ">=": "np.greater_equal"}[expr.rel_op]
        return f"{op}({self._print(expr.lhs)}, {self._print(expr.rhs)})"

    def _print_And(self, expr: sp.Basic) -> str:
        return self._fold("np.logical_and", expr.args)

    def _print_Or(self, expr: sp.Basic) -> str:
        return self._fold("np.logical_or", expr.args)

    def _print_Not(self, expr: sp.Basic) -> str:
        return f"np.logical_not({self._print(expr.args[0])})"

    def _fold(self, fn: str, args: tuple) -> str:
        s = self._print(args[0])
        for a in args[1:]:
            s = f"{fn}({s}, {self._print(a)})"
        return s


def _is_boolean(f: sp.Basic) -> bool:
    """Whether ``f`` evaluates to a boolean array (a comparison or logic node)."""
    return isinstance(f, (Boolean, Relational)) or type(f).__name__ == "Compare"


# one printer per table row, overriding NumPyPrinter's own (``_print_exp``...)
for _name in FUNCTIONS:
    setattr(KernelPrinter, f"_print_{_name}", KernelPrinter._print_known)
