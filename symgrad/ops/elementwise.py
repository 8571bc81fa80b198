"""Elementwise ops: arithmetic and unary functions.

Each entry puts the forward next to its derivative. ``s.self``/``s.other``/
``s.result`` are the saved values (``saves`` says which, as PyTorch's
derivatives.yaml does); ``a`` holds the non-tensor arguments.

>>> OPS["exp"].saves, OPS["mul"].saves
({'result': ()}, {'other': (0,), 'self': (1,)})
"""

from __future__ import annotations

import math

import numpy as np

from . import torch_float as _tf
from .registry import ELEMENTWISE, NONDIFF, OPS, defop
from .torch_float import activations as _tf_act
from .torch_float import onednn as _onednn

# ---------------------------------------------------------------- arithmetic

defop("add", "AddBackward0", ELEMENTWISE, "self other",
      forward=lambda x, y, alpha=1: x + y if alpha == 1 else x + alpha * y,
      vjp={"self": lambda xp, grad, s, a: grad,
           "other": lambda xp, grad, s, a: grad if a.get("alpha", 1) == 1 else grad * a["alpha"]},
      sym=lambda S, x, y, alpha=1: x + alpha * y, api=("function", "method", "inplace"))

defop("sub", "SubBackward0", ELEMENTWISE, "self other",
      forward=lambda x, y, alpha=1: x - y if alpha == 1 else x - alpha * y,
      vjp={"self": lambda xp, grad, s, a: grad,
           "other": lambda xp, grad, s, a: -grad if a.get("alpha", 1) == 1 else grad * -a["alpha"]},
      sym=lambda S, x, y, alpha=1: x - alpha * y, api=("function", "method", "inplace"))

defop("rsub", "RsubBackward1", ELEMENTWISE, "self",  # other - self, other a Python number
      forward=lambda x, other: other - x,
      vjp={"self": lambda xp, grad, s, a: -grad},
      sym=lambda S, x, other: other - x)

defop("mul", "MulBackward0", ELEMENTWISE, "self other",
      forward=lambda x, y: x * y,
      vjp={"self": lambda xp, grad, s, a: grad * s.other,
           "other": lambda xp, grad, s, a: grad * s.self},
      saves={"other": (0,), "self": (1,)},
      sym=lambda S, x, y: x * y, api=("function", "method", "inplace"))

defop("div", "DivBackward0", ELEMENTWISE, "self other",
      forward=lambda x, y: np.true_divide(x, y),
      vjp={"self": lambda xp, grad, s, a: grad / s.other,
           "other": lambda xp, grad, s, a: -grad * s.self / (s.other * s.other)},
      saves={"self": (1,), "other": (0, 1)},
      sym=lambda S, x, y: x / y, dtype_rule="true_divide", api=("function", "method", "inplace"),
      aliases=("true_divide",))

defop("neg", "NegBackward0", ELEMENTWISE, "self",
      forward=np.negative,
      vjp={"self": lambda xp, grad, s, a: -grad},
      sym=lambda S, x: -x, api=("function", "method", "inplace"), aliases=("negative",))


def _pow_scalar_vjp(xp, grad, s, a):
    e = a["exponent"]
    if e == 0:
        return grad * 0
    return grad * (e * s.self ** (e - 1))


defop("pow", "PowBackward0", ELEMENTWISE, "self",  # tensor ** number
      forward=_tf.pow_scalar,
      vjp={"self": _pow_scalar_vjp},
      saves={"self": ()},
      sym=lambda S, x, exponent: x ** exponent, api=("function", "method", "inplace"),
      aliases=("square",))


def _pow_exponent_grad(xp, grad, s, a):
    # d/dy x**y = x**y * log(x), and PyTorch's choice of 0 where x == 0 and y >= 0
    mask = (s.self == 0) & (s.other >= 0)
    return grad * xp.where(mask, 0.0, s.result * xp.log(xp.where(mask, 1.0, s.self)))


defop("pow_tensor", "PowBackward1", ELEMENTWISE, "self other",  # tensor ** tensor
      forward=lambda x, y: np.power(x, y),
      vjp={"self": lambda xp, grad, s, a: grad * (s.other * s.self ** (s.other - 1)),
           "other": _pow_exponent_grad},
      saves={"self": (0, 1), "other": (0, 1), "result": (1,)},
      sym=lambda S, x, y: x ** y)

defop("rpow", "PowBackward2", ELEMENTWISE, "self",  # number ** tensor
      forward=lambda x, base: np.power(base, x),
      vjp={"self": lambda xp, grad, s, a: grad * (s.result * float(np.log(a["base"])))},
      saves={"result": ()},
      sym=lambda S, x, base: base ** x)

# ------------------------------------------------------------ unary functions


# Python floats, not NumPy scalars: ``np.float64 * tensor`` would leave the tape
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)
_SQRT1_2 = 1 / math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)

_UNARY_API = {"log1p": ("function", "method"), "expm1": ("function", "method"),
              "rsqrt": ("function", "method"), "tan": ("function", "method"),
              "reciprocal": ("function", "method"),
              "tanh": ("function", "method", "inplace", "nn"),
              "sigmoid": ("function", "method", "inplace", "nn")}


