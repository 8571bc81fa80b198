"""Every user-facing message of symgrad, in one place.

Where PyTorch has a message for the same situation, the wording is
PyTorch's, with dtype, shape, op name and versions filled in from the real
case. symgrad's own messages say what went wrong and what to do next.

>>> stale_saved_tensor("FloatTensor", (3,), "SigmoidBackward0", 0, 1, 0)[:60]
'one of the variables needed for gradient computation has bee'
"""

from __future__ import annotations

import re

from collections.abc import Sequence


def _shape(shape: Sequence[int]) -> str:
    return "[" + ", ".join(str(int(s)) for s in shape) + "]"


HINT_ANOMALY = (
    " Hint: enable anomaly detection to find the operation that failed to compute its "
    "gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
)


_BACKWARD_SUFFIX = re.compile(r"Backward(\d*)$")


def _node_label(grad_fn: str) -> str:
    """How PyTorch 2.13 names a node in messages: ``SigmoidBackward0`` -> ``Sigmoid``,
    ``PowBackward1`` -> ``Pow1``, a custom Function's ``MyExpBackward`` -> ``MyExp``.

    >>> _node_label("SigmoidBackward0"), _node_label("PowBackward1"), _node_label("MyExpBackward")
    ('Sigmoid', 'Pow1', 'MyExp')
    """
    return _BACKWARD_SUFFIX.sub(lambda m: "" if m[1] in ("", "0") else m[1], grad_fn)


def stale_saved_tensor(tensor_type: str, shape: Sequence[int], grad_fn: str | None,
                       output_nr: int, version: int, expected: int) -> str:
    """PyTorch's message for a saved tensor modified in place after it was saved
    (2.13 names the node without its ``Backward<N>`` suffix: ``output 0 of Sigmoid``).

    >>> m = stale_saved_tensor("FloatTensor", (3,), "SigmoidBackward0", 0, 1, 0)
    >>> m[m.index("which"):m.index("; expected")]
    'which is output 0 of Sigmoid, is at version 1'
    """
    msg = ("one of the variables needed for gradient computation has been modified by an "
           f"inplace operation: [torch.{tensor_type} {_shape(shape)}]")
    if grad_fn is not None:
        msg += f", which is output {output_nr} of {_node_label(grad_fn)},"
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

ONLY_FLOAT_REQUIRES_GRAD_SET = (
    "only Tensors of floating point and complex dtype can require gradients"
)

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


NEG_BOOL = ("Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` or `logical_not()` operator instead.")

SUB_BOOL = ("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead.")


def fill_value_dims(ndim: int) -> str:
    return f"fill_ only supports 0-dimension value tensor but got tensor with {ndim} dimensions."


def dim_repeated(dim: int) -> str:
    return f"dim {dim} appears multiple times in the list of dims"


def ragged(length: int, dim: int, got: int) -> str:
    return f"expected sequence of length {length} at dim {dim} (got {got})"


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
    """PyTorch's matmul/mm/mv/dot shape errors (after matmul's folding of batch dims).

    >>> matmul_shapes("matmul", (2, 3), (4, 5))
    'mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)'
    >>> matmul_shapes("matmul", (3, 2, 2, 3), (2, 4, 5))
    'Expected size for first two dimensions of batch2 tensor to be: [6, 3] but got: [6, 4].'
    """
    na, nb = len(a), len(b)
    if op == "dot" or (na == 1 and nb == 1):
        return ("inconsistent tensor size, expected tensor [{}] and src [{}] to have the "
                "same number of elements, but got {} and {} elements respectively"
                ).format(a[0], b[0], a[0], b[0])
    if op in ("mm", "mv") and na != 2:
        return "self must be a matrix"
    if na >= 2 and nb == 1:  # mv, with a's leading dims folded into rows
        rows = 1
        for n in a[:-1]:
            rows *= int(n)
        return f"size mismatch, got input ({rows}), mat ({rows}x{a[-1]}), vec ({b[0]})"
    if nb == 2 and na <= 2 or (nb == 2 and na > 2):  # mm, with a's batch folded into rows
        rows = 1
        for n in a[:-1]:
            rows *= int(n)
        return f"mat1 and mat2 shapes cannot be multiplied ({rows}x{a[-1]} and {b[0]}x{b[1]})"
    batch_a, batch_b = tuple(a[:-2]), tuple(b[:-2])
    batch = broadcast_batch(batch_a, batch_b)
    if batch is None:
        return size_mismatch(batch_a, batch_b, 0)
    size = 1
    for n in batch:
        size *= int(n)
    return (f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{size}, {a[-1]}] but got: [{size}, {b[-2]}].")


