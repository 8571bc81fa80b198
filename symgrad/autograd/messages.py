"""The messages of ``symgrad.autograd`` (custom Functions, ``functional``,
``gradcheck``), worded as PyTorch 2.13 words them.

>>> wrong_grad_count("MulBackward", 2, 1)
'function MulBackward returned an incorrect number of gradients (expected 2, got 1)'
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import BACKWARD_TWICE

__all__ = ["BACKWARD_TWICE"]

NO_FORWARD = ("You must implement the forward function for custom autograd.Function.")
NO_SETUP_CONTEXT = "setup_context is not implemented."
NO_BACKWARD = ("You must implement either the backward or vjp method for your custom "
               "autograd.Function to use it with backward mode AD.")
NO_JVP = ("You must implement the jvp function for custom autograd.Function to use it with "
          "forward mode AD.")
LEGACY_CALL = ("Legacy autograd function with non-static forward method is deprecated. "
               "Please use new-style autograd function with static forward method. "
               "(Example: https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")
LEAF_DIRTY = "a leaf Variable that requires grad has been used in an in-place operation."
ONCE_DIFFERENTIABLE = ("trying to differentiate twice a function that was marked with "
                       "@once_differentiable")


def function_instantiated(cls: type) -> str:
    return (f"{cls} should not be instantiated. Methods on autograd functions are all static, "
            "so you should invoke them on the class itself. Instantiating an autograd function "
            "will raise an error in a future version of PyTorch.")


def save_not_tensor(index: int, type_name: str) -> str:
    return (f"save_for_backward can only save variables, but argument {index} is of type "
            f"{type_name}")


def wrong_grad_count(name: str, expected: int, got: int) -> str:
    return (f"function {name} returned an incorrect number of gradients (expected {expected}, "
            f"got {got})")


def grad_for_non_tensor(name: str, position: int) -> str:
    return (f"function {name} returned a gradient different than None at position {position}, "
            "but the corresponding forward input was not a Variable")


def expected_tensor_or_none(type_name: str) -> str:
    return f"expected Variable or None (got {type_name})"


def _dims(shape: Sequence[int]) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def invalid_grad_shape(name: str, index: int, got: Sequence[int], want: Sequence[int]) -> str:
    return (f"Function {name} returned an invalid gradient at index {index} - got "
            f"{_dims(got)} but expected shape compatible with {_dims(want)}")
