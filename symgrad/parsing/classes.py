"""User classes for ``symgrad run``: ``class Net(torch.nn.Module)``,
``class Square(torch.autograd.Function)``, or plain ``class Box:``.

A ``class`` statement makes a *real* Python class, ``type(name, (base,), ns)``,
so that the library's machinery works on it (``nn.Module`` registering
parameters and calling ``forward``, ``Function.apply``). Its methods are
real Python functions that run the interpreter on their bodies
(:func:`.functions.as_python`). What snippet code can reach stays listed:

* bases: ``object``, ``torch.nn.Module`` (and the ``nn`` layers),
  ``torch.autograd.Function``, or another user class;
* on a user class: the names its body (or a user base's) defined, and
  ``apply`` for a Function;
* on a user object: the attributes the snippet set on it (parameters and
  submodules of a Module too), its class's methods and attributes, and the
  members the whitelist lists for the library base (``parameters()``, ...);
* on a custom Function's ``ctx``: ``save_for_backward``, ``saved_tensors``,
  ``needs_input_grad``, ``mark_dirty``, ``mark_non_differentiable``,
  ``set_materialize_grads`` and the attributes the snippet put on it.

Names starting with an underscore are refused on these objects, and no
method but ``__init__`` may have a double-underscore name.

>>> from symgrad.parsing.interp import Interpreter
>>> from symgrad.parsing.limits import Budget, Limits
>>> from symgrad.parsing.validate import parse
>>> it = Interpreter(Budget(Limits()))
>>> it.run(parse("class Box:\\n    k = 2\\n    def __init__(self, v):\\n"
...              "        self.v = v\\n    def twice(self):\\n        return self.v * self.k\\n"
...              "b = Box(21).twice()", "exec").body)
>>> it.env["b"]
42
"""

from __future__ import annotations

import ast
import weakref
from typing import Any

from .. import errors
from . import names
from .errors import InputError, at, suggest
from .expressions import _NOTHING, ApiError, _not_allowed
from .functions import UserFunction, _Decorated, as_python, define, is_user_callable

BAD_BASE = ("base class {what} is not allowed{where}; a class may derive from object, "
            "torch.nn.Module (or an nn layer), torch.autograd.Function or a class defined "
            "in the snippet")
BAD_MEMBER = ("{what} is not allowed{where}: names starting with an underscore are off limits "
              "on objects")

_CTX_METHODS = frozenset({"save_for_backward", "save_for_forward", "mark_dirty",
                          "mark_non_differentiable", "set_materialize_grads"})
_CTX_ATTRIBUTES = frozenset({"saved_tensors", "needs_input_grad"})
_BODY_STATEMENTS = (ast.FunctionDef, ast.Assign, ast.Expr, ast.Pass)

# every class a snippet defined, with the names its own body defined
_USER: weakref.WeakKeyDictionary[type, frozenset[str]] = weakref.WeakKeyDictionary()


def is_user_class(obj: Any) -> bool:
    return isinstance(obj, type) and obj in _USER