def broadcast_batch(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...] | None:
    """The broadcast of two batch shapes, or ``None`` if they do not broadcast."""
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + tuple(a)
    b = (1,) * (n - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x != y and x != 1 and y != 1:
            return None
        out.append(max(x, y) if x != 1 and y != 1 else x * y if 0 not in (x, y) else 0)
    return tuple(out)


_C_TYPE = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
           "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
           "bool": "bool"}
_SCALAR = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
           "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def matmul_dtypes(op: str, a: Sequence[int], b: Sequence[int], da: str, db: str) -> str:
    """PyTorch's error for products of tensors of different dtypes (names as NumPy's).

    >>> matmul_dtypes("matmul", (2, 3), (3, 2), "int64", "float32")
    'expected m1 and m2 to have the same dtype, but got: long int != float'
    """
    na, nb = len(a), len(b)
    if op == "dot" or (na == 1 and nb == 1):
        return (f"dot : expected both vectors to have same dtype, but found {_SCALAR[da]} "
                f"and {_SCALAR[db]}")
    if nb == 1 and na >= 2:
        return (f"addmv input tensors must have the same dtype, but got {_SCALAR[db]}, "
                f"{_SCALAR[da]}, and {_SCALAR[db]}")
    if nb == 2:
        return f"expected m1 and m2 to have the same dtype, but got: {_C_TYPE[da]} != {_C_TYPE[db]}"
    return f"expected scalar type {_SCALAR[da]} but found {_SCALAR[db]}"


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
    return (f"The differentiated Tensor at index {i} appears to not have been used in the "
            "graph. Set allow_unused=True if this is the desired behavior.")


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


def add_note(err: BaseException, note: str) -> None:
    """``err.add_note(note)`` (Python 3.11), or its ``__notes__`` on 3.10."""
    if hasattr(err, "add_note"):
        err.add_note(note)
    else:  # pragma: no cover - Python 3.10
        err.__notes__ = [*getattr(err, "__notes__", []), note]


def culprit(notes: list) -> str:
    """symgrad's addition to the stale-saved-tensor error, who bumped the version: a
    note on the exception (shown under the message in a traceback and by ``symgrad
    run``), so that ``str(error)`` stays PyTorch's text."""
    parts = []
    for n in notes:
        where = f" at {n.location}" if n.location else ""
        alias = f", and {n.alias}" if n.alias else ""
        parts.append(f"`{n.op}`{where}{alias}")
    return "symgrad: the version was bumped by " + "; then ".join(parts) + "."


# ---------------------------------------------------------------- parser / CLI (symgrad.parsing)
# ``{where}`` is " at column 5" for one-line expressions, " at line 3, column 5" otherwise.
PARSE_SYNTAX = "invalid syntax{where}: {detail}"
PARSE_TOO_LONG = "input is {n} characters long; the limit is {limit}"
PARSE_TOO_DEEP = "expression nested more than {limit} levels deep{where}"
PARSE_NOT_ALLOWED = "{what} {is_are} not allowed{where}{hint}"
PARSE_UNKNOWN_FUNCTION = "unknown function '{name}'{where}{suggestion}"
PARSE_UNKNOWN_NAME = "unknown name '{name}'{where}{suggestion}"
PARSE_UNKNOWN_ATTRIBUTE = "unknown attribute '{name}' of {owner}{where}{suggestion}"
PARSE_DUNDER = "{kind} '{name}' is not allowed{where}: names with double underscores are off limits"
PARSE_BAD_NAME = ("a tensor's name must be a plain identifier of at most 64 characters, like "
                  "'a' or 'W1' (got {got}){where}")
