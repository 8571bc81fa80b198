"""Bad input raises PyTorch's exception type with PyTorch's message (golden
strings recorded from PyTorch 2.13: ``Type: first line of the message``, or
``OK <repr>`` where PyTorch accepts the input)."""

from __future__ import annotations

import warnings

import pytest

import symgrad as T
from symgrad import errors

ERRORS = {
    'size_mismatch': ('T.ones(3)*T.ones(4)',
        'RuntimeError: The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0'),
    'size_mismatch2': ('T.ones(2,3)+T.ones(3,2)',
        'RuntimeError: The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1'),
    'size_mismatch3': ('T.ones(5,3)-T.ones(4,1,3)',
        'OK tensor([[[0., 0., 0.],\n         [0., 0., 0.],\n         [0., 0., 0.],\n         [0'),
    'mm_shape': ('T.mm(T.ones(2,3), T.ones(2,3))',
        'RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)'),
    'mm_1d': ('T.mm(T.ones(3), T.ones(3,3))',
        'RuntimeError: self must be a matrix'),
    'mm_1d_b': ('T.mm(T.ones(3,3), T.ones(3))',
        'RuntimeError: mat2 must be a matrix'),
    'mv_shape': ('T.mv(T.ones(2,3), T.ones(2))',
        'RuntimeError: size mismatch, got input (2), mat (2x3), vec (2)'),
    'mv_bad': ('T.mv(T.ones(3), T.ones(3))',
        'RuntimeError: vector + matrix @ vector expected, got 1, 1, 1'),
    'dot_shape': ('T.dot(T.ones(3), T.ones(4))',
        'RuntimeError: inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively'),
    'dot_2d': ('T.dot(T.ones(3,1), T.ones(3))',
        'RuntimeError: 1D tensors expected, but got 2D and 1D tensors'),
    'matmul_11': ('T.matmul(T.ones(3), T.ones(4))',
        'RuntimeError: inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively'),
    'matmul_22': ('T.ones(2,3) @ T.ones(4,5)',
        'RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)'),
    'matmul_21': ('T.ones(2,3) @ T.ones(4)',
        'RuntimeError: size mismatch, got input (2), mat (2x3), vec (4)'),
    'matmul_12': ('T.ones(3) @ T.ones(4,5)',
        'RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)'),
    'matmul_0d': ('T.matmul(T.tensor(1.), T.ones(3))',
        'RuntimeError: both arguments to matmul need to be at least 1D, but they are 0D and 1D'),
    'matmul_batch': ('T.ones(2,2,3) @ T.ones(2,4,5)',
        'RuntimeError: Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].'),
    'matmul_batch2': ('T.ones(2,2,3) @ T.ones(4)',
        'RuntimeError: size mismatch, got input (4), mat (4x3), vec (4)'),
    'matmul_batch3': ('T.ones(3, 2,2,3) @ T.ones(2,4,5)',
        'RuntimeError: Expected size for first two dimensions of batch2 tensor to be: [6, 3] but got: [6, 4].'),
    'matmul_batchbc': ('T.ones(3,2,3) @ T.ones(2,3,5)',
        'RuntimeError: The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0'),
    'backward_noreq': ('T.ones(3).sum().backward()',
        'RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn'),
    'backward_nonscalar': ('T.ones(3, requires_grad=True).mul(2).backward()',
        'RuntimeError: grad can be implicitly created only for scalar outputs'),
    'int_req': ('T.tensor([1,2], requires_grad=True)',
        'RuntimeError: Only Tensors of floating point and complex dtype can require gradients'),
    'int_req_': ('T.tensor([1,2]).requires_grad_()',
        'RuntimeError: only Tensors of floating point dtype can require gradients'),
    'int_req_attr': ("setattr(T.tensor([1,2]), 'requires_grad', True)",
        'RuntimeError: only Tensors of floating point and complex dtype can require gradients'),
    'numpy_req': ('T.ones(3, requires_grad=True).numpy()',
        "RuntimeError: Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."),
    'item_many': ('T.ones(3).item()',
        'RuntimeError: a Tensor with 3 elements cannot be converted to Scalar'),
    'bool_many': ('bool(T.ones(3))',
        'RuntimeError: Boolean value of Tensor with more than one value is ambiguous'),
    'leaf_inplace': ('T.ones(3, requires_grad=True).add_(1)',
        'RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.'),
    'leaf_iadd': ("exec('x = T.ones(3, requires_grad=True); x += 1', {'T': T})",
        'RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.'),
    'inplace_dtype': ('T.tensor([1, 2]).mul_(1.5)',
        "RuntimeError: result type Float can't be cast to the desired output type Long"),
    'inplace_shape': ('T.ones(3).add_(T.ones(2,3))',
        "RuntimeError: output with shape [3] doesn't match the broadcast shape [2, 3]"),
    'nonleaf_reqgrad_false': ("setattr(T.ones(3, requires_grad=True)*2, 'requires_grad', False)",
        "RuntimeError: you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."),
    'dim_range': ('T.ones(3).sum(1)',
        'IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 1)'),
    'dim_range2': ('T.ones(2,3).sum(-3)',
        'IndexError: Dimension out of range (expected to be in range of [-2, 1], but got -3)'),
    'view_bad': ('T.ones(6).view(4)',
        "RuntimeError: shape '[4]' is invalid for input of size 6"),
    'reshape_bad': ('T.ones(6).reshape(4, -1)',
        "RuntimeError: shape '[4, -1]' is invalid for input of size 6"),
    'len0d': ('len(T.tensor(1.))',
        'TypeError: len() of a 0-d tensor'),
    'retain_nograd': ('T.ones(3).retain_grad()',
        "RuntimeError: can't retain_grad on Tensor that has requires_grad=False"),
    'hook_nograd': ('T.ones(3).register_hook(print)',
        "RuntimeError: cannot register a hook on a tensor that doesn't require gradient"),
    'mean_int': ('T.tensor([1,2]).mean()',
        'RuntimeError: mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long'),
    'grad_wrong_shape': ('T.ones(3, requires_grad=True).mul(2).backward(T.ones(2))',
        'RuntimeError: Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([3]).'),
    'max_empty': ('T.zeros(0).max()',
        "RuntimeError: max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument."),
    'clamp_none': ('T.clamp(T.ones(2))',
        "RuntimeError: torch.clamp: At least one of 'min' or 'max' must not be None"),
    'expand_bad': ('T.ones(3).expand(2, 4)',
        'RuntimeError: The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [2, 4].  Tensor sizes: [3]'),
    't_3d': ('T.ones(2,2,2).t()',
        'RuntimeError: t() expects a tensor with <= 2 dimensions, but self is 3D'),
    'tensor_ragged': ('T.tensor([[1,2],[3]])',
        'ValueError: expected sequence of length 2 at dim 1 (got 1)'),
    'backward_twice_exp': ("exec('x=T.ones(3, requires_grad=True); y=x.exp().sum(); y.backward(); y.backward()', {'T':T})",
        'RuntimeError: Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time o'),
    'autograd_grad_unused': ('T.autograd.grad((T.ones(2, requires_grad=True)*2).sum(), T.ones(2, requires_grad=True))',
        'RuntimeError: The differentiated Tensor at index 0 appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.'),
    'autograd_grad_noreq': ('T.autograd.grad((T.ones(2, requires_grad=True)*2).sum(), T.ones(2))',
        'RuntimeError: One of the differentiated Tensors does not require grad'),
    'permute_bad': ('T.ones(2,3).permute(0)',
        'RuntimeError: permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1'),
    'squeeze_range': ('T.ones(2).squeeze(3)',
        'IndexError: Dimension out of range (expected to be in range of [-1, 0], but got 3)'),
    'matmul_int_float': ('T.tensor([1,2]) @ T.tensor([1.,2.])',
        'RuntimeError: dot : expected both vectors to have same dtype, but found Long and Float'),
    'neg_bool': ('-T.tensor([True])',
        'RuntimeError: Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.'),
    'sub_bool': ('T.tensor([True]) - T.tensor([False])',
        'RuntimeError: Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.'),
    'div_int': ('T.tensor([1,2]) / 2',
        'OK tensor([0.5000, 1.0000])'),
    'floor_missing': ('T.ones(2).sum(dim=(0,0))',
        'RuntimeError: dim 0 appears multiple times in the list of dims'),
}


