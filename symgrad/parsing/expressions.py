"""Expressions for the whitelist interpreter: names, operators, calls,
attributes and subscripts, each call run and accounted for by :meth:`Evaluator._call`.

:class:`~.interp.Interpreter` adds statements on top of :class:`Evaluator`.
Attributes resolve only through the lists in :mod:`.names`, by the type of
the object, and every size is checked before the call that would create it.

>>> from symgrad.parsing.interp import Interpreter
>>> from symgrad.parsing.limits import Budget, Limits
>>> from symgrad.parsing.validate import parse
>>> it = Interpreter(Budget(Limits()), env={"x": 3})
>>> it.eval(parse("max(x, 2) ** 2 if x > 1 else 0", "eval").body)
9
"""

from __future__ import annotations

import ast
import builtins
import functools
import operator
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .. import errors
from ..eager.device import device
from ..eager.tensor import Size, Tensor
from ..tape.forward_ad import UnpackedDualTensor
from ..tape.node import RemovableHandle
from ..tape.node import Node
from . import estimate, functional, names
from .errors import InputError, Position, at, suggest
from .limits import Budget, numel

_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
    ast.Pow: operator.pow, ast.MatMult: operator.matmul, ast.BitAnd: operator.and_,
    ast.BitOr: operator.or_,
}
_INPLACE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.iadd, ast.Sub: operator.isub, ast.Mult: operator.imul,
    ast.Div: operator.itruediv, ast.FloorDiv: operator.ifloordiv, ast.Mod: operator.imod,
    ast.Pow: operator.ipow, ast.MatMult: operator.imatmul, ast.BitAnd: operator.iand,
    ast.BitOr: operator.ior,
}
_OPNAMES = {operator.matmul: "@", operator.imatmul: "@"}
_CMPOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}
_UNARY: dict[type, Callable[[Any], Any]] = {
    ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_,
    ast.Invert: operator.invert,
}


_NOTHING = object()  # "not one of mine" from an attribute hook


class ApiError(Exception):
    """An exception raised by symgrad (or Python) while running a whitelisted call."""

    def __init__(self, exc: BaseException, pos: Position | None) -> None:
        super().__init__(str(exc))
        self.exc, self.pos = exc, pos


class _Break(Exception):
    """``break``: raised by a statement, caught by its loop."""


class _Continue(Exception):
    """``continue``: raised by a statement, caught by its loop."""