PARSE_PRIVATE = ("attribute '{name}' is not allowed{where}: symgrad's private attributes are off "
                 "limits; use the public ones (.data, .grad, .shape, ...)")
PARSE_IMPORT = ("import of '{name}' is not allowed{where}; only torch (meaning symgrad), "
                "symgrad, math, functools (partial) and random can be imported")
PARSE_NOT_AVAILABLE = "function '{name}' is not available in this build of symgrad{where}"
PARSE_NOT_CALLABLE = "{what} is not callable{where}"
PARSE_INT_LITERAL = "integer literal has {bits} bits{where}; the limit is {limit} bits"
PARSE_INT_RESULT = ("integer result would have about {bits} bits{where}; the limit is {limit} "
                    "bits (use a float, e.g. 2.0**100)")
PARSE_SEQ_TOO_LONG = "sequence of {n} items{where} exceeds the limit of {limit}"
PARSE_ITEMS_TOTAL = ("snippet would create more than {limit} list, tuple and string items in "
                     "all{where}")
PARSE_TENSOR_TOO_BIG = "tensor of {n} elements{where} exceeds the limit of {limit} per tensor"
PARSE_MEMORY_TOO_BIG = ("snippet would hold more than {mb} MB of tensors at once{where}; "
                        "make the tensors smaller or keep fewer of them")
PARSE_TOTAL_TOO_BIG = ("snippet would create more than {limit} tensor elements in total{where}; "
                       "make the tensors or loops smaller")
PARSE_MATMUL_TOO_BIG = "matrix product of {n} multiply-adds{where} exceeds the limit of {limit}"
PARSE_LOOP_TOO_LONG = "loop of {n} iterations{where} exceeds the limit of {limit}"
PARSE_LOOPS_TOTAL = "loops ran more than {limit} iterations in total{where}"
PARSE_TIMEOUT = "time limit of {limit:g} s exceeded{where}"
PARSE_OUTPUT_TOO_LONG = "output exceeds the limit of {limit} characters{where}"
PARSE_BAD_VALUE = "{what}{where}"
CLI_SHAPE_SPEC = "--shape {spec}: expected NAME=DIMS, e.g. --shape a=3 or --shape W=4,3 ({why})"
CLI_AT_SPEC = "--at {spec}: expected NAME=VALUES, e.g. --at a=1,2,3 ({why})"
CLI_AT_COUNT = "--at {spec} has {n} values but --shape {name}={dims} needs {need}"
CLI_AT_MISSING = "--at gives no value for '{name}'; give every variable a value: {names}"
CLI_WRT_UNKNOWN = "--wrt {name}: '{name}' does not appear in the expression{suggestion}"
CLI_SHAPE_UNKNOWN = "--shape {name}: '{name}' does not appear in the expression{suggestion}"
CLI_NO_VARIABLES = "the expression has no variables to differentiate"
CLI_HESSIAN_SCALAR = "--hessian needs a scalar expression; this one has shape {shape}"
CLI_EXCLUSIVE = "--jacobian and --hessian cannot be combined; choose one"
CLI_FORWARD_WITH = "--mode forward cannot be combined with --{flag}"
CLI_CHECK_NEEDS_AT = "--check needs values: add --at NAME=VALUES for each variable"
CLI_MISSING_PIECE = "{feature} needs {piece}, which is not available in this build of symgrad"
PARSE_BAD_TIMEOUT = ("time limit {value} is not a number of seconds between {low:g} and "
                     "{high:g}; the limit cannot be switched off")
PARSE_NESTED_TOO_BIG = ("{what} would walk nested lists of more than {limit} items{where}; "
                        "make the lists smaller")
PARSE_OUT_OF_MEMORY = "out of memory{where}: the input asks for more than this machine has"
CLI_INPUT_TOO_LONG = "{what} is longer than the limit of {limit} characters"
CLI_PROGRAM_END = ("the last statement{where} is not an expression: a program given to diff "
                   "ends with the expression to differentiate, e.g. sum(x)")
