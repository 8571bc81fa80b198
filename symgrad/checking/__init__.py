"""``sg.check``: the tape, the symbolic gradient and finite differences, side by side.

At the current values of the leaves it computes

* the **tape** gradient (``autograd.grad`` with ``retain_graph``, so the
  user's ``.grad`` and graph are left alone),
* the **symbolic** gradient (``sg.diff``, compiled by ``sg.lambdify``),
* a float64 **central difference** of the forward (the formula's kernel in
  float64; the recorded ops when there is no formula),

and compares each with the finite difference using PyTorch gradcheck's
defaults (``eps=1e-6, atol=1e-5, rtol=1e-3``). When they disagree, the
report names the likely cause (:mod:`symgrad.checking.diagnosis`).

>>> import symgrad as sg
>>> a = sg.tensor([1., 2., 3.], requires_grad=True, name="a")
>>> out = a.sigmoid()
>>> c = out.data
>>> _ = c.zero_()
>>> report = sg.check(out.sum())
>>> report.passed
False
>>> print(report.diagnoses[0].cause)
data-mutation
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import errors
from ..autograd import grad
from ..eager.tensor import Tensor
from ..symbolic.algebra import gc_paused
from . import custom_function
from .diagnosis import diagnose
from .graph import graph_tensors, leaves, replay
from .report import CheckReport, Diagnosis, InputReport
from .steps import STEPS, StepScan, fd_steps

MAX_FD_ELEMENTS = 512  # per input; larger inputs are checked on a fixed random sample

__all__ = ["check", "CheckReport", "Diagnosis", "InputReport"]


@dataclass
class Evidence:
    """Everything the comparison and the diagnoses look at."""

    y: Tensor
    wrt: list[Tensor]
    eps: float
    atol: float
    rtol: float
    tape: list[np.ndarray | None] = field(default_factory=list)
    tape_error: str | None = None
    symbolic: list[np.ndarray | None] = field(default_factory=list)
    symbolic_error: str | None = None
    symbolic_broken: bool = False  # the formula side failed for a reason other than a gap
    formula: Any = None
    fd: list[np.ndarray] = field(default_factory=list)
    fd_plus: list[np.ndarray] = field(default_factory=list)   # one-sided, forward
    fd_minus: list[np.ndarray] = field(default_factory=list)  # one-sided, backward
    samples: list[np.ndarray] = field(default_factory=list)   # flat indices checked
    forward: Callable[[dict[int, np.ndarray]], float] | None = None
    forward_source: str = ""

    def close(self, got: np.ndarray, want: np.ndarray) -> np.ndarray:
        return np.abs(got - want) <= self.atol + self.rtol * np.abs(want)


def _default_wrt(y: Tensor) -> list[Tensor]:
    return [t for t in leaves(y) if t._requires_grad]


def _tape_gradient(ev: Evidence) -> None:
    kept = []  # retained non-leaf grads, restored after (records hold ghosts: find the
    for t in graph_tensors(ev.y):  # real tensors through their nodes' weak references)
        w = t._grad_fn._retain if t._grad_fn is not None else None
        r = w() if w is not None else None
        if r is not None and r._retains_grad:  # its .grad object *and* its values
            g = r._grad
            kept.append((r, g, None if g is None else np.array(g._data, copy=True)))
    try:
        gs = grad(ev.y, ev.wrt, retain_graph=True, allow_unused=True)
        ev.tape = [None if g is None else np.asarray(g._data) for g in gs]
    except RuntimeError as exc:
        ev.tape_error = str(exc).split("\n")[0]
        ev.tape = [_grad_from_earlier_backward(ev.y, w) for w in ev.wrt]
    finally:
        for t, g, data in kept:  # grad() may have accumulated into g in place
            t._grad = g
            if g is not None and data is not None:
                g._data = data


def _grad_from_earlier_backward(y: Tensor, w: Tensor) -> np.ndarray | None:
    """After ``y.backward()`` freed the graph: ``w.grad`` if it came from that call only."""
    events = w._grad_events or []
    if w._grad is not None and len(events) == 1 and events[0].outputs \
            and events[0].outputs[0]._grad_fn is y._grad_fn:
        return np.asarray(w._grad._data)
    return None


def _symbolic_gradient(ev: Evidence, names: list[str], values: dict[str, np.ndarray],
                       by_name: dict[str, Tensor]) -> None:
    try:
        from ..kernels.lambdify import lambdify
        from ..symbolic.api import diff
        grads = diff(ev.y, ev.wrt)
        grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
        ev.formula = grads
        kernel = lambdify(grads, [by_name[n] for n in names])  # bound by identity
        with np.errstate(all="ignore"):
            out64 = kernel(*[_as64(values[n]) for n in names])
        ev.symbolic = [_full(g, w) for g, w in zip(out64, ev.wrt)]
    except Exception as exc:  # the symbolic side is optional evidence: report, don't crash
        ev.symbolic_error = f"{type(exc).__name__}: {exc}".split("\n")[0]
        ev.symbolic = [None] * len(ev.wrt)
        # a known gap (no symbolic form, a function without a usable derivative) leaves the
        # check to tape and finite differences; anything else is a symgrad bug: fail loudly
        ev.symbolic_broken = not isinstance(exc, NotImplementedError)


def _as64(v: np.ndarray) -> np.ndarray:
    return v.astype(np.float64) if v.dtype.kind == "f" else v


def _full(g: Any, w: Tensor) -> np.ndarray:
    return np.array(np.broadcast_to(np.asarray(g, dtype=np.float64), w._data.shape))


def _forward_function(ev: Evidence, names: list[str], by_name: dict[str, Tensor]) -> None:
    """The float64 forward used by the finite differences."""
    ids = {id(t): n for n, t in by_name.items()}
    try:
        from ..kernels.lambdify import lambdify
        if not by_name:
            raise NotImplementedError("no formula: replay the recorded ops")
        kernel = lambdify(ev.y.expr, [by_name[n] for n in names])
        base = {n: _as64(np.asarray(by_name[n]._data)) for n in names}

        def f(vals: dict[int, np.ndarray]) -> float:
            args = dict(base)
            for i, v in vals.items():
                args[ids[i]] = v
            with np.errstate(all="ignore"):
                return float(np.sum(kernel(*[args[n] for n in names])))
        ev.forward, ev.forward_source = f, "formula kernel (float64)"
    except Exception:
        y = ev.y

        def f(vals: dict[int, np.ndarray]) -> float:
            return float(np.sum(replay(y, vals, np.float64)[id(y)]))
        ev.forward, ev.forward_source = f, "recorded ops (float64)"


def _samples(n: int) -> np.ndarray:
    if n <= MAX_FD_ELEMENTS:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, MAX_FD_ELEMENTS, replace=False))


def _finite_differences(ev: Evidence) -> None:
    f = ev.forward
    assert f is not None
    f0 = f({})
    for w in ev.wrt:
        x0 = _as64(np.asarray(w._data))
        idx = _samples(x0.size)
        grad, plus, minus = (np.full(x0.size, np.nan) for _ in range(3))
        for i in idx:
            xp, xm = x0.copy().ravel(), x0.copy().ravel()
            xp[i] += ev.eps
            xm[i] -= ev.eps
            fp, fm = f({id(w): xp.reshape(x0.shape)}), f({id(w): xm.reshape(x0.shape)})
            grad[i] = (fp - fm) / (2 * ev.eps)
            plus[i], minus[i] = (fp - f0) / ev.eps, (f0 - fm) / ev.eps
        ev.fd.append(grad.reshape(x0.shape))
        ev.fd_plus.append(plus.reshape(x0.shape))
        ev.fd_minus.append(minus.reshape(x0.shape))
        ev.samples.append(idx)


def _errors(got: np.ndarray | None, want: np.ndarray, idx: np.ndarray) -> tuple[float, float]:
    if got is None:
        return float("nan"), float("nan")
    g = np.asarray(got, dtype=np.float64).ravel()[idx]
    w = want.ravel()[idx]
    with np.errstate(all="ignore"):
        ab = np.abs(g - w)
        rel = ab / np.maximum(np.abs(w), np.finfo(np.float64).tiny)
    if not ab.size:
        return 0.0, 0.0
    return float(np.max(ab)), float(np.max(np.where(ab == 0, 0.0, rel)))


def check(y: Tensor, wrt: Tensor | Sequence[Tensor] | None = None, atol: float = 1e-5,
          rtol: float = 1e-3, eps: float = 1e-6) -> CheckReport:
    """Compare tape, symbolic and finite-difference gradients of scalar ``y``.

    ``wrt`` defaults to every leaf below ``y`` that requires grad. Returns a
    :class:`CheckReport` (true when everything agrees).
    """
    if not isinstance(y, Tensor):
        raise TypeError(errors.check_bad_argument("y", type(y).__name__))
    if wrt is None:
        ws = _default_wrt(y)
    else:
        ws = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]
        _check_wrt(y, ws)
    if not ws:
        raise ValueError(errors.CHECK_NO_INPUTS)
    with np.errstate(all="ignore"), gc_paused():  # non-finite values are evidence here
        return _check(y, ws, atol, rtol, eps)


def _check_wrt(y: Tensor, ws: list[Any]) -> None:
    """``wrt`` must be tensors that are leaves of ``y``'s graph (a clear error, not a
    ``KeyError`` later)."""
    below = {id(t) for t in leaves(y)}
    for i, w in enumerate(ws):
        if not isinstance(w, Tensor):
            raise TypeError(errors.check_bad_argument(f"wrt[{i}]", type(w).__name__))
        if w.record.op is not None:
            raise ValueError(errors.check_wrt_not_leaf(i, w.name))
        if id(w) not in below:
            raise ValueError(errors.check_wrt_not_in_graph(i, w.name))


def _check(y: Tensor, ws: list[Tensor], atol: float, rtol: float, eps: float) -> CheckReport:
    ev = Evidence(y, ws, eps, atol, rtol)
    wrt_ids = {id(w) for w in ws}
    by_name: dict[str, Tensor] = {}
    clash = None
    for t in [*ws, *(t for t in leaves(y) if t._requires_grad and id(t) not in wrt_ids)]:
        if by_name.setdefault(t.name, t) is not t:
            clash = t.name  # two leaves, one name: a formula cannot tell them apart
    names = [w.name for w in ws] + sorted(set(by_name) - {w.name for w in ws})
    values = {n: np.asarray(by_name[n]._data) for n in names}
    _tape_gradient(ev)
    if clash is None:
        _symbolic_gradient(ev, names, values, by_name)
    else:
        ev.symbolic_error = errors.check_name_clash(clash)
        ev.symbolic = [None] * len(ws)
    _forward_function(ev, names, by_name if clash is None else {})
    _finite_differences(ev)
    inputs = []
    for k, w in enumerate(ws):
        idx, fd = ev.samples[k], ev.fd[k]
        t_abs, t_rel = _errors(ev.tape[k], fd, idx)
        s_abs, s_rel = _errors(ev.symbolic[k], fd, idx)
        ok_t = ev.tape[k] is not None and bool(np.all(ev.close(
            np.asarray(ev.tape[k], np.float64).ravel()[idx], fd.ravel()[idx])))
        ok_s = None if ev.symbolic[k] is None else bool(np.all(ev.close(
            ev.symbolic[k].ravel()[idx], fd.ravel()[idx])))
        inputs.append(InputReport(w.name, tuple(w.shape), str(w._data.dtype), t_abs, t_rel,
                                  s_abs, s_rel, ok_t, ok_s, len(idx), w.numel()))
    passed = all(r.tape_ok and r.symbolic_ok is not False for r in inputs) \
        and not ev.symbolic_broken
    diagnoses = [] if passed else diagnose(ev, inputs)
    if not passed:  # a custom autograd.Function: is its backward or its forward wrong?
        culprit = custom_function.diagnose(ev, inputs, names, values)
        if culprit is not None:
            diagnoses = [culprit] + [d for d in diagnoses if d.cause != "tape-rule"]
    if ev.symbolic_broken:
        diagnoses.insert(0, Diagnosis(
            "symbolic-error", "the formula side failed (see the note): this is a bug in "
            "symgrad, not in your program; the tape column still compares the tape with "
            "finite differences. Please report it with the expression."))
    def scan(steps: Sequence[float] | None = None) -> StepScan:
        return fd_steps(y, list(ws), STEPS if steps is None else steps, eps)

    return CheckReport(passed, inputs, diagnoses, ev.tape_error, ev.symbolic_error,
                       atol, rtol, eps, ev.forward_source, scan)
