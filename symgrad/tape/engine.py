"""The backward engine: one pass over the graph in dependency order.

Gradients are accumulated per node, each node runs once when all its
consumers have run (PyTorch's order: newest node first among the ready
ones), saved tensors are freed unless ``retain_graph``, and leaves get
their gradients accumulated into ``.grad``. With ``create_graph`` the
gradients are tensors and the backward pass is itself recorded.

The tensor type is injected by ``symgrad.eager.tensor`` (``configure``), so that
this package does not import the tensor module.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import errors
from ..ops.xp import NumpyXP
from .grad_mode import STATE, enable_grad, no_grad
from .node import _WRAP, AccumulateGrad, Node, OutputHook, PreHook


class _Config:
    on_accumulate: Any = None  # called with each leaf whose .grad gets a gradient
    wrap: Any = None        # ndarray -> Tensor (no grad)
    tensor_xp: Any = None   # the namespace of tensor functions for rules
    tensor_type: Any = None


CONFIG = _Config()


def configure(wrap: Any, tensor_xp: Any, tensor_type: Any,
              on_accumulate: Any = None) -> None:
    """Called once by ``symgrad.eager``: how to make tensors, the ``xp`` that runs rules
    on tensors (``create_graph``), and what to tell when a leaf accumulates a gradient."""
    CONFIG.wrap, CONFIG.tensor_xp, CONFIG.tensor_type = wrap, tensor_xp, tensor_type
    CONFIG.on_accumulate = on_accumulate
    _WRAP.fn = wrap  # ``grad_fn._saved_other`` of ``x * 2`` is ``tensor(2)``


def output_nr(t: Any) -> int:
    """Which output of its ``grad_fn`` tensor ``t`` is (0 but for a node with several
    outputs, whose record says it)."""
    fn = t._grad_fn
    if fn is None or not fn._multi:
        return 0
    attrs = t._record.attrs
    return attrs.get("output_nr", 0) if attrs else 0


def _add_grad(buffers: dict, node: Node, nr: int, g: Any) -> None:
    """Add gradient ``g`` for output ``nr`` of ``node`` into its buffer."""
    if not node._multi:
        prev = buffers.get(node)
        buffers[node] = g if prev is None else prev + g
        return
    slots = buffers.get(node)
    if slots is None:
        slots = buffers[node] = [None] * node.n_outputs
    slots[nr] = g if slots[nr] is None else slots[nr] + g


def _root_node(t: Any, i: int) -> Node:
    fn = t._grad_fn
    if fn is not None:
        return fn
    if t._requires_grad:
        return t._accumulator()
    raise RuntimeError(errors.NO_GRAD_FN.replace("element 0", f"element {i}"))


def _collect(roots: Sequence[Node], with_parents: bool = True
             ) -> tuple[dict[Node, int], dict[Node, list[Node]]]:
    """Dependency counts of every node reachable from ``roots`` (iteratively), and
    (only if asked: ``inputs=`` needs them) each node's consumers."""
    deps: dict[Node, int] = {}
    parents: dict[Node, list[Node]] = {}
    stack = list(dict.fromkeys(roots))
    get = deps.get
    while stack:
        n = stack.pop()
        for child, _ in n.next_functions:
            if child is None:
                continue
            c = get(child)
            if c is None:  # first visit
                deps[child] = 1
                if child not in roots:
                    stack.append(child)
            else:
                deps[child] = c + 1
            if with_parents:
                parents.setdefault(child, []).append(n)
    return deps, parents


def _needed(targets: Sequence[Node], parents: dict[Node, list[Node]]) -> set[Node]:
    """Nodes from which one of ``targets`` can be reached."""
    need = set(targets)
    stack = list(targets)
    while stack:
        for p in parents.get(stack.pop(), ()):
            if p not in need:
                need.add(p)
                stack.append(p)
    return need


def _wrap_for_hook(grad: Any, as_tensor: bool) -> Any:
    return grad if as_tensor else CONFIG.wrap(grad)


