"""``torch.autograd.functional``: Jacobians, Hessians and their products with vectors.

Each function calls ``func`` on fresh stand-ins of ``inputs`` that require
grad, differentiates with :func:`symgrad.autograd.grad`, and returns tensors
shaped and nested as PyTorch returns them: a tensor for a tensor, a tuple
for a tuple (a Jacobian of tuple outputs and tuple inputs is a tuple of
tuples). Without ``create_graph`` the results are detached; ``strict=True``
raises PyTorch's errors when an output does not depend on an input.
``vectorize`` and ``strategy`` are accepted (the results are the same; the
Jacobian is built one row at a time).

>>> import symgrad as torch
>>> from symgrad.autograd.functional import jacobian, hessian, vjp, hvp
>>> def f(x):
...     return x ** 3
>>> jacobian(f, torch.tensor([1., 2.]))
tensor([[ 3.,  0.],
        [ 0., 12.]])
>>> hessian(lambda x: (x ** 3).sum(), torch.tensor([1., 2.]))
tensor([[ 6.,  0.],
        [ 0., 12.]])
>>> vjp(f, torch.tensor([1., 2.]), torch.tensor([1., 1.]))
(tensor([1., 8.]), tensor([ 3., 12.]))
>>> hvp(lambda x: (x ** 3).sum(), torch.tensor([1., 2.]), torch.tensor([1., 0.]))
(tensor(9.), tensor([6., 0.]))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..eager.backward import grad as _grad
from ..eager.tensor import Tensor
from ..eager.xp import TensorXP
from ..tape.grad_mode import STATE, enable_grad, no_grad

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]


class _GradMode:
    """``torch.set_grad_enabled(mode)`` as a context manager."""

    def __init__(self, mode: bool) -> None:
        self.inner = enable_grad() if mode else no_grad()

    def __enter__(self) -> None:
        self.inner.__enter__()

    def __exit__(self, *exc: object) -> None:
        self.inner.__exit__(*exc)


# ------------------------------------------------------------------- plumbing
def _as_tuple(x: Any, arg_name: str, fn_name: str) -> tuple[bool, tuple]:
    """``(was it a tuple, x as a tuple)``; PyTorch's TypeError if it holds a non-tensor."""
    is_tuple = True
    if not isinstance(x, tuple):
        x = (x,)
        is_tuple = False
    for i, el in enumerate(x):
        if not isinstance(el, Tensor):
            if is_tuple:
                raise TypeError(f"The {arg_name} given to {fn_name} must be either a Tensor or "
                                f"a tuple of Tensors but the value at index {i} has type "
                                f"{_type(el)}.")
            raise TypeError(f"The {arg_name} given to {fn_name} must be either a Tensor or a "
                            f"tuple of Tensors but the given {arg_name} has type {_type(el)}.")
    return is_tuple, x


def _type(x: Any) -> str:
    return "<class 'torch.Tensor'>" if isinstance(x, Tensor) else str(type(x))


def _unpack(res: Any, to_unpack: Any) -> Any:
    """PyTorch's ``_tuple_postprocess``: undo the tuples the user did not give."""
    if isinstance(to_unpack, tuple):
        if not to_unpack[1]:
            res = tuple(el[0] for el in res)
        if not to_unpack[0]:
            res = res[0]
    elif not to_unpack:
        res = res[0]
    return res


def _preprocess(inputs: tuple, create_graph: bool, need_graph: bool) -> tuple:
    """Fresh tensors for ``inputs`` (differentiable views when the graph is kept)."""
    out = []
    for inp in inputs:
        if create_graph and inp._requires_grad:
            out.append(TensorXP.alias(inp))
        else:
            d = inp.detach()
            d.requires_grad_(need_graph)
            out.append(d)
    return tuple(out)


def _postprocess(xs: Any, create_graph: bool) -> Any:
    if isinstance(xs, Tensor):
        return xs if create_graph else xs.detach()
    return tuple(_postprocess(x, create_graph) for x in xs)


