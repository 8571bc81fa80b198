"""Parse user text with :mod:`ast` and refuse everything not on the whitelist.

This pass only *looks* at the tree: node types, nesting depth, dunder
names, literal sizes. Nothing is evaluated here, and nothing the user typed
is ever compiled to a code object (``ast.parse`` stops at the tree).

>>> tree = parse("sum(a*a)", mode="eval")
>>> type(tree.body).__name__
'Call'
>>> parse("a.__class__", mode="eval")
Traceback (most recent call last):
...
symgrad.parsing.errors.InputError: attribute '__class__' is not allowed at column 1: names with double underscores are off limits
"""

from __future__ import annotations

import ast
import warnings

from .. import errors
from .errors import InputError, Position, at
from .limits import Limits

_EXPR_NODES = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Call, ast.Attribute,
    ast.Subscript, ast.Slice, ast.Name, ast.Constant, ast.List, ast.Tuple, ast.IfExp,
    ast.keyword, ast.Load, ast.Store,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.MatMult,
    ast.BitAnd, ast.BitOr, ast.USub, ast.UAdd, ast.Not, ast.Invert, ast.And, ast.Or,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.In, ast.NotIn,
)
_STMT_NODES = (
    ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.For, ast.With, ast.withitem, ast.If,
    ast.Pass, ast.Break, ast.Continue, ast.Import, ast.ImportFrom, ast.alias, ast.Assert,
    ast.Delete, ast.Del,
) + (  # functions, classes, f-strings, try (functions.py, classes.py): symgrad run only
    ast.FunctionDef, ast.ClassDef, ast.Return, ast.Global, ast.Nonlocal, ast.arguments, ast.arg,
    ast.Lambda, ast.Try, ast.ExceptHandler, ast.Raise, ast.JoinedStr, ast.FormattedValue,
    ast.Starred,
) + (  # loops, comprehensions and dicts (interp.py, loops.py): symgrad run only
    ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.comprehension,
    ast.Dict,
)

# what the constructs only `symgrad run` accepts are called in `diff`'s messages
_RUN_ONLY: dict[type, tuple[str, str]] = {
    ast.Lambda: ("lambda expressions", ""),
    ast.FunctionDef: ("function definitions (def)", ""),
    ast.ClassDef: ("class definitions", ""),
    ast.Global: ("global statements", ""),
    ast.Nonlocal: ("nonlocal statements", ""),
    ast.Starred: ("starred expressions (*x)", ""),
    ast.JoinedStr: ("f-strings", "; pass the values to print(...) separated by commas"),
    ast.FormattedValue: ("f-strings", ""),
    ast.Try: ("try statements", ""),
    ast.Raise: ("raise statements", ""),
    ast.Return: ("return statements", ""),
    ast.While: ("while loops", ""),
    ast.ListComp: ("comprehensions", ""),
    ast.SetComp: ("comprehensions", ""),
    ast.DictComp: ("comprehensions", ""),
    ast.GeneratorExp: ("generator expressions", ""),
    ast.comprehension: ("comprehensions", ""),
    ast.Dict: ("dict literals", ""),
    ast.Delete: ("del statements", ""),
}
# what each refused construct is called in messages, and what to do instead
_REFUSED: dict[type, tuple[str, str]] = {
    ast.AsyncFunctionDef: ("async functions", ""),
    ast.Set: ("set literals", ""),
    ast.NamedExpr: ("assignment expressions (:=)", ""),
    ast.Yield: ("yield", ""),
    ast.YieldFrom: ("yield", ""),
    ast.Await: ("await", ""),
    ast.AnnAssign: ("annotated assignments", "; write a = value"),
    ast.LShift: ("shift operators", ""),
    ast.RShift: ("shift operators", ""),
    ast.BitXor: ("the ^ operator", ""),
}


def _name(node: ast.AST) -> str:
    return type(node).__name__


def parse(text: str, mode: str, limits: Limits = Limits()) -> ast.AST:
    """The checked AST of ``text`` (``mode`` is ``"eval"`` or ``"exec"``)."""
    multiline = mode == "exec"
    try:
        if len(text) > limits.max_chars:
            raise InputError(errors.PARSE_TOO_LONG.format(n=len(text), limit=limits.max_chars))
        tree = _parse(text, mode)
        check(tree, mode, limits)
        _check_loop_control(tree)
    except InputError as e:
        e.multiline = multiline
        raise
    return tree


