"""User functions for ``symgrad run``: ``def``, ``lambda``, ``return``, closures,
``global``/``nonlocal``, whitelisted decorators, ``try``/``except``/``raise`` and f-strings.

A user function is a :class:`UserFunction`: the checked AST of its body, its
evaluated defaults and the scope it was defined in. Calling it runs the body
in a frame (``interp.Frame``: an :class:`~.interp.Interpreter` with
:class:`FrameScope` mixed in) that shares the caller's budget, deadline and output, so that every allocation, loop and
printed character inside a function counts against the same limits. Nothing
is compiled: the body stays an AST walked by the interpreter. Calls nest at
most :attr:`~.limits.Limits.max_call_depth` deep (a one-line error, which no
``except`` clause can catch, like every limit error).

>>> from symgrad.parsing.interp import Interpreter
>>> from symgrad.parsing.limits import Budget, Limits
>>> from symgrad.parsing.validate import parse
>>> it = Interpreter(Budget(Limits()))
>>> it.run(parse("def f(x, k=2):\\n    return x * k\\ny = f(3) + f(1, k=10)", "exec").body)
>>> it.env["y"]
16
"""

from __future__ import annotations

import ast
import builtins
import inspect
import re
import types
import weakref
from collections import ChainMap
from typing import Any

from .. import errors
from ..tape.grad_mode import _GradMode
from . import estimate, names
from .errors import InputError, at
from .expressions import ApiError, _Break, _Continue

Interpreter = Any  # interp.py's Interpreter (which imports this module)

# exceptions snippet code may raise and catch, by name (Python's own classes)
EXCEPTIONS: dict[str, type[BaseException]] = {
    e.__name__: e for e in (Exception, RuntimeError, ValueError, TypeError, IndexError,
                            KeyError, ZeroDivisionError, AssertionError, NotImplementedError,
                            AttributeError, StopIteration, ArithmeticError, LookupError)}
# failures of the interpreter itself that a user ``except`` must never see
_UNCATCHABLE = (RecursionError, MemoryError)

CALL_TOO_DEEP = ("function calls nested more than {limit} deep{where}; the limit stops "
                 "runaway recursion")
BAD_DECORATOR = ("decorator {what} is not allowed{where}; allowed: staticmethod, classmethod, "
                 "torch.no_grad(), torch.enable_grad(), once_differentiable")
BAD_FORMAT_SPEC = ("format spec {spec!r} is not allowed{where}; use the standard mini-language "
                   "with a width and precision of at most {limit}")

_MAX_FORMAT_WIDTH = 1000
# the standard format mini-language: [[fill]align][sign][z][#][0][width][grouping][.precision][type]
_SPEC = re.compile(r"(?:.?[<>=^])?[+\- ]?z?#?0?(\d*)[_,]?(?:\.(\d+))?[bcdeEfFgGnosxX%]?", re.DOTALL)


class _Return(Exception):
    """``return``: raised by the statement, caught by the call."""

    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


class UserFunction:
    """A function (or lambda) defined by snippet code; calling it runs its body."""

    def __init__(self, node: ast.FunctionDef | ast.Lambda, definer: Interpreter,
                 closure: Any) -> None:
        self.node = node
        self.name = getattr(node, "name", "<lambda>")
        self.root = getattr(definer, "root", definer)
        self.closure = closure  # the enclosing scope (a dict or a ChainMap)
        self.owner: type | None = None  # the class whose body defined it (for super())
        self.signature = _signature(node.args, definer)
        self.local_names = _assigned_names(node)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        root = self.root
        limit = root.budget.limits.max_call_depth
        pos = at(self.node)
        if root.depth >= limit:
            raise InputError(CALL_TOO_DEEP.format(limit=limit, where="{where}"), pos)
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as e:
            raise ApiError(TypeError(f"{self.name}() {e}"), pos) from None
        bound.apply_defaults()
        frame = root.frame(self, dict(bound.arguments))
        root.depth += 1
        try:
            if isinstance(self.node, ast.Lambda):
                return frame.eval(self.node.body)
            frame.exec_block(self.node.body)
        except _Return as r:
            return r.value
        except InputError as e:
            # a limit stopped the body: remembered, so that no `except` sees it even if
            # library code between here and the snippet turned it into another error
            root.limit_error = e
            raise
        finally:
            root.depth -= 1
        return None

    def __repr__(self) -> str:
        return f"<function {self.name}>"


