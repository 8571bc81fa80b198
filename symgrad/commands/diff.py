"""``symgrad diff``: from expression text and options to derivative formulas.

>>> out = differentiate("sum(a*a) + matmul(a*a, a*a)", ["a"])
>>> str(out.results[0].formula)
'4*a**3 + 2*a'
"""

from __future__ import annotations

import ast
import textwrap
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import errors
from ..parsing.deadline import Deadline
from ..parsing.errors import InputError, at, suggest
from ..parsing.interp import ApiError, Interpreter
from ..parsing.limits import Budget, Limits, numel
from ..parsing.names import (
    BUILTINS,
    FUNCTIONS,
    NN_FUNCTIONAL,
    Function,
    functional_namespace,
    torch_namespace,
)
from ..parsing.validate import parse
from ..symbolic import api as _formulas  # noqa: F401 - every diff builds formulas (SymPy)

Shape = tuple  # of int | None

_RESERVED = ("torch", "sg", "symgrad", "F")

DIFF_LIMITS = Limits(max_chars=10_000, timeout=30.0)

# names a program may call besides the tensor functions: Python's few builtins, and
# range() in for loops
_PROGRAM_BUILTINS = frozenset(BUILTINS) | {"range"}


@dataclass(frozen=True)
class Derivative:
    """One printed result: a formula, what it is, and its shape."""

    label: str          # "d/da", "jvp along da", "jacobian wrt a", "hessian wrt a"
    kind: str           # gradient | jvp | jacobian | hessian
    wrt: tuple[str, ...]
    formula: Any        # a SymPy expression
    shape: Shape


@dataclass
class DiffOutcome:
    """Everything ``symgrad diff`` shows."""

    expression: str
    mode: str
    variables: dict[str, Any]          # name -> symbolic or valued tensor
    tangents: dict[str, Any]           # "da" -> symbolic tensor (forward mode)
    y: Any
    results: list[Derivative]
    at: dict[str, np.ndarray] | None = None
    values: list[np.ndarray] = field(default_factory=list)   # one per result, at the point
    check: Any = None


def parse_shape(spec: str) -> tuple[str, Shape]:
    """``"W=4,3"`` -> ``("W", (4, 3))``; ``"s="`` or ``"s=()"`` is a scalar; ``?`` an
    unspecified length.

    >>> parse_shape("W=4,3"), parse_shape("s="), parse_shape("x=?,2")
    (('W', (4, 3)), ('s', ()), ('x', (None, 2)))
    """
    name, dims = _split(spec, errors.CLI_SHAPE_SPEC)
    dims = dims.strip().strip("()[]").strip()
    if not dims:
        return name, ()
    out: list[int | None] = []
    for d in dims.split(","):
        d = d.strip()
        if d in ("?", "None"):
            out.append(None)
        elif d.isascii() and d.isdigit() and len(d) <= 9:
            out.append(int(d))
        else:
            raise InputError(errors.CLI_SHAPE_SPEC.format(
                spec=spec, why=f"'{d}' is not a length; use a whole number or ?"))
    return name, tuple(out)


def parse_at(spec: str) -> tuple[str, list[float]]:
    """``"a=1,2,3"`` -> ``("a", [1.0, 2.0, 3.0])``.

    >>> parse_at("a=1,2.5")
    ('a', [1.0, 2.5])
    """
    name, text = _split(spec, errors.CLI_AT_SPEC)
    values = []
    for v in text.strip().strip("()[]").split(","):
        try:
            values.append(float(v))
        except ValueError:
            raise InputError(errors.CLI_AT_SPEC.format(
                spec=spec, why=f"'{v.strip()}' is not a number")) from None
    return name, values


def _split(spec: str, template: str) -> tuple[str, str]:
    name, eq, rest = spec.partition("=")
    name = unicodedata.normalize("NFKC", name.strip())  # as Python reads the expression's names
    if not eq or not name.isidentifier():
        why = "missing '='" if not eq else f"'{name}' is not a name"
        raise InputError(template.format(spec=spec, why=why))
    return name, rest


