"""Why the gradients disagree: the likely causes ``sg.check`` names.

Each test looks at evidence the check already has (or cheaply recomputes
from the recorded graph):

* ``inplace``: the tape refused a saved tensor whose version changed;
* ``data-mutation``: a saved tensor's data differs from its recomputation
  while its version did not move (a change through ``.data``);
* ``float32``: the same graph rebuilt in float64 agrees;
* ``kink``: a relu/abs/max/clamp input sits at its kink, the one-sided
  differences disagree;
* ``non-finite``: an inf/nan in the forward (often in ``where``'s
  unselected branch) turns the gradient into ``0*inf = nan``;
* ``tape-rule`` / ``symbolic-rule``: one op's derivative disagrees with
  finite differences on its own (a real rule bug), found op by op.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd import grad
from ..eager.tensor import Tensor
from .graph import fresh_tape, graph_tensors, in_graph, np_dtype, replay, saved_tensors
from .ops import op_gradient_errors
from .report import Diagnosis, InputReport


def diagnose(ev: Any, inputs: list[InputReport]) -> list[Diagnosis]:
    """The likely causes of a failed check, most specific first."""
    found: list[Diagnosis] = []
    tape_bad = any(not r.tape_ok for r in inputs)
    sym_bad = any(r.symbolic_ok is False for r in inputs)
    if ev.tape_error and "inplace" in ev.tape_error:
        found.append(Diagnosis("inplace", "the tape refused to run backward: " + ev.tape_error
                               + " Clone the tensor before changing it (x = x.clone())."))
    elif ev.tape_error:
        found += _freed_graph(ev, tape_bad)
    found += _data_mutation(ev)
    if tape_bad and not found:
        found += _float32(ev)
    kinks = _kinks(ev)
    if (tape_bad or sym_bad) and kinks:
        found += kinks
    nonfinite = _nonfinite(ev)
    if (tape_bad or sym_bad) and nonfinite:
        found += nonfinite
    if not found:
        found += _rule_bugs(ev, tape_bad, sym_bad)
    if not found:
        found.append(Diagnosis("unexplained", "the gradients disagree and none of the known "
                               "causes applies; try a float64 graph, a smaller eps, or report "
                               "this expression."))
    return found


def _freed_graph(ev: Any, tape_bad: bool) -> list[Diagnosis]:
    """The graph was freed: the tape's answer is the ``.grad`` backward left.
    Rebuilding the graph from the recorded ops tells whether its saved values
    were right."""
    if tape_bad and all(g is not None for g in ev.tape):
        try:
            y2, w2 = fresh_tape(ev.y, ev.wrt, dtype=None)
            fresh = grad(y2, w2, allow_unused=True)
            ok = all(g is not None and np.all(ev.close(g._data.ravel()[idx], fd.ravel()[idx]))
                     for g, idx, fd in zip(fresh, ev.samples, ev.fd))
        except Exception:
            ok = False
        if ok:
            return [Diagnosis(
                "data-mutation", "the graph was already freed by backward(), so the check "
                "compared the .grad it left; the same graph rebuilt from the recorded ops "
                "agrees with the finite differences, so a tensor saved for backward was "
                "changed after it was saved without a version bump (typically through "
                "`.data`). Run sg.check(y) before y.backward() to see which one.")]
    return [Diagnosis("tape-error", "the tape could not compute a gradient (see the note); "
                      "run sg.check(y) before y.backward(), or build the graph again.")]


def _small_str(get: Any, limit: int = 40) -> str | None:
    """``str`` of a formula if its *tree* is small, else None: printing walks the
    tree, and a DAG of 40 nodes can be a tree of millions (the count stops at
    ``limit``, so it costs O(limit) whatever the formula)."""
    try:
        expr = get()
        stack, n = [expr], 0
        while stack:
            e = stack.pop()
            n += 1
            if n > limit:
                return None
            stack.extend(getattr(e, "args", ()))
        return str(expr)
    except Exception:
        return None


def _data_mutation(ev: Any) -> list[Diagnosis]:
    current = replay(ev.y)
    out = []
    for owner, name, st in saved_tensors(ev.y):
        if st.freed or st.data is None or st.vc.version != st.version:
            continue
        t = st.tensor
        want = current.get(id(in_graph(owner, name, st)))
        if want is None or want.shape != st.data.shape:
            continue
        with np.errstate(all="ignore"):
            same = np.allclose(st.data, want, rtol=1e-5, atol=1e-7, equal_nan=True)
        if same:
            continue
        what = "its output" if name == "result" else f"its input '{name}'"
        formula = _small_str(lambda: t.expr) if t.record.op is not None else t.name
        label = f"{t.name} = {formula}" if formula and formula != t.name else t.name
        grads = ""
        if ev.formula is not None:
            shown = [_small_str(lambda g=g: g) for g in ev.formula]
            if all(shown):
                grads = (" The formula's gradient is " + ", ".join(shown)
                         + "; the tape used the changed values.")
        out.append(Diagnosis(
            "data-mutation",
            f"{st.grad_fn_name or owner.grad_fn.name()} saved {what} ({label}) for backward, "
            f"and that storage was changed after it was saved without bumping its version "
            f"counter, which is what a change through `.data` does (e.g. `c = out.data; "
            f"c.zero_()`). The tape's gradient uses the changed values (now "
            f"{np.array2string(st.data.ravel()[:4], precision=4)}...), while recomputing it "
            f"gives {np.array2string(want.ravel()[:4], precision=4)}.{grads} Use "
            f"`.detach()` (whose changes backward detects) or `.clone()` instead of `.data`.",
            where=st.grad_fn_name or ""))
    return out


def _float32(ev: Any) -> list[Diagnosis]:
    low = [w for w in ev.wrt if w._data.dtype in (np.float32, np.float16)]
    if not low and all(np_dtype(t) != np.float32 for t in graph_tensors(ev.y)):
        return []
    try:
        y64, w64 = fresh_tape(ev.y, ev.wrt, np.float64)
        g64 = grad(y64, w64, allow_unused=True)
    except Exception:
        return []
    for k, g in enumerate(g64):
        idx, fd = ev.samples[k], ev.fd[k]
        if g is None or not np.all(ev.close(g._data.ravel()[idx], fd.ravel()[idx])):
            return []
    return [Diagnosis("float32", "the tape computed in float32 and rounding explains the "
                      "difference: the same graph rebuilt in float64 agrees with the finite "
                      "differences. Check in float64 (sg.set_default_dtype(sg.float64) or "
                      ".double() inputs), or loosen atol/rtol.")]


def _kink_hits(t: Tensor, vals: dict[int, np.ndarray], eps: float) -> np.ndarray | None:
    """Where ``t``'s op sits at its kink (within the finite-difference step)."""
    op, a = t.record.op.name, t.record.attrs or {}
    xs = [vals[id(x)] if isinstance(x, Tensor) else np.asarray(x) for x in t.record.inputs]
    tol = 4 * eps * (1 + np.abs(xs[0]))
    if op in ("relu", "abs", "sign"):
        return np.abs(xs[0]) <= tol
    if op in ("maximum", "minimum"):
        return np.abs(xs[0] - xs[1]) <= tol
    if op == "clamp":
        hit = np.zeros(xs[0].shape, bool)
        for b in (a.get("min"), a.get("max")):
            if b is not None:
                hit |= np.abs(xs[0] - b) <= tol
        return hit
    if op in ("amax", "amin", "max", "min"):
        red = vals[id(t)]
        dim = a.get("dim")
        if dim is None or not red.ndim and xs[0].ndim:
            return np.array(np.sum(np.abs(xs[0] - red) <= tol) > 1)
        axes = tuple(np.atleast_1d(dim))
        r = red if a.get("keepdim") else np.expand_dims(red, axes)
        return np.sum(np.abs(xs[0] - r) <= tol, axis=axes) > 1
    return None