def _validate_v(v: tuple, other: tuple, is_other_tuple: bool) -> None:
    if len(other) != len(v):
        if is_other_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(other)} but got "
                               f"{len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for idx, (el_v, el_other) in enumerate(zip(v, other)):
        if tuple(el_v.shape) != tuple(el_other.shape):
            prepend = f"Entry {idx} in " if is_other_tuple else ""
            raise RuntimeError(f"{prepend}v has invalid size: should be {el_other.size()} but "
                               f"got {el_v.size()}.")


def _check_requires_grad(xs: tuple, input_type: str, strict: bool) -> None:
    if not strict:
        return
    for i, x in enumerate(xs):
        if x is None:
            raise RuntimeError(f"The output of the user-provided function is independent of "
                               f"input {i}. This is not allowed in strict mode.")
        if x._requires_grad:
            continue
        if input_type == "hessian":
            raise RuntimeError(
                f"The hessian of the user-provided function with respect to input {i} is "
                "independent of the input. This is not allowed in strict mode. You should ensure "
                "that your function is thrice differentiable and that the hessian depends on the "
                "inputs.")
        if input_type == "jacobian":
            raise RuntimeError(
                "While computing the hessian, found that the jacobian of the user-provided "
                f"function with respect to input {i} is independent of the input. This is not "
                "allowed in strict mode. You should ensure that your function is twice "
                "differentiable and that the jacobian depends on the inputs (this would be "
                "violated by a linear function for example).")
        if input_type == "grad_inputs":
            raise RuntimeError(
                f"The gradient with respect to input {i} is independent of the inputs of the "
                "user-provided function. This is not allowed in strict mode.")
        raise RuntimeError(
            f"Output {i} of the user-provided function does not require gradients. The outputs "
            "must be computed in a differentiable manner from the input when running in strict "
            "mode.")


def _autograd_grad(outputs: tuple, inputs: tuple, grad_outputs: tuple | None = None,
                   create_graph: bool = False, retain_graph: bool | None = None) -> tuple:
    """``autograd.grad`` that skips outputs not requiring grad (``None`` if all do)."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    live = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o._requires_grad]
    if not live:
        return (None,) * len(inputs)
    gos = [g for _, g in live]
    return _grad([o for o, _ in live], list(inputs), gos if any(g is not None for g in gos)
                 else None, retain_graph=retain_graph, create_graph=create_graph,
                 allow_unused=True)


_STRICT_ZERO = {
    "back": "The output of the user-provided function is independent of input {i}. This is "
            "not allowed in strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the "
                  "grad_outputs when using the double backward trick to compute forward mode "
                  "gradients. This is not allowed in strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. "
                   "This is not allowed in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry "
                         "{i} in the grad_jacobian. This is not allowed in strict mode as it "
                         "prevents from using the double backward trick to replace forward mode "
                         "AD.",
}
_STRICT_GRAPH = {
    "double_back": "The jacobian of the user-provided function is independent of input {i}. "
                   "This is not allowed in strict mode when create_graph=True.",
    "double_back_trick": "The hessian of the user-provided function is independent of input "
                         "{i}. This is not allowed in strict mode when create_graph=True.",
}


def _fill_in_zeros(grads: tuple, refs: tuple, strict: bool, create_graph: bool,
                   stage: str) -> tuple:
    out = []
    for i, (g, ref) in enumerate(zip(grads, refs)):
        if g is None:
            if strict:
                raise RuntimeError(_STRICT_ZERO[stage].format(i=i))
            g = Tensor._wrap(np.zeros_like(ref._data))
        elif strict and create_graph and not g._requires_grad and stage in _STRICT_GRAPH:
            raise RuntimeError(_STRICT_GRAPH[stage].format(i=i))
        out.append(g)
    return tuple(out)


def _stack(parts: list[Tensor], shape: tuple) -> Tensor:
    """Stack rows into one tensor of ``shape`` (differentiably when they require grad)."""
    if not parts:
        return Tensor._wrap(np.zeros(shape, dtype=np.float32))
    if any(p._requires_grad for p in parts):
        from ..eager.subscript import stack
        return stack(parts, 0).view(*shape)
    return Tensor._wrap(np.stack([p._data for p in parts]).reshape(shape))


# ---------------------------------------------------------------- products
def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), v^T J)``: the vector-Jacobian product at ``inputs``."""
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _preprocess(inputs, create_graph, need_graph=True)
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function",
                                              "vjp")
        _check_requires_grad(outputs, "outputs", strict)
        if v is not None:
            _, v = _as_tuple(v, "v", "vjp")
            v = _preprocess(v, create_graph, need_graph=False)
            _validate_v(v, outputs, is_outputs_tuple)
        elif len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError("The vector v can only be None if the user-provided function "
                               "returns a single Tensor with a single element.")
    with _GradMode(True if create_graph else STATE.enabled):
        grads = _autograd_grad(outputs, inputs, v, create_graph=create_graph)
        res = _fill_in_zeros(grads, inputs, strict, create_graph, "back")
    outputs = _postprocess(outputs, create_graph)
    res = _postprocess(res, create_graph)
    return _unpack(outputs, is_outputs_tuple), _unpack(res, is_inputs_tuple)