class FrameScope:
    """What an interpreter running one call of a :class:`UserFunction` (or a class body)
    adds (``interp.Frame`` mixes it in): its own local variables in front of the enclosing
    scopes, ``global``/``nonlocal``, ``super()``, and the caller's budget."""

    env: Any
    root: Any

    def __init__(self, fn: UserFunction | None, local: dict[str, Any], *,
                 root: Interpreter | None = None, closure: Any = None) -> None:
        root = fn.root if fn is not None else root
        assert root is not None
        closure = fn.closure if fn is not None else closure
        self.root, self.fn = root, fn
        self.budget, self.filename = root.budget, root.filename
        # once the snippet is over, the library may still call its functions (the report
        # runs a custom Function's backward on symbolic tensors): they print nothing then
        self.write = root.write if getattr(root, "running", True) else (lambda s: None)
        self.on_assign, self.on_call = None, root.on_call
        self.scope, self.line = root.scope, root.line
        maps = closure.maps if isinstance(closure, ChainMap) else [closure]
        self.env = ChainMap(local, *maps)  # type: ignore[assignment]
        self.globals: dict[str, Any] = maps[-1]
        self.declared: dict[str, dict[str, Any]] = {}  # global / nonlocal names
        self.closure_env: Any = self.env  # what functions defined here close over

    def _store(self, target: ast.expr, value: Any) -> None:
        if isinstance(target, ast.Name) and target.id in self.declared:
            scope = self.declared[target.id]
            if scope is self.globals and self.root.on_assign is not None:
                self.root.on_assign(target.id, value)
            scope[target.id] = value
            return
        super()._store(target, value)  # type: ignore[misc]

    def _load_name(self, node: ast.Name) -> Any:
        if node.id in self.declared and node.id in self.declared[node.id]:
            return self.declared[node.id][node.id]
        if self.fn is not None and node.id in self.fn.local_names \
                and node.id not in self.env.maps[0]:
            raise ApiError(UnboundLocalError(  # Python's message
                f"cannot access local variable '{node.id}' where it is not associated with a "
                "value"), at(node))
        if node.id == "super" and "super" not in self.env:
            return names.Function("super", self._super)
        return super()._load_name(node)  # type: ignore[misc]

    def _super(self, *args: Any) -> Any:
        if args:
            return builtins.super(*args)
        fn = self.fn
        first = next(iter(self.env.maps[0].values()), None) if fn is not None else None
        if fn is None or fn.owner is None or first is None:
            raise RuntimeError("super(): no arguments")
        return builtins.super(fn.owner, first)

    def _exec_Global(self, node: ast.Global) -> None:
        for n in node.names:
            self.declared[n] = self.globals

    def _exec_Nonlocal(self, node: ast.Nonlocal) -> None:
        for n in node.names:
            for scope in self.env.maps[1:-1]:  # type: ignore[attr-defined]
                if n in scope:
                    self.declared[n] = scope
                    break
            else:
                raise ApiError(SyntaxError(f"no binding for nonlocal '{n}' found"), at(node))


# ------------------------------------------------------------------ statements
def define(interp: Interpreter, node: ast.FunctionDef) -> Any:
    """Run ``def``: the function, with its whitelisted decorators applied."""
    fn = UserFunction(node, interp, getattr(interp, "closure_env", interp.env))
    value: Any = fn
    for dec in reversed(node.decorator_list):
        value = _decorate(interp, dec, value)
    return value


def _decorate(interp: Interpreter, dec: ast.expr, value: Any) -> Any:
    d = interp.eval(dec)
    fn = d.fn if isinstance(d, names.Function) else d
    if fn in (builtins.staticmethod, builtins.classmethod):
        return _Decorated(fn, value)
    if isinstance(fn, _GradMode) and type(fn).__name__ in ("no_grad", "enable_grad"):
        return _Decorated(type(fn), value)
    if type(fn).__name__ == "inference_mode" and type(fn).__module__ == "symgrad.eager.inference":
        return _Decorated(fn, value)
    if getattr(fn, "__name__", "") == "once_differentiable" \
            and getattr(fn, "__module__", "") == "symgrad.autograd.function":
        return _Decorated(fn, value)
    raise InputError(BAD_DECORATOR.format(what=repr(ast.unparse(dec))[:60], where="{where}"),
                     at(dec))


