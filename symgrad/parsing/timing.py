"""``torch.utils.benchmark.Timer`` under ``symgrad run``: the statement is snippet code.

PyTorch's ``Timer`` compiles its ``stmt`` string; here the string goes through the
same whitelist parser as the snippet (:func:`.validate.parse`) and the interpreter
runs it, in a copy of the ``globals`` it was given (``globals()`` is the snippet's
own names), so a timed statement can do nothing the snippet could not. Each
``timeit(number)`` counts its runs against the loop budget.

>>> from symgrad.parsing.limits import Budget, Limits
>>> from symgrad.parsing.interp import Interpreter
>>> from symgrad.parsing.validate import parse
>>> it = Interpreter(Budget(Limits()))
>>> src = ("from torch.utils.benchmark import Timer\\n"
...        "m = Timer(stmt='y = x * 2', globals={'x': 3}).timeit(5)\\nn = m.number_per_run")
>>> it.run(parse(src, "exec").body)
>>> it.env["n"]
5
"""

from __future__ import annotations

import ast
import inspect
from typing import Any

from .errors import at
from .expressions import ApiError, _not_allowed
from .validate import parse


def is_timer(fn: Any) -> bool:
    """Whether whitelisted function ``fn`` is ``torch.utils.benchmark.Timer``."""
    target = getattr(fn, "fn", None)
    return isinstance(target, type) and target.__name__ == "Timer" \
        and target.__module__ == "symgrad.utils.benchmark"


def make_timer(interp: Any, cls: type, args: tuple, kwargs: dict, node: ast.AST) -> Any:
    """``Timer(stmt, setup, globals=..., label=...)`` whose runs the interpreter makes."""
    pos = at(node)
    try:
        bound = inspect.signature(cls).bind(*args, **kwargs)
    except TypeError as e:
        raise ApiError(TypeError(f"Timer(): {e}"), pos) from None
    given = dict(bound.arguments)
    if "timer" in given:
        raise _not_allowed("Timer(timer=...)", node, "; symgrad run times with its own clock")
    stmt, setup = given.get("stmt", "pass"), given.get("setup", "pass")
    if not isinstance(stmt, str) or not isinstance(setup, str):
        raise ApiError(ValueError("Currently only a `str` stmt is supported."), pos)
    env = dict(given.pop("globals", None) or {})
    limits = interp.budget.limits
    body = parse(inspect.cleandoc(stmt), "exec", limits).body
    setup_body = parse(inspect.cleandoc(setup), "exec", limits).body
    root = getattr(interp, "root", interp)

    def run(number: int) -> None:
        interp.budget.check_loop(number, pos)
        sub = type(root)(interp.budget, env=env, filename=interp.filename, write=interp.write)
        sub.exec_block(setup_body)
        for _ in range(number):
            interp.budget.tick(pos)
            sub.exec_block(body)

    return interp._call(cls.interpreted, (run,), given, pos, count=False)