CLI_NOT_A_FILE = "cannot read {what} '{source}': not a regular file"


def kernel_missing_symbol(name: str, args: list) -> str:
    """A formula refers to a tensor that is neither an argument nor a constant."""
    return (f"the formula uses '{name}', which is not among the kernel's arguments "
            f"{list(args)}; add it to args (or pass the tensor itself)")


def kernel_bad_call(kernel: str, problem: str) -> str:
    """A kernel was called with the wrong arguments."""
    return f"{kernel}(): {problem}"


def kernel_unknown_backend(got: object, known: list) -> str:
    """ValueError: ``lambdify(..., backend=)`` names no backend."""
    return f"unknown kernel backend {got!r}: choose one of {', '.join(known)}"


def kernel_backend_missing(backend: str, module: str, extra: str) -> str:
    """ImportError: a kernel backend's array library is not installed."""
    return (f"the {backend} kernel backend needs {module!r}, which is not installed: "
            f"pip install 'symgrad[{extra}]'")


def kernel_backend_unsupported(backend: str, what: str) -> str:
    """NotImplementedError: a formula node has no kernel code for a backend."""
    return (f"the {backend} kernel backend cannot compute {what}; "
            "use backend='numpy' for this formula")


def kernel_jax_float64(dtype: str) -> str:
    """TypeError: a float64 input to a JAX kernel while JAX runs in 32 bits."""
    return (f"a {dtype} input to a JAX kernel would silently become float32: JAX runs "
            "without 64-bit types; call jax.config.update('jax_enable_x64', True) first, "
            "or pass float32 arrays")


CLI_LEADING_DASH = (" (an expression that starts with '-' looks like an option: put it after "
                    "'--', as in symgrad diff -- \"-sum(a*a)\")")
CLI_REPEATED = "{option} {name}=... is given twice; give each name once"
CLI_EMPTY_EXPRESSION = ("the expression is empty; give one to differentiate, "
                        "e.g. symgrad diff \"sum(a*a)\"")


def arg_must_be_tensor(fn: str, got: str) -> str:
    """TypeError (PyTorch's text): a tensor function's first argument is not a tensor."""
    return f"{fn}(): argument 'input' (position 1) must be Tensor, not {got}"


def invalid_arguments(fn: str, got: list[str]) -> str:
    """TypeError (PyTorch's first line): no overload of ``fn`` takes these argument types."""
    return (f"{fn}() received an invalid combination of arguments - got ({', '.join(got)}); "
            "text is accepted only where PyTorch takes it (e.g. reduction='sum')")


PARSE_CHECK_NEEDS_VALUES = ("check() needs tensors with values{where}; in symgrad diff, "
                            "use --check with --at (e.g. --at a=1,2,3 --check)")


def index_unknown_length(pos: int, dim: int) -> str:
    """IndexError: an int or a slice indexes a length left unspecified (``?``)."""
    return (f"index {pos}: dimension {dim} has an unspecified length, so an integer or a slice "
            "cannot index it; give the tensor's shape (sg.symbol(name, (3,)), or --shape a=3)")


def kernel_bad_formula(got: str) -> str:
    """TypeError: ``lambdify`` was given something that is not a formula (text is never parsed)."""
    return (f"lambdify: expected a symgrad Tensor, a SymPy expression or a number, got {got}; "
            "text is never turned into a formula (build it with sg.symbol and tensor ops)")


def symbol_bad_dim(dim: str, got: str) -> str:
    """TypeError/ValueError: a symbol's dimension must be a non-negative int or None."""
    return (f"symbol(): shape must be a tuple of non-negative ints or None (an unspecified "
            f"length), but found {dim} of type {got}")


def check_bad_argument(what: str, got: str) -> str:
    """TypeError: ``sg.check`` takes tensors."""
    return f"sg.check: {what} must be a symgrad Tensor, not {got}"


