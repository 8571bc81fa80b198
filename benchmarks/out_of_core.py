"""Out-of-core gradients: one symgrad kernel over a dataset larger than the workers' memory.

    python benchmarks/out_of_core.py                 # 8e6 x 16 float64 (1 GiB) on 2 x 256 MB
    python benchmarks/out_of_core.py --rows 16000000 --worker-memory 384MB

The per-sample loss ``(tanh(x_i . w) - y_i)**2`` summed over every row of a
memory-mapped file; ``sg.compile_grad(loss, w, backend="dask")`` compiles it
once, and the kernel runs on dask arrays read from the file in row chunks on a
``dask.distributed`` cluster of worker *processes* whose memory limit is a
fraction of the data's size. Checked against NumPy over the same chunks; the
peak resident memory of each worker is read back from it.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from typing import Any

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def make_data(path: str, rows: int, dim: int, chunk: int) -> tuple[np.memmap, np.memmap]:
    """X (rows x dim) and y (rows) in two memory-mapped files, written chunk by chunk."""
    X = np.lib.format.open_memmap(path + ".X.npy", "w+", np.float64, (rows, dim))
    y = np.lib.format.open_memmap(path + ".y.npy", "w+", np.float64, (rows,))
    w_true = np.linspace(-1, 1, dim)
    rng = np.random.default_rng(0)
    for i in range(0, rows, chunk):
        n = min(chunk, rows - i)
        X[i:i + n] = rng.standard_normal((n, dim)) / np.sqrt(dim)
        y[i:i + n] = np.tanh(X[i:i + n] @ w_true) + 0.1 * rng.standard_normal(n)
    X.flush()
    y.flush()
    return (np.load(path + ".X.npy", mmap_mode="r"), np.load(path + ".y.npy", mmap_mode="r"))


def read_rows(path: str, start: int, stop: int) -> np.ndarray:
    """Rows ``start:stop`` of a float64 ``.npy`` file, read with plain file reads (a
    memory map would count the file's pages in the worker's resident memory)."""
    with open(path, "rb") as f:
        major, _ = np.lib.format.read_magic(f)
        read_header = (np.lib.format.read_array_header_1_0 if major == 1
                       else np.lib.format.read_array_header_2_0)
        shape, _, dtype = read_header(f)
        row = int(np.prod(shape[1:]))
        f.seek(start * row * dtype.itemsize, 1)
        data = np.fromfile(f, dtype=dtype, count=(stop - start) * row)
    return data.reshape((stop - start, *shape[1:]))


def lazy_rows(path: str, rows: int, tail: tuple[int, ...], chunk: int) -> Any:
    """A dask array of a ``.npy`` file, one task per chunk of rows reading only those
    (the graph holds file names and offsets, never the data)."""
    import dask
    import dask.array as da
    parts = [da.from_delayed(dask.delayed(read_rows)(path, i, min(i + chunk, rows)),
                             (min(i + chunk, rows) - i, *tail), np.float64)
             for i in range(0, rows, chunk)]
    return da.concatenate(parts)


def numpy_by_chunks(X: np.ndarray, y: np.ndarray, w: np.ndarray, chunk: int) -> tuple:
    """The same loss and gradient by hand, one chunk of rows at a time."""
    value, grad = 0.0, np.zeros_like(w)
    for i in range(0, len(y), chunk):
        Xi, yi = np.asarray(X[i:i + chunk]), np.asarray(y[i:i + chunk])
        t = np.tanh(Xi @ w)
        r = t - yi
        value += float(r @ r)
        grad += Xi.T @ (2 * r * (1 - t * t))
    return value, grad


def peak_rss() -> int:
    """This process's peak resident memory in bytes: ``VmHWM`` of ``/proc/self/status``
    (``getrusage``'s ``ru_maxrss`` would also count the parent's peak, kept across
    the fork and exec that started the worker)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status (not Linux?)")


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=8_000_000)
    ap.add_argument("--dim", type=int, default=16)
    ap.add_argument("--chunk", type=int, default=125_000, help="rows per dask chunk")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--worker-memory", default="256MB", help="memory limit of each worker")
    cfg = ap.parse_args(argv)

    import dask
    from dask.distributed import Client, LocalCluster
    from dask.utils import parse_bytes

    import symgrad as sg

    tmp = tempfile.mkdtemp(prefix="symgrad-ooc-")
    path = os.path.join(tmp, "data")
    X, y = make_data(path, cfg.rows, cfg.dim, cfg.chunk)
    data_bytes = X.nbytes + y.nbytes

    # one formula, compiled once: the gradient of the summed per-sample loss
    Xs = sg.symbol("X", (None, cfg.dim))
    ys = sg.symbol("y", (None,))
    w = sg.symbol("w", (cfg.dim,), requires_grad=True)
    r = sg.tanh(Xs @ w) - ys
    loss = (r * r).sum()
    kernel = sg.compile_grad(loss, w, backend="dask")
    w0 = np.full(cfg.dim, 0.1)

    t0 = time.perf_counter()
    with LocalCluster(n_workers=cfg.workers, threads_per_worker=1, processes=True,
                      memory_limit=cfg.worker_memory, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        startup = time.perf_counter() - t0
        # dask arrays over the memory-mapped files: each task reads its own rows
        Xd = lazy_rows(path + ".X.npy", cfg.rows, (cfg.dim,), cfg.chunk)
        yd = lazy_rows(path + ".y.npy", cfg.rows, (), cfg.chunk)
        t1 = time.perf_counter()
        value, grad = client.compute(kernel(w0, Xd, yd), sync=True)
        elapsed = time.perf_counter() - t1
        peaks = client.run(peak_rss)
    t2 = time.perf_counter()
    ref_value, ref_grad = numpy_by_chunks(X, y, w0, cfg.chunk)
    numpy_time = time.perf_counter() - t2
    limit = parse_bytes(cfg.worker_memory)
    result = {
        "data_mb": data_bytes / 2**20, "workers": cfg.workers, "worker_limit_mb": limit / 2**20,
        "ratio": data_bytes / (limit * cfg.workers),
        "peak_worker_mb": max(peaks.values()) / 2**20, "startup_s": startup,
        "dask_s": elapsed, "numpy_chunks_s": numpy_time,
        "value_rel_err": abs(float(value) - ref_value) / abs(ref_value),
        "grad_max_err": float(np.max(np.abs(np.asarray(grad) - ref_grad))),
    }
    for k in ("X", "y"):
        os.remove(f"{path}.{k}.npy")
    os.rmdir(tmp)
    assert result["value_rel_err"] < 1e-10 and result["grad_max_err"] < 1e-8, result
    print(f"data {result['data_mb']:.0f} MB = {result['ratio']:.1f}x the memory of "
          f"{cfg.workers} workers x {result['worker_limit_mb']:.0f} MB; "
          f"peak worker RSS {result['peak_worker_mb']:.0f} MB; cluster start "
          f"{startup:.1f} s; dask gradient {elapsed:.2f} s (NumPy by chunks "
          f"{numpy_time:.2f} s); |value err| {result['value_rel_err']:.1e} (relative), "
          f"max |grad err| {result['grad_max_err']:.1e}")
    _ = dask  # (imported so a missing dask fails first, with its own message)
    return result


if __name__ == "__main__":
    main()
