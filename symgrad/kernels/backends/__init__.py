"""Where a kernel runs: NumPy (the default), a fused CPU loop, dask, JAX or CuPy.

One formula, one code generator: ``backend=`` picks the printer (NumPy's
``np.`` calls, or the Array API standard's ``xp.`` calls for every other
array library), the kernel's import line, the helper functions pasted into
its preamble, and how the compiled function is wrapped (``jax.jit``; the
blocked driver of the fused backend). ``.source`` stays a standalone module
for each backend.

========  ==================================================  ====================
backend   what runs                                           needs
========  ==================================================  ====================
numpy     NumPy calls, one array per temporary (the default)  nothing
fused     the NumPy kernel on cache-sized blocks of the       nothing
          inputs, reductions summed across blocks
dask      ``array_api_compat.dask.array``: lazy, chunked,     ``symgrad[dask]``
          out-of-core and on a ``dask.distributed`` cluster
jax       ``jax.numpy`` under ``jax.jit`` (XLA fuses)         ``symgrad[jax]``
cupy      ``array_api_compat.cupy`` on a GPU                  ``symgrad[cupy]``
auto      ``fused`` where it applies and pays (a formula   nothing
          of 24 nodes or more), else ``numpy``
========  ==================================================  ====================

>>> get("numpy").namespace, get("jax").namespace, get("dask").imports
('np', 'xp', ('import array_api_compat.dask.array as xp',))
>>> get("torch")
Traceback (most recent call last):
...
ValueError: unknown kernel backend 'torch': choose one of auto, cupy, dask, fused, jax, numpy
"""

from __future__ import annotations

from .spec import BACKENDS, Backend, get

__all__ = ["BACKENDS", "Backend", "get"]