def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), J v)``: the Jacobian-vector product (the double-backward trick)."""
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _preprocess(inputs, create_graph, need_graph=True)
        if v is not None:
            _, v = _as_tuple(v, "v", "jvp")
            v = _preprocess(v, create_graph, need_graph=False)
            _validate_v(v, inputs, is_inputs_tuple)
        elif len(inputs) != 1 or inputs[0].numel() != 1:
            raise RuntimeError("The vector v can only be None if the input to the "
                               "user-provided function is a single Tensor with a single "
                               "element.")
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function",
                                              "jvp")
        _check_requires_grad(outputs, "outputs", strict)
        grad_outputs = tuple(_zeros_requiring_grad(o) for o in outputs)
        grad_inputs = _autograd_grad(outputs, inputs, grad_outputs, create_graph=True)
        _check_requires_grad(grad_inputs, "grad_inputs", strict)
    with _GradMode(True if create_graph else STATE.enabled):
        grads = _autograd_grad(grad_inputs, grad_outputs, v, create_graph=create_graph)
        res = _fill_in_zeros(grads, outputs, strict, create_graph, "back_trick")
    outputs = _postprocess(outputs, create_graph)
    res = _postprocess(res, create_graph)
    return _unpack(outputs, is_outputs_tuple), _unpack(res, is_outputs_tuple)


def _zeros_requiring_grad(t: Tensor) -> Tensor:
    z = Tensor._wrap(np.zeros_like(t._data))
    z.requires_grad_(True)
    return z


def jacobian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode") -> Any:
    """The Jacobian of ``func`` at ``inputs``: ``out.shape + in.shape`` per pair."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more performant. '
            'Otherwise, prefer to use "reverse-mode".')
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError(
                "torch.autograd.functional.jacobian: `create_graph=True` and "
                '`strategy="forward-mode"` are not supported together (yet). Please either set '
                '`create_graph=False` or `strategy="reverse-mode"`.')
        if strict:
            raise RuntimeError(
                "torch.autograd.functional.jacobian: `strict=True` and "
                '`strategy="forward-mode"` are not supported together (yet). Please either set '
                '`strict=False` or `strategy="reverse-mode"`.')
        if not vectorize:
            raise NotImplementedError(
                "Computing Jacobian using forward-AD or forward-over-reverse Hessian is"
                "only implemented for `vectorize=True`.")
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _preprocess(inputs, create_graph, need_graph=True)
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function",
                                              "jacobian")
        _check_requires_grad(outputs, "outputs", strict)
        if vectorize and strict:
            raise RuntimeError(
                "torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are "
                "not supported together. Please either set `strict=False` or "
                "`vectorize=False`.")
        jac: list[tuple] = []
        for i, out in enumerate(outputs):
            rows: list[list[Tensor]] = [[] for _ in inputs]
            flat = out.reshape(-1)
            for j in range(flat.numel()):
                vj = _autograd_grad((flat[j],), inputs, retain_graph=True,
                                    create_graph=create_graph)
                for el, (row, g) in enumerate(zip(rows, vj)):
                    if g is None:
                        if strict:
                            raise RuntimeError(
                                f"Output {i} of the user-provided function is independent of "
                                f"input {el}. This is not allowed in strict mode.")
                        g = Tensor._wrap(np.zeros_like(inputs[el]._data))
                    row.append(g)
            jac.append(tuple(_stack(row, tuple(out.shape) + tuple(inputs[el].shape))
                             for el, row in enumerate(rows)))
        res = _postprocess(tuple(jac), create_graph)
    return _unpack(res, (is_outputs_tuple, is_inputs_tuple))