def _unary(name: str, grad_fn: str, forward, vjp, saves: str, sym) -> None:
    """A unary float function (its JVP derived from the VJP: ``auto_element_wise``)."""
    defop(name, grad_fn, ELEMENTWISE, "self", forward=forward, vjp={"self": vjp},
          saves={saves: ()} if saves else {}, sym=sym, dtype_rule="float",
          api=_UNARY_API.get(name, ("function", "method", "inplace")))


_unary("exp", "ExpBackward0", _tf.exp,
       lambda xp, grad, s, a: grad * s.result, "result", lambda S, x: S.exp(x))
_unary("log", "LogBackward0", _tf.log,
       lambda xp, grad, s, a: grad / s.self, "self", lambda S, x: S.log(x))
_unary("log1p", "Log1PBackward0", np.log1p,
       lambda xp, grad, s, a: grad / (s.self + 1), "self", lambda S, x: S.log(1 + x))
_unary("expm1", "Expm1Backward0", np.expm1,
       lambda xp, grad, s, a: grad * (s.result + 1), "result", lambda S, x: S.exp(x) - 1)
_unary("sqrt", "SqrtBackward0", _tf.sqrt,
       lambda xp, grad, s, a: grad / (2 * s.result), "result", lambda S, x: S.sqrt(x))
_unary("rsqrt", "RsqrtBackward0", lambda x: 1 / np.sqrt(x),
       lambda xp, grad, s, a: -0.5 * grad * s.result ** 3, "result",
       lambda S, x: 1 / S.sqrt(x))
_unary("sin", "SinBackward0", _tf.sin,
       lambda xp, grad, s, a: grad * xp.cos(s.self), "self", lambda S, x: S.sin(x))
_unary("cos", "CosBackward0", _tf.cos,
       lambda xp, grad, s, a: grad * -xp.sin(s.self), "self", lambda S, x: S.cos(x))
_unary("tan", "TanBackward0", _tf.tan,
       lambda xp, grad, s, a: grad * (1 + s.result ** 2), "result", lambda S, x: S.tan(x))
_unary("tanh", "TanhBackward0", _tf.tanh,
       lambda xp, grad, s, a: grad * xp.one_minus_square(s.result), "result",
       lambda S, x: S.tanh(x))
_unary("sigmoid", "SigmoidBackward0", _tf.sigmoid,
       lambda xp, grad, s, a: grad * (1 - s.result) * s.result, "result",
       lambda S, x: S.sigmoid(x))
_unary("asinh", "AsinhBackward0", np.arcsinh,
       lambda xp, grad, s, a: grad / xp.sqrt(s.self * s.self + 1), "self",
       lambda S, x: S.asinh(x))
_unary("erf", "ErfBackward0", _tf.erf,
       lambda xp, grad, s, a: grad * (_TWO_OVER_SQRT_PI * xp.exp(-(s.self * s.self))), "self",
       lambda S, x: S.erf(x))


def _gelu_onednn(x) -> bool:
    """PyTorch runs a contiguous float32 ``gelu(approximate="none")`` of more than one
    element through oneDNN (``use_mkldnn`` in ``Activation.cpp``), forward and backward."""
    return x.dtype == np.float32 and x.size > 1 and x.flags.c_contiguous


def _gelu_forward(x, approximate="none"):
    """PyTorch's float32 CPU kernels bit for bit (:mod:`.torch_float.activations`)."""
    if approximate != "tanh" and _gelu_onednn(x):
        return _onednn.dnnl_gelu_erf(x)
    return _tf_act.gelu(x, approximate)


def _gelu_vjp(xp, grad, s, a):
    """PyTorch's ``GeluBackward0`` (``aten/src/ATen/native/cpu/Activation.cpp``): its
    kernels on arrays, the formula on tensors (a recorded backward)."""
    x = s.self
    approximate = a.get("approximate", "none")
    if not xp.is_tensor:
        if approximate != "tanh" and _gelu_onednn(np.asarray(x)):
            return _onednn.dnnl_gelu_erf_backward(grad, x)
        return _tf_act.gelu_backward(grad, x, approximate)
    if approximate == "tanh":
        t = xp.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))
        return grad * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_OVER_PI
                       * (1 + 3 * 0.044715 * x * x))
    cdf = 0.5 * (1 + xp.op(OPS["erf"], x * _SQRT1_2))
    return grad * (cdf + x * (_INV_SQRT_2PI * xp.exp(-0.5 * x * x)))


def _gelu_sym(S, x, approximate="none"):
    if approximate == "tanh":
        return x * (1 + S.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))) / 2
    return x * (1 + S.erf(x * _SQRT1_2)) / 2


defop("gelu", "GeluBackward0", ELEMENTWISE, "self", forward=_gelu_forward,
      vjp={"self": _gelu_vjp}, saves={"self": ()}, sym=_gelu_sym, dtype_rule="float",
      api=("nn",))

