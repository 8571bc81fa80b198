"""``torch.nn.utils.stateless.functional_call``: the deprecated name of
:func:`symgrad.func.functional_call` (with PyTorch's ``FutureWarning``)."""

from __future__ import annotations

import warnings
from typing import Any

from ...func.stateless import functional_call as _functional_call

_DEPRECATED = ("`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 "
               "and will be removed in a future version of PyTorch. Please use "
               "`torch.func.functional_call` instead which is a drop-in replacement.")


def functional_call(module: Any, parameters_and_buffers: Any, args: Any = None,
                    kwargs: Any = None, *, tie_weights: bool = True,
                    strict: bool = False) -> Any:
    """``func.functional_call``, with PyTorch's deprecation warning."""
    warnings.warn(_DEPRECATED, FutureWarning, stacklevel=2)
    return _functional_call(module, parameters_and_buffers, args, kwargs,
                            tie_weights=tie_weights, strict=strict)


__all__ = ["functional_call"]
