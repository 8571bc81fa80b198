"""The whitelist interpreter: walks a checked AST and calls symgrad directly.

Values live in a plain dict of variables. Names resolve to those
variables, to a few safe builtins, or to :class:`~.names.Namespace`
objects (``torch``); attributes resolve only through the lists in
:mod:`.names`, by the type of the object. Every size is checked before the
call that would create it (:mod:`.estimate`, :class:`~.limits.Budget`).
This module runs statements; expressions are evaluated by
:class:`~.expressions.Evaluator`, which :class:`Interpreter` extends.

>>> from symgrad.parsing.validate import parse
>>> from symgrad.parsing.limits import Budget, Limits
>>> it = Interpreter(Budget(Limits()), env={"x": 3})
>>> it.eval(parse("x * 2 + 1", "eval").body)
7
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

from .. import errors
from ..eager import culprit
from ..eager.inference import inference_mode
from ..eager.tensor import Tensor
from ..tape.forward_ad import dual_level
from ..tape.grad_mode import _GradMode
from . import classes, functions, loops, names, pybuiltins, timing
from .errors import InputError, at
from .expressions import _INPLACE, ApiError, Evaluator, _Break, _Continue, _not_allowed, check_name
from .limits import Budget


class Interpreter(Evaluator):
    """Evaluate checked AST nodes against ``env`` within ``budget``."""

    def __init__(self, budget: Budget, env: dict[str, Any] | None = None,
                 filename: str = "<expr>", write: Callable[[str], None] | None = None,
                 on_assign: Callable[[str, Any], None] | None = None,
                 on_call: Callable[[str, Any, tuple], None] | None = None) -> None:
        self.budget = budget
        self.env: dict[str, Any] = {} if env is None else env
        self.filename = filename
        self.write = write or (lambda s: None)
        self.on_assign = on_assign
        self.on_call = on_call
        self.line = 1
        self.depth = 0  # user function calls running (functions.py bounds it)
        # in-place ops name their culprit (`c.zero_()` at snippet.py:4) from this scope
        self.scope = culprit.ScriptScope(filename, self.env)

    def run(self, body: list[ast.stmt]) -> None:
        """Execute a module body, with in-place ops attributed to the snippet's lines."""
        culprit.SCRIPTS.append(self.scope)
        self.running = True  # user functions the library calls later (the report) print nothing
        try:
            self.exec_block(body)
        finally:
            self.running = False
            culprit.SCRIPTS.remove(self.scope)

    # ------------------------------------------------------------ statements
    def exec_block(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self.exec_stmt(stmt)

    def exec_stmt(self, node: ast.stmt) -> None:
        self.line = self.scope.line = node.lineno
        self.budget.check_time(at(node))
        getattr(self, "_exec_" + type(node).__name__)(node)

    def _exec_Expr(self, node: ast.Expr) -> None:
        self.eval(node.value)

    def _exec_Pass(self, node: ast.Pass) -> None:
        pass

    def _exec_Break(self, node: ast.Break) -> None:
        raise _Break

    def _exec_Continue(self, node: ast.Continue) -> None:
        raise _Continue

    def _exec_Assert(self, node: ast.Assert) -> None:
        if not self._truth(self.eval(node.test), node):
            msg = self.eval(node.msg) if node.msg is not None else None
            raise ApiError(AssertionError("" if msg is None else str(msg)), at(node))

    def _exec_Assign(self, node: ast.Assign) -> None:
        value = self.eval(node.value)
        for target in node.targets:
            self._store(target, value)

    def _exec_AugAssign(self, node: ast.AugAssign) -> None:
        op = _INPLACE[type(node.op)]
        t = node.target
        if isinstance(t, ast.Name):
            old = self._load_name(t)
            self._store(t, self._binop(op, old, self.eval(node.value), node))
        elif isinstance(t, ast.Subscript):
            obj, idx = self.eval(t.value), self.eval(t.slice)
            self._precheck("getitem", (obj, idx), {}, at(t))
            old = self._call(operator.getitem, (obj, idx), {}, at(t))
            new = self._binop(op, old, self.eval(node.value), node)
            self._setitem(obj, idx, new, t)
        else:  # Attribute
            obj = self.eval(t.value)
            old = self._getattr(obj, t.attr, t)
            new = self._binop(op, old, self.eval(node.value), node)
            self._setattr(obj, t.attr, new, t)

    def _exec_If(self, node: ast.If) -> None:
        self.exec_block(node.body if self._truth(self.eval(node.test), node) else node.orelse)

    # loops, comprehensions and dict literals: loops.py bounds each one
    def _exec_For(self, node: ast.For) -> None:
        loops.exec_for(self, node)

    def _exec_While(self, node: ast.While) -> None:
        loops.exec_while(self, node)

    def _eval_ListComp(self, node: ast.ListComp) -> Any:
        return loops.eval_comprehension(self, node)

    _eval_SetComp = _eval_DictComp = _eval_GeneratorExp = _eval_ListComp

    def _eval_Dict(self, node: ast.Dict) -> dict:
        return loops.eval_dict(self, node)

    def _exec_With(self, node: ast.With) -> None:
        if len(node.items) != 1 or node.items[0].optional_vars is not None:
            raise InputError(errors.PARSE_NOT_ALLOWED.format(
                what="this form of with", is_are="is", where="{where}",
                hint="; write with torch.no_grad():"), at(node))
        ctx = self.eval(node.items[0].context_expr)
        hooks = (type(ctx).__module__, type(ctx).__name__) == (
            "symgrad.autograd.graph", "saved_tensors_hooks")  # parsing does not import autograd
        if not isinstance(ctx, (_GradMode, inference_mode, dual_level)) and not hooks:
            raise InputError(errors.PARSE_NOT_ALLOWED.format(
                what="with blocks other than no_grad(), enable_grad(), set_grad_enabled(), "
                     "inference_mode(), forward_ad.dual_level() and "
                     "autograd.graph.saved_tensors_hooks()",
                is_are="are", where="{where}", hint=""), at(node.items[0].context_expr))
        with ctx:
            self.exec_block(node.body)

    # def, class, return, try, raise, global/nonlocal: functions.py and classes.py
    def _exec_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._store(ast.Name(node.name, ast.Store(), lineno=node.lineno,
                             col_offset=node.col_offset), functions.define(self, node))

    def _exec_ClassDef(self, node: ast.ClassDef) -> None:
        self._store(ast.Name(node.name, ast.Store(), lineno=node.lineno,
                             col_offset=node.col_offset), classes.define_class(self, node))

    def _exec_Return(self, node: ast.Return) -> None:
        functions.exec_return(self, node)

    def _exec_Global(self, node: ast.Global) -> None:
        functions.exec_scope_decl(self, node)

    _exec_Nonlocal = _exec_Global

    def _exec_Try(self, node: ast.Try) -> None:
        functions.exec_try(self, node)

    def _exec_Raise(self, node: ast.Raise) -> None:
        functions.exec_raise(self, node)

    def _eval_Lambda(self, node: ast.Lambda) -> Any:
        return functions.UserFunction(node, self, getattr(self, "closure_env", self.env))

    def _eval_JoinedStr(self, node: ast.JoinedStr) -> str:
        return functions.joined_str(self, node)

    def _invoke(self, fn: names.Function, args: tuple, kwargs: dict, node: Any) -> Any:
        if timing.is_timer(fn):  # torch.utils.benchmark.Timer: its stmt is snippet code
            return timing.make_timer(self, fn.fn, args, kwargs, node)
        return super()._invoke(fn, args, kwargs, node)

    def _user_callable(self, fn: Any) -> Any:
        if self._is_user(fn):
            return names.Function(getattr(fn, "name", getattr(fn, "__name__", "?")), fn)
        return fn

    def _is_user(self, fn: Any) -> bool:
        return functions.is_user_callable(fn) or classes.is_user_class(fn)

    def _object_attribute(self, obj: Any, attr: str, node: ast.AST) -> Any:
        return classes.get_attribute(self, obj, attr, node)

    def _run_builtin(self, name: str, node: ast.AST) -> names.Function | None:
        return pybuiltins.make(self, name, node)

    def _as_python(self, value: Any) -> Any:
        if self._is_user(value) or isinstance(value, functions._Decorated):
            return functions.as_python(value)
        return None

    def frame(self, fn: Any, local: dict[str, Any], closure: Any = None) -> Interpreter:
        """The interpreter of one call of user function ``fn`` (or, with ``fn=None``, of a
        class body), sharing this one's budget and output."""
        return Frame(fn, local, root=getattr(self, "root", self), closure=closure)

    def _exec_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            ns = names.module(alias.name)
            if ns is None:
                raise InputError(errors.PARSE_IMPORT.format(name=alias.name, where="{where}"),
                                 at(node))
            if alias.asname:
                self.env[alias.asname] = ns
            else:
                root = alias.name.split(".")[0]
                self.env[root] = names.module(root)

    def _exec_ImportFrom(self, node: ast.ImportFrom) -> None:
        ns = names.module(node.module or "") if not node.level else None
        if ns is None:
            raise InputError(errors.PARSE_IMPORT.format(name=node.module or ".", where="{where}"),
                             at(node))
        for alias in node.names:
            self.env[alias.asname or alias.name] = self._ns_attr(ns, alias.name, node)

    def _store(self, target: ast.expr, value: Any) -> None:
        if isinstance(target, ast.Name):
            if self.on_assign is not None:
                self.on_assign(target.id, value)
            self.env[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            if not isinstance(value, (tuple, list)) or len(value) != len(target.elts):
                n = len(value) if isinstance(value, (tuple, list)) else "a non-sequence"
                raise ApiError(ValueError(f"cannot unpack {n} values into {len(target.elts)} "
                                          "names"), at(target))
            for t, v in zip(target.elts, value):
                self._store(t, v)
        elif isinstance(target, ast.Subscript):
            self._setitem(self.eval(target.value), self.eval(target.slice), value, target)
        else:  # Attribute
            self._setattr(self.eval(target.value), target.attr, value, target)

    def _exec_Delete(self, node: ast.Delete) -> None:
        """``del name`` (of the current scope), ``del d[k]``, ``del xs[i]``, ``del obj.attr``."""
        stack = list(reversed(node.targets))
        while stack:
            target = stack.pop()
            if isinstance(target, (ast.Tuple, ast.List)):
                stack.extend(reversed(target.elts))
            elif isinstance(target, ast.Name):
                self._delname(target)
            elif isinstance(target, ast.Subscript):
                self._delitem(self.eval(target.value), self.eval(target.slice), target)
            else:  # Attribute
                self._delattr(self.eval(target.value), target.attr, target)

    def _delname(self, node: ast.Name) -> None:
        scope = getattr(self, "declared", {}).get(node.id, self.env)  # global x; del x
        local = scope.maps[0] if hasattr(scope, "maps") else scope  # a frame's own names
        if node.id not in local:
            if getattr(self, "fn", None) is not None and scope is self.env:  # Python's words
                raise ApiError(UnboundLocalError(
                    f"cannot access local variable '{node.id}' where it is not associated "
                    "with a value"), at(node))
            raise ApiError(NameError(f"name '{node.id}' is not defined"), at(node))
        del local[node.id]

    def _delitem(self, obj: Any, idx: Any, node: ast.AST) -> None:
        if isinstance(obj, Tensor):  # PyTorch's error
            raise ApiError(TypeError("Tensor does not support deleting items"), at(node))
        if not isinstance(obj, (dict, list)):
            raise _not_allowed(f"item deletion on {type(obj).__name__}", node,
                               "; del d[key] works on dicts and lists")
        self._call(operator.delitem, (obj, idx), {}, at(node), count=False)

    def _delattr(self, obj: Any, attr: str, node: ast.AST) -> None:
        if not classes.delete_attribute(self, obj, attr, node):
            raise _not_allowed(f"deleting attribute '{attr}'", node,
                               "; only attributes of nn.Module objects, objects of classes "
                               "the snippet defined and a custom Function's ctx")

    def _setitem(self, obj: Any, idx: Any, value: Any, node: ast.AST) -> None:
        if isinstance(obj, dict):
            self._call(operator.setitem, (obj, idx, value), {}, at(node), count=False)
            return
        if not isinstance(obj, (Tensor, list)):
            raise _not_allowed(f"item assignment on {type(obj).__name__}", node)
        self._precheck("getitem", (obj, idx), {}, at(node))  # the indices broadcast alike
        self._call(operator.setitem, (obj, idx, value), {}, at(node))

    def _setattr(self, obj: Any, attr: str, value: Any, node: ast.AST) -> None:
        if classes.set_attribute(self, obj, attr, value, node):  # user objects and a Function's ctx
            return
        if not isinstance(obj, Tensor) or attr not in names.TENSOR_SETTABLE:
            raise _not_allowed(f"setting attribute '{attr}'", node,
                               "; settable: " + ", ".join(sorted(names.TENSOR_SETTABLE)))
        if attr == "name":
            check_name(value, at(node))
        self._call(setattr, (obj, attr, value), {}, at(node))


class Frame(functions.FrameScope, Interpreter):
    """The interpreter of one call of a user function (see :mod:`.functions`)."""
