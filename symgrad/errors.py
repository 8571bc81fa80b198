"""Every user-facing message of symgrad, in one place.

Where PyTorch has a message for the same situation, the wording is
PyTorch's, with dtype, shape, op name and versions filled in from the real
case. symgrad's own messages say what went wrong and what to do next.

>>> stale_saved_tensor("FloatTensor", (3,), "SigmoidBackward0", 0, 1, 0)[:60]
'one of the variables needed for gradient computation has bee'
"""

from __future__ import annotations

from collections.abc import Sequence


def _shape(shape: Sequence[int]) -> str:
    return "[" + ", ".join(str(int(s)) for s in shape) + "]"


HINT_ANOMALY = (
    " Hint: enable anomaly detection to find the operation that failed to compute its "
    "gradient, with torch.autograd.set_detect_anomaly(True)."
)


def stale_saved_tensor(tensor_type: str, shape: Sequence[int], grad_fn: str | None,
                       output_nr: int, version: int, expected: int) -> str:
    """PyTorch's message for a saved tensor modified in place after it was saved."""
    msg = ("one of the variables needed for gradient computation has been modified by an "
           f"inplace operation: [torch.{tensor_type} {_shape(shape)}]")
    if grad_fn is not None:
        msg += f", which is output {output_nr} of {grad_fn},"
    msg += f" is at version {version}; expected version {expected} instead."
    return msg + HINT_ANOMALY


BACKWARD_TWICE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)

IMPLICIT_NONSCALAR = "grad can be implicitly created only for scalar outputs"

LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."

NO_GRAD_FN = "element 0 of tensors does not require grad and does not have a grad_fn"

NUMPY_REQUIRES_GRAD = (
    "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
)

ONLY_FLOAT_REQUIRES_GRAD = (
    "Only Tensors of floating point and complex dtype can require gradients"
)

ONLY_FLOAT_REQUIRES_GRAD_ = "only Tensors of floating point dtype can require gradients"

VIEW_OF_LEAF_INPLACE = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)

HOOK_NO_GRAD = "cannot register a hook on a tensor that doesn't require gradient"

RETAIN_NO_GRAD = "can't retain_grad on Tensor that has requires_grad=False"

BOOL_AMBIGUOUS = "Boolean value of Tensor with more than one value is ambiguous"


def grad_assign_size(grad_shape, shape) -> str:
    return (f"attempting to assign a gradient of size '{_shape(grad_shape)}' to a tensor of "
            f"size '{_shape(shape)}'. Please ensure that the gradient and the tensor are the "
            "same size")

NONLEAF_REQUIRES_GRAD = (
    "you can only change requires_grad flags of leaf variables. If you want to use a "
    "computed variable in a subgraph that doesn't require differentiation use "
    "var_no_grad = var.detach()."
)

ITEM_NUMEL = "a Tensor with {n} elements cannot be converted to Scalar"

SYMBOLIC_NO_VALUE = (
    "tensor '{name}' is symbolic and has no value; give it one with sg.tensor(...) "
    "or evaluate its formula with sg.lambdify"
)


def size_mismatch(a: Sequence[int], b: Sequence[int], dim: int) -> str:
    """PyTorch's broadcasting error, for shapes ``a`` and ``b``."""
    na, nb = len(a), len(b)
    n = max(na, nb)
    for i in range(1, n + 1):
        x = a[na - i] if i <= na else 1
        y = b[nb - i] if i <= nb else 1
        if x != y and x != 1 and y != 1:
            return (f"The size of tensor a ({x}) must match the size of tensor b ({y}) "
                    f"at non-singleton dimension {n - i}")
    return f"shapes {tuple(a)} and {tuple(b)} cannot be broadcast together"


def matmul_shapes(op: str, a: Sequence[int], b: Sequence[int]) -> str:
    """PyTorch's matmul/mm/mv/dot/bmm shape errors."""
    if op == "dot" or (len(a) == 1 and len(b) == 1):
        return ("inconsistent tensor size, expected tensor [{}] and src [{}] to have the "
                "same number of elements, but got {} and {} elements respectively"
                ).format(a[0], b[0], a[0], b[0])
    if op in ("mm", "mv") and len(a) != 2:
        return "self must be a matrix"
    if len(a) == 2 and len(b) == 1:
        return f"size mismatch, got input ({a[0]}), mat ({a[0]}x{a[1]}), vec ({b[0]})"
    if len(a) <= 2 and len(b) <= 2:
        ra = (1, a[0]) if len(a) == 1 else tuple(a)
        return f"mat1 and mat2 shapes cannot be multiplied ({ra[0]}x{ra[1]} and {b[0]}x{b[1]})"
    return (f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{a[0] if len(a) > 2 else b[0]}, {a[-1]}] but got: [{b[0] if len(b) > 2 else 1}, "
            f"{b[-2] if len(b) > 1 else b[0]}].")


def grad_shape_mismatch(grad_shape: Sequence[int], out_shape: Sequence[int]) -> str:
    return (f'Mismatch in shape: grad_output[0] has a shape of torch.Size({list(grad_shape)}) '
            f'and output[0] has a shape of torch.Size({list(out_shape)}).')


def dim_out_of_range(dim: int, ndim: int) -> str:
    lo, hi = (-ndim, ndim - 1) if ndim > 0 else (-1, 0)
    return f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})"


def unsupported_operand(op: str, other: object) -> str:
    return (f"unsupported operand type for {op}: 'Tensor' and '{type(other).__name__}'; "
            "use a tensor, a Python number or a NumPy array")


def inplace_result_shape(result: Sequence[int], self_shape: Sequence[int]) -> str:
    return (f"output with shape {_shape(self_shape)} doesn't match the broadcast shape "
            f"{_shape(result)}")


def inplace_dtype(result: str, self_dtype: str) -> str:
    return f"result type {result} can't be cast to the desired output type {self_dtype}"


def unused_input(i: int) -> str:
    return ("One of the differentiated Tensors appears to not have been used in the graph. "
            "Set allow_unused=True if this is the desired behavior.")


def input_not_requiring_grad(i: int) -> str:
    return "One of the differentiated Tensors does not require grad"


NONLEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information. (Triggered "
    "internally at /__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)"
)


def culprit(notes: list) -> str:
    """symgrad's addition to the stale-saved-tensor error: who bumped the version."""
    parts = []
    for n in notes:
        where = f" at {n.location}" if n.location else ""
        alias = f", and {n.alias}" if n.alias else ""
        parts.append(f"`{n.op}`{where}{alias}")
    return ("\nsymgrad: the version was bumped by " + "; then ".join(parts) + ".")