def _parse(text: str, mode: str) -> ast.AST:
    if "\x00" in text:
        raise InputError(errors.PARSE_SYNTAX.format(where="", detail="the text holds a NUL byte"))
    try:
        with warnings.catch_warnings():  # "invalid escape sequence" in a docstring: not ours
            warnings.simplefilter("ignore")
            return ast.parse(text, mode=mode)
    except SyntaxError as e:
        detail = (e.msg or "invalid syntax").split("\n")[0]
        pos = Position(e.lineno or 1, max((e.offset or 1) - 1, 0)) if e.lineno else None
        raise InputError(errors.PARSE_SYNTAX.format(where="{where}", detail=detail), pos) from None
    except (RecursionError, MemoryError, ValueError, OverflowError) as e:
        detail = "too deeply nested" if isinstance(e, (RecursionError, MemoryError)) else str(e)
        raise InputError(errors.PARSE_SYNTAX.format(where="", detail=detail)) from None


def check(tree: ast.AST, mode: str, limits: Limits) -> None:
    """Walk ``tree`` iteratively; raise :class:`InputError` at the first refused node."""
    allowed = _EXPR_NODES + (_STMT_NODES if mode == "exec" else ())
    stack: list[tuple[ast.AST, int, Position | None]] = [(tree, 0, None)]
    parts: set[int] = set()  # the nodes whose place makes them fine (`*args` in a call)
    while stack:
        node, depth, parent_pos = stack.pop()
        pos = at(node) or parent_pos
        if depth > limits.max_depth:
            raise InputError(errors.PARSE_TOO_DEEP.format(limit=limits.max_depth, where="{where}"),
                             pos)
        _check_node(node, allowed, pos, limits)
        if mode == "exec":
            _check_run_node(node, pos, parts)
        for child in ast.iter_child_nodes(node):
            stack.append((child, depth + 1, pos))


def _refuse(what: str, pos: Position | None, hint: str = "") -> InputError:
    head = what.split(" (")[0]  # "function definitions (def)" is plural too
    is_are = "is" if not head.endswith("s") or head.endswith("ss") else "are"
    return InputError(errors.PARSE_NOT_ALLOWED.format(what=what, is_are=is_are, where="{where}",
                                                      hint=hint), pos)


def _check_node(node: ast.AST, allowed: tuple, pos: Position | None, limits: Limits) -> None:
    if type(node) in _REFUSED or (type(node) in _RUN_ONLY and mode_is_eval(allowed)):
        what, hint = _REFUSED.get(type(node)) or _RUN_ONLY[type(node)]
        raise _refuse(what, pos, hint)
    if not isinstance(node, allowed):
        if isinstance(node, ast.stmt) and mode_is_eval(allowed):
            raise _refuse("statements", pos)
        raise _refuse(f"{_name(node)} syntax", pos)
    if isinstance(node, ast.Name) and _dunder(node.id):
        raise InputError(errors.PARSE_DUNDER.format(kind="name", name=node.id, where="{where}"),
                         pos)
    if isinstance(node, ast.Attribute) and node.attr.startswith("__") and not (
            node.attr == "__init__" and not mode_is_eval(allowed) and _is_super(node.value)) \
            and not (node.attr == "__name__" and not mode_is_eval(allowed)
                     and _is_type_of(node.value)):
        raise InputError(errors.PARSE_DUNDER.format(kind="attribute", name=node.attr,
                                                    where="{where}"), pos)
    if isinstance(node, ast.Attribute) and node.attr in _PRIVATE:
        raise InputError(errors.PARSE_PRIVATE.format(name=node.attr, where="{where}"), pos)
    if isinstance(node, ast.keyword):
        if node.arg is None and mode_is_eval(allowed):
            raise _refuse("**-arguments", pos)
        if node.arg is not None and _dunder(node.arg):
            raise InputError(errors.PARSE_DUNDER.format(kind="keyword", name=node.arg,
                                                        where="{where}"), pos)
    if isinstance(node, ast.Constant):
        _check_constant(node, pos, limits)
    if isinstance(node, (ast.For, ast.While)) and node.orelse:
        raise _refuse(("for" if isinstance(node, ast.For) else "while") + " ... else", pos)
    if isinstance(node, (ast.For, ast.comprehension)) and not _plain_target(node.target):
        raise _refuse("loop targets other than names (a, or a, (b, c))", pos)
    if isinstance(node, ast.comprehension) and node.is_async:
        raise _refuse("async comprehensions", pos)
    if isinstance(node, ast.Dict) and any(k is None for k in node.keys):
        raise _refuse("**-unpacking in a dict literal", pos)
    if isinstance(node, ast.alias) and node.asname and _dunder(node.asname):
        raise InputError(errors.PARSE_DUNDER.format(kind="name", name=node.asname,
                                                    where="{where}"), pos)


