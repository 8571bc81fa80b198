"""oneDNN's JIT ``gelu_erf`` kernels (v3.x, AVX512), bit for bit: PyTorch 2.13 runs a
contiguous float32 ``gelu(approximate="none")`` of more than one element, forward and
backward, through oneDNN (``use_mkldnn`` in ``aten/src/ATen/native/Activation.cpp``),
not through its own ``Vectorized<float>`` kernel.

From ``src/cpu/x64/injectors/jit_uni_eltwise_injector.cpp``: the forward is
``gelu_erf_minimax_approx_compute_vector_fwd`` (24 degree-5 polynomials picked by the
input's exponent and two mantissa bits), the backward ``gelu_erf_compute_vector_bwd``
(Abramowitz-Stegun's ``erf`` around oneDNN's own ``exp``) times the cotangent. Every
element goes through the same vector code (tails are masked), so the position of an
element does not matter. Constants are the kernels' bit patterns.

>>> import numpy as np
>>> float(dnnl_gelu_erf(np.float32([1.0]))[0])
0.8413447141647339
"""

from __future__ import annotations

import numpy as np

from .sleef import fma32

f32 = np.float32
_ONE = f32(1)
_HALF = f32(0.5)


def _bits(*v: int) -> np.ndarray:
    return np.array(v, dtype=np.uint32).view(f32)


# the coefficients of degree 0..5 (rows) of each of the 24 polynomials (columns; padded
# to 32 as in the kernel), read with vpermt2ps by the polynomial's index
_GELU_ERF_POL = np.array([
    [0xa6f2cb94, 0x32827792, 0x3381cc0c, 0x34523d4a, 0x351ac44d, 0x35f36d88, 0x36ee8229,
     0x37b8a3bb, 0x3867a213, 0x3940033b, 0x3a2a5a1d, 0x3ae35863, 0x3b7828f2, 0x3c08b14b,
     0x3c515ed3, 0xbb503236, 0xbd8d8e5e, 0xbe8abcd9, 0xbf0c19a2, 0xbeccb328, 0x3e176ced,
     0x3f470d99, 0x3f7abb28, 0x3f800000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
     0x00000000, 0x00000000, 0x00000000, 0x00000000],
    [0x3f4c422a, 0x3f4c421f, 0x3f4c4207, 0x3f4c41cb, 0x3f4c413b, 0x3f4c3fad, 0x3f4c3a2f,
     0x3f4c2d40, 0x3f4c146a, 0x3f4bc341, 0x3f4ad08c, 0x3f48f8cf, 0x3f45fac7, 0x3f404e07,
     0x3f3b980f, 0x3f48dff3, 0x3f78b21b, 0x3fbb0704, 0x40019c32, 0x3fe536d6, 0x3f81331e,
     0x3e6c8684, 0x3c98f936, 0x00000000, 0x3f800000, 0x00000000, 0x00000000, 0x00000000,
     0x00000000, 0x00000000, 0x00000000, 0x00000000],
    [0xb62173f4, 0x3735e4cf, 0x37f2ff89, 0x388c23be, 0x3917535c, 0x39ab2ab0, 0x3a60fadb,
     0x3af9b960, 0x3b6e5491, 0x3c0a4ec5, 0x3ca5aa8c, 0x3d2138d9, 0x3d8737d4, 0x3ddfb660,
     0x3e0f27ab, 0x3d94004b, 0xbe0efdeb, 0xbf1d96c3, 0xbf89db58, 0xbf6d9897, 0xbef69fb8,
     0xbdc4f8a8, 0xbbde6422, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
     0x00000000, 0x00000000, 0x00000000, 0x00000000],
    [0xbe081a19, 0xbe084570, 0xbe08639b, 0xbe089837, 0xbe08f409, 0xbe09ab95, 0xbe0b66d0,
     0xbe0e400a, 0xbe124df8, 0xbe1bde02, 0xbe2f19c9, 0xbe4931bf, 0xbe685fbc, 0xbe89c95f,
     0xbe96cbca, 0xbe8044aa, 0xbe0550f2, 0x3dcfd6a1, 0x3e94c826, 0x3e79345f, 0x3decec91,
     0x3ca46568, 0x3aa1e00a, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
     0x00000000, 0x00000000, 0x00000000, 0x00000000],
    [0xba3d61db, 0x39f097a3, 0x3a5845dc, 0x3ab1fa35, 0x3b0cefb8, 0x3b653ab6, 0x3bcae527,
     0x3c221712, 0x3c6c5840, 0x3cc0a703, 0x3d1dcc19, 0x3d63656d, 0x3d955907, 0x3dbf9910,
     0x3dd53f69, 0x3db7dcef, 0x3d639ebe, 0xba6ede48, 0xbd22be69, 0xbd041cf1, 0xbc64f5ab,
     0xbb097a32, 0xb8ebf380, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
     0x00000000, 0x00000000, 0x00000000, 0x00000000],
    [0x3cb7d80c, 0x3c9b6050, 0x3c978d11, 0x3c92e850, 0x3c8d058b, 0x3c848454, 0x3c6cd623,
     0x3c4c824b, 0x3c2a7935, 0x3be0b390, 0x3b0651ac, 0xbb232f53, 0xbbd42fa0, 0xbc2c5366,
     0xbc492c9e, 0xbc2a7aa6, 0xbbd55d04, 0xba823a76, 0x3b102aa8, 0x3ae25a7e, 0x3a31f792,
     0x38b84375, 0x3689bb5a, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
     0x00000000, 0x00000000, 0x00000000, 0x00000000],
], dtype=np.uint32).view(np.float32)
_GELU_ERF_BIAS = np.int32(np.uint32(0xc21fffff).view(np.int32))
_GELU_ERF_RBOUND = _bits(0x40b15cee)[0]
_AS_P, _AS_1_SQRT2, _AS_1_SQRTPI = _bits(0x3ea7ba05, 0x3f3504f3, 0x3f106eba)
_AS_POL = _bits(0x3e827906, 0xbe91a98e, 0x3fb5f0e3, 0xbfba00e3, 0x3f87dc22)
_EXP_LOG2EF, _EXP_MAX, _EXP_MIN, _LN2F = _bits(0x3fb8aa3b, 0x42b17218, 0xc2aeac50, 0x3f317218)
_EXP_POL = _bits(0x3f7ffffb, 0x3efffee3, 0x3e2aad40, 0x3d2b9d0d, 0x3c07cfce)