def define_class(interp: Any, node: ast.ClassDef) -> type:
    """Run a ``class`` statement: its body in a scope of its own, then ``type(...)``."""
    if node.keywords or node.decorator_list:
        raise _not_allowed("class keywords and class decorators", node)
    bases = tuple(_base(interp.eval(b), b) for b in node.bases) or (object,)
    ns: dict[str, Any] = {}
    root = getattr(interp, "root", interp)
    body = root.frame(None, ns, closure=getattr(interp, "closure_env", interp.env))
    body.closure_env = getattr(interp, "closure_env", interp.env)  # methods skip the class body
    for stmt in node.body:
        if not isinstance(stmt, _BODY_STATEMENTS):
            what = type(stmt).__name__.lower().replace("augassign", "augmented assignment")
            raise _not_allowed(f"'{what}' in a class body", stmt,
                               "; a class body holds methods, attributes and a docstring")
        before = set(ns)
        if isinstance(stmt, ast.FunctionDef):
            body.line = body.scope.line = stmt.lineno
            ns[stmt.name] = define(body, stmt)
        else:
            body.exec_stmt(stmt)
        for name in set(ns) - before:
            if name.startswith("_") and name != "__init__":  # the library's machinery
                raise InputError(BAD_MEMBER.format(what=f"class member '{name}'",
                                                   where="{where}"), at(stmt))
    members = frozenset(ns)
    users: list[UserFunction] = []
    namespace: dict[str, Any] = {"__module__": "__main__", "__qualname__": node.name}
    for k, v in ns.items():
        inner = v
        while isinstance(inner, _Decorated):
            inner = inner.inner
        if isinstance(inner, UserFunction):
            users.append(inner)
        namespace[k] = as_python(v)
    try:
        cls = type(node.name, bases, namespace)
    except TypeError as e:
        raise InputError(errors.PARSE_BAD_VALUE.format(what=f"class {node.name}: {e}",
                                                       where="{where}"), at(node)) from None
    for fn in users:
        fn.owner = cls
    _USER[cls] = members
    return cls


def _base(value: Any, node: ast.AST) -> type:
    cls = value.fn if isinstance(value, names.Function) else value
    ok = cls is object or is_user_class(cls) or (
        isinstance(cls, type) and ((cls.__module__, cls.__name__) == _FUNCTION or (
            _derives(cls, _MODULE) and cls.__module__.startswith("symgrad.nn."))))
    if not ok:
        shown = getattr(cls, "__name__", type(cls).__name__)
        raise InputError(BAD_BASE.format(what=repr(shown), where="{where}"), at(node))
    return cls


def _class_members(cls: type) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for c in cls.__mro__:
        out |= _USER.get(c, frozenset())
    return out


def _user_type(obj: Any) -> type | None:
    """The user class of ``obj`` (an instance, or a ``super()`` proxy), if any."""
    cls = obj.__self_class__ if isinstance(obj, super) else type(obj)
    if not isinstance(cls, type):  # super(A): unbound, not a way in
        return None
    return cls if any(c in _USER for c in cls.__mro__) else None


def _instance_attributes(obj: Any) -> set[str]:
    try:
        d = vars(obj)
    except TypeError:  # no __dict__
        return set()
    keys = {k for k in d if not k.startswith("_")}
    if _derives(type(obj), _MODULE):
        for table in ("_parameters", "_modules", "_buffers"):
            keys |= set(d.get(table, {}))
    return keys


def _kind_members(obj: Any) -> tuple[frozenset[str], frozenset[str]]:
    kind = names.object_kind(obj)
    return names.OBJECT_MEMBERS[kind] if kind is not None else (frozenset(), frozenset())


def _derives(cls: Any, *where: tuple[str, str]) -> bool:
    """Whether class ``cls`` derives from a library class named by (module, name): read
    from the MRO, so that this whitelist imports neither ``nn`` nor ``autograd``."""
    return isinstance(cls, type) and any((c.__module__, c.__name__) in where
                                         for c in cls.__mro__)


_FUNCTION = ("symgrad.autograd.function", "Function")
_MODULE = ("symgrad.nn.module", "Module")
_CTX = (("symgrad.autograd.function_ctx", "FunctionCtx"),
        ("symgrad.autograd.function_base", "PlainCtx"))


def _is_ctx(obj: Any) -> bool:
    return _derives(type(obj), *_CTX)


