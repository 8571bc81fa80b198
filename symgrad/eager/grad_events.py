"""What ``backward()`` leaves for the symbolic side: each leaf that receives a
gradient remembers the backward call (a snapshot of the outputs' records and
the seeds), so ``leaf.grad_formula`` can mirror ``leaf.grad``, accumulation
included. Costs one list append per leaf per backward; imports no SymPy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .taping import snapshot


@dataclass(frozen=True)
class BackwardEvent:
    """One ``backward()`` call: the outputs as they were, and their seeds
    (``None`` for the implicit ones of a scalar output)."""

    outputs: tuple[Any, ...]
    seeds: tuple[Any, ...]


class _Current:
    event: BackwardEvent | None = None


_CURRENT = _Current()


def note_backward(outputs: list[Any], grads: list[Any], inputs: Any) -> None:
    """Called by ``autograd.backward`` before the engine runs."""
    snaps = tuple(snapshot(t, copy=False) for t in outputs)
    seeds = tuple(None if t.numel() == 1 and _is_ones(g) else g for t, g in zip(outputs, grads))
    _CURRENT.event = BackwardEvent(snaps, seeds)


def _is_ones(g: Any) -> bool:
    data = getattr(g, "_data", g)
    try:
        return bool((data == 1).all())
    except Exception:  # pragma: no cover - exotic seeds
        return False


def on_accumulate(leaf: Any) -> None:
    ev = _CURRENT.event
    if ev is None:
        return
    if leaf._grad_events is None:
        leaf._grad_events = []
    leaf._grad_events.append(ev)