def check_wrt_not_leaf(i: int, name: str) -> str:
    """ValueError: ``wrt`` names a computed tensor."""
    return (f"sg.check: wrt[{i}] ('{name}') is not a leaf: it was computed by an op; "
            "check with respect to the leaves it was computed from")


def check_wrt_not_in_graph(i: int, name: str) -> str:
    """ValueError: ``wrt`` is not below ``y``."""
    return (f"sg.check: wrt[{i}] ('{name}') is not an input of y: y was not computed "
            "from it")


def check_name_clash(name: str) -> str:
    """The symbolic column is skipped: two leaves share one symbol name."""
    return (f"two different leaves are both named '{name}', so a formula cannot tell them "
            "apart; give them different names (name=...) to compare the formula too")


CHECK_NO_INPUTS = ("sg.check: nothing to check: no tensor below y requires grad; "
                   "pass wrt=[...] or create the inputs with requires_grad=True")


# ------------------------------------------------- forward mode, func, losses
FW_NO_LEVEL = ("Trying to create a dual Tensor for forward AD but no level exists, make sure "
               "to enter_dual_level() first.")
FW_NO_LEVEL_TO_EXIT = "Dual level must be a positive number."
FW_EXIT_NOT_INNERMOST = ("exit_dual_level(level=...): only the innermost dual level can be "
                         "exited; leave the inner `with dual_level()` block first")
FW_BAD_LEVEL = "Invalid level given to _make_dual"
FW_PRIMAL_NOT_FLOAT = "Expected primal to be floating point or complex, but got: {dtype}"
FW_TANGENT_NOT_FLOAT = "Expected tangent to be floating point or complex, but got: {dtype}"


def fw_tangent_size(shape, tangent_shape) -> str:
    return ("Trying to set a forward gradient that has a different size than that of the "
            f"original Tensor, this is not supported. Tensor is of size {_shape(shape)} while "
            f"the given forward gradient is of size {_shape(tangent_shape)}.")


BACKWARD_CREATE_GRAPH_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the "
    "parameter and its gradient which can cause a memory leak. We recommend using "
    "autograd.grad when creating the graph to avoid this. If you have to use this function, "
    "make sure to reset the .grad fields of your parameters to None after use to break the "
    "cycle and avoid the leak. (Triggered internally at "
    "/__w/pytorch/pytorch/torch/csrc/autograd/engine.cpp:1307.)"
)

FUNC_NOT_SCALAR = ("{api}(f)(*args): Expected f(*args) to return a scalar Tensor, got tensor "
                   "with {ndim} dims. Maybe you wanted to use the vjp or jacrev APIs instead?")
FUNC_NOT_TENSOR = "{api}(f)(*args): Expected f(*args) to return a Tensor, got {type}"
FUNC_AUX = ("{api}(f)(*args): output of function f should be a tuple: (output, aux) if "
            "has_aux is True")
FUNC_ARGNUM = "Got argnum={argnum}, but only {n} positional inputs"
FUNC_JVP_PRIMALS = ("jvp(f, primals, tangents): Expected primals to be a tuple. E.g. it should "
                    "be valid to call f(*primals).")
FUNC_JVP_TANGENTS = ("jvp(f, primals, tangents): Expected tangents to be a tuple. E.g. it "
                     "should be valid to call f(*primals).")
FUNC_JVP_LENGTHS = ("jvp(f, primals, tangents): Expected primals and tangents to have the same "
                    "length, got {p} primals and {t} tangents")
FUNC_JVP_TREES = ("jvp(f, primals, tangents): Expected primals and tangents to have the same "
                  "python structure. Got primals {p} and tangents {t}")
FUNC_OUTPUT_NOT_TENSOR = ("{api}: Expected f to be a function that has non-empty output (got "
                          "output = {out}) whose outputs are Tensors")

BAD_REDUCTION = "{reduction} is not a valid value for reduction"
SOFTMAX_IMPLICIT_DIM = ("Implicit dimension choice for {name} has been deprecated. Change the "
                        "call to include dim=X as an argument.")