def variables_of(tree: ast.AST, known: Any, extra: frozenset[str] = frozenset()) -> list[str]:
    """Names the expression (or program) uses as values (not as functions), in order of
    appearance, leaving out names a program assigns or imports; unknown function names
    raise, with a suggestion (``extra``: further names allowed as functions)."""
    callees: set[str] = set()
    stored: set[str] = set(_RESERVED)
    values: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            callees.add(node.func.id)
            if node.func.id not in extra and node.func.id not in known:
                raise InputError(errors.PARSE_UNKNOWN_FUNCTION.format(
                    name=node.func.id, where="{where}", suggestion=suggest(node.func.id, known)),
                    at(node))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            stored.add(node.id)
        elif isinstance(node, ast.alias):
            stored.add((node.asname or node.name).split(".")[0])
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in callees and node.id not in stored:
            values.append((node.lineno, node.col_offset, node.id))
    seen: dict[str, None] = {}
    for _, _, n in sorted(values):
        seen.setdefault(n, None)
    return list(seen)


def _parse(expression: str, limits: Limits) -> tuple[ast.AST, list[ast.stmt], ast.expr]:
    """The checked tree of an expression, or of a program: statements (assignments,
    ``for i in range(N)`` loops, ...) ending with the expression to differentiate."""
    mode = "eval"
    if len(expression) <= limits.max_chars:
        try:
            ast.parse(expression, mode="eval")
        except SyntaxError:
            try:
                if ast.parse(expression, mode="exec").body:
                    mode = "exec"
            except Exception:  # noqa: BLE001 - parse() below reports the eval-mode error
                pass
        except Exception:  # noqa: BLE001 - likewise
            pass
    tree = parse(expression, mode, limits)
    if mode == "eval":
        return tree, [], tree.body  # type: ignore[attr-defined]
    body = tree.body  # type: ignore[attr-defined]
    if not isinstance(body[-1], ast.Expr):
        err = InputError(errors.CLI_PROGRAM_END, at(body[-1]))
        err.multiline = True
        raise err
    return tree, body[:-1], body[-1].value


class _Functions:
    """The function names an expression may call, looked up only when asked about
    (resolving all of them would import parts a given expression never uses)."""

    def __init__(self) -> None:
        self.torch, self.functional = torch_namespace(), functional_namespace()
        self.found: dict[str, Function | None] = {}

    def get(self, name: str) -> Function | None:
        if name not in self.found:
            value = None
            for ns in (self.torch, self.functional):
                v = ns.lookup(name)
                if isinstance(v, Function):
                    value = v
                    break
            self.found[name] = value
        return self.found[name]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __iter__(self) -> Iterator[str]:  # every name: only for suggestions
        return iter(sorted(n for n in FUNCTIONS | NN_FUNCTIONAL if n in self))


def _env(tree: ast.AST, functions: _Functions) -> dict[str, Any]:
    """Names for the interpreter: the namespaces, and the functions ``tree`` calls."""
    env: dict[str, Any] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            fn = functions.get(node.func.id)
            if fn is not None:
                env[node.func.id] = fn
    env.update(torch=functions.torch, sg=torch_namespace("sg"),
               symgrad=torch_namespace("symgrad"), F=functions.functional)
    return env


def _shape_text(name: str, shape: Shape) -> str:
    return f"{name}=" + ",".join("?" if d is None else str(d) for d in shape)


