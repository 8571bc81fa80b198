"""Loops, comprehensions and dict literals for ``symgrad run``, each one bounded.

* ``while``: every iteration counts against the snippet's loop budget
  (``Limits.max_loop_iterations``, for all loops together) and looks at the clock.
* ``for x in xs`` and comprehensions iterate a *snapshot* of ``xs``: a list,
  tuple, dict (its keys), string, tensor (its rows, which are views), or what a
  whitelisted call returned (``model.parameters()``, ``d.items()``). The length
  is checked against the loop budget before the snapshot is made, and a
  generator is read at most one item past the budget.
* A comprehension's result grows one checked item at a time (the sequence
  limit), like ``list.append``; its variables live in a scope of their own.

>>> from symgrad.parsing.validate import parse
>>> from symgrad.parsing.limits import Budget, Limits
>>> from symgrad.parsing.interp import Interpreter
>>> it = Interpreter(Budget(Limits()))
>>> it.run(parse("d = {'a': 1}\\nys = [v * k for k, v in enumerate([3, 4])]\\n", "exec").body)
>>> it.env["ys"], it.env["d"]
([0, 4], {'a': 1})
"""

from __future__ import annotations

import ast
import operator
import types
from collections.abc import Iterable
from typing import Any

from .. import errors
from ..eager.tensor import Tensor
from . import names
from .errors import InputError, Position, at
from .expressions import ApiError, _Break, _Continue

# the iterables a whitelisted call may hand back: read lazily, at most one past the budget
_LAZY = (types.GeneratorType, type({}.keys()), type({}.values()), type({}.items()), range,
         enumerate, zip, reversed)


def items(interp: Any, value: Any, node: ast.AST) -> list[Any]:
    """A bounded snapshot of what ``for x in value`` visits; Python's ``TypeError`` for
    what cannot be iterated."""
    pos = at(node)
    budget = interp.budget
    if isinstance(value, (list, tuple, str, dict)):
        budget.check_loop(len(value), pos)
        return list(value)
    if isinstance(value, Tensor):
        if value.dim() == 0:
            raise ApiError(TypeError("iteration over a 0-d tensor"), pos)
        n = int(value.shape[0])
        budget.check_loop(n, pos)
        return [interp._call(operator.getitem, (value, i), {}, pos, count=False)
                for i in range(n)]
    if isinstance(value, _LAZY):
        if isinstance(value, range):
            budget.check_loop(len(value), pos)
        out: list[Any] = []
        limit = budget.limits.max_loop_iterations
        for x in value:
            out.append(x)
            if len(out) > limit:
                budget.check_loop(len(out), pos)
        return out
    if names.object_kind(value) in ("dataloader", "dataset"):  # torch.utils.data
        return _library_data(interp, value, pos)
    raise ApiError(TypeError(f"'{_type_name(value)}' object is not iterable"), pos)


_LIBRARY_DATASETS = ("TensorDataset", "ConcatDataset")


def _library_data(interp: Any, value: Any, pos: Position) -> list[Any]:
    """The batches of a ``DataLoader`` (or the samples of a dataset) over library
    datasets only: a snippet's own ``__getitem__`` is not called from library code."""
    ds = value.dataset if type(value).__name__ == "DataLoader" else value
    while type(ds).__name__ == "Subset" and type(ds).__module__ == "symgrad.utils.data":
        ds = ds.dataset
    library = type(ds).__module__ == "symgrad.utils.data" and \
        type(ds).__name__ in _LIBRARY_DATASETS
    if not (library or isinstance(ds, (list, tuple, range))):
        raise InputError(errors.PARSE_NOT_ALLOWED.format(
            what=f"a DataLoader over a {type(ds).__name__}", is_are="is",
            where="{where}", hint="; use torch.utils.data.TensorDataset"), pos)
    budget = interp.budget
    budget.check_loop(len(value), pos)
    if library:  # the batches copy the samples: room for them before they are stacked
        arrays = [t._data for t in _dataset_tensors(ds) if t._data is not None]
        nbytes = sum(a.nbytes for a in arrays)
        budget.check_room(nbytes, pos)
        budget.check_elements(sum(a.size for a in arrays), pos)
    batches = list(value)
    for batch in batches:
        for t in batch if isinstance(batch, (list, tuple)) else (batch,):
            if isinstance(t, Tensor) and t._data is not None:
                budget.hold(t._data, pos)
    return batches