def _unwrap_from_hook(r: Any, as_tensor: bool) -> Any:
    return r if as_tensor else np.asarray(r._data)


def _run_tensor_hooks(hooks: list, grad: Any, as_tensor: bool) -> Any:
    """Run tensor hooks in registration order; a returned tensor replaces the gradient
    (it must keep the gradient's size and dtype, as PyTorch checks)."""
    for h in list(hooks):
        r = h(_wrap_for_hook(grad, as_tensor))
        if r is not None:
            _check_hook_result(h, grad, r, as_tensor)
            grad = _unwrap_from_hook(r, as_tensor)
    return grad


def _check_hook_result(hook: Any, grad: Any, r: Any, as_tensor: bool) -> None:
    name = getattr(hook, "__name__", type(hook).__name__)
    if not isinstance(r, CONFIG.tensor_type):
        raise TypeError(f"hook '{name}' returned {type(r).__name__}; a hook must return a "
                        "Tensor or None")
    old = grad._data if as_tensor else grad
    new = r._data
    if new is None or old is None:
        return
    if new.shape != old.shape:
        raise RuntimeError(errors.hook_changed_size(name))
    if new.dtype != old.dtype:
        was, got = CONFIG.wrap(old).dtype, r.dtype
        raise RuntimeError(errors.hook_changed_type(name, was.tensor_type, got.tensor_type))


def accumulate_into(t: Any, grad: Any, as_tensor: bool) -> None:
    """``t.grad += grad`` the way AccumulateGrad does it."""
    if CONFIG.on_accumulate is not None:
        CONFIG.on_accumulate(t)
    if as_tensor:
        t._grad = _fresh_copy(grad) if t._grad is None else t._grad + grad
        return
    if t._grad is None:
        t._grad = CONFIG.wrap(np.array(grad, dtype=t._data.dtype, copy=True))
    else:
        g = t._grad
        # in place, as PyTorch's AccumulateGrad without grad mode: a .grad made by an
        # earlier create_graph=True backward keeps its grad_fn (CopyBackwards)
        if g._data.shape == grad.shape and g._data.flags.writeable:
            g._data += grad
            g._vc.bump()
        else:
            t._grad = g + CONFIG.wrap(grad)


def _fresh_copy(grad: Any) -> Any:
    """The first ``.grad`` of a leaf as tensors: a copy (``CopyBackwards`` when the
    gradient is itself differentiable, as PyTorch's AccumulateGrad does)."""
    new = CONFIG.wrap(np.empty_like(grad._data))
    if grad._requires_grad and STATE.enabled:
        return new.copy_(grad)
    new._data[...] = grad._data
    new._fw_tangent = grad._fw_tangent
    return new


