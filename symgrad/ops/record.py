"""``Record``: what an op left on its result, the one thing both engines read
off a tensor's history.

A tensor made by an op carries ``Record(op, inputs, attrs)``: the op's table
entry, its inputs (tensors, intermediates as value-less *ghosts*, and Python
numbers) and its non-tensor arguments. A leaf carries :data:`NO_RECORD`. The
symbolic side builds formulas from records, ``sg.check`` replays them, and
the run report names them; none of them touches a tensor's private slots.

>>> import symgrad as sg
>>> a = sg.tensor([1., 2.], requires_grad=True, name="a")
>>> r = (a * 3).record
>>> r.op.name, r.inputs[0] is a, r.inputs[1], r.attrs
('mul', True, 3, {})
>>> a.record is NO_RECORD, a.record.op is None
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from .registry import OpDef


class Record(NamedTuple):
    """``op(*inputs, **attrs)`` made this tensor (``op`` is ``None`` for a leaf)."""

    op: OpDef | None
    inputs: tuple[Any, ...]
    attrs: Mapping[str, Any] | None


NO_RECORD = Record(None, (), None)
"""The record of a leaf (or of a tensor cut from its history by ``detach_``)."""