class Evaluator:
    """Evaluate checked expression nodes against ``env`` within ``budget``
    (the state is set up by :class:`~.interp.Interpreter`)."""

    budget: Budget
    env: dict[str, Any]
    write: Callable[[str], None]
    on_call: Callable[[str, Any, tuple], None] | None

    def eval(self, node: ast.expr) -> Any:
        return getattr(self, "_eval_" + type(node).__name__)(node)

    def _eval_Constant(self, node: ast.Constant) -> Any:
        return node.value

    def _eval_Name(self, node: ast.Name) -> Any:
        return self._load_name(node)

    def _eval_List(self, node: ast.List) -> list:
        return [self.eval(e) for e in node.elts]

    def _eval_Tuple(self, node: ast.Tuple) -> tuple:
        return tuple(self.eval(e) for e in node.elts)

    def _eval_Slice(self, node: ast.Slice) -> slice:
        part = [None if p is None else self.eval(p) for p in (node.lower, node.upper, node.step)]
        return slice(*part)

    def _eval_IfExp(self, node: ast.IfExp) -> Any:
        return self.eval(node.body if self._truth(self.eval(node.test), node) else node.orelse)

    def _eval_BoolOp(self, node: ast.BoolOp) -> Any:
        is_and = isinstance(node.op, ast.And)
        value: Any = None
        for v in node.values:
            value = self.eval(v)
            if self._truth(value, v) != is_and:
                return value
        return value

    def _eval_Compare(self, node: ast.Compare) -> Any:
        left = self.eval(node.left)
        result: Any = True
        for op, comp in zip(node.ops, node.comparators):
            right = self.eval(comp)
            pos = at(node)
            self._check_walk("this comparison", (left, right),
                             self.budget.limits.max_tensor_elements, pos)
            self._precheck("binop", (left, right), {}, pos)
            if isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, (list, tuple)):
                for item in right:  # `in` compares with each item: each one pre-checked
                    self._precheck("binop", (left, item), {}, pos)
            result = self._call(_CMPOPS[type(op)], (left, right), {}, pos)
            if len(node.ops) > 1 and not self._truth(result, node):
                return result
            left = right
        return result

    def _eval_UnaryOp(self, node: ast.UnaryOp) -> Any:
        v = self.eval(node.operand)
        if isinstance(node.op, ast.Not):
            return not self._truth(v, node)
        return self._call(_UNARY[type(node.op)], (v,), {}, at(node))

    def _eval_BinOp(self, node: ast.BinOp) -> Any:
        return self._binop(_BINOPS[type(node.op)], self.eval(node.left), self.eval(node.right),
                           node)

    def _eval_Subscript(self, node: ast.Subscript) -> Any:
        obj, idx = self.eval(node.value), self.eval(node.slice)
        if isinstance(obj, (names.Namespace, names.Function)):
            raise _not_allowed("subscripting this", node)
        self._precheck("getitem", (obj, idx), {}, at(node))
        return self._call(operator.getitem, (obj, idx), {}, at(node))

    def _eval_Attribute(self, node: ast.Attribute) -> Any:
        if node.attr == "__name__":  # type(x).__name__, the only form validate.py lets by
            assert isinstance(node.value, ast.Call)
            return type(self.eval(node.value.args[0])).__name__
        return self._getattr(self.eval(node.value), node.attr, node)

    def _eval_Call(self, node: ast.Call) -> Any:
        if isinstance(node.func, ast.Name) and node.func.id not in self.env \
                and node.func.id not in names.BUILTINS:
            if node.func.id == "range":
                raise _not_allowed("range() outside a for loop", node)
            raise InputError(errors.PARSE_UNKNOWN_FUNCTION.format(
                name=node.func.id, where="{where}",
                suggestion=suggest(node.func.id, self.function_names())), at(node))
        fn = self.eval(node.func)
        if names.object_kind(fn) == "module":  # model(x): a module is called like a function
            fn = names.Function(type(fn).__name__, fn)
        fn = self._user_callable(fn)  # functions and classes the snippet defined (run only)
        if not isinstance(fn, names.Function):
            what = type(fn).__name__ if not isinstance(fn, names.Namespace) else repr(fn)
            raise InputError(errors.PARSE_NOT_CALLABLE.format(what=f"'{what}'", where="{where}"),
                             at(node))
        args, kwargs = self._arguments(node)
        return self._invoke(fn, args, kwargs, node)

    def _invoke(self, fn: names.Function, args: tuple, kwargs: dict, node: Any) -> Any:
        """Call whitelisted or user function ``fn`` with every check (``node``: the call,
        or the position of the call that handed ``fn`` to a function transform)."""
        if self._is_user(fn.fn):  # its body is interpreted: every allocation in it is counted
            self._check_walk(f"{fn.name}()", list(args) + list(kwargs.values()),
                             self.budget.limits.max_tensor_elements, at(node))
            return self._call(fn.fn, args, kwargs, at(node), count=False)
        if fn.fn is builtins.print:
            return self._print(args, kwargs, node)
        if fn.fn is functools.partial:
            return self._partial(args, kwargs, node)
        pos = at(node)
        lim = self.budget.limits
        self._check_walk(f"{fn.name}()", list(args) + list(kwargs.values()),
                         lim.max_sequence if fn.fn in (builtins.str, builtins.repr)
                         else lim.max_tensor_elements,
                         pos)
        full = (fn.owner,) + args if fn.owner is not None else args
        _check_arguments(fn, args, kwargs, pos)
        self._precheck(fn.name, full, kwargs, pos)
        if self.on_call is not None:
            self.on_call(fn.name, fn.owner, args)
        if functional.is_transform(fn):  # functions in, functions out (functional.py)
            args, kwargs = functional.prepare(self, fn, args, kwargs, pos)
            return functional.wrap(fn, self._call(fn.fn, args, kwargs, pos, related=full))
        return self._call(fn.fn, args, kwargs, pos, related=full)

    def _arguments(self, node: ast.Call) -> tuple[tuple, dict]:
        """The arguments of a call, ``*xs`` (a list or tuple) and ``**kw`` (a dict) expanded."""
        args: list[Any] = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                v = self.eval(a.value)
                if not isinstance(v, (list, tuple)):
                    raise ApiError(TypeError("argument after * must be a list or tuple, not "
                                             + type(v).__name__), at(a))
                self.budget.check_sequence(len(args) + len(v), at(a))
                args.extend(v)
            else:
                args.append(self.eval(a))
        kwargs: dict[str, Any] = {}
        for k in node.keywords:
            v = self.eval(k.value)
            if k.arg is not None:
                kwargs[k.arg] = v
                continue
            if not isinstance(v, dict) or not all(isinstance(x, str) for x in v):
                raise ApiError(TypeError("argument after ** must be a dict, not "
                                         + type(v).__name__), at(k))
            for key in v:
                if key.startswith("__") or not key.isidentifier():
                    raise InputError(errors.PARSE_DUNDER.format(
                        kind="keyword", name=key[:40], where="{where}"), at(k))
            kwargs.update(v)
        return tuple(args), kwargs

    # --------------------------------------------------------------- helpers
    # for what `symgrad run` adds (user functions and classes: interp.py overrides these)
    def _user_callable(self, fn: Any) -> Any:
        return fn

    def _is_user(self, fn: Any) -> bool:
        return False

    def _object_attribute(self, obj: Any, attr: str, node: ast.AST) -> Any:
        return _NOTHING

    def _run_builtin(self, name: str, node: ast.AST) -> names.Function | None:
        return None  # interp.py adds the bounded builtins of pybuiltins.py

    def _as_python(self, value: Any) -> Any:
        return None  # interp.py: the Python function that runs a user function

    def function_names(self) -> set[str]:
        fns = {k for k, v in self.env.items() if isinstance(v, names.Function)}
        return fns | set(names.BUILTINS)

    def _load_name(self, node: ast.Name) -> Any:
        name = node.id
        if name in self.env:
            return self.env[name]
        if name in names.BUILTINS:
            return self._run_builtin(name, node) or _builtin(name)
        hint = suggest(name, list(self.env) + list(names.BUILTINS))
        if not hint and name in names.MODULE_ALIASES:
            hint = f"; add 'import {name}' first"
        raise InputError(errors.PARSE_UNKNOWN_NAME.format(name=name, where="{where}",
                                                          suggestion=hint), at(node))

    def _ns_attr(self, ns: names.Namespace, attr: str, node: ast.AST) -> Any:
        value = ns.lookup(attr)
        if value is None:
            raise InputError(errors.PARSE_UNKNOWN_ATTRIBUTE.format(
                name=attr, owner=f"'{ns.name}'", where="{where}",
                suggestion=suggest(attr, ns.names())), at(node))
        if value is names.MISSING:
            raise InputError(errors.PARSE_NOT_AVAILABLE.format(name=f"{ns.name}.{attr}",
                                                               where="{where}"), at(node))
        return value

    def _getattr(self, obj: Any, attr: str, node: ast.AST) -> Any:
        if isinstance(obj, names.Namespace):
            return self._ns_attr(obj, attr, node)
        value = self._object_attribute(obj, attr, node)  # user classes and objects (run)
        if value is not _NOTHING:
            return value
        if isinstance(obj, Tensor):
            allowed, methods = names.TENSOR_ATTRIBUTES, names.TENSOR_METHODS
        elif isinstance(obj, Node):
            allowed, methods = names.NODE_ATTRIBUTES - {"name"}, names.NODE_METHODS
            if attr.startswith("_saved_"):  # PyTorch's saved values (grad_fn._saved_self)
                allowed = allowed | {attr}
        elif isinstance(obj, str):  # none of these makes a longer string
            allowed, methods = frozenset(), names.STR_METHODS
        elif isinstance(obj, dict):
            allowed, methods = frozenset(), frozenset({"items", "keys", "values"})
        elif isinstance(obj, Size):
            allowed, methods = frozenset(), frozenset({"numel"})
        elif isinstance(obj, device):
            allowed, methods = names.DEVICE_ATTRIBUTES, frozenset()
        elif isinstance(obj, UnpackedDualTensor):
            allowed, methods = frozenset({"primal", "tangent"}), frozenset()
        elif isinstance(obj, RemovableHandle):
            allowed, methods = frozenset(), frozenset({"remove"})
        elif isinstance(obj, list):
            allowed, methods = frozenset(), frozenset({"append"})
        elif names.object_kind(obj) is not None:  # nn modules, optimizers
            allowed, methods = names.OBJECT_MEMBERS[names.object_kind(obj)]
        else:
            allowed, methods = frozenset(), frozenset()
        if attr in methods:
            if isinstance(obj, list):
                return names.Function("append", functools.partial(self._append, obj, node))
            bound = self._call(getattr, (obj, attr), {}, at(node), count=False)
            return names.Function(attr, bound, obj)
        if attr in allowed:
            # attributes (.data, .grad, .T, ...) are the object's own or views: not counted
            # again as new elements
            return self._call(getattr, (obj, attr), {}, at(node), count=False)
        owner = "a tensor" if isinstance(obj, Tensor) else f"'{type(obj).__name__}'"
        raise InputError(errors.PARSE_UNKNOWN_ATTRIBUTE.format(
            name=attr, owner=owner, where="{where}", suggestion=suggest(attr, allowed | methods)),
            at(node))

    def _partial(self, args: tuple, kwargs: dict, node: Any) -> names.Function:
        """``functools.partial(f, *args, **kwargs)``: a whitelisted function that calls
        ``f`` through :meth:`_invoke`, with every check of a direct call."""
        target = self._user_callable(args[0]) if args else None
        if names.object_kind(target) == "module":
            target = names.Function(type(target).__name__, target)
        if not isinstance(target, names.Function):
            raise ApiError(TypeError("the first argument must be callable"), at(node))
        bound, keywords = args[1:], dict(kwargs)

        def call(*more: Any, **more_kw: Any) -> Any:
            return self._invoke(target, bound + more, {**keywords, **more_kw}, node)

        return names.Function(f"partial({target.name})", call)

    def _append(self, lst: list, node: ast.AST, value: Any) -> None:
        self.budget.check_sequence(len(lst) + 1, at(node))
        self.budget.new_items(1, at(node))
        lst.append(value)

    def _truth(self, value: Any, node: ast.AST) -> bool:
        return bool(self._call(bool, (value,), {}, at(node)))

    def _binop(self, op: Callable[[Any, Any], Any], left: Any, right: Any,
               node: ast.AST) -> Any:
        pos = at(node)
        b = self.budget
        if _is_sympy(left) or _is_sympy(right):
            # a formula's numbers are SymPy's: 2**10**20 would run in C past every limit
            raise _not_allowed("arithmetic on formulas", node,
                               "; print them, or compute with tensors")
        if op in (operator.pow, operator.ipow) and type(left) is int and type(right) is int:
            b.check_int_pow(left, right, pos)
        if op in (operator.mul, operator.imul) and type(left) is int and type(right) is int:
            b.check_int_bits(left.bit_length() + right.bit_length(), pos)
        if op in (operator.mod, operator.imod) and isinstance(left, str):
            raise _not_allowed("%-formatting of strings", node, "; pass values to print(...)")
        if op in (operator.mul, operator.imul):
            n = estimate.repeat_length(left, right)
            if n is not None:
                b.new_items(n, pos, commit=False)  # (the call below counts the result)
        n = estimate.concat_length(operator.add if op is operator.iadd else op, left, right)
        if n is not None:
            b.new_items(n, pos, commit=False)
        self._precheck(_OPNAMES.get(op, "binop"), (left, right), {}, pos)
        return self._call(op, (left, right), {}, pos)

    def _precheck(self, name: str, args: tuple, kwargs: dict, pos: Position | None) -> None:
        n = estimate.result_elements(name, args, kwargs)
        if n is not None and n > self.budget.limits.max_tensor_elements:
            self.budget.check_elements(n, pos)
        if n is not None:
            self.budget.check_room(8 * n, pos)
        if name in ("matmul", "mm", "mv", "@", "linear"):
            w = estimate.linear_work(args) if name == "linear" else estimate.matmul_work(args)
            lim = self.budget.limits.max_matmul_work
            if w is not None and w > lim:
                raise InputError(errors.PARSE_MATMUL_TOO_BIG.format(n=w, limit=lim,
                                                                    where="{where}"), pos)
        if name == "set_printoptions":  # run.py restores the options after the snippet
            for key, most in _PRINT_LIMITS.items():
                v = kwargs.get(key)
                if isinstance(v, (int, float)) and not isinstance(v, bool) and v > most:
                    raise InputError(errors.PARSE_NOT_ALLOWED.format(
                        what=f"set_printoptions({key}=...) above {most}", is_are="is",
                        where="{where}", hint=""), pos)
        if name == "round" and len(args) > 1 and isinstance(args[1], int) and abs(args[1]) > 400:
            raise InputError(errors.PARSE_NOT_ALLOWED.format(
                what="round() with more than 400 digits", is_are="is", where="{where}",
                hint=""), pos)
        if name == "getitem" and len(args) == 2:
            shape = estimate.shape_of(args[0])
            if shape is not None:
                self._check_walk("this index", (args[1],),
                                 self.budget.limits.max_tensor_elements, pos)
                n = estimate.index_elements(shape, args[1])
                if n is not None and n > self.budget.limits.max_tensor_elements:
                    self.budget.check_elements(n, pos)
        if name == "tolist" and args:  # one Python object per element
            shape = estimate.shape_of(args[0])
            if shape is not None:
                self.budget.new_items(numel(shape), pos)

    def _check_walk(self, what: str, values: Iterable[Any], limit: int,
                    pos: Position | None) -> None:
        """Refuse nested lists (or strings) whose C-level walk would pass ``limit``."""
        total = 0
        for v in values:
            if isinstance(v, (list, tuple, str)):
                total += estimate.walk_size(v, limit)
                if total > limit:
                    raise InputError(errors.PARSE_NESTED_TOO_BIG.format(
                        what=what, limit=limit, where="{where}"), pos)

    def _call(self, fn: Callable[..., Any], args: tuple, kwargs: dict,
              pos: Position | None, count: bool = True, related: tuple = ()) -> Any:
        """Run one whitelisted call; account for what it created (``count=False``: the
        result is an existing object, e.g. an attribute; results sharing memory with
        ``related`` or the arguments are views, not new elements)."""
        try:
            result = fn(*args, **kwargs)
        except (InputError, ApiError, _Break, _Continue):
            raise
        except MemoryError:
            raise InputError(errors.PARSE_OUT_OF_MEMORY.format(where="{where}"), pos) from None
        except Exception as exc:  # noqa: BLE001 - every failure becomes a clean error
            raise ApiError(exc, pos) from exc
        if not count:
            return result
        if isinstance(result, (Tensor, np.ndarray)):
            data = result._data if isinstance(result, Tensor) else result
            if data is not None and not _is_view(data, related or args):
                self.budget.check_elements(int(data.size), pos)
                self.budget.hold(data, pos)
        elif isinstance(result, (str, list, tuple)):
            self.budget.new_items(len(result), pos)
        elif type(result) is int:
            self.budget.check_int_bits(result.bit_length(), pos)
        return result

    def _print(self, args: tuple, kwargs: dict, node: ast.AST) -> None:
        bad = set(kwargs) - {"sep", "end"}
        if bad:
            raise _not_allowed(f"print({sorted(bad)[0]}=...)", node, "; only sep= and end=")
        sep, end = kwargs.get("sep", " "), kwargs.get("end", "\n")
        if not all(isinstance(s, (str, type(None))) for s in (sep, end)):
            raise ApiError(TypeError("sep and end must be None or a string"), at(node))
        b, pos = self.budget, at(node)
        sep = " " if sep is None else sep
        room = b.limits.max_output_chars - b.output_chars
        parts: list[str] = []
        total = 0
        for a in args:  # each part is checked (and refused) before it is made
            if isinstance(a, (list, tuple, str)):
                walk = estimate.walk_size(a, max(room - total, 0))
                if total + walk > room:
                    b.check_output(total + walk, pos)
            parts.append(self._call(str, (a,), {}, pos))
            total += len(parts[-1]) + len(sep)
            if total > room:
                b.check_output(total, pos)
        text = sep.join(parts) + ("\n" if end is None else end)
        b.check_output(len(text), pos)
        self.write(text)