def _kinks(ev: Any) -> list[Diagnosis]:
    vals = replay(ev.y, dtype=np.float64)
    out = []
    for t in graph_tensors(ev.y):
        if t.record.op is None or not t.record.op.kinks:
            continue
        hit = _kink_hits(t, vals, ev.eps)
        if hit is None or not np.any(hit):
            continue
        where = tuple(int(i) for i in np.argwhere(np.atleast_1d(hit))[0])
        name = t._grad_fn.name() if t._grad_fn is not None else t.record.op.name
        sides = ""
        for k, w in enumerate(ev.wrt):
            p, m = ev.fd_plus[k], ev.fd_minus[k]
            with np.errstate(all="ignore"):
                split = np.abs(p - m) > ev.atol + ev.rtol * np.maximum(np.abs(p), np.abs(m))
            if np.any(split):
                i = tuple(int(j) for j in np.argwhere(split)[0])
                sides = (f" At {w.name}{list(i)} the one-sided differences are "
                         f"{p[i]:.4g} and {m[i]:.4g}.")
                break
        out.append(Diagnosis(
            "kink", f"`{t.record.op.name}` ({name}) is evaluated at its kink (a tie or boundary; "
            f"first at index {list(where)}), where it is not differentiable: the tape and the "
            f"formula use PyTorch's convention there, while central differences straddle "
            f"the kink and average the two sides.{sides} Not a rule bug: check at a point "
            f"away from the kink.", where=name))
    return out