def run_backward(outputs: Sequence[Any], grad_outputs: Sequence[Any], retain_graph: bool,
                 create_graph: bool, inputs: Sequence[Any] | None = None,
                 accumulate: bool = True, as_tensor: bool | None = None) -> dict[Node, Any]:
    """Run backward from ``outputs``; returns the gradients captured at ``inputs``.

    ``as_tensor`` (default: ``create_graph``) runs the rules on tensors; it is
    set without ``create_graph`` under forward AD, so that the backward pass
    pushes tangents (forward-over-reverse) without being recorded.

    ``accumulate=False`` (``autograd.grad``) captures at ``inputs`` instead of
    writing ``.grad``; ``accumulate=True`` with ``inputs`` (``backward(inputs=)``)
    accumulates into those tensors only.
    """
    roots = [_root_node(t, i) for i, t in enumerate(outputs)]
    deps, parents = _collect(roots, with_parents=inputs is not None)
    capture: dict[Node, Any] = {}
    targets: list[Node] | None = None
    if inputs is not None:
        targets = [t._grad_fn if t._grad_fn is not None else t._accumulator() for t in inputs]
    need = _needed(targets, parents) if targets is not None else None
    if as_tensor is None:
        as_tensor = create_graph
    xp = CONFIG.tensor_xp if as_tensor else NumpyXP
    buffers: dict[Node, Any] = {}
    for t, n, g in zip(outputs, roots, grad_outputs):
        _add_grad(buffers, n, output_nr(t), g)
    ready: list[tuple[int, int, Node]] = []
    for n in dict.fromkeys(roots):
        if deps.get(n, 0) == 0:
            heapq.heappush(ready, (-n._seq, id(n), n))
    target_set = set(targets) if targets is not None else None
    mode = enable_grad() if create_graph else no_grad()
    with mode:
        while ready:
            _, _, node = heapq.heappop(ready)
            grad = buffers.pop(node, None)
            results: Sequence[Any] = ()
            if grad is not None and (need is None or node in need):
                results = _execute(node, grad, xp, as_tensor, retain_graph, accumulate,
                                   target_set, capture)
            for k, (child, nr) in enumerate(node.next_functions):
                if child is None:
                    continue
                g = results[k] if results else None
                if g is not None:
                    if child._multi:
                        _add_grad(buffers, child, nr, g)
                    else:
                        prev = buffers.get(child)
                        buffers[child] = g if prev is None else prev + g
                d = deps[child] - 1
                deps[child] = d
                if d == 0:
                    heapq.heappush(ready, (-child._seq, id(child), child))
    return capture


def _execute(node: Node, grad: Any, xp: Any, create_graph: bool, retain_graph: bool,
             accumulate: bool, targets: set[Node] | None, capture: dict[Node, Any]) -> Sequence[Any]:
    if type(node) is AccumulateGrad:
        leaf = node.variable
        if leaf._hooks:
            grad = _run_tensor_hooks(leaf._hooks, grad, create_graph)
        if targets is not None and node in targets:
            capture[node] = grad
            if not accumulate:
                return ()
        elif targets is not None:
            return ()
        accumulate_into(leaf, grad, create_graph)
        if node.post_accumulate_hooks:
            for h in list(node.post_accumulate_hooks):
                h(leaf)
        return ()
    if node._pre_hooks:
        if node._multi:
            grad = _run_multi_pre_hooks(node._pre_hooks, grad, create_graph)
        else:
            grad = _run_tensor_hooks(node._pre_hooks, grad, create_graph)
    if node._retain is not None:
        t = node._retain()
        if t is not None and t._grad_fn is node:
            g = grad[output_nr(t)] if node._multi else grad
            if g is not None:
                accumulate_into(t, g, create_graph)
    if targets is not None and node in targets:
        capture[node] = grad
        if not accumulate and all(c is None for c, _ in node.next_functions):
            return ()
    results = node.apply(grad, xp, create_graph)
    if not retain_graph:
        node.free_saved()
    if node._post_hooks:
        outs = tuple(grad) if node._multi else (grad,)
        for h in list(node._post_hooks):
            r = h(tuple(_hook_view(g, create_graph) for g in results),
                  tuple(_hook_view(g, create_graph) for g in outs))
            if r is not None:
                results = [None if g is None else _unwrap_from_hook(g, create_graph) for g in r]
    return results


def _hook_view(g: Any, as_tensor: bool) -> Any:
    return None if g is None else _wrap_for_hook(g, as_tensor)


def _run_multi_pre_hooks(hooks: list, grads: list, as_tensor: bool) -> list:
    """Pre-hooks of a node with several outputs: a tensor hook sees its output's
    gradient, a ``register_prehook`` hook the tuple of all of them."""
    grads = list(grads)
    for h in list(hooks):
        if type(h) is OutputHook:
            if grads[h.nr] is not None:
                grads[h.nr] = _run_tensor_hooks([h], grads[h.nr], as_tensor)
        elif type(h) is PreHook:
            r = h.fn(tuple(_hook_view(g, as_tensor) for g in grads))
            if r is not None:
                grads = [None if g is None else _unwrap_from_hook(g, as_tensor) for g in r]
    return grads
