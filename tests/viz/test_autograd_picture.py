"""The autograd picture: torchviz's graph plus versions, stale saved tensors and aliases."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg
from tests.viz.dot_text import edges, find, grad_fn_names, nodes

# PyTorch 2.13's grad_fn graphs, breadth first from the output, as type(fn).__name__
# (torchviz's labels), recorded with the program next to each
GOLDEN_NAMES = {
    "ex3": ["SumBackward0", "SigmoidBackward0", "AccumulateGrad"],
    "mul": ["SumBackward0", "MulBackward0", "AccumulateGrad"],
    "detached": ["SumBackward0", "MulBackward0", "AccumulateGrad"],
    "mv": ["MeanBackward0", "ExpBackward0", "MvBackward0", "AccumulateGrad", "AccumulateGrad"],
    "softmax": ["SumBackward0", "SelectBackward0", "SoftmaxBackward0", "AccumulateGrad"],
    "mm": ["SumBackward0", "TanhBackward0", "MmBackward0", "TBackward0", "AccumulateGrad"],
}
# PyTorch names the saved tensors _saved_result (sigmoid) and _saved_self, _saved_other (mul)


def programs(torch):
    """The programs behind GOLDEN_NAMES, written against a torch-like module."""
    b = torch.tensor([1., 2.], requires_grad=True)
    x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    w = torch.tensor([1., 1.], requires_grad=True)
    a = torch.tensor([1., 2., 3.], requires_grad=True)
    return {
        "ex3": a.sigmoid().sum(),
        "mul": (b * b).sum(),
        "detached": (b * b.detach()).sum(),
        "mv": torch.matmul(x, w).exp().mean(),
        "softmax": torch.softmax(x, 1)[0].sum(),
        "mm": (x.t() @ x).tanh().sum(),
    }


def ex3(data: bool) -> tuple[sg.Tensor, dict]:
    a = sg.tensor([1, 2, 3.], requires_grad=True)
    out = a.sigmoid()
    c = out.data if data else out.detach()
    c.zero_()
    return out.sum(), {"a": a, "out": out, "c": c}


@pytest.mark.parametrize("program", sorted(GOLDEN_NAMES))
def test_grad_fn_nodes_have_pytorchs_names(program: str) -> None:
    y = programs(sg)[program]
    assert grad_fn_names(sg.viz.graph(y, {}).source) == GOLDEN_NAMES[program]


@pytest.mark.parametrize("program", sorted(GOLDEN_NAMES))
def test_names_agree_with_live_pytorch(program: str) -> None:
    torch = pytest.importorskip("torch")
    fn, order, seen = programs(torch)[program].grad_fn, [], set()
    queue = [fn]
    while queue:
        f = queue.pop(0)
        if f is None or f in seen:
            continue
        seen.add(f)
        order.append(type(f).__name__)
        queue.extend(u for u, _ in f.next_functions)
    assert order == GOLDEN_NAMES[program]


def test_leaves_show_name_shape_and_dtype_and_feed_accumulate_grad() -> None:
    W = sg.tensor([[1., 2.], [3., 4.]], requires_grad=True, dtype=sg.float64)
    y = (W * 2).sum()
    src = sg.viz.graph(y, {"W": W, "y": y}).source
    leaf = find(src, "W\n(2, 2) float64")
    acc = find(src, "AccumulateGrad")
    assert (leaf, acc, "") in edges(src)
    assert "lightblue" in nodes(src)[leaf][1]
    assert nodes(src)[find(src, "y\n()")][1].count("darkolivegreen1") == 1


def test_ex3_shows_the_shared_counter_and_the_stale_saved_output() -> None:
    y, scope = ex3(data=False)
    src = sg.viz.graph(y, scope).source
    saved = find(src, "result = out")
    label, attrs = nodes(src)[saved]
    assert "saved at version 0, now 1" in label and "STALE" in label
    assert 'color="red"' in attrs
    alias = find(src, "c: shares out's version counter")
    assert "(version 1)" in nodes(src)[alias][0]
    culprit = find(src, "c.zero_()")
    assert "c is out.detach(), which shares out's version counter" in nodes(src)[culprit][0]
    assert any(t == culprit and h == saved and "version 0 -> 1" in a for t, h, a in edges(src))
    assert any(t == alias and h == saved and "same counter" in a for t, h, a in edges(src))


def test_ex4_shows_the_data_alias_that_no_counter_saw() -> None:
    y, scope = ex3(data=True)
    src = sg.viz.graph(y, scope).source
    saved = find(src, "result = out")
    label, attrs = nodes(src)[saved]
    assert "saved at version 0, now 0" in label and "no version bump" in label
    assert 'color="red"' in attrs and "STALE" not in label
    alias = find(src, "c: .data alias")
    assert "own version counter (version 1)" in nodes(src)[alias][0]
    assert any(t == alias and h == saved and "other counter" in a for t, h, a in edges(src))
    assert "zero_()" not in src  # no counter took a note of the write


def test_without_the_recomputation_ex4_looks_fine() -> None:
    y, scope = ex3(data=True)
    src = sg.viz.graph(y, scope, check_data=False).source
    assert "no version bump" not in nodes(src)[find(src, "result = out")][0]


def test_an_unchanged_graph_has_nothing_red() -> None:
    a = sg.tensor([1., 2.], requires_grad=True)
    src = sg.viz.graph(a.exp().sum(), {"a": a}).source
    assert "red" not in src and "STALE" not in src
    assert "saved at version 0, now 0" in nodes(src)[find(src, "result")][0]


@pytest.mark.parametrize("how, label", [("detach", "detach()"), ("data", ".data")])
def test_detached_inputs_are_dashed_edges(how: str, label: str) -> None:
    a = sg.tensor([1., 2.], requires_grad=True)
    h = a.exp()
    stopped = h.detach() if how == "detach" else h.data
    y = (a * stopped).sum()
    src = sg.viz.graph(y, {"a": a, "h": h}).source
    mul = find(src, "MulBackward0")
    exp = find(src, "ExpBackward0")
    (attrs,) = [a for t, hd, a in edges(src) if t == exp and hd == mul]
    assert f'label="{label}"' in attrs and 'style="dashed"' in attrs


def test_saved_tensors_freed_by_backward_say_so() -> None:
    a = sg.tensor([1., 2.], requires_grad=True)
    y = a.sigmoid().sum()
    y.backward()
    src = sg.viz.graph(y, {}).source
    assert "freed by backward()" in nodes(src)[find(src, "result")][0]


def test_variable_names_come_from_the_callers_frame() -> None:
    weights = sg.tensor([1., 2.], requires_grad=True)
    hidden = weights.tanh()
    src = sg.viz.graph(hidden.sum()).source
    assert "result = hidden" in src and "weights\n(2) float32" in \
        "\n".join(label for label, _ in nodes(src).values())


def test_the_same_program_draws_the_same_text() -> None:
    first = sg.viz.graph(*ex3(data=False)).source
    assert sg.viz.graph(*ex3(data=False)).source == first


def test_several_outputs_share_one_picture() -> None:
    a = sg.tensor([1., 2.], requires_grad=True)
    h = a.exp()
    src = sg.viz.graph([h.sum(), h.mean()], {"a": a}).source
    assert grad_fn_names(src).count("ExpBackward0") == 1
    assert len([1 for _, attrs in nodes(src).values() if "darkolivegreen1" in attrs]) == 2


def test_a_deep_graph_is_drawn_iteratively() -> None:
    a = sg.tensor([0.5], requires_grad=True)
    x = a
    for _ in range(3000):  # far past the recursion limit of a recursive walk
        x = x * 0.999 + 0.001
    src = sg.viz.graph(x.sum(), {}, check_data=False).source
    assert grad_fn_names(src).count("MulBackward0") == 3000


def test_a_view_written_in_place_names_its_base() -> None:
    a = sg.tensor([1., 2., 3.], requires_grad=True)
    out = a.exp()
    v = out[1:]
    v.mul_(2)
    src = sg.viz.graph(out.sum(), {"a": a, "out": out, "v": v}).source
    assert grad_fn_names(src) == ["SumBackward0", "CopySlices", "ExpBackward0", "AccumulateGrad"]
    assert "STALE" in nodes(src)[find(src, "result = out")][0]
    assert "v is out[1:], which shares out's version counter" in src
    assert "v: shares out's version counter" in src


def test_a_value_less_tensor_has_no_tape_so_its_formula_is_drawn() -> None:
    a = sg.symbol("a", (3,))
    y = (a * a).sum()
    assert sg.viz.graph(y).source == sg.viz.formula(y.expr).source


def test_what_cannot_be_drawn_is_refused() -> None:
    with pytest.raises(TypeError, match="not ndarray"):
        sg.viz.graph(np.ones(3))
