"""``torch.utils``: the parts PyTorch code written for autograd reaches for
(``benchmark``, ``data``)."""

from . import benchmark, data

__all__ = ["benchmark", "data"]