_unary("reciprocal", "ReciprocalBackward0", np.reciprocal,
       lambda xp, grad, s, a: -grad * (s.result * s.result), "result", lambda S, x: 1 / x)

defop("logaddexp", "LogaddexpBackward0", ELEMENTWISE, "self other",  # log(exp(x) + exp(y))
      forward=np.logaddexp,
      vjp={"self": lambda xp, grad, s, a: grad / (xp.exp(s.other - s.self) + 1),
           "other": lambda xp, grad, s, a: grad / (xp.exp(s.self - s.other) + 1)},
      saves={"self": (), "other": ()}, sym=lambda S, x, y: S.logaddexp(x, y),
      dtype_rule="float", api=("function", "method"))

# relu'(0) = 0 and abs'(0) = 0, as PyTorch (threshold_backward, sgn)
defop("relu", "ReluBackward0", ELEMENTWISE, "self",
      forward=lambda x: np.maximum(x, 0).astype(x.dtype, copy=False),
      vjp={"self": lambda xp, grad, s, a: grad * (s.result > 0)},
      saves={"result": ()}, sym=lambda S, x: S.relu(x), dtype_rule="same", kinks=True,
      api=("function", "method", "inplace", "nn"))

defop("abs", "AbsBackward0", ELEMENTWISE, "self",
      forward=np.abs,
      vjp={"self": lambda xp, grad, s, a: grad * xp.sign(s.self)},
      saves={"self": ()}, sym=lambda S, x: S.abs(x), dtype_rule="same", kinks=True,
      api=("function", "method", "inplace"))


def _clamp_forward(x, min=None, max=None):
    if min is not None:
        x = np.maximum(x, min)
    if max is not None:
        x = np.minimum(x, max)
    return x


def _clamp_mask(s, a):
    lo, hi = a.get("min"), a.get("max")
    if lo is not None and hi is not None:
        return (s.self >= lo) & (s.self <= hi)
    return s.self >= lo if lo is not None else s.self <= hi


defop("clamp", "ClampBackward1", ELEMENTWISE, "self",  # bounds are numbers
      forward=_clamp_forward,
      vjp={"self": lambda xp, grad, s, a: grad * _clamp_mask(s, a)},
      saves={"self": ()}, sym=lambda S, x, min=None, max=None: S.clamp(x, min, max),
      dtype_rule="same", kinks=True, api=("function", "method", "inplace"), aliases=("clip",))


def _tie_split(xp, grad, mine, theirs, lose):
    """maximum/minimum: the winner takes grad, a tie splits it in half."""
    half = xp.where(mine == theirs, grad / 2, grad)
    return xp.where(lose, 0.0 * grad, half)


defop("maximum", "MaximumBackward0", ELEMENTWISE, "self other",
      forward=np.maximum,
      vjp={"self": lambda xp, grad, s, a: _tie_split(xp, grad, s.self, s.other, s.self < s.other),
           "other": lambda xp, grad, s, a: _tie_split(xp, grad, s.other, s.self, s.self > s.other)},
      saves={"self": (), "other": ()}, sym=lambda S, x, y: S.maximum(x, y), kinks=True,
      api=("function", "method"))

defop("minimum", "MinimumBackward0", ELEMENTWISE, "self other",
      forward=np.minimum,
      vjp={"self": lambda xp, grad, s, a: _tie_split(xp, grad, s.self, s.other, s.self > s.other),
           "other": lambda xp, grad, s, a: _tie_split(xp, grad, s.other, s.self, s.self < s.other)},
      saves={"self": (), "other": ()}, sym=lambda S, x, y: S.minimum(x, y), kinks=True,
      api=("function", "method"))

defop("where", "WhereBackward0", ELEMENTWISE, "condition self other",
      forward=np.where,
      vjp={"self": lambda xp, grad, s, a: xp.where(s.condition, grad, 0.0 * grad),
           "other": lambda xp, grad, s, a: xp.where(s.condition, 0.0 * grad, grad)},
      saves={"condition": ()}, sym=lambda S, c, x, y: S.where(c, x, y), no_edge=("condition",),
      dtype_rule="where", api=("function",))

# ------------------------------------------- comparisons (not differentiable)

for _name, _f in (("gt", np.greater), ("lt", np.less), ("ge", np.greater_equal),
                  ("le", np.less_equal), ("eq", np.equal), ("ne", np.not_equal),
                  ("logical_and", np.logical_and), ("logical_or", np.logical_or)):
    defop(_name, "", NONDIFF, "self other", forward=_f, dtype_rule="bool",
    api=("function", "method"),
          sym=(lambda f: lambda S, x, y: S.compare(f.__name__, x, y))(_f))

defop("logical_not", "", NONDIFF, "self", forward=np.logical_not, dtype_rule="bool",
      sym=lambda S, x: S.compare("logical_not", x), api=("function", "method"))
defop("sign", "SignBackward0", ELEMENTWISE, "self", forward=np.sign, dtype_rule="same",
      vjp={"self": lambda xp, grad, s, a: grad * 0}, sym=lambda S, x: S.sign(x), kinks=True,
      api=("function", "method"))

__all__ = ["OPS"]
