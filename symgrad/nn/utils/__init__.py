"""``sg.nn.utils``: gradient clipping, parameters as one vector, and the deprecated
``stateless.functional_call``, as ``torch.nn.utils``.

>>> import symgrad as torch
>>> w = torch.tensor([3.0, 4.0], requires_grad=True)
>>> w.grad = torch.tensor([3.0, 4.0])
>>> torch.nn.utils.clip_grad_norm_([w], max_norm=1.0)
tensor(5.)
>>> w.grad
tensor([0.6000, 0.8000])
"""

from __future__ import annotations

from . import stateless  # noqa: F401
from .clip_grad import clip_grad_norm_, clip_grad_value_, get_total_norm  # noqa: F401
from .convert_parameters import parameters_to_vector, vector_to_parameters  # noqa: F401

__all__ = ["clip_grad_norm_", "clip_grad_value_", "get_total_norm", "parameters_to_vector",
           "stateless", "vector_to_parameters"]
