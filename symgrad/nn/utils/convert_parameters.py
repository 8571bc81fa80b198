"""``parameters_to_vector`` / ``vector_to_parameters`` (``torch.nn.utils``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...eager.subscript import cat
from ...eager.tensor import Tensor


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """The parameters flattened and concatenated (``CatBackward0``)."""
    return cat([p.view(-1) for p in _tensors(parameters)])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy slices of ``vec`` into the parameters' data, in order."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    pointer = 0
    for p in _tensors(parameters):
        n = p.numel()
        p.data = vec[pointer:pointer + n].view_as(p).data
        pointer += n


def _tensors(parameters: Any) -> list[Tensor]:
    """A single tensor or an iterable of them, as a list (PyTorch accepts both)."""
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


__all__ = ["parameters_to_vector", "vector_to_parameters"]