class _Decorated:
    """A user function under a whitelisted decorator, applied for real to the Python
    function :func:`as_python` makes of it (when called, or when its class is built)."""

    def __init__(self, decorator: Any, inner: Any) -> None:
        self.decorator, self.inner = decorator, inner

    def python(self, to_python: Any) -> Any:
        inner = to_python(self.inner)
        if isinstance(self.decorator, type) and issubclass(self.decorator, _GradMode):
            out = self.decorator()(inner)
        else:
            out = self.decorator(inner)
        if isinstance(out, types.FunctionType):  # no_grad's and once_differentiable's wrappers
            _PYTHON.add(out)
        return out

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.python(as_python)(*args, **kwargs)

    def __repr__(self) -> str:
        return repr(self.inner)


def as_python(fn: Any) -> Any:
    """A real Python function that runs user function ``fn`` (so that library code
    can call it, bind it as a method and read its signature)."""
    if isinstance(fn, _Decorated):
        return fn.python(as_python)
    if not isinstance(fn, UserFunction):
        return fn

    def run(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    run.__name__ = run.__qualname__ = fn.name
    run.__module__ = "__main__"
    run.__signature__ = fn.signature  # type: ignore[attr-defined]
    _PYTHON.add(run)
    return run


# the Python functions made by as_python (a weak set: a class and its snippet's variables
# go away together once nothing uses them)
_PYTHON: weakref.WeakSet[Any] = weakref.WeakSet()


def is_user_callable(fn: Any) -> bool:
    """A function, bound method or decorated function defined by snippet code."""
    fn = getattr(fn, "__func__", fn)
    if isinstance(fn, (UserFunction, _Decorated)):
        return True
    try:
        return fn in _PYTHON
    except TypeError:
        return False


def exec_return(interp: Interpreter, node: ast.Return) -> None:
    if getattr(interp, "fn", None) is None:
        raise InputError(errors.PARSE_NOT_ALLOWED.format(
            what="'return' outside a function", is_are="is", where="{where}", hint=""), at(node))
    raise _Return(None if node.value is None else interp.eval(node.value))


def exec_scope_decl(interp: Interpreter, node: ast.Global | ast.Nonlocal) -> None:
    """``global``/``nonlocal`` at module level (a :class:`Frame` handles its own)."""
    if isinstance(node, ast.Nonlocal):
        raise InputError(errors.PARSE_NOT_ALLOWED.format(
            what="nonlocal at module level", is_are="is", where="{where}", hint=""), at(node))


def exec_raise(interp: Interpreter, node: ast.Raise) -> None:
    pos = at(node)
    if node.exc is None:
        current = getattr(interp, "handling", None)
        if current is None:
            raise ApiError(RuntimeError("No active exception to reraise"), pos)
        raise current
    exc = interp.eval(node.exc)
    if isinstance(exc, names.Function) and exc.fn in EXCEPTIONS.values():
        exc = exc.fn()
    if not isinstance(exc, Exception) or isinstance(exc, _UNCATCHABLE):
        raise ApiError(TypeError("exceptions must derive from BaseException"), pos)
    raise ApiError(exc, pos)


def exec_try(interp: Interpreter, node: ast.Try) -> None:
    """``try``/``except``/``else``/``finally``: only errors of the snippet's own calls
    (:class:`ApiError`) are caught; limit errors and time-outs pass every handler, and
    ``finally`` does not run for them (the snippet is over)."""
    try:
        try:
            interp.exec_block(node.body)
        except ApiError as err:
            stopped = getattr(getattr(interp, "root", interp), "limit_error", None)
            if stopped is not None:
                raise stopped from None
            if isinstance(err.exc, _UNCATCHABLE):
                raise
            handler = _handler_for(interp, node.handlers, err.exc)
            if handler is None:
                raise
            if handler.name:
                interp._store(ast.Name(handler.name, ast.Store(), lineno=handler.lineno,
                                       col_offset=handler.col_offset), err.exc)
            saved = getattr(interp, "handling", None)
            interp.handling = err  # type: ignore[attr-defined]
            try:
                interp.exec_block(handler.body)
            finally:
                interp.handling = saved  # type: ignore[attr-defined]
        else:
            interp.exec_block(node.orelse)
    except (ApiError, _Return, _Break, _Continue):
        interp.exec_block(node.finalbody)
        raise
    interp.exec_block(node.finalbody)


def _handler_for(interp: Interpreter, handlers: list[ast.ExceptHandler],
                 exc: BaseException) -> ast.ExceptHandler | None:
    for h in handlers:
        if h.type is None:
            return h
        kinds = interp.eval(h.type)
        kinds = kinds if isinstance(kinds, tuple) else (kinds,)
        classes = []
        for k in kinds:
            k = k.fn if isinstance(k, names.Function) else k
            if k not in EXCEPTIONS.values():
                raise InputError(errors.PARSE_NOT_ALLOWED.format(
                    what="catching this", is_are="is", where="{where}",
                    hint="; catch " + ", ".join(EXCEPTIONS)), at(h))
            classes.append(k)
        if isinstance(exc, tuple(classes)):
            return h
    return None


# ------------------------------------------------------------------ f-strings
def joined_str(interp: Interpreter, node: ast.JoinedStr) -> str:
    """An f-string: each embedded expression goes through the evaluator; conversions
    ``!r``/``!s``/``!a`` and the standard format mini-language only; the result is
    counted like any string the snippet builds."""
    parts: list[str] = []
    total = 0
    for v in node.values:
        if isinstance(v, ast.Constant):
            parts.append(str(v.value))
        else:
            assert isinstance(v, ast.FormattedValue)
            parts.append(_formatted(interp, v))
        total += len(parts[-1])
        interp.budget.check_sequence(total, at(node))
    return "".join(parts)


def _formatted(interp: Interpreter, node: ast.FormattedValue) -> str:
    pos = at(node)
    value = interp.eval(node.value)
    spec = "" if node.format_spec is None else joined_str(interp, node.format_spec)  # type: ignore[arg-type]
    m = _SPEC.fullmatch(spec)
    if m is None or any(g and (len(g) > 4 or int(g) > _MAX_FORMAT_WIDTH) for g in m.groups()):
        raise InputError(BAD_FORMAT_SPEC.format(spec=spec[:40], where="{where}",
                                                limit=_MAX_FORMAT_WIDTH), pos)
    if isinstance(value, (list, tuple, str)):
        n = estimate.walk_size(value, interp.budget.limits.max_sequence)
        interp.budget.check_sequence(n, pos)
    conv = {115: str, 114: repr, 97: ascii}.get(node.conversion)
    if conv is not None:
        value = interp._call(conv, (value,), {}, pos)
    return interp._call(format, (value, spec), {}, pos)


# ------------------------------------------------------------------ helpers
def _signature(args: ast.arguments, interp: Interpreter) -> inspect.Signature:
    P = inspect.Parameter
    params: list[inspect.Parameter] = []
    positional = args.posonlyargs + args.args
    defaults = [interp.eval(d) for d in args.defaults]
    first_default = len(positional) - len(defaults)
    for i, a in enumerate(positional):
        kind = P.POSITIONAL_ONLY if i < len(args.posonlyargs) else P.POSITIONAL_OR_KEYWORD
        default = defaults[i - first_default] if i >= first_default else P.empty
        params.append(P(a.arg, kind, default=default))
    if args.vararg is not None:
        params.append(P(args.vararg.arg, P.VAR_POSITIONAL))
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        params.append(P(a.arg, P.KEYWORD_ONLY,
                        default=P.empty if d is None else interp.eval(d)))
    if args.kwarg is not None:
        params.append(P(args.kwarg.arg, P.VAR_KEYWORD))
    return inspect.Signature(params)


def _assigned_names(node: ast.FunctionDef | ast.Lambda) -> frozenset[str]:
    """The names a function body binds (its locals, as Python decides them before the
    body runs), not looking into nested functions and classes."""
    out: set[str] = set()
    declared: set[str] = set()
    stack = list(node.body) if isinstance(node.body, list) else [node.body]
    while stack:
        n = stack.pop()
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            out.add(n.id)
        elif isinstance(n, ast.ExceptHandler) and n.name:
            out.add(n.name)
        elif isinstance(n, ast.alias):
            out.add(n.asname or n.name.split(".")[0])
        elif isinstance(n, (ast.Global, ast.Nonlocal)):
            declared.update(n.names)
        if isinstance(n, (ast.FunctionDef, ast.ClassDef)):
            out.add(n.name)
            stack.extend(n.decorator_list)  # evaluated where the def runs
            continue
        if not isinstance(n, ast.Lambda):
            stack.extend(ast.iter_child_nodes(n))
    return frozenset(out - declared)


__all__ = ["EXCEPTIONS", "FrameScope", "UserFunction", "as_python", "define", "exec_raise",
           "exec_return", "exec_scope_decl", "exec_try", "is_user_callable", "joined_str"]