# (function or method, keyword or position) that take text; every other text argument
# of a tensor function is refused before the call, with PyTorch's message
_TEXT_ARGS = frozenset({("to", None), ("type", None), ("norm", "p"), ("norm", 1), ("norm", 2),
                        ("cross_entropy", "reduction"), ("mse_loss", "reduction"),
                        ("binary_cross_entropy", "reduction"), ("device", None),
                        ("binary_cross_entropy_with_logits", "reduction"),
                        ("l1_loss", "reduction"), ("smooth_l1_loss", "reduction"),
                        ("huber_loss", "reduction"), ("nll_loss", "reduction"),
                        ("gelu", "approximate"), ("GELU", "approximate"),
                        ("jacobian", "strategy"), ("hessian", "outer_jacobian_strategy"),
                        ("calculate_gain", None), ("kaiming_uniform_", None),
                        ("kaiming_normal_", None), ("type", None), ("cuda", None),
                        ("register_buffer", 1), ("register_buffer", "name"),
                        ("set_printoptions", "profile"),
                        *((loss, "reduction") for loss in names.NN_MODULES
                          if loss.endswith("Loss"))})
# functions whose first argument is not a tensor (creation, lists of tensors, flags)
_NOT_TENSOR_FIRST = frozenset({"tensor", "zeros", "ones", "full", "empty", "arange",
                               "linspace", "rand", "randn", "manual_seed", "is_grad_enabled",
                               "cat", "stack", "where", "grad", "backward", "device",
                               "calculate_gain", "eye", "Tensor", "FloatTensor", "DoubleTensor",
                               "LongTensor", "IntTensor", "BoolTensor", "register_buffer"})