def _origin(t: Tensor, vals: dict[int, np.ndarray]) -> Tensor:
    """The first op upstream of ``t`` whose output is non-finite from finite inputs."""
    while t.record.op is not None:
        bad = [x for x in t.record.inputs if isinstance(x, Tensor) and x.record.op is not None
               and vals[id(x)].dtype.kind == "f" and not np.all(np.isfinite(vals[id(x)]))]
        if not bad:
            return t
        t = bad[0]
    return t


def _nonfinite(ev: Any) -> list[Diagnosis]:
    vals = replay(ev.y, dtype=np.float64)
    order = graph_tensors(ev.y)
    bad_grads = [k for k, w in enumerate(ev.wrt)
                 if any(g is not None and not np.all(np.isfinite(g))
                        for g in (ev.tape[k], ev.symbolic[k]))]
    for t in order:  # a `where` that hides inf/nan in the branch it does not select
        if t.record.op is None or t.record.op.name != "where":
            continue
        c, a, b = (vals[id(x)] if isinstance(x, Tensor) else np.asarray(x) for x in t.record.inputs)
        c = np.broadcast_to(c, vals[id(t)].shape).astype(bool)
        for branch, hidden in ((1, ~c), (2, c)):
            v = np.broadcast_to((a, b)[branch - 1], c.shape)
            if np.any(hidden & ~np.isfinite(v)) and isinstance(t.record.inputs[branch], Tensor):
                src = _origin(t.record.inputs[branch], vals)
                return [Diagnosis(
                    "non-finite", f"`{src.record.op.name if src.record.op else src.name}` produces inf/nan "
                    f"in the branch that `where` does not select; the gradient flowing back "
                    f"there is 0, and 0 * inf = nan (the `where` 0*inf problem). Make that "
                    f"branch safe before `where` (the double-where trick: "
                    f"x_safe = where(cond, x, 1.0); where(cond, f(x_safe), other)).",
                    where="where")]
    for t in order:
        v = vals.get(id(t))
        if t.record.op is None or v is None or v.dtype.kind != "f" or np.all(np.isfinite(v)):
            continue
        src = _origin(t, vals)
        return [Diagnosis("non-finite", f"`{src.record.op.name}` produces inf/nan in the forward "
                          f"pass, so the gradient is not finite there and the finite "
                          f"differences cannot agree.", where=src.record.op.name)]
    if bad_grads:
        return [Diagnosis("non-finite", "the gradient has inf/nan entries (an overflow or a "
                          "division by zero in a derivative).")]
    return []


def _rule_bugs(ev: Any, tape_bad: bool, sym_bad: bool) -> list[Diagnosis]:
    vals = replay(ev.y, dtype=np.float64)
    out = []
    for t in graph_tensors(ev.y):
        if t.record.op is None or t._grad_fn is None or t.record.op.kinks:
            continue
        tape_ok, sym_ok = op_gradient_errors(t, vals, ev.eps, ev.atol, ev.rtol,
                                             check_symbolic=sym_bad)
        name = t._grad_fn.name()
        if tape_bad and tape_ok is False:
            out.append(Diagnosis("tape-rule", f"the tape's backward rule of `{t.record.op.name}` "
                                 f"({name}) disagrees with finite differences of its own "
                                 f"forward: a rule bug in symgrad/ops (please report it).",
                                 where=name))
        if sym_bad and sym_ok is False:
            out.append(Diagnosis("symbolic-rule", f"the symbolic derivative of "
                                 f"`{t.record.op.name}` disagrees with finite differences of its "
                                 f"own forward: a rule bug in symgrad/symbolic (please report "
                                 f"it).", where=name))
    return out