def _point(name: str, values: list[float], shape: Shape | None, spec: str) -> np.ndarray:
    n = len(values)
    if shape is None or shape == (None,):
        return np.array(values)
    unknown = [i for i, d in enumerate(shape) if d is None]
    known = numel(shape)
    if unknown and len(unknown) == 1 and n % max(known, 1) == 0:
        shape = tuple(n // max(known, 1) if d is None else d for d in shape)
    if unknown and len(unknown) > 1 or numel(shape) != n:
        need = "a whole multiple of " + str(known) if unknown else str(numel(shape))
        raise InputError(errors.CLI_AT_COUNT.format(
            spec=spec, n=n, name=name, dims=_shape_text(name, shape).split("=", 1)[1],
            need=need))
    try:
        return np.array(values).reshape(shape)
    except ValueError as e:  # e.g. more dimensions than NumPy supports
        raise InputError(errors.CLI_SHAPE_SPEC.format(spec=_shape_text(name, shape),
                                                      why=str(e))) from None


def _api() -> Any:
    import symgrad as sg
    return sg


def differentiate(expression: str, wrt: Sequence[str], shapes: Sequence[str] = (),
                  mode: str = "reverse", jacobian: bool = False, hessian: bool = False,
                  at_specs: Sequence[str] = (), check: bool = False,
                  limits: Limits = DIFF_LIMITS, *,
                  deadline: Deadline | None = None) -> DiffOutcome:
    """Parse, build, differentiate and (with ``at_specs``) evaluate and check, all
    inside ``deadline`` (by default a new one of ``limits.timeout`` seconds; the
    command passes its own, which also covers printing the outcome)."""
    deadline = deadline if deadline is not None else Deadline(limits.timeout)
    with deadline, _clean_errors():
        return _differentiate(expression, wrt, shapes, mode, jacobian, hessian, at_specs,
                              check, limits, deadline)


def _differentiate(expression: str, wrt: Sequence[str], shapes: Sequence[str], mode: str,
                   jacobian: bool, hessian: bool, at_specs: Sequence[str], check: bool,
                   limits: Limits, deadline: Deadline) -> DiffOutcome:
    if jacobian and hessian:
        raise InputError(errors.CLI_EXCLUSIVE)
    if mode == "forward" and (jacobian or hessian):
        raise InputError(errors.CLI_FORWARD_WITH.format(flag="jacobian" if jacobian else "hessian"))
    if check and not at_specs:
        raise InputError(errors.CLI_CHECK_NEEDS_AT)
    if not expression.strip():
        raise InputError(errors.CLI_EMPTY_EXPRESSION)
    tree, statements, expr = _parse(textwrap.dedent(expression).strip(), limits)
    program = isinstance(tree, ast.Module)
    functions = _Functions()
    try:
        names = variables_of(tree, functions,
                             _PROGRAM_BUILTINS if program else frozenset())
    except InputError as e:
        e.multiline = program
        raise
    if not names:
        raise InputError(errors.CLI_NO_VARIABLES)
    shape_of = _once([parse_shape(s) for s in shapes], "--shape")
    for n in list(shape_of):
        if n not in names:
            raise InputError(errors.CLI_SHAPE_UNKNOWN.format(name=n, suggestion=suggest(n, names)))
    wrt = list(dict.fromkeys(unicodedata.normalize("NFKC", w) for w in wrt)) or names[:1]
    for w in wrt:
        if w not in names:
            raise InputError(errors.CLI_WRT_UNKNOWN.format(name=w, suggestion=suggest(w, names)))
    points = _points(at_specs, names, shape_of, mode, wrt)
    sg = _api()
    variables = {}
    for n in names:
        if points is not None:
            variables[n] = sg.tensor(points[n].tolist(), requires_grad=True, name=n)
        else:
            variables[n] = sg.symbol(n, shape_of.get(n, default_shape(n)))
    interp = Interpreter(Budget(limits, deadline), env={**_env(tree, functions), **variables})
    try:
        interp.run(statements)
        y = interp.eval(expr)
    except (InputError, ApiError) as e:
        e.multiline = program  # positions as "line 3, column 5" in a program
        raise
    if not hasattr(y, "requires_grad") or not hasattr(y, "shape"):
        raise InputError(errors.PARSE_BAD_VALUE.format(
            what=f"the expression gives a {type(y).__name__}, not a tensor", where=""))
    out = DiffOutcome(expression, mode, variables, {}, y, [])
    _derive(sg, out, wrt, mode, jacobian, hessian)
    if points is not None:
        out.at = points
        _evaluate(sg, out, limits)
        if check:
            out.check = sg.check(y, [variables[w] for w in wrt])
    return out


def default_shape(name: str) -> tuple[None, ...]:
    """The shape of a name without ``--shape``, by the textbook convention: an
    upper-case name is a matrix of unknown size, any other a vector.

    >>> default_shape("X"), default_shape("x"), default_shape("W1"), default_shape("_A")
    ((None, None), (None,), (None, None), (None,))
    """
    return (None, None) if name[:1].isupper() else (None,)


def _once(pairs: list[tuple[str, Any]], option: str) -> dict[str, Any]:
    """``{name: value}`` from ``option``'s values; a name given twice is refused (the
    later one would silently win)."""
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name in out:
            raise InputError(errors.CLI_REPEATED.format(option=option, name=name))
        out[name] = value
    return out


def _points(at_specs: Sequence[str], names: list[str], shape_of: dict, mode: str,
            wrt: list[str]) -> dict[str, np.ndarray] | None:
    if not at_specs:
        return None
    points: dict[str, np.ndarray] = {}
    tangent_names = {"d" + w: w for w in wrt} if mode == "forward" else {}
    _once([parse_at(spec) for spec in at_specs], "--at")
    for spec in at_specs:
        name, values = parse_at(spec)
        if name not in names and name not in tangent_names:
            raise InputError(errors.CLI_WRT_UNKNOWN.format(
                name=name, suggestion=suggest(name, names)).replace("--wrt", "--at", 1))
        base = tangent_names.get(name, name)
        shape = shape_of.get(base)
        if base != name and base in points:
            shape = points[base].shape
        points[name] = _point(name, values, shape, spec)
    missing = [n for n in names if n not in points]
    if missing:
        raise InputError(errors.CLI_AT_MISSING.format(name=missing[0], names=", ".join(names)))
    return points


class _clean_errors:
    """Turn errors of the API (and running out of memory) into :class:`InputError`;
    the deadline's own ``with`` turns its alarm into the time-limit message."""

    def __enter__(self) -> None:
        pass

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> bool:
        if isinstance(exc, ApiError):
            inner = exc.exc
            err = InputError(f"{type(inner).__name__}: {inner}" + "{where}", exc.pos)
            err.multiline = getattr(exc, "multiline", False)
            raise err from None
        if isinstance(exc, MemoryError):
            raise InputError(errors.PARSE_OUT_OF_MEMORY.format(where="")) from None
        return False


def _derive(sg: Any, out: DiffOutcome, wrt: list[str], mode: str, jacobian: bool,
            hessian: bool) -> None:
    xs = [out.variables[w] for w in wrt]
    y = out.y
    yshape = tuple(y.shape)
    add = out.results.append
    if hessian:
        if yshape != ():
            raise InputError(errors.CLI_HESSIAN_SCALAR.format(shape=_show(yshape)))
        for w, x in zip(wrt, xs):
            add(Derivative(f"hessian wrt {w}", "hessian", (w,), sg.hessian(y, x),
                           tuple(x.shape) * 2))
    elif jacobian:
        for w, x in zip(wrt, xs):
            add(Derivative(f"jacobian wrt {w}", "jacobian", (w,), sg.jacobian(y, x),
                           yshape + tuple(x.shape)))
    elif mode == "forward":
        tangents = [sg.symbol("d" + w, tuple(x.shape), requires_grad=False)
                    for w, x in zip(wrt, xs)]
        out.tangents = {t.name: t for t in tangents}
        if len(xs) == 1:
            r = sg.diff(y, xs[0], mode="forward", tangent=tangents[0])
        else:
            r = sg.diff(y, xs, mode="forward", tangent=tuple(tangents))
        if isinstance(r, tuple):
            for w, t, f in zip(wrt, tangents, r):
                add(Derivative(f"jvp along {t.name}", "jvp", (w,), f, yshape))
        else:
            label = "jvp along " + ", ".join(t.name for t in tangents)
            add(Derivative(label, "jvp", tuple(wrt), r, yshape))
    else:
        r = sg.diff(y, xs[0] if len(xs) == 1 else xs, mode="reverse")
        fs = r if isinstance(r, tuple) else (r,)
        for w, x, f in zip(wrt, xs, fs):
            add(Derivative(f"d/d{w}", "gradient", (w,), f, yshape + tuple(x.shape)))


def _evaluate(sg: Any, out: DiffOutcome, limits: Limits) -> None:
    assert out.at is not None
    for r in out.results:  # refuse an evaluated Jacobian or Hessian too big to hold
        n = numel(r.shape)
        if n > limits.max_tensor_elements:
            raise InputError(errors.PARSE_TENSOR_TOO_BIG.format(
                n=n, where=f" ({r.label} at --at)", limit=limits.max_tensor_elements))
    args = list(out.variables.values()) + list(out.tangents.values())
    values = dict(out.at)
    for name, t in out.tangents.items():
        if name not in values:
            values[name] = np.ones(tuple(out.variables[name[1:]].shape))
            out.at[name] = values[name]
    floating = np.result_type(*[np.asarray(t._data).dtype for t in out.variables.values()])
    for r in out.results:
        kernel = sg.lambdify(r.formula, args)
        v = np.asarray(kernel(**{a.name: values[a.name] for a in args}))
        if v.dtype.kind in "iub":  # a derivative is floating, as PyTorch's is: tensor(6.)
            v = v.astype(floating if floating.kind == "f" else np.float32)
        out.values.append(v)


def _show(shape: Shape) -> str:
    return "(" + ", ".join("?" if d is None else str(d) for d in shape) + \
        ("," if len(shape) == 1 else "") + ")"

