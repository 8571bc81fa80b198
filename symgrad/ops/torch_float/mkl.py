"""MKL, the library PyTorch 2.13's CPU build calls for float32 transcendental
functions (VML, high-accuracy mode) and matrix products (``sgemm``, ``sgemv``,
``sdot``): where it is installed, the tape calls it too, so ``loss.item()`` prints
PyTorch's digits bit for bit.

PyTorch links MKL 2024.2 statically; the ``mkl==2024.2.0`` wheel (a dependency of
symgrad's ``test`` extra on x86-64 Linux) ships the same library as
``<prefix>/lib/libmkl_rt.so.2``. Measured against torch 2.13 on 200,000 random
inputs per function: ``sin``, ``cos``, ``tan``, ``exp``, ``log``, ``tanh``,
``sqrt``, ``asin``, ``acos``, ``atan``, ``erf``, ``log10``, ``log2`` agree in every
bit (the correctly rounded values differ on 0.1-17% of inputs; ``sqrt`` on 17%),
and so do ``mm``/``addmm``/``mv``/``dot`` of every shape tried (NumPy's OpenBLAS
differs in up to 90% of the entries).

The library is looked for in ``$SYMGRAD_MKL`` (a path to ``libmkl_rt``), then
beside the running Python (``sys.prefix``/``lib``, the user base), then on the
loader's path; only the version PyTorch 2.13 bundles (2024.2) is used, loaded
privately (``RTLD_LOCAL``). A product's bits depend on how many threads MKL splits
it over, so it runs on as many as PyTorch would (:func:`default_num_threads`: the
physical cores, or ``OMP_NUM_THREADS``; ``torch.set_num_threads`` changes both),
through the ``intel-openmp`` runtime the ``mkl`` wheel brings. (In a process that
also runs PyTorch, MKL's component libraries are shared: PyTorch's products then
follow the same thread count, which keeps the two in agreement.) Without it,
:func:`available` is false and callers fall back to NumPy (:func:`status` says why).

>>> isinstance(available(), bool)
True
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import site
import sys
from functools import cache

import numpy as np

TORCH_MKL = "2024.2"  # the MKL version in torch 2.13's CPU build (torch.__config__.show())
_VML_MODE = 0x2 | 0x140000 | 0x100  # VML_HA | VML_FTZDAZ_OFF | VML_ERRMODE_IGNORE (vml.h)
_ROW, _COL, _NOTRANS, _TRANS = 101, 102, 111, 112  # CBLAS_LAYOUT / CBLAS_TRANSPOSE
_INTEL, _SEQUENTIAL = 0, 1  # MKL_THREADING_INTEL (libiomp5), MKL_THREADING_SEQUENTIAL
_layer = _SEQUENTIAL
_f32 = np.float32
_status = "not loaded yet"

# torch.<name> -> VML function, for the float32 functions PyTorch sends through VML
VML = {"sin": "vmsSin", "cos": "vmsCos", "tan": "vmsTan", "exp": "vmsExp", "log": "vmsLn",
       "tanh": "vmsTanh", "sqrt": "vmsSqrt", "asin": "vmsAsin", "acos": "vmsAcos",
       "atan": "vmsAtan", "erf": "vmsErf", "log10": "vmsLog10", "log2": "vmsLog2"}


def _candidates() -> list[str]:
    names = ("libmkl_rt.so.2", "libmkl_rt.so")
    dirs = [os.path.join(p, "lib") for p in (sys.prefix, sys.base_prefix, site.USER_BASE or "")
            if p]
    found = [os.path.join(d, n) for d in dict.fromkeys(dirs) for n in names]
    env = os.environ.get("SYMGRAD_MKL")
    lib = ctypes.util.find_library("mkl_rt")
    return ([env] if env else []) + [p for p in found if os.path.exists(p)] + ([lib] if lib else [])


@cache
def library() -> ctypes.CDLL | None:
    """The loaded ``libmkl_rt`` of PyTorch's MKL version, or ``None``."""
    global _status
    if os.environ.get("SYMGRAD_NO_MKL"):
        _status = "disabled by SYMGRAD_NO_MKL"
        return None
    tried = []
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path, mode=getattr(os, "RTLD_LOCAL", 0))
            buf = ctypes.create_string_buffer(256)
            lib.MKL_Get_Version_String(buf, 256)
        except (OSError, AttributeError) as e:
            tried.append(f"{path}: {e}")
            continue
        version = buf.value.decode(errors="replace")
        if f"Version {TORCH_MKL}" not in version:
            tried.append(f"{path}: {version!r} is not PyTorch 2.13's MKL {TORCH_MKL}")
            continue
        layer = _threading_layer(os.path.dirname(path))
        lib.MKL_Set_Threading_Layer.argtypes = [ctypes.c_int]
        lib.MKL_Set_Threading_Layer(layer)
        lib.MKL_Set_Num_Threads.argtypes = [ctypes.c_int]
        _declare(lib)
        _status = f"{path}: {version}"
        _apply_threads(lib, layer)
        return lib
    _status = ("no libmkl_rt of version " + TORCH_MKL + " found"
               + (" (" + "; ".join(tried) + ")" if tried else "")
               + "; `pip install mkl==2024.2.0` gives PyTorch's float32 digits")
    return None