def hessian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False, outer_jacobian_strategy: str = "reverse-mode") -> Any:
    """The Hessian of scalar ``func`` at ``inputs``: ``in.shape + in.shape`` per pair."""
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def single_output(*inp: Tensor) -> Tensor:
        out = func(*inp)
        is_out_tuple, t_out = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _check_requires_grad(t_out, "outputs", strict)
        if is_out_tuple or not isinstance(out, Tensor):
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should "
                               "contain a single element")
        return out.squeeze()

    def jac_func(*inp: Tensor) -> Any:
        jac = jacobian(single_output, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        return jac

    res = jacobian(jac_func, inputs, create_graph=create_graph, strict=strict,
                   vectorize=vectorize, strategy=outer_jacobian_strategy)
    return _unpack(res, (is_inputs_tuple, is_inputs_tuple))


def _scalar_output(func: Callable, inputs: tuple, name: str, strict: bool) -> Tensor:
    outputs = func(*inputs)
    is_outputs_tuple, outs = _as_tuple(outputs, "outputs of the user-provided function", name)
    _check_requires_grad(outs, "outputs", strict)
    if is_outputs_tuple or not isinstance(outputs, Tensor):
        raise RuntimeError(f"The function given to {name} should return a single Tensor")
    if outputs.numel() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {name} should contain "
                           "a single element")
    return outputs


def _hv_setup(func: Callable, inputs: Any, v: Any, create_graph: bool, strict: bool,
              name: str) -> tuple:
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", name)
    inputs = _preprocess(inputs, create_graph, need_graph=True)
    if v is not None:
        _, v = _as_tuple(v, "v", name)
        v = _preprocess(v, create_graph, need_graph=False)
        _validate_v(v, inputs, is_inputs_tuple)
    elif len(inputs) != 1 or inputs[0].numel() != 1:
        raise RuntimeError("The vector v can only be None if the input to the user-provided "
                           "function is a single Tensor with a single element.")
    outputs = _scalar_output(func, inputs, name, strict)
    jac = _autograd_grad((outputs,), inputs, create_graph=True)
    _check_requires_grad(jac, "jacobian", strict)
    return is_inputs_tuple, inputs, v, outputs, jac


def vhp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), v^T H)`` for scalar ``func``."""
    with enable_grad():
        is_inputs_tuple, inputs, v, outputs, jac = _hv_setup(func, inputs, v, create_graph,
                                                             strict, "vhp")
    with _GradMode(True if create_graph else STATE.enabled):
        grads = _autograd_grad(jac, inputs, v, create_graph=create_graph)
        res = _fill_in_zeros(grads, inputs, strict, create_graph, "double_back")
    outputs = _postprocess(outputs, create_graph)
    res = _postprocess(res, create_graph)
    return outputs, _unpack(res, is_inputs_tuple)


def hvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple:
    """``(func(inputs), H v)`` for scalar ``func`` (the double-backward trick)."""
    with enable_grad():
        is_inputs_tuple, inputs, v, outputs, jac = _hv_setup(func, inputs, v, create_graph,
                                                             strict, "hvp")
        grad_jac = tuple(_zeros_requiring_grad(x) for x in inputs)
        double_back = _autograd_grad(jac, inputs, grad_jac, create_graph=True)
        _check_requires_grad(jac, "hessian", strict)
    with _GradMode(True if create_graph else STATE.enabled):
        grads = _autograd_grad(double_back, grad_jac, v, create_graph=create_graph)
        res = _fill_in_zeros(grads, inputs, strict, create_graph, "double_back_trick")
    outputs = _postprocess(outputs, create_graph)
    res = _postprocess(res, create_graph)
    return outputs, _unpack(res, is_inputs_tuple)
