"""Properties of the pictures over random programs (the programs of tests/helpers.py)."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

import symgrad as sg
from symgrad.symbolic.letform import walk
from tests.helpers import Program, programs, run_program
from tests.viz.dot_text import grad_fn_names, nodes


def _build(p: Program) -> tuple[sg.Tensor, list[sg.Tensor]] | None:
    leaves = [sg.tensor(x, requires_grad=True, dtype=sg.float64) for x in p.leaves()]
    try:
        return run_program(p, sg, leaves).sum(), leaves
    except RuntimeError:  # a leaf written in place, or the like: not a picture question
        return None


def _bfs_names(y: sg.Tensor) -> list[str]:
    order, seen, queue = [], set(), [y.grad_fn]
    while queue:
        fn = queue.pop(0)
        if fn is None or id(fn) in seen:
            continue
        seen.add(id(fn))
        order.append(type(fn).__name__)
        queue.extend(u for u, _ in fn.next_functions)
    return order


@st.composite
def written_programs(draw: st.DrawFn) -> Program:
    """Programs with ``mul_`` on about half of their intermediate values, so that
    stale saved tensors are common (tests/helpers.py's own rate is one in five)."""
    p = draw(programs(max_steps=6))
    marks = draw(st.lists(st.booleans(), min_size=len(p.steps), max_size=len(p.steps)))
    return dataclasses.replace(p, inplace=tuple(k for k, m in enumerate(marks[:-1]) if m))


@given(written_programs())
def test_every_node_once_and_red_exactly_when_backward_refuses(p: Program) -> None:
    built = _build(p)
    if built is None:
        return
    y, leaves = built
    src = sg.viz.graph(y, {}, check_data=False).source
    assert grad_fn_names(src) == _bfs_names(y)
    try:
        y.backward()
        raised = False
    except RuntimeError as e:
        assert "modified by an inplace operation" in str(e)
        raised = True
    assert ("STALE" in src) == raised, (p, src)


@given(programs(max_steps=6))
def test_the_formula_picture_has_one_node_per_distinct_subexpression(p: Program) -> None:
    built = _build(p)
    if built is None:
        return
    f = sg.diff(built[0], built[1][0])
    if not getattr(f, "_args", ()):
        return
    order, _, _ = walk(f)
    drawn = nodes(sg.viz.formula(f, max_nodes=10_000).source)
    operators = [k for k, (_, attrs) in drawn.items() if 'shape="ellipse"' in attrs]
    assert len(operators) == len(order)
