"""``torch.utils``: the parts PyTorch code written for autograd reaches for (``benchmark``)."""

from . import benchmark

__all__ = ["benchmark"]
