"""``torch.func.functional_call``: call a module with some of its tensors swapped.

The given tensors stand in for the module's parameters and buffers (by their
dotted path, as in ``named_parameters()``) for one call, and the originals
come back afterwards, also when the call raises. The stand-ins enter the
module's tables as they are (a plain tensor, a dual tensor, a tensor a
transform tracks), so the call differentiates with respect to them:
``func.grad``, ``func.jvp``, ``jacrev`` and forward-mode duals all see
through it. Errors are PyTorch's (``torch/nn/utils/stateless.py``).

>>> import symgrad as sg
>>> lin = sg.nn.Linear(2, 1)
>>> w = sg.tensor([[1., 2.]])
>>> functional_call(lin, {"weight": w, "bias": sg.zeros(1)}, (sg.ones(1, 2),))
tensor([[3.]])
>>> lin.weight is not w    # the module is left as it was
True
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..eager.tensor import Tensor

_MISSING = object()  # "no such attribute": put back by deleting it


def functional_call(module: Any, parameter_and_buffer_dicts: Any, args: Any = None,
                    kwargs: dict[str, Any] | None = None, *, tie_weights: bool = True,
                    strict: bool = False) -> Any:
    """``module(*args, **kwargs)`` with its parameters and buffers replaced by the given ones.

    ``parameter_and_buffer_dicts`` is a dict ``{path: tensor}`` or a tuple/list of such
    dicts (no path in two of them). ``args`` that is not a tuple is the one argument.
    With ``tie_weights`` a tensor given for one of several tied names (the same tensor
    registered twice) replaces all of them; with ``strict`` the keys must be exactly the
    module's parameter and buffer paths.

    >>> import symgrad as sg
    >>> lin = sg.nn.Linear(1, 1)
    >>> functional_call(lin, ({"weight": sg.tensor([[2.]])}, {"bias": sg.tensor([1.])}),
    ...                 sg.tensor([[3.]]))
    tensor([[7.]])
    """
    given = _merge(parameter_and_buffer_dicts)
    if kwargs is None:
        kwargs = {}
    if not isinstance(args, tuple):
        args = (args,)
    with reparametrize(module, given, tie_weights=tie_weights, strict=strict):
        return module(*args, **kwargs)


def _merge(dicts: Any) -> dict[str, Any]:
    if isinstance(dicts, dict):
        return dicts
    if isinstance(dicts, Sequence) and not isinstance(dicts, str):
        if not all(isinstance(d, dict) for d in dicts):
            raise ValueError("Expected all elements of parameter_and_buffer_dicts to be "
                             "dictionaries")
        counts: dict[str, int] = {}
        for d in dicts:
            for k in d:
                counts[k] = counts.get(k, 0) + 1
        repeated = [k for k, n in counts.items() if n > 1]
        if repeated:
            raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of "
                             "functional call is ambiguous")
        return {k: v for d in dicts for k, v in d.items()}
    raise ValueError("Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of "
                     f"dicts, but got {type(dicts)}")


def _named_tensors(module: Any) -> list[tuple[str, Tensor]]:
    return list(module.named_parameters(remove_duplicate=False)) + list(
        module.named_buffers(remove_duplicate=False))


def _untie(module: Any, given: dict[str, Any]) -> dict[str, Any]:
    """``given`` with every name tied to a given one (the same tensor) added."""
    groups: dict[int, list[str]] = {}
    for name, t in _named_tensors(module):
        groups.setdefault(id(t), []).append(name)
    tied = {n: names for names in groups.values() if len(names) > 1 for n in names}
    untied = dict(given)
    for name in [n for n in given if n in tied]:
        names = tied[name]
        values = {id(given[n]) for n in names if n in given}
        if len(values) > 1:
            raise ValueError(f"functional_call got multiple values for keys {sorted(names)}, "
                             "which are tied. Consider using tie_weights=False")
        for n in names:
            untied[n] = given[name]
    return untied


def _check_keys(module: Any, given: dict[str, Any]) -> None:
    valid = {n for n, _ in _named_tensors(module)}
    missing, unexpected = sorted(valid - set(given)), sorted(set(given) - valid)
    msgs = []
    if unexpected:
        msgs.append(f"Unexpected key(s): {', '.join(map(repr, unexpected))}.")
    if missing:
        msgs.append(f"Missing key(s): {', '.join(map(repr, missing))}.")
    if msgs:
        raise RuntimeError(f"Error(s) in reparametrizing for {module._get_name()}:\n\t"
                           + "\n\t".join(msgs))


def _swap(module: Any, path: str, value: Any) -> Any:
    """Put ``value`` at ``path`` in ``module``; return what was there (or :data:`_MISSING`)."""
    owner_path, _, name = path.rpartition(".")
    owner = module
    for part in owner_path.split(".") if owner_path else ():
        if part not in owner._modules:
            raise AttributeError(f"{owner._get_name()} has no attribute `{part}`")
        owner = owner._modules[part]
    if value is not _MISSING and value is not None and not isinstance(value, Tensor):
        raise TypeError(f"{value} is not an instance of torch.Tensor")
    if not name:
        raise KeyError('tensor name can\'t be empty string ""')
    for table in (owner._parameters, owner._buffers):
        if name in table:
            old = table[name]
            if value is _MISSING:
                del table[name]
            else:
                table[name] = value
            return old
    old = owner.__dict__.get(name, _MISSING)
    if old is not _MISSING and not isinstance(old, Tensor):
        raise TypeError(f"attribute `{name}`: {old} is not an instance of torch.Tensor")
    if value is _MISSING:
        owner.__dict__.pop(name, None)
    else:
        owner.__dict__[name] = value
    return old


@contextmanager
def reparametrize(module: Any, given: dict[str, Any], *, tie_weights: bool = True,
                  strict: bool = False) -> Iterator[None]:
    """Within the block, ``module``'s tensors at the paths of ``given`` are ``given``'s."""
    if tie_weights:
        given = _untie(module, given)
    if strict:
        _check_keys(module, given)
    originals: list[tuple[str, Any]] = []
    try:
        for path, value in given.items():
            originals.append((path, _swap(module, path, value)))
        yield
    finally:
        for path, old in reversed(originals):
            _swap(module, path, old)