def outcome(expr: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            v = eval(expr, {"T": T})
        except Exception as e:  # noqa: BLE001 - the type is what we compare
            return f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"
    return "OK " + repr(v)[:80]


@pytest.mark.parametrize("key", sorted(ERRORS))
def test_error_matches_pytorch(key: str) -> None:
    expr, expected = ERRORS[key]
    assert outcome(expr) == expected


def test_invalid_data_type_names_the_type() -> None:
    with pytest.raises(TypeError, match=r"^new\(\): invalid data type 'str'"):
        T.tensor("abc")


def test_size_mismatch_message_finds_the_offending_dim() -> None:
    assert errors.size_mismatch((2, 3), (4, 3), 0) == (
        "The size of tensor a (2) must match the size of tensor b (4) at non-singleton "
        "dimension 0")
    assert errors.size_mismatch((5, 1, 3), (4, 2), 0).endswith("at non-singleton dimension 2")


def test_stale_message_without_grad_fn_has_no_output_part() -> None:
    msg = errors.stale_saved_tensor("FloatTensor", (3,), None, 0, 1, 0)
    assert msg.startswith("one of the variables needed for gradient computation has been "
                          "modified by an inplace operation: [torch.FloatTensor [3]] is at "
                          "version 1; expected version 0 instead.")


@pytest.mark.parametrize("expr,expected", [
    ("T.ones(2, 3).long() @ T.ones(3, 2)",
     "expected m1 and m2 to have the same dtype, but got: long int != float"),
    ("T.ones(2, 3) @ T.ones(3).long()",
     "addmv input tensors must have the same dtype, but got Long, Float, and Long"),
    ("T.mm(T.ones(2, 3).double(), T.ones(3, 2))",
     "expected m1 and m2 to have the same dtype, but got: double != float"),
    ("T.ones(2, 2, 3).long() @ T.ones(2, 3, 2)", "expected scalar type Long but found Float"),
    ("T.ones(2, 3, 4) @ T.ones(5, 6)", "mat1 and mat2 shapes cannot be multiplied (6x4 and 5x6)"),
    ("T.ones(5) @ T.ones(2, 3, 4)",
     "Expected size for first two dimensions of batch2 tensor to be: [2, 5] but got: [2, 3]."),
    ("T.ones(3, 4) @ T.ones(2, 3, 4)",
     "Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 3]."),
    ("T.ones(3) @ T.ones(2, 4, 5)",
     "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4]."),
    ("T.ones(3).fill_(T.ones(2))",
     "fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions."),
])
def test_product_and_fill_errors_match_pytorch(expr: str, expected: str) -> None:
    with pytest.raises(RuntimeError) as info:
        eval(expr, {"T": T})
    assert str(info.value) == expected
