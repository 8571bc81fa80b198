"""One :class:`Backend` per array engine: what its kernel source imports,
which namespace its calls go through and how its compiled function runs.

A backend whose library is missing is still listed: asking for it fails
with an ``ImportError`` that names the extra to install.

>>> get("fused").blocked, get("numpy").blocked
(True, False)
>>> get(get("jax")) is get("jax")
True
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ... import errors


@dataclass(frozen=True)
class Backend:
    """An array engine a kernel can be printed for (see the package docstring)."""

    name: str
    namespace: str                           # the name calls go through: ``np`` or ``xp``
    imports: tuple[str, ...]                 # the source's import lines (binding the namespace)
    requires: tuple[str, ...] = ()           # modules that must import (checked on use)
    extra: str = ""                          # ``pip install symgrad[extra]``
    #: function class name -> (call or template, import lines it needs): overrides
    functions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    blocked: bool = False                    # run on blocks of the inputs (the fused backend)

    @property
    def array_api(self) -> bool:
        """Printed with the Array API standard's names (``xp.asinh``), not NumPy's."""
        return self.namespace == "xp"

    def check(self) -> None:
        """Raise ``ImportError`` (naming the extra) when the engine is not installed."""
        for mod in self.requires:
            try:
                importlib.import_module(mod)
            except ImportError as exc:
                raise ImportError(errors.kernel_backend_missing(self.name, mod, self.extra)) \
                    from exc

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """The function a kernel calls: ``jax.jit(fn)`` for JAX, ``fn`` elsewhere."""
        if self.name == "jax":
            import jax
            return jax.jit(fn)
        return fn

    def prepare(self, arrays: tuple) -> tuple:
        """The arguments as the engine takes them (refusing a silent float64 -> float32)."""
        if self.name == "jax":
            from .engines import jax_inputs
            return jax_inputs(arrays)
        if self.name == "cupy":
            import cupy
            return tuple(cupy.asarray(a) if hasattr(a, "__array__") else a for a in arrays)
        return arrays

    def constant(self, value: Any) -> Any:
        """A constant bound into the kernel, as the engine's array."""
        if self.name != "cupy" or not hasattr(value, "dtype"):
            return value  # NumPy constants (and index keys) mix with dask and JAX arrays
        import cupy
        return cupy.asarray(value)


#: every backend, by name
BACKENDS: dict[str, Backend] = {b.name: b for b in (
    Backend("numpy", "np", ("import numpy as np",)),
    Backend("fused", "np", ("import numpy as np",), blocked=True),
    Backend("auto", "np", ("import numpy as np",), blocked=True),
    Backend("dask", "xp", ("import array_api_compat.dask.array as xp",),
            ("dask.array", "array_api_compat"), "dask",
            {"erf": ("{0}.map_blocks(scipy.special.erf)", "import scipy.special")}),
    Backend("jax", "xp", ("import jax.numpy as xp",), ("jax",), "jax",
            {"erf": ("jax.scipy.special.erf", "import jax.scipy.special")}),
    Backend("cupy", "xp", ("import array_api_compat.cupy as xp",), ("cupy", "array_api_compat"),
            "cupy", {"erf": ("cupyx.scipy.special.erf", "import cupyx.scipy.special")}),
)}


def get(backend: str | Backend | None) -> Backend:
    """The backend called ``backend`` (``None``: NumPy)."""
    if isinstance(backend, Backend):
        return backend
    spec = BACKENDS.get("numpy" if backend is None else backend)  # type: ignore[arg-type]
    if spec is None:
        raise ValueError(errors.kernel_unknown_backend(backend, sorted(BACKENDS)))
    return spec
