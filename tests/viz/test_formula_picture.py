"""A formula's DAG: each shared subexpression once, in time linear in the DAG."""

from __future__ import annotations

import pytest
import sympy

import symgrad as sg
from symgrad.symbolic.letform import walk
from tests.viz.dot_text import edges, nodes


def test_a_shared_subexpression_is_one_node_used_twice() -> None:
    a = sg.symbol("a", (3,))
    g = sg.diff(a.sigmoid().sum(), a)          # sigmoid(a)*(1 - sigmoid(a))
    src = sg.viz.formula(g).source
    labels = [label for label, _ in nodes(src).values()]
    assert labels.count("sigmoid") == 1
    (key,) = [k for k, (label, _) in nodes(src).items() if label == "sigmoid"]
    assert 'peripheries="2"' in nodes(src)[key][1] and "used 2 times" in nodes(src)[key][1]
    assert len([e for e in edges(src) if e[0] == key]) == 2


def test_symbols_show_their_shape_and_structural_nodes_their_attributes() -> None:
    W = sg.symbol("W", (2, 3))
    src = sg.viz.formula(W.sum(1)).source
    labels = [label for label, _ in nodes(src).values()]
    assert "W\n(2, 3)" in labels
    assert "sum\ndim=1" in labels


def test_operand_order_is_labelled_where_it_matters() -> None:
    A, B = sg.symbol("A", (2, 2)), sg.symbol("B", (2, 2))
    src = sg.viz.formula((A @ B).expr).source
    assert [a for _, _, a in edges(src)] == ['label="0"', 'label="1"']


def test_a_deep_shared_formula_is_drawn_in_linear_size() -> None:
    x = sg.symbol("x", (3,))
    y = x
    for _ in range(60):  # as a tree: 2**60 nodes; as a DAG: a few hundred
        y = sg.sin(y) * sg.cos(y)
    f = y.sum().expr
    picture = sg.viz.formula(f, max_nodes=10_000)
    order, _, _ = walk(f)
    drawn = nodes(picture.source)
    assert len(order) < len(drawn) <= len(order) + 5  # plus the atoms (x, numbers)
    assert [label for label, _ in drawn.values()].count("sin") == 60


def test_too_big_a_formula_is_refused_with_the_way_out() -> None:
    x = sg.symbol("x", (3,))
    y = x
    for _ in range(30):
        y = sg.exp(y) + y
    with pytest.raises(ValueError, match=r"more than max_nodes=10 .* pass max_nodes="):
        sg.viz.formula(y, max_nodes=10)


def test_an_atom_is_a_picture_of_one_node() -> None:
    a = sg.symbol("a", (3,))
    assert list(nodes(sg.viz.formula(a.expr).source).values())[0][0] == "a\n(3)"


def test_several_formulas_share_one_picture() -> None:
    a = sg.symbol("a", (3,))
    src = sg.viz.formula([sg.exp(a), sg.exp(a) * 2]).source
    assert [label for label, _ in nodes(src).values()].count("exp") == 1


def test_graph_of_a_formula_is_its_dag() -> None:
    a = sg.symbol("a", (3,))
    f = (a * a).sum().expr
    assert sg.viz.graph(f).source == sg.viz.formula(f).source
    assert isinstance(f, sympy.Basic)
