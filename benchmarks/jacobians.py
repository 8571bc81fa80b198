"""jacfwd vs jacrev on a wide and a tall Jacobian, and the per-op cost of forward mode.

Run ``python benchmarks/jacobians.py`` (``--quick`` for fewer repeats); prints
Markdown tables. Forward mode costs one forward pass per input element and
reverse mode one backward sweep per output element, so reverse should win
on the wide Jacobian (R^1000 -> R^2) and forward on the tall one
(R^2 -> R^1000). W5 is a 1000-op chain on a 3-element tensor: µs per op of
the plain forward, the forward pass with dual numbers, and the reverse tape
(forward recording + backward).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

import symgrad as sg
from symgrad import func

fwAD = sg.autograd.forward_ad


def _median_time(fn: Callable[[], object], repeats: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def jacobian_table(repeats: int) -> list[str]:
    rng = np.random.default_rng(0)
    rows = ["| Jacobian | shape | jacfwd | jacrev | faster |", "|---|---|---|---|---|"]
    for label, n_in, n_out in (("wide R^1000 -> R^2", 1000, 2), ("tall R^2 -> R^1000", 2, 1000)):
        w = sg.tensor(rng.standard_normal((n_out, n_in)) / np.sqrt(n_in))
        x = sg.tensor(rng.standard_normal(n_in))

        def f(v: sg.Tensor) -> sg.Tensor:
            return (w @ v).tanh() * 2 + (w @ v.sin())
        jf, jr = func.jacfwd(f)(x), func.jacrev(f)(x)
        assert np.allclose(jf.numpy(), jr.numpy(), atol=1e-5)
        tf = _median_time(lambda: func.jacfwd(f)(x), repeats)
        tr = _median_time(lambda: func.jacrev(f)(x), repeats)
        rows.append(f"| {label} | {tuple(jf.shape)} | {tf * 1e3:.1f} ms | {tr * 1e3:.1f} ms | "
                    f"{'jacfwd' if tf < tr else 'jacrev'} ({max(tf, tr) / min(tf, tr):.1f}x) |")
    return rows


def _chain(x: sg.Tensor, n_ops: int) -> sg.Tensor:
    for _ in range(n_ops // 2):
        x = (x * 1.0001).sin()
    return x


def per_op_table(repeats: int, n_ops: int = 1000) -> list[str]:
    base = sg.tensor([0.1, 0.2, 0.3])

    def plain() -> None:
        with sg.no_grad():
            _chain(base, n_ops)

    def forward_mode() -> None:
        with fwAD.dual_level():
            y = _chain(fwAD.make_dual(base, sg.ones(3)), n_ops)
            fwAD.unpack_dual(y)

    def reverse_tape() -> None:
        x = sg.tensor([0.1, 0.2, 0.3], requires_grad=True)
        _chain(x, n_ops).sum().backward()

    t_plain = _median_time(plain, repeats) / n_ops * 1e6
    t_fwd = _median_time(forward_mode, repeats) / n_ops * 1e6
    t_rev = _median_time(reverse_tape, repeats) / n_ops * 1e6
    return ["| W5: 1000 ops on a 3-element tensor | µs/op | overhead over plain forward |",
            "|---|---|---|",
            f"| plain forward (no grad) | {t_plain:.1f} | — |",
            f"| forward mode (dual numbers) | {t_fwd:.1f} | {t_fwd - t_plain:.1f} |",
            f"| reverse tape (forward + backward) | {t_rev:.1f} | {t_rev - t_plain:.1f} |"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    print("\n".join(jacobian_table(repeats)))
    print()
    print("\n".join(per_op_table(repeats * 3)))


if __name__ == "__main__":
    main()