def _threading_layer(folder: str) -> int:
    """MKL's OpenMP layer where its runtime sits beside it (the ``intel-openmp`` wheel
    the ``mkl`` wheel depends on), else single-threaded. (A missing runtime would make
    MKL end the process, so it is looked for first.)"""
    if any(os.path.exists(os.path.join(folder, n)) for n in ("libiomp5.so", "libiomp5.so.5")):
        return _INTEL
    return _SEQUENTIAL


def default_num_threads() -> int:
    """PyTorch's default intra-op thread count: ``OMP_NUM_THREADS`` or
    ``MKL_NUM_THREADS``, else the machine's physical cores (``cpuinfo``'s count:
    every core, whatever the affinity), else the logical processors.

    >>> default_num_threads() >= 1
    True
    """
    for var in ("MKL_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(var, "").split(",")[0].strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    cores, processors = set(), 0
    root = "/sys/devices/system/cpu"
    try:
        for name in os.listdir(root):
            if not (name.startswith("cpu") and name[3:].isdigit()):
                continue
            topo = os.path.join(root, name, "topology")
            try:
                with open(os.path.join(topo, "physical_package_id")) as f:
                    package = f.read().strip()
                with open(os.path.join(topo, "core_id")) as f:
                    core = f.read().strip()
            except OSError:
                continue
            processors += 1
            cores.add((package, core))
    except OSError:
        pass
    if cores and len(cores) < processors:
        return len(cores)
    return processors or os.cpu_count() or 1


_threads: int | None = None


def set_num_threads(n: int) -> None:
    """The thread count MKL splits a product over, as ``torch.set_num_threads``
    (a product's last bits depend on it)."""
    global _threads
    _threads = max(1, int(n))
    lib = library()
    if lib is not None:
        _apply_threads(lib, None)


def thread_setting() -> int | None:
    """The count :func:`set_num_threads` set (``None``: PyTorch's default)."""
    return _threads


def restore_thread_setting(n: int | None) -> None:
    """Put back a :func:`thread_setting` (``symgrad run`` does, after a snippet)."""
    global _threads
    _threads = None if n is None else max(1, int(n))
    lib = library() if _status != "not loaded yet" else None
    if lib is not None:
        _apply_threads(lib, None)


def get_num_threads() -> int:
    """What ``torch.get_num_threads()`` returns: the count set, else the default."""
    return _threads if _threads is not None else default_num_threads()


def _apply_threads(lib: ctypes.CDLL, layer: int | None) -> None:
    global _layer
    if layer is not None:
        _layer = layer
    n = get_num_threads() if _layer != _SEQUENTIAL else 1
    lib.MKL_Set_Num_Threads(n)


def _declare(lib: ctypes.CDLL) -> None:
    i, f, p = ctypes.c_int, ctypes.c_float, ctypes.c_void_p
    for name in VML.values():
        getattr(lib, name).argtypes = [i, p, p, ctypes.c_int64]
        getattr(lib, "vmd" + name[3:]).argtypes = [i, p, p, ctypes.c_int64]
    lib.cblas_sgemm.argtypes = [i] * 6 + [f, p, i, p, i, f, p, i]
    lib.cblas_sgemv.argtypes = [i, i, i, i, f, p, i, p, i, f, p, i]
    lib.cblas_sdot.argtypes = [i, p, i, p, i]
    lib.cblas_sdot.restype = f
    lib.cblas_sgemm_batch.argtypes = [i, p, p, p, p, p, p, p, p, p, p, p, p, p, i, p]


def available() -> bool:
    """Whether PyTorch's MKL is loaded (float32 results then match PyTorch's bits)."""
    return library() is not None


def status() -> str:
    """Where the library was found, or why it was not.

    >>> isinstance(status(), str)
    True
    """
    library()
    return _status


def vml(name: str, x: np.ndarray) -> np.ndarray:
    """``torch.<name>`` of a float32 or float64 array through MKL's VML
    (``VML_HA``), as ``aten/src/ATen/cpu/vml.h`` calls it; requires :func:`available`.
    (A hot path of the tape: one C call on a contiguous array, nothing more.)"""
    src = np.asarray(x)
    dtype = np.float64 if src.dtype == np.float64 else _f32
    if src.dtype != dtype or not src.flags.c_contiguous:
        src = np.ascontiguousarray(src, dtype=dtype)
    out = np.empty(src.shape, dtype)
    fn = _FUNCTIONS.get((name, dtype)) or _function(name, dtype)
    n = src.size
    if n < 1 << 30:
        fn(n, src.ctypes.data, out.ctypes.data, _VML_MODE)
        return out
    flat_in, flat_out = src.reshape(-1), out.reshape(-1)
    for start in range(0, n, 1 << 30):  # VML counts in a C int
        stop = min(n, start + (1 << 30))
        fn(stop - start, flat_in[start:stop].ctypes.data, flat_out[start:stop].ctypes.data,
           _VML_MODE)
    return out


_FUNCTIONS: dict[tuple[str, type], object] = {}


def _function(name: str, dtype: type) -> object:
    lib = library()
    fn = getattr(lib, VML[name] if dtype is _f32 else "vmd" + VML[name][3:])
    _FUNCTIONS[(name, dtype)] = fn
    return fn


def _operand(a: np.ndarray) -> tuple[np.ndarray, int, int]:
    """A matrix as BLAS sees it in row-major order: (buffer, trans flag, leading dim),
    using a transposed view in place as PyTorch does, copying anything else."""
    if a.flags.c_contiguous:
        return a, _NOTRANS, max(1, a.shape[1])
    if a.T.flags.c_contiguous:
        return a.T, _TRANS, max(1, a.shape[0])
    a = np.ascontiguousarray(a)
    return a, _NOTRANS, max(1, a.shape[1])


def gemm(a: np.ndarray, b: np.ndarray, c: np.ndarray | None = None) -> np.ndarray:
    """``a @ b`` (``c + a @ b`` with ``beta = 1`` when ``c`` is given, as ``addmm``)
    for float32 matrices through ``cblas_sgemm``."""
    lib = library()
    m, k = a.shape
    n = b.shape[1]
    if c is None:
        out, beta = np.zeros((m, n), _f32), 0.0
    else:
        out, beta = np.array(np.broadcast_to(c, (m, n)), dtype=_f32, order="C"), 1.0
    if m == 0 or n == 0:
        return out
    if k == 0:
        return out if c is not None else np.zeros((m, n), _f32)
    pa, ta, lda = _operand(a)
    pb, tb, ldb = _operand(b)
    lib.cblas_sgemm(_ROW, ta, tb, m, n, k, 1.0, pa.ctypes.data, lda, pb.ctypes.data, ldb,
                    beta, out.ctypes.data, max(1, n))
    return out


def _item_transposed(t: np.ndarray) -> bool:
    """PyTorch's ``is_transposed`` test on a batch's matrices (in elements)."""
    s1, s2 = (st // t.itemsize for st in t.strides[1:])
    return s1 == 1 and s2 >= t.shape[1]


def gemm_batch(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for float32 batches ``(B, n, k) @ (B, k, p)`` whose matrices are
    each contiguous or transposed, as PyTorch's ``baddbmm_with_gemm_``: one
    ``cblas_sgemm_batch`` group in column-major order (``b``'s matrices first);
    a batch of one is a plain ``sgemm``."""
    lib = library()
    batch, n, k = a.shape
    p = b.shape[2]
    if batch == 1:
        return gemm(a[0], b[0])[None]
    out = np.zeros((batch, n, p), _f32)
    ta, tb = _item_transposed(b), _item_transposed(a)
    lda = b.strides[2 if ta else 1] // 4
    ldb = a.strides[2 if tb else 1] // 4
    ptr = ctypes.c_void_p
    a_ptrs = (ptr * batch)(*(b.ctypes.data + i * b.strides[0] for i in range(batch)))
    b_ptrs = (ptr * batch)(*(a.ctypes.data + i * a.strides[0] for i in range(batch)))
    c_ptrs = (ptr * batch)(*(out.ctypes.data + i * out.strides[0] for i in range(batch)))
    ci, cf = ctypes.c_int, ctypes.c_float
    lib.cblas_sgemm_batch(
        _COL, ctypes.byref(ci(_TRANS if ta else _NOTRANS)), ctypes.byref(ci(_TRANS if tb else _NOTRANS)),
        ctypes.byref(ci(p)), ctypes.byref(ci(n)), ctypes.byref(ci(k)), ctypes.byref(cf(1.0)),
        a_ptrs, ctypes.byref(ci(max(1, lda))), b_ptrs, ctypes.byref(ci(max(1, ldb))),
        ctypes.byref(cf(0.0)), c_ptrs, ctypes.byref(ci(max(1, p))), 1, ctypes.byref(ci(batch)))
    return out


def gemv(a: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``a @ v`` (matrix times vector) through ``cblas_sgemv``, with the layout
    tests of PyTorch's ``addmv_impl_cpu`` (column-major first; a one-column matrix
    gets ``lda = m`` as in ``cpublas::gemv``)."""
    lib = library()
    m, k = a.shape
    out = np.zeros(m, _f32)
    if m == 0 or k == 0:
        return out
    rs, cs = (st // a.itemsize if st % a.itemsize == 0 else -1 for st in a.strides)
    if rs == 1 and (k == 1 or cs >= max(1, m)):  # column-major: 'n' in Fortran terms
        trans, rows, cols, ld = _TRANS, k, m, max(1, m if k == 1 else cs)
    elif cs == 1 and (m == 1 or rs >= max(1, k)):  # row-major
        trans, rows, cols, ld = _NOTRANS, m, k, max(1, k if m == 1 else rs)
    else:
        a = np.ascontiguousarray(a)
        trans, rows, cols, ld = _NOTRANS, m, k, max(1, k)
    v = np.ascontiguousarray(v, dtype=_f32)
    lib.cblas_sgemv(_ROW, trans, rows, cols, 1.0, a.ctypes.data, ld, v.ctypes.data, 1, 0.0,
                    out.ctypes.data, 1)
    return out


def dot(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x @ y`` of two float32 vectors through ``cblas_sdot``, as ``torch.dot``."""
    lib = library()
    x = np.ascontiguousarray(x, dtype=_f32)
    y = np.ascontiguousarray(y, dtype=_f32)
    return np.array(lib.cblas_sdot(x.size, x.ctypes.data, 1, y.ctypes.data, 1), _f32)


__all__ = ["TORCH_MKL", "VML", "available", "default_num_threads", "dot", "gemm", "gemm_batch",
           "gemv", "get_num_threads", "library", "restore_thread_setting", "set_num_threads",
           "status", "thread_setting", "vml"]