MSE_SIZE_WARNING = ("Using a target size ({target}) that is different to the input size "
                    "({input}). This will likely lead to incorrect results due to "
                    "broadcasting. Please ensure they have the same size.")
BCE_SIZE = ("Using a target size ({target}) that is different to the input size ({input}) is "
            "deprecated. Please ensure they have the same size.")
BCE_INPUT_RANGE = "all elements of input should be between 0 and 1"
BCE_TARGET_RANGE = "all elements of target should be between 0 and 1"
NLL_BATCH = "Expected input batch_size ({n}) to match target batch_size ({m})."
NLL_MULTI_TARGET = "0D or 1D target tensor expected, multi-target not supported"
NLL_TARGET_DTYPE = "expected target dtype to be Long or Byte, but got {dtype}"
NLL_TARGET_BOUNDS = "Target {value} is out of bounds."
NLL_TARGET_SIZE = "Expected target size {want}, got {got}"
NLL_INPUT_DIM = "Expected 1 or more dimensions (got {ndim})"
CE_LABEL_SMOOTHING = ("cross_entropy(label_smoothing={value}): label smoothing is not "
                      "supported by symgrad yet; use label_smoothing=0.0")


# ------------------------------------------------------- views, indexing, hooks (issue 3)
INPLACE_OVERLAP = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)
INPLACE_PARTIAL_OVERLAP = (
    "unsupported operation: some elements of the input tensor and the written-to tensor refer "
    "to a single memory location. Please clone() the tensor before performing the operation."
)


def index_out_of_bounds(index: int, dim: int, size: int) -> str:
    return f"index {index} is out of bounds for dimension {dim} with size {size}"


def too_many_indices(ndim: int) -> str:
    return f"too many indices for tensor of dimension {ndim}"


def mask_shape(mask_shape, k: int, shape, dim: int) -> str:
    return (f"The shape of the mask {_shape(mask_shape)} at index {k} does not match the shape "
            f"of the indexed tensor {_shape(shape)} at index {dim}")


INVALID_INDEX = ("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                 "Variables are valid indices (got {type})")

SLICE_STEP = "step must be greater than zero"


def index_put_shape(value_shape, result_shape) -> str:
    return (f"shape mismatch: value tensor of shape {_shape(value_shape)} cannot be broadcast "
            f"to indexing result of shape {_shape(result_shape)}")


def expand_size(target, got, dim: int) -> str:
    return (f"The expanded size of the tensor ({target[dim]}) must match the existing size "
            f"({got[dim - len(target) + len(got)]}) at non-singleton dimension {dim}.  Target "
            f"sizes: {list(target)}.  Tensor sizes: {list(got)}")


CAT_EMPTY = "torch.cat(): expected a non-empty list of Tensors"
STACK_EMPTY = "stack expects a non-empty TensorList"


def cat_sizes(dim: int, expected: int, got: int, k: int) -> str:
    return (f"Sizes of tensors must match except in dimension {dim}. Expected size {expected} "
            f"but got size {got} for tensor number {k} in the list.")


def cat_ndim(a: int, b: int) -> str:
    return f"Tensors must have same number of dimensions: got {a} and {b}"


def stack_sizes(a, b, k: int) -> str:
    return (f"stack expects each tensor to be equal size, but got {_shape(a)} at entry 0 and "
            f"{_shape(b)} at entry {k}")


def gather_index(index: int, dim: int, size: int) -> str:
    return f"index {index} is out of bounds for dimension {dim} with size {size}"


def hook_changed_size(name: str) -> str:
    return f"hook '{name}' has changed the size of value"


def hook_changed_type(name: str, was: str, got: str) -> str:
    return f"hook '{name}' has changed the type of value (was torch.{was} got torch.{got})"


def grad_assign_dtype(got: str, want: str) -> str:
    return (f"attempting to assign a gradient with dtype '{got}' to a tensor with grad_dtype "
            f"'{want}'. The gradient must match the tensor's grad_dtype (defaults to the tensor's "
            "dtype). You can set the tensor's grad_dtype attribute with a specific dtype, or None "
            "to allow any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and "
            "its gradient may break downstream systems that assume they match.")


VIEW_NO_GRAD_INPLACE = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. "
    "Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your "
    "code by moving both the view and the inplace either both inside the no_grad block (if you "
    "don't want the inplace to be tracked) or both outside (if you want the inplace to be "
    "tracked).")


