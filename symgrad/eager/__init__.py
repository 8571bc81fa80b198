"""The eager front end: :class:`Tensor` and what runs an op on it.

What happens on ``a * b``:

1. ``Tensor.__mul__`` (bound in :mod:`.methods` from its ``OPERATORS`` table)
   calls ``functions.mul``, generated from the op table entry ``OPS["mul"]``;
2. :func:`.dispatch.apply` picks the result dtype (PyTorch's promotion), runs
   the entry's NumPy ``forward`` and wraps the array in a new tensor; a view
   op shares storage and version counter (:mod:`.views`);
3. if an input requires grad and grad mode is on, :func:`.taping.record`
   builds the ``MulBackward0`` node, saves what the entry's ``saves`` names,
   and leaves a :class:`~symgrad.ops.record.Record` (inputs as ghosts) on
   the result, from which ``t.expr`` builds the formula on demand
   (:mod:`symgrad.symbolic.build`);
4. ``y.backward()`` goes through :mod:`.backward` to the tape engine
   (:mod:`symgrad.tape.engine`), which calls the entry's VJP rules, and
   :mod:`.grad_events` notes the call so ``leaf.grad_formula`` mirrors
   ``leaf.grad``. In-place ops (``x.mul_(2)``) go through
   :func:`.dispatch.apply_inplace`, which bumps the version counter, and
   :mod:`.culprit` names who bumped it when a saved tensor is stale.

Importing this package configures the tape engine (which never imports the
tensor type) once, here.

>>> from symgrad.eager import Tensor
>>> (Tensor([2.], requires_grad=True) * 3).record.op.name
'mul'
"""

from __future__ import annotations

from ..tape import engine, forward_ad
from . import methods  # noqa: F401  (binds the methods and operators onto Tensor)
from .dispatch import FORWARD_AD_FLAGS
from .grad_events import on_accumulate
from .tensor import Size, Tensor
from .xp import TensorXP

engine.configure(wrap=Tensor._wrap, tensor_xp=TensorXP, tensor_type=Tensor,
                 on_accumulate=on_accumulate)
forward_ad.configure(flags=FORWARD_AD_FLAGS, tensor_type=Tensor, tensor_xp=TensorXP)

__all__ = ["Size", "Tensor"]
