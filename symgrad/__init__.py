"""symgrad: see and trust gradients.

A torch-compatible tensor API on a NumPy tape engine, where every tensor
also carries a tensor-level SymPy formula. ``import symgrad as torch`` runs
ordinary autograd snippets.

>>> import symgrad as torch
>>> a = torch.tensor([1, 2, 3.], requires_grad=True)
>>> out = a * a
>>> y = out.sum()
>>> y += torch.matmul(out, out)
>>> y.backward()
>>> print(a.grad)
tensor([  6.,  36., 114.])
"""

from __future__ import annotations

from typing import Any as _Any

from ._version import __version__
from .creation import (
    arange,
    empty,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    symbol,
    tensor,
    zeros,
    zeros_like,
)
from .dtypes import DType as dtype
from .dtypes import bool_ as bool
from .dtypes import (
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    set_default_dtype,
    uint8,
)
from .eager import Size, Tensor  # importing eager configures the engine and binds methods
from .eager.compare import all, allclose, any, argmax, argmin, equal, isclose
from .eager.conversions import index_copy
from .eager.device import cuda, device
from .eager.formatting import set_printoptions
from .eager.linalg_functions import eye
from .eager.inference import inference_mode, is_inference, is_inference_mode_enabled
from .eager.legacy import TENSOR_TYPES, is_floating_point, is_tensor, numel
from .eager.methods import public_functions
from .tape.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled

# sg.exp, sg.matmul, sg.cat ...: every "function" name an op-table entry declares (api=)
globals().update(public_functions())

# Jupyter: tensors show their formula, formulas typeset by symgrad's printer (no-op elsewhere)
from .display import install as _install_display  # noqa: E402

_install_display()

# Parts that load on first use: those with heavier imports (SymPy), and those a
# program of formulas never needs (``symgrad diff`` loads none of them).
_LAZY: dict[str, tuple[str, str | None]] = {
    "autograd": ("symgrad.autograd", None),
    "diff": ("symgrad.symbolic.api", "diff"),
    "jacobian": ("symgrad.symbolic.api", "jacobian"),
    "hessian": ("symgrad.symbolic.api", "hessian"),
    "lambdify": ("symgrad.kernels.lambdify", "lambdify"),
    "compile_grad": ("symgrad.kernels.lambdify", "compile_grad"),
    "check": ("symgrad.checking", "check"),
    "func": ("symgrad.func", None),
    "vmap": ("symgrad.func.batching", "vmap"),
    "nn": ("symgrad.nn", None),
    "optim": ("symgrad.optim", None),
    "linalg": ("symgrad.linalg", None),
    "viz": ("symgrad.viz", None),
    "utils": ("symgrad.utils", None),  # torch.utils.benchmark.Timer
    # the thread count PyTorch's MKL products are split over (symgrad's follow it)
    **{name: ("symgrad.eager.threads", name) for name in (
        "get_num_interop_threads", "get_num_threads", "set_num_interop_threads",
        "set_num_threads")},
    # PyTorch's CPU generator, bit for bit (it loads numpy.random)
    "random": ("symgrad.random", None),
    **{name: ("symgrad.random", name) for name in (
        "Generator", "bernoulli", "default_generator", "get_rng_state", "initial_seed",
        "manual_seed", "multinomial", "normal", "rand", "rand_like", "randint",
        "randint_like", "randn", "randn_like", "randperm", "seed", "set_rng_state")},
}


def __getattr__(name: str):  # PEP 562: lazy public names
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'symgrad' has no attribute {name!r}") from None
    import importlib
    mod = importlib.import_module(module)
    value = mod if attr is None else getattr(mod, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


class _LoadsOnFirstUse:
    """A :class:`Tensor` method bound by a module that has not loaded yet
    (``t.uniform_``: :mod:`symgrad.random`). The first access loads the module,
    which binds the real method in place of this one; signature and docstring
    are the real method's.

    >>> import symgrad as sg
    >>> sg.Tensor.uniform_.__name__
    'uniform_'
    """

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def real(self) -> _Any:
        import importlib
        importlib.import_module(self.module)
        method = Tensor.__dict__[self.name]
        if method is self:  # pragma: no cover - the module did not bind it
            raise AttributeError(f"'Tensor' object has no attribute '{self.name}'")
        return method

    def __get__(self, obj: _Any, owner: _Any = None) -> _Any:
        return self.real().__get__(obj, owner)

    def __call__(self, *args: _Any, **kwargs: _Any) -> _Any:
        return self.real()(*args, **kwargs)

    @property
    def __signature__(self) -> _Any:
        import inspect
        return inspect.signature(self.real())


# the Tensor methods symgrad.random binds (its METHODS), until it loads
for _name in ("uniform_", "normal_", "random_", "bernoulli_", "exponential_", "bernoulli",
              "multinomial"):
    setattr(Tensor, _name, _LoadsOnFirstUse("symgrad.random", _name))
del _name


float = float32
double = float64
long = int64
half = float16
int = int32
short = int16
# torch.FloatTensor, torch.LongTensor...: callable legacy constructors, and isinstance checks
globals().update(TENSOR_TYPES)

__all__ = [n for n in dir() if not n.startswith("_")] + list(_LAZY)