def get_attribute(interp: Any, obj: Any, attr: str, node: ast.AST) -> Any:
    """``obj.attr`` for user classes, their objects (and ``super()``) and a Function's
    ``ctx``; :data:`_NOTHING` when ``obj`` is none of these."""
    pos = at(node)
    if is_user_class(obj):
        allowed = _class_members(obj) - {"__init__"}
        if _derives(obj, _FUNCTION):
            allowed |= {"apply"}
        methods: frozenset[str] = frozenset()
    elif isinstance(obj, super) and _user_type(obj) is not None:
        if attr == "__init__":
            return names.Function("__init__", obj.__init__)
        allowed = _class_members(obj.__self_class__)
        methods = _kind_members(obj.__self__)[1]
    elif _user_type(obj) is not None:
        attributes, methods = _kind_members(obj)
        allowed = (_class_members(type(obj)) - {"__init__"}) | _instance_attributes(obj) \
            | attributes
    elif _is_ctx(obj):
        allowed = _CTX_ATTRIBUTES | _instance_attributes(obj) | names.NODE_ATTRIBUTES - {"name"}
        methods = _CTX_METHODS | {"name"}
    else:
        return _NOTHING
    if attr.startswith("_"):
        raise InputError(BAD_MEMBER.format(what=f"attribute '{attr}'", where="{where}"), pos)
    if attr not in allowed and attr not in methods and _user_type(obj) is not None \
            and not is_user_class(obj) and not isinstance(obj, super) \
            and attr not in dir(type(obj)):  # not there at all: Python's catchable error
        raise ApiError(AttributeError(f"'{type(obj).__name__}' object has no attribute '{attr}'"),
                       pos)
    if attr not in allowed and attr not in methods:
        raise InputError(errors.PARSE_UNKNOWN_ATTRIBUTE.format(
            name=attr, owner=f"'{type(obj).__name__}'", where="{where}",
            suggestion=suggest(attr, allowed | methods)), pos)
    value = interp._call(getattr, (obj, attr), {}, pos, count=False)
    if attr in methods or (attr == "apply" and is_user_class(obj)) or _is_method(value):
        return names.Function(attr, value)
    return value


def _is_method(value: Any) -> bool:
    return is_user_callable(value)


def set_attribute(interp: Any, obj: Any, attr: str, value: Any, node: ast.AST) -> bool:
    """``obj.attr = value`` on a user object or a ``ctx``; ``False`` when ``obj`` is
    neither (the caller applies its own rules)."""
    if is_user_class(obj):
        raise _not_allowed(f"setting class attribute '{attr}'", node,
                           "; set it in the class body")
    if not _attributes_writable(obj):
        return False
    _check_member(obj, attr, "setting", node)
    interp._call(setattr, (obj, attr, value), {}, at(node), count=False)
    return True


def delete_attribute(interp: Any, obj: Any, attr: str, node: ast.AST) -> bool:
    """``del obj.attr`` / ``delattr(obj, attr)`` on a user object, an ``nn.Module`` (its
    parameters, buffers and submodules too) or a ``ctx``; ``False`` for anything else."""
    if is_user_class(obj) or not _attributes_writable(obj):
        return False
    _check_member(obj, attr, "deleting", node)
    if attr not in _instance_attributes(obj):  # Python's catchable error
        raise ApiError(AttributeError(f"'{type(obj).__name__}' object has no attribute '{attr}'"),
                       at(node))
    interp._call(delattr, (obj, attr), {}, at(node), count=False)
    return True


def _attributes_writable(obj: Any) -> bool:
    """Objects whose public instance attributes snippet code may set and delete."""
    return _user_type(obj) is not None or _is_ctx(obj) or _derives(type(obj), _MODULE)


def _check_member(obj: Any, attr: str, verb: str, node: ast.AST) -> None:
    """Refuse private names and the names the library's classes define (methods...)."""
    if not attr.isidentifier():
        raise _not_allowed(f"{verb} attribute {attr!r}", node,
                           "; an attribute name is a plain identifier")
    if attr.startswith("_"):
        raise InputError(BAD_MEMBER.format(what=f"{verb} attribute '{attr}'", where="{where}"),
                         at(node))
    library = [c for c in type(obj).__mro__ if c not in _USER and c is not object]
    if any(attr in vars(c) for c in library) and attr not in _instance_attributes(obj):
        raise _not_allowed(f"{verb} attribute '{attr}'", node,
                           f"; '{attr}' belongs to {library[0].__name__}")


def call_target(fn: Any) -> Any:
    """A user class as something snippet code may call (``Net()``), else ``fn``."""
    if is_user_class(fn):
        return names.Function(fn.__name__, fn)
    return fn
