"""Python builtins that ``symgrad run`` adds, each bounded and closed.

``enumerate``, ``zip``, ``list``, ``tuple``, ``sorted``, ``reversed``,
``any``, ``all`` read their arguments through :func:`.loops.items` (the loop
budget, before any list is made) and return plain lists. ``isinstance``
accepts only classes user text can already name. ``type(x)`` returns a
:class:`TypeName`: it prints like PyTorch's class (``<class 'torch.Tensor'>``)
and compares equal to the class it names, but has no attributes at all, so no
class object (and nothing reachable from one) ever reaches user text.

>>> from symgrad.parsing.validate import parse
>>> from symgrad.parsing.limits import Budget, Limits
>>> from symgrad.parsing.interp import Interpreter
>>> it = Interpreter(Budget(Limits()))
>>> it.run(parse("import torch\\nt = type(torch.ones(1))\\nz = list(zip([1, 2], 'ab'))", "exec").body)
>>> it.env["t"], it.env["z"]
(<class 'torch.Tensor'>, [(1, 'a'), (2, 'b')])
"""

from __future__ import annotations

import builtins
from typing import Any

from . import loops, names

RUN_BUILTINS = frozenset("enumerate zip list tuple sorted reversed any all isinstance type "
                         "repr setattr delattr dict globals".split())

# the classes PyTorch prints for symgrad's own (module paths as torch spells them)
_TORCH_CLASS = {"Tensor": "torch.Tensor", "Parameter": "torch.nn.parameter.Parameter",
                "Size": "torch.Size", "dtype": "torch.dtype", "device": "torch.device"}


class TypeName:
    """What ``type(x)`` gives user text: a printable class name, nothing else."""

    __slots__ = ("_cls",)

    def __init__(self, cls: type) -> None:
        object.__setattr__(self, "_cls", cls)

    def __repr__(self) -> str:
        cls = self._cls
        name = cls.__name__
        mod = cls.__module__
        if mod.startswith("symgrad"):
            if name in _TORCH_CLASS:
                return f"<class '{_TORCH_CLASS[name]}'>"
            mod = "torch" + mod[len("symgrad"):]
        if mod == "builtins":
            return f"<class '{name}'>"
        if mod.startswith("symgrad.parsing"):  # a class the snippet defined
            mod = "__main__"
        return f"<class '{mod}.{cls.__qualname__}'>"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return self._cls is _class_of(other)

    def __hash__(self) -> int:
        return hash(self._cls)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(name)


def _class_of(value: Any) -> type | None:
    if isinstance(value, TypeName):
        return value._cls
    if isinstance(value, names.Function) and isinstance(value.fn, type):
        return value.fn
    if isinstance(value, names.Function) and value.name in ("list", "tuple", "dict"):
        return {"list": list, "tuple": tuple, "dict": dict}[value.name]
    if isinstance(value, type):  # a class the snippet defined (classes.py)
        return value
    return None


def make(interp: Any, name: str, node: Any) -> names.Function | None:
    """The bounded builtin ``name`` for ``interp``, or ``None`` if it is not one of these."""
    if name not in RUN_BUILTINS:
        return None

    def seq(x: Any) -> list[Any]:
        return loops.items(interp, x, node)

    def enumerate_(x: Any, start: int = 0) -> list[tuple[int, Any]]:
        return [(start + i, v) for i, v in enumerate(seq(x))]

    def zip_(*xs: Any) -> list[tuple[Any, ...]]:
        return list(zip(*(seq(x) for x in xs)))

    def list_(x: Any = ()) -> list[Any]:
        return seq(x)

    def tuple_(x: Any = ()) -> tuple[Any, ...]:
        return tuple(seq(x))

    def dict_(x: Any = (), **kwargs: Any) -> dict[Any, Any]:
        out = dict(x) if isinstance(x, dict) else dict(seq(x))
        out.update(kwargs)
        return out

    def sorted_(x: Any, *, reverse: bool = False) -> list[Any]:
        return sorted(seq(x), reverse=bool(reverse))

    def reversed_(x: Any) -> list[Any]:
        return seq(x)[::-1]

    def any_(x: Any) -> bool:
        return any(bool(v) for v in seq(x))

    def all_(x: Any) -> bool:
        return all(bool(v) for v in seq(x))

    def isinstance_(x: Any, classes: Any) -> bool:
        group = classes if isinstance(classes, tuple) else (classes,)
        found = [_class_of(c) for c in group]
        if any(c is None for c in found):
            raise TypeError("isinstance() arg 2 must be a type, a tuple of types, or a union")
        return isinstance(x, tuple(found))  # type: ignore[arg-type]

    def type_(x: Any) -> TypeName:
        return TypeName(type(x))

    def attr_name(name: Any) -> str:
        if not isinstance(name, str):
            raise TypeError(f"attribute name must be string, not '{type(name).__name__}'")
        return name

    def setattr_(obj: Any, name: Any, value: Any) -> None:
        interp._setattr(obj, attr_name(name), value, node)

    def delattr_(obj: Any, name: Any) -> None:
        interp._delattr(obj, attr_name(name), node)

    def globals_() -> dict[str, Any]:  # a snapshot of the snippet's names (Timer's globals=)
        return dict(getattr(interp, "root", interp).env)

    fns = {"globals": globals_, "setattr": setattr_, "delattr": delattr_, "enumerate": enumerate_, "zip": zip_, "list": list_, "tuple": tuple_, "dict": dict_,
           "sorted": sorted_, "reversed": reversed_, "any": any_, "all": all_,
           "isinstance": isinstance_, "type": type_, "repr": builtins.repr}
    return names.Function(name, fns[name])