# set_printoptions: digits and line lengths past these only make longer strings to refuse
_PRINT_LIMITS = {"precision": 100, "edgeitems": 100, "linewidth": 10_000}


def check_name(value: Any, pos: Position | None) -> None:
    """A tensor's symbol name set by user text: a plain identifier (it is printed in
    formulas and the report, so no newline, no code, no dunder), at most 64 characters."""
    ok = isinstance(value, str) and value.isidentifier() and len(value) <= 64 \
        and not (value.startswith("__") and value.endswith("__"))
    if not ok:
        shown = repr(value)[:40] if isinstance(value, str) else type(value).__name__
        raise InputError(errors.PARSE_BAD_NAME.format(got=shown, where="{where}"), pos)


def _check_arguments(fn: names.Function, args: tuple, kwargs: dict,
                     pos: Position | None) -> None:
    """Refuse, before the call, the arguments no tensor function takes: ``None`` or
    text as the tensor (``sum(a.grad)`` before any backward), text elsewhere
    (``clamp(a, 'x')``); the message is PyTorch's. Python's builtins are not checked."""
    module = getattr(fn.fn, "__module__", None) or ""  # None for builtin methods
    if isinstance(fn.owner, (str, dict)):  # Python's own methods take text
        return
    if fn.owner is None and not module.startswith("symgrad.") \
            or module.startswith("symgrad.parsing"):
        return
    if "name" in kwargs:
        check_name(kwargs["name"], pos)
    name = fn.name
    if fn.owner is None and name not in _NOT_TENSOR_FIRST and args \
            and (args[0] is None or isinstance(args[0], str)):
        raise ApiError(TypeError(errors.arg_must_be_tensor(name, type(args[0]).__name__)), pos)
    texts = [(i + 1, a) for i, a in enumerate(args) if isinstance(a, str)]
    texts += [(k, v) for k, v in kwargs.items() if isinstance(v, str)]
    for where, _ in texts:
        if where == "device":  # every factory takes device='cpu'
            continue
        if (name, None) in _TEXT_ARGS or (name, where) in _TEXT_ARGS:
            continue
        got = [type(a).__name__ if not isinstance(a, Tensor) else "Tensor"
               for a in ((fn.owner,) if fn.owner is not None else ()) + args]
        raise ApiError(TypeError(errors.invalid_arguments(name, got)), pos)
    if name == "check" and args and isinstance(args[0], Tensor) and args[0]._data is None:
        raise InputError(errors.PARSE_CHECK_NEEDS_VALUES.format(where="{where}"), pos)


