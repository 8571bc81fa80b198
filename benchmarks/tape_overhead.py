"""Per-op cost of the eager tape: a 1000-op chain, forward + backward.

Prints a Markdown table of microseconds per op on a 3-element tensor (where
the tape's own overhead dominates) and on a 1e6-element tensor (where the
arithmetic dominates), for symgrad, PyTorch eager (when installed) and, for
the large case, the same chain written by hand in NumPy (forward and the
hand-derived backward), which is the floor symgrad should reach.

Run: ``python benchmarks/tape_overhead.py [--ops 1000] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np

# the chain: x <- exp(tanh(x * w + b)), repeated; every value stays in [1/e, e]
PATTERN = ("mul", "add", "tanh", "exp")


def chain(lib: Any, x: Any, w: Any, b: Any, n_ops: int) -> Any:
    """``n_ops`` ops of PATTERN applied to ``x`` through ``lib``'s tensor API."""
    for i in range(n_ops):
        k = i % 4
        if k == 0:
            x = x * w
        elif k == 1:
            x = x + b
        elif k == 2:
            x = x.tanh()
        else:
            x = x.exp()
    return x


def run_tape(lib: Any, n: int, n_ops: int) -> Callable[[], None]:
    """A closure that runs the chain forward and backward once with ``lib``."""
    rng = np.random.default_rng(0)
    x0 = rng.uniform(-1, 1, n).astype(np.float32)
    w = lib.tensor(rng.uniform(0.5, 1.0, n).astype(np.float32).tolist() if n < 10 else
                   rng.uniform(0.5, 1.0, n).astype(np.float32))
    b = lib.tensor(rng.uniform(-0.5, 0.5, n).astype(np.float32).tolist() if n < 10 else
                   rng.uniform(-0.5, 0.5, n).astype(np.float32))
    if lib.__name__ == "torch":
        w, b = lib.as_tensor(np.asarray(w)), lib.as_tensor(np.asarray(b))

    def once() -> None:
        x = lib.tensor(x0, requires_grad=True) if lib.__name__ != "torch" else \
            lib.tensor(x0).requires_grad_()
        chain(lib, x, w, b, n_ops).sum().backward()
    return once


def run_numpy(n: int, n_ops: int) -> Callable[[], None]:
    """The same chain by hand in NumPy: forward keeping what backward needs, then backward."""
    rng = np.random.default_rng(0)
    x0 = rng.uniform(-1, 1, n).astype(np.float32)
    w = rng.uniform(0.5, 1.0, n).astype(np.float32)
    b = rng.uniform(-0.5, 0.5, n).astype(np.float32)

    def once() -> None:
        x = x0
        saved = []
        for i in range(n_ops):
            k = i % 4
            if k == 0:
                x = x * w
            elif k == 1:
                x = x + b
            elif k == 2:
                x = np.tanh(x)
                saved.append(x)
            else:
                x = np.exp(x)
                saved.append(x)
        g = np.ones_like(x)
        for i in reversed(range(n_ops)):
            k = i % 4
            if k == 0:
                g = g * w
            elif k == 3:
                g = g * saved.pop()
            elif k == 2:
                t = saved.pop()
                g = g * (1 - t * t)
    return once


class _MiniTape:
    """A minimal hand-written NumPy tape (micrograd-style closures): the floor for
    a Python tape's per-op overhead."""

    __slots__ = ("data", "grad", "back", "parents")

    def __init__(self, data: np.ndarray, parents: tuple = (), back: Any = None) -> None:
        self.data, self.grad, self.parents, self.back = data, None, parents, back

    def __mul__(self, w: np.ndarray) -> _MiniTape:
        return _MiniTape(self.data * w, (self,), lambda g: (g * w,))

    def __add__(self, b: np.ndarray) -> _MiniTape:
        return _MiniTape(self.data + b, (self,), lambda g: (g,))

    def tanh(self) -> _MiniTape:
        y = np.tanh(self.data)
        return _MiniTape(y, (self,), lambda g: (g * (1 - y * y),))

    def exp(self) -> _MiniTape:
        y = np.exp(self.data)
        return _MiniTape(y, (self,), lambda g: (g * y,))

    def backward(self) -> None:
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            n, done = stack.pop()
            if done:
                order.append(n)
            elif id(n) not in seen:
                seen.add(id(n))
                stack.append((n, True))
                stack.extend((p, False) for p in n.parents)
        self.grad = np.ones_like(self.data)
        for n in reversed(order):
            if n.back is not None:
                for p, g in zip(n.parents, n.back(n.grad)):
                    p.grad = g if p.grad is None else p.grad + g


def run_minitape(n: int, n_ops: int) -> Callable[[], None]:
    """The chain on :class:`_MiniTape`."""
    rng = np.random.default_rng(0)
    x0 = rng.uniform(-1, 1, n).astype(np.float32)
    w = rng.uniform(0.5, 1.0, n).astype(np.float32)
    b = rng.uniform(-0.5, 0.5, n).astype(np.float32)

    def once() -> None:
        y = chain(None, _MiniTape(x0), w, b, n_ops)
        _MiniTape(np.sum(y.data), (y,), lambda g: (np.ones_like(y.data) * g,)).backward()
    return once


def best_time(fn: Callable[[], None], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds of CPU time of this thread (robust
    on a shared machine; every arm is single-threaded), after one warm-up run."""
    fn()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.thread_time()
        fn()
        best = min(best, time.thread_time() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--large", type=int, default=1_000_000)
    args = ap.parse_args()
    import symgrad
    libs: list[tuple[str, Any]] = [("symgrad", symgrad)]
    try:
        import torch
        torch.set_num_threads(1)
        libs.append((f"PyTorch {torch.__version__.split('+')[0]} eager", torch))
    except ImportError:
        pass
    sizes = (3, args.large)
    rows: list[tuple[str, list[str]]] = []
    for label, lib in libs:
        cells = []
        for n in sizes:
            t = best_time(run_tape(lib, n, args.ops), args.repeat if n < 1000 else 2)
            cells.append(f"{t / args.ops * 1e6:.2f}")
        rows.append((label, cells))
    t = best_time(run_minitape(sizes[0], args.ops), args.repeat)
    rows.append(("minimal NumPy tape (closures)", [f"{t / args.ops * 1e6:.2f}", "—"]))
    t = best_time(run_numpy(sizes[1], args.ops), 2)
    rows.append(("NumPy by hand (fwd + hand bwd)", ["—", f"{t / args.ops * 1e6:.2f}"]))
    print(f"µs per op, forward + backward, chain of {args.ops} ops ({' '.join(PATTERN)})\n")
    print(f"| arm | n = {sizes[0]} | n = {sizes[1]:.0e} |")
    print("|---|---|---|")
    for label, cells in rows:
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