def view_multi_output_inplace(output_nr: int, fn: str) -> str:
    """PyTorch's message for an in-place op on an output of ``unbind`` (or a view of one);
    ``fn`` is the view's node name without ``Backward0``, e.g. ``Unbind``."""
    return (f"Output {output_nr} of {fn} is a view and is being modified inplace. This view is "
            "the output of a function that returns multiple views. Such functions do not allow "
            "the output views to be modified inplace. You should replace the inplace operation "
            "by an out-of-place one.")


def jvp_not_defined(op: str, arg: str) -> str:
    """NotImplementedError (PyTorch's text for an op without forward AD, plus the missing rule)."""
    return (f"Trying to use forward AD with {op} that does not support it because it has not "
            f"been implemented yet: the op table has no JVP rule for its input '{arg}'. Add one "
            f"to OPS['{op}'] (jvp={{'{arg}': ...}}), or use reverse mode (backward, sg.func.vjp).")


def vjp_not_defined(op: str, arg: str) -> str:
    """RuntimeError at record time (PyTorch's text for a non-differentiable input)."""
    return (f"the derivative for '{arg}' is not implemented: the op table has no VJP rule for "
            f"input '{arg}' of {op}. Detach it (.detach()) if no gradient should flow through "
            f"it, or add vjp={{'{arg}': ...}} to OPS['{op}'].")