def _is_view(data: np.ndarray, related: tuple) -> bool:
    """Whether ``data`` may share memory with a tensor or array among ``related``."""
    for r in related:
        other = r._data if isinstance(r, Tensor) else r
        if isinstance(other, np.ndarray) and np.may_share_memory(data, other):
            return True
    return False


def _is_sympy(x: Any) -> bool:
    """A SymPy object, symgrad's formula nodes included (they subclass SymPy's)."""
    return _sympy_type(type(x))


@functools.lru_cache(maxsize=None)
def _sympy_type(cls: type) -> bool:
    return any(c.__module__.startswith("sympy.") for c in cls.__mro__)


def _not_allowed(what: str, node: ast.AST | None, hint: str = "") -> InputError:
    return InputError(errors.PARSE_NOT_ALLOWED.format(what=what, is_are="is", where="{where}",
                                                      hint=hint),
                      at(node) if node is not None else None)


def _safe_sum(iterable: Any, start: Any = 0) -> Any:
    """Python's ``sum`` of numbers and tensors (not of lists or strings)."""
    items = list(iterable) if isinstance(iterable, (list, tuple)) else None
    if items is None or any(isinstance(x, (list, tuple, str)) for x in items + [start]):
        raise TypeError("sum() here adds numbers and tensors from a list or tuple")
    return builtins.sum(items, start)


def _builtin(name: str) -> names.Function:
    return names.Function(name, _safe_sum if name == "sum" else getattr(builtins, name))