def _dataset_tensors(ds: Any) -> list[Tensor]:
    """The tensors a library dataset reads from (``ConcatDataset``: all of its parts)."""
    if type(ds).__name__ == "ConcatDataset":
        return [t for part in ds.datasets for t in _dataset_tensors(part)]
    while type(ds).__name__ == "Subset":
        ds = ds.dataset
    return list(getattr(ds, "tensors", ()))


def _type_name(value: Any) -> str:
    return "Tensor" if isinstance(value, Tensor) else type(value).__name__


def exec_while(interp: Any, node: ast.While) -> None:
    """``while test: body``: each iteration ticks the loop budget and the clock."""
    pos = at(node)
    while interp._truth(interp.eval(node.test), node.test):
        interp.budget.tick(pos)
        try:
            interp.exec_block(node.body)
        except _Break:
            break
        except _Continue:
            continue


def exec_for(interp: Any, node: ast.For) -> None:
    """``for target in iterable: body`` over a bounded snapshot (``range`` stays lazy)."""
    it = node.iter
    if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" \
            and "range" not in interp.env:
        values: Iterable[Any] = range_of(interp, it)
    else:
        values = items(interp, interp.eval(it), it)
    for v in values:
        interp.budget.tick(at(node))
        interp._store(node.target, v)
        try:
            interp.exec_block(node.body)
        except _Break:
            break
        except _Continue:
            continue


def range_of(interp: Any, call: ast.Call) -> range:
    """``range(...)`` of a loop or comprehension: integer bounds, length within budget."""
    if call.keywords or not 1 <= len(call.args) <= 3:
        raise InputError(errors.PARSE_BAD_VALUE.format(
            what="range() takes one to three integers", where="{where}"), at(call))
    bounds = [interp.eval(a) for a in call.args]
    if not all(isinstance(b, int) for b in bounds):
        raise InputError(errors.PARSE_BAD_VALUE.format(
            what="range() takes integers", where="{where}"), at(call))
    try:
        rng = range(*bounds)
    except ValueError as e:
        raise InputError(errors.PARSE_BAD_VALUE.format(what=f"range(): {e}", where="{where}"),
                         at(call)) from None
    interp.budget.check_loop(len(rng), at(call))
    return rng


def eval_dict(interp: Any, node: ast.Dict) -> dict:
    """``{k: v, ...}``: keys must be hashable values (numbers, text, tensors...)."""
    out: dict[Any, Any] = {}
    interp.budget.check_sequence(len(node.keys), at(node))
    for k, v in zip(node.keys, node.values):
        key = interp.eval(k)  # validate.py refused **-unpacking: k is never None
        _check_key(key, k)
        out[key] = interp.eval(v)
    return out


def _check_key(key: Any, node: ast.AST) -> None:
    """Python's error for a key that cannot be hashed (a list, a set, a dict...)."""
    try:
        hash(key)
    except TypeError as e:
        raise ApiError(e, at(node)) from None


def eval_comprehension(interp: Any, node: ast.expr) -> Any:
    """A list, set, dict or generator comprehension (a generator becomes a list: it is
    read at once, within the same budgets)."""
    pos = at(node)
    scope = interp.frame(None, {}, closure=getattr(interp, "closure_env", interp.env))
    out: list[Any] = []
    keys: list[Any] = []

    def emit() -> None:
        interp.budget.check_sequence(len(out) + 1, pos)
        interp.budget.new_items(1, pos)
        if isinstance(node, ast.DictComp):
            key = scope.eval(node.key)
            _check_key(key, node.key)
            keys.append(key)
            out.append(scope.eval(node.value))
        else:
            out.append(scope.eval(node.elt))  # type: ignore[attr-defined]

    _generate(interp, scope, node.generators, 0, emit, pos)  # type: ignore[attr-defined]
    if isinstance(node, ast.DictComp):
        return dict(zip(keys, out))
    if isinstance(node, ast.SetComp):
        try:
            return set(out)
        except TypeError as e:
            raise ApiError(e, pos) from None
    return out


def _generate(interp: Any, scope: Any, gens: list[ast.comprehension], k: int, emit: Any,
              pos: Position | None) -> None:
    if k == len(gens):
        emit()
        return
    g = gens[k]
    it = g.iter
    # the first iterable is evaluated outside the comprehension's scope, as in Python
    where = interp if k == 0 else scope
    if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" \
            and "range" not in where.env:
        values: Iterable[Any] = range_of(where, it)
    else:
        values = items(interp, where.eval(it), it)
    for v in values:
        interp.budget.tick(pos)
        scope._store(g.target, v)
        if all(scope._truth(scope.eval(c), c) for c in g.ifs):
            _generate(interp, scope, gens, k + 1, emit, pos)