def dnnl_exp(x: np.ndarray) -> np.ndarray:
    """oneDNN's JIT ``exp`` (``exp_compute_vector_fwd``): ``2 * 2**(n-1) * p(r)``
    with ``n = floor(x log2(e) + 0.5)``, ``r = x - n ln 2`` (one FMA), a degree-5
    polynomial; 0 below ``log(FLT_MIN)``.

    >>> float(dnnl_exp(np.float32([1.0]))[0])  # e rounded is 2.7182817459106445
    2.7182819843292236
    """
    x = np.asarray(x, dtype=f32)
    with np.errstate(all="ignore"):
        under = x < _EXP_MIN
        v = np.maximum(np.minimum(x, _EXP_MAX), _EXP_MIN)
        n = np.floor(v * _EXP_LOG2EF + _HALF)
        r = fma32(-n, _LN2F, v)
        scale = (((n - _ONE).astype(np.int32) + 127) << 23).astype(np.int32).view(f32)
        scale = np.where(under, f32(0), scale)
        p = np.full(x.shape, _EXP_POL[4], f32)
        for c in (_EXP_POL[3], _EXP_POL[2], _EXP_POL[1], _EXP_POL[0], _ONE):
            p = fma32(p, r, c)
        return (p * scale) * f32(2)


def dnnl_gelu_erf(x: np.ndarray) -> np.ndarray:
    """oneDNN's ``gelu_erf_minimax_approx_compute_vector_fwd``: ``erf(x / sqrt 2)`` as
    one of 24 degree-5 polynomials in ``|x|``, picked by its exponent and two mantissa
    bits, then ``x * (1 + erf) * 0.5``.

    >>> float(dnnl_gelu_erf(np.float32([1.0]))[0])
    0.8413447141647339
    """
    x = np.asarray(x, dtype=f32)
    with np.errstate(all="ignore"):
        a = np.abs(x)
        idx = (a.view(np.int32) + _GELU_ERF_BIAS) >> 21
        idx = np.minimum(np.maximum(idx, 1), 24)
        idx = np.where(_GELU_ERF_RBOUND < a, 23, idx)
        pol = _GELU_ERF_POL[5][idx]
        for deg in range(4, -1, -1):
            pol = fma32(pol, a, _GELU_ERF_POL[deg][idx])
        pol = (pol.view(np.int32) ^ (x.view(np.int32) & np.int32(-2 ** 31))).view(f32)
        return (x * (pol + _ONE)) * _HALF


def dnnl_gelu_erf_backward(grad: np.ndarray, x: np.ndarray) -> np.ndarray:
    """oneDNN's ``gelu_erf_compute_vector_bwd`` times ``grad``: Abramowitz-Stegun's
    ``erf`` around oneDNN's ``exp``, ``0.5 + x * pdf + 0.5 * erf``."""
    x = np.asarray(x, dtype=f32)
    with np.errstate(all="ignore"):
        r = x * _AS_1_SQRT2
        q = dnnl_exp(-(r * r))
        t = (r * _AS_1_SQRTPI) * q
        w = _ONE / fma32(_AS_P, np.abs(r), _ONE)
        qw = -q * w
        p = np.full(x.shape, _AS_POL[4], f32)
        for c in (_AS_POL[3], _AS_POL[2], _AS_POL[1], _AS_POL[0]):
            p = fma32(p, w, c)
        erf = fma32(qw, p, _ONE)
        erf = (erf.view(np.int32) ^ (r.view(np.int32) & np.int32(-2 ** 31))).view(f32)
        res = fma32(erf, _HALF, t + _HALF)
        return res * np.asarray(grad, dtype=f32)


__all__ = ["dnnl_exp", "dnnl_gelu_erf", "dnnl_gelu_erf_backward"]
