"""What a kernel checks before handing its arguments to an engine.

JAX runs in 32 bits unless told otherwise and would silently turn a float64
argument into float32; a kernel refuses that rather than lose precision.
"""

from __future__ import annotations

from ... import errors


def jax_inputs(arrays: tuple) -> tuple:
    """``arrays`` unchanged, after checking that JAX keeps their float64 values
    (Python numbers pass; a float64 array needs ``jax_enable_x64``). Needs JAX.

    >>> jax_inputs((1.0, 2))  # doctest: +SKIP
    (1.0, 2)
    """
    import jax
    if not jax.config.jax_enable_x64:
        for a in arrays:
            dtype = getattr(a, "dtype", None)
            if dtype is not None and str(dtype) in ("float64", "complex128"):
                raise TypeError(errors.kernel_jax_float64(str(dtype)))
    return arrays