# --------------------------------------------------------------- issue 12: the tensor surface
NO_CUDA = "Torch not compiled with CUDA enabled"
NO_ACCELERATOR = "Cannot access accelerator device when none is available."
INFERENCE_VERSION = "Inference tensors do not track version counter."
INFERENCE_SAVED = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`.")
INFERENCE_INPLACE = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
    "clone to get a normal tensor before doing inplace update.See "
    "https://github.com/pytorch/rfcs/pull/17 for more details.")


def not_linked(device_type: str) -> str:
    """RuntimeError: a device type this (CPU-only) build has no support for."""
    return f"PyTorch is not linked with support for {device_type} devices"


def out_requires_grad(fn: str) -> str:
    """RuntimeError: an ``out=`` call whose inputs require grad (PyTorch's words)."""
    return (f"{fn}(): functions with out=... arguments don't support automatic differentiation, "
            "but one of the arguments requires grad.")


def out_resized(old: tuple, new: tuple) -> str:
    """UserWarning: ``out=`` had elements and another shape, so it was resized."""
    return (f"An output with one or more elements was resized since it had shape {list(old)}, "
            f"which does not match the required output shape {list(new)}. This behavior is "
            "deprecated, and in a future PyTorch release outputs will not be resized unless they "
            "have zero elements. You can explicitly reuse an out tensor t by resizing it, "
            "inplace, to zero elements with t.resize_(0).")


def out_cast(result: str, out: str) -> str:
    """RuntimeError: the result's dtype cannot be written into ``out``'s."""
    return f"result type {result} can't be cast to the desired output type {out}"


# ------------------------------------------------------- random generator (symgrad.random)
SEED_OVERFLOW = "Overflow when unpacking long long"
RNG_STATE_TYPE = "RNG state must be a torch.ByteTensor"
RNG_STATE_INVALID = "Invalid mt19937 state"
RANDINT_NO_SIZE = "randint() missing the required argument 'size' (tuple of ints)"
NORMAL_NO_SIZE = ("normal() with float mean and std needs a size: normal(mean, std, size) "
                  "(or pass a tensor mean or std)")
BERNOULLI_P = ("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
               "message be improved?  If so, please report an enhancement request to PyTorch.)")


def rng_state_size(size: int, found: int) -> str:
    """RuntimeError: ``set_rng_state`` with a byte tensor of the wrong length."""
    return (f"Expected a CPUGeneratorImplState of size {size} but found the input RNG state "
            f"size to be {found}")


def not_a_generator(type_name: str) -> str:
    """TypeError: ``generator=`` given something that is not a ``torch.Generator``."""
    return f"generator must be a torch.Generator, not {type_name}"


def negative_dimension(value: int, sizes: list) -> str:
    """RuntimeError: a size with a negative entry."""
    return f"Trying to create tensor with negative dimension {value}: {sizes}"


def kernel_not_implemented(kernel: str, dtype_word: str) -> str:
    """NotImplementedError: a random kernel called for a dtype it has no version for."""
    return f'"{kernel}" not implemented for \'{dtype_word}\''


def random_from_to(low: int, high: int) -> str:
    """RuntimeError: ``randint``/``random_`` with an empty range."""
    return f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"


def uniform_bounds(low: float, high: float) -> str:
    """RuntimeError: ``uniform_(a, b)`` with ``a > b``."""
    return f"uniform_ expects to return a [from, to) range, but found from={low:g} > to={high:g}"


def normal_std(std: float) -> str:
    """RuntimeError: ``normal_`` with a negative standard deviation."""
    return f"normal expects std >= 0.0, but found std {std:g}"


def normal_std_tensor() -> str:
    """RuntimeError: ``normal(mean, std)`` with a negative entry in ``std``."""
    return "normal expects all elements of std >= 0.0"


# ------------------------------------------------------------------ nn and optim
EMPTY_PARAMS = "optimizer got an empty parameter list"
NON_LEAF_PARAM = "can't optimize a non-leaf Tensor"
NESTEROV = "Nesterov momentum requires a momentum and zero dampening"


def optim_params_type(type_name: str) -> str:
    """TypeError: ``params`` is a single tensor (or not iterable)."""
    return ("params argument given to the optimizer should be an iterable of Tensors or dicts, "
            f"but got {type_name}")


def invalid_hyper(what: str, value: object) -> str:
    """ValueError: a negative learning rate, momentum, weight decay, epsilon..."""
    return f"Invalid {what}: {value}"


def invalid_beta(index: int, value: object) -> str:
    """ValueError: an Adam beta outside [0, 1)."""
    return f"Invalid beta parameter at index {index}: {value}"


def no_attribute(owner: str, name: str) -> str:
    """AttributeError: a module attribute that is neither a parameter, buffer nor child."""
    return f"'{owner}' object has no attribute '{name}'"


def bad_parameter_assign(type_name: str, name: str) -> str:
    """TypeError: a plain tensor assigned where a module holds a Parameter."""
    return (f"cannot assign '{type_name}' as parameter '{name}' "
            "(torch.nn.Parameter or None expected)")


def bad_module_assign(type_name: str, name: str) -> str:
    """TypeError: a non-module assigned where a module holds a child module."""
    return f"cannot assign '{type_name}' as child module '{name}' (torch.nn.Module or None expected)"


def load_state_dict_errors(owner: str, problems: list[str]) -> str:
    """RuntimeError: ``load_state_dict(strict=True)`` with missing, unexpected or
    mis-shaped entries (PyTorch's layout: one tab-indented line each)."""
    return f"Error(s) in loading state_dict for {owner}:\n\t" + "\n\t".join(problems)

MULTINOMIAL_DIM = "prob_dist must be 1 or 2 dim"
MULTINOMIAL_NEGATIVE = "invalid multinomial distribution (encountering probability entry < 0)"
MULTINOMIAL_NONFINITE = ("invalid multinomial distribution (encountering probability entry = "
                         "infinity or NaN)")
MULTINOMIAL_SUM = "invalid multinomial distribution (sum of probabilities <= 0)"
MULTINOMIAL_TOO_MANY = "cannot sample n_sample > prob_dist.size(-1) samples without replacement"

NO_MATPLOTLIB = ("plotting needs matplotlib: pip install matplotlib (or pip install -e "
                 "\".[plot]\")")
