"""``torch.set_num_threads`` / ``get_num_threads`` (and the inter-op pair).

symgrad computes on one thread, but a float32 matrix product's last bits depend on
how many threads PyTorch's MKL splits it over, and symgrad's MKL products split the
same way (:mod:`symgrad.ops.torch_float.mkl`): setting the count here sets that.

>>> import symgrad as torch
>>> n = torch.get_num_threads()
>>> torch.set_num_threads(1); torch.get_num_threads()
1
>>> torch.set_num_threads(n)
"""

from __future__ import annotations

from ..ops.torch_float import mkl

_interop: int | None = None


def _check(name: str, n: object) -> None:
    """PyTorch's errors for a count that is not a positive int."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise RuntimeError(f"{name} expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError(f"{name} expects a positive integer")


def set_num_threads(n: int) -> None:
    """The number of threads used for intra-op parallelism on CPU (PyTorch's
    default: the physical cores)."""
    _check("set_num_threads", n)
    mkl.set_num_threads(n)


def get_num_threads() -> int:
    """The number of threads used for intra-op parallelism on CPU."""
    return mkl.get_num_threads()


def set_num_interop_threads(n: int) -> None:
    """The number of inter-op threads (symgrad runs ops one after another)."""
    global _interop
    _check("set_num_interop_threads", n)
    _interop = n


def get_num_interop_threads() -> int:
    """The number of inter-op threads (PyTorch's default: the intra-op default)."""
    return _interop if _interop is not None else mkl.default_num_threads()


def setting() -> int | None:
    """The intra-op count a program set (``None``: the default), to restore later."""
    return mkl.thread_setting()


def restore(n: int | None) -> None:
    """Put back a :func:`setting`."""
    mkl.restore_thread_setting(n)


__all__ = ["get_num_interop_threads", "get_num_threads", "set_num_interop_threads",
           "set_num_threads"]