def _check_run_node(node: ast.AST, pos: Position | None, parts: set[int]) -> None:
    """The rules of the constructs only ``symgrad run`` accepts (functions.py, classes.py)."""
    if isinstance(node, ast.Call):
        parts.update(id(a) for a in node.args if isinstance(a, ast.Starred))
    elif isinstance(node, ast.Starred) and id(node) not in parts:
        raise _refuse("starred expressions (*x) outside a call's arguments", pos)
    if isinstance(node, ast.FunctionDef) and _dunder(node.name) and node.name != "__init__":
        raise InputError(errors.PARSE_NOT_ALLOWED.format(
            what=f"defining method '{node.name}'", is_are="is", where="{where}",
            hint="; __init__ is the only double-underscore method a snippet may define"), pos)
    if isinstance(node, ast.ClassDef) and (node.keywords or node.decorator_list):
        raise _refuse("class keywords (metaclass=...) and class decorators", pos)
    named = [getattr(node, "name", None)] if isinstance(
        node, (ast.ClassDef, ast.ExceptHandler)) else []
    named += list(node.names) if isinstance(node, (ast.Global, ast.Nonlocal)) else []
    named += [node.arg] if isinstance(node, ast.arg) else []
    for n in named:
        if n is not None and _dunder(n):
            raise InputError(errors.PARSE_DUNDER.format(kind="name", name=n, where="{where}"),
                             pos)


def _check_loop_control(tree: ast.AST) -> None:
    """``break``/``continue`` only inside a loop of the same function (Python's compiler
    says so, but ``ast.parse`` does not check it)."""
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, in_loop = stack.pop()
        if isinstance(node, (ast.Break, ast.Continue)) and not in_loop:
            word = "break" if isinstance(node, ast.Break) else "continue"
            raise InputError(errors.PARSE_SYNTAX.format(
                where="{where}", detail=f"'{word}' outside loop"), at(node))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            in_loop = False
        body = {id(c) for c in node.body} if isinstance(node, (ast.For, ast.While)) else ()
        for child in ast.iter_child_nodes(node):
            stack.append((child, in_loop or id(child) in body))


def _plain_target(node: ast.AST) -> bool:
    """A loop target: a name, or a tuple or list of targets (``for i, (a, b) in ...``);
    never an attribute or an item (``for x.grad in ...``)."""
    if isinstance(node, ast.Name):
        return True
    return isinstance(node, (ast.Tuple, ast.List)) and all(_plain_target(e) for e in node.elts)


def _is_type_of(node: ast.AST) -> bool:
    """``type(x)``: the one place ``.__name__`` may be named (``type(e).__name__``)."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
        and node.func.id == "type" and len(node.args) == 1 and not node.keywords


def _is_super(node: ast.AST) -> bool:
    """``super()`` or ``super(Cls, self)``: the one place ``.__init__`` may be named."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
        and node.func.id == "super"


# private attributes that look harmless but are not on any whitelist; refused early
_PRIVATE = frozenset({"_data", "_vc", "_record", "_saved", "_grad_fn"})


def _dunder(name: str) -> bool:
    return name.startswith("__")


def mode_is_eval(allowed: tuple) -> bool:
    return ast.Module not in allowed


def _check_constant(node: ast.Constant, pos: Position | None, limits: Limits) -> None:
    v = node.value
    if isinstance(v, bool) or v is None or v is Ellipsis or isinstance(v, (float, str)):
        return
    if isinstance(v, int):
        if v.bit_length() > limits.max_int_literal_bits:
            raise InputError(errors.PARSE_INT_LITERAL.format(
                bits=v.bit_length(), limit=limits.max_int_literal_bits, where="{where}"), pos)
        return
    kind = {bytes: "bytes literals", complex: "complex literals"}.get(type(v), "this literal")
    raise _refuse(kind, pos)
