"""Ops that exist only in place: ``zero_``, ``fill_``, ``copy_``.

Their forward ignores the old value of ``self``, so its gradient is zero
(PyTorch still sends zeros, not nothing).

>>> OPS["copy"].grad_fn_name((), {})
'CopyBackwards'
"""

from __future__ import annotations

import numpy as np

from .registry import LINEAR, OPS, defop

defop("zero", "ZeroBackward0", LINEAR, "self",
      forward=np.zeros_like,
      vjp={"self": lambda xp, grad, s, a: xp.zeros_like(grad)},
      jvp={"self": lambda xp, t, s, a: xp.zeros_like(t)},
      sym=lambda S, x: S.zeros_like(x), dtype_rule="same", api=("inplace",))

defop("fill", "FillBackward2", LINEAR, "self",
      forward=lambda x, value: np.full_like(x, value),
      vjp={"self": lambda xp, grad, s, a: xp.zeros_like(grad)},
      jvp={"self": lambda xp, t, s, a: xp.zeros_like(t)},
      sym=lambda S, x, value: S.full_like(x, value), dtype_rule="same", api=("inplace",))

defop("copy", "CopyBackwards", LINEAR, "self src",
      forward=lambda x, src: np.broadcast_to(src, np.shape(x)).astype(x.dtype),
      vjp={"self": lambda xp, grad, s, a: xp.zeros_like(grad),
           "src": lambda xp, grad, s, a: grad},
      jvp={"self": lambda xp, t, s, a: xp.zeros_like(t), "src": lambda xp, t, s, a: t},
      sym=lambda S, x, src: S.copy_to(x, src), dtype_rule="same", api=("inplace",))
