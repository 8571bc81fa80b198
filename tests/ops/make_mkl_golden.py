"""Record PyTorch 2.13's float32 bits for the MKL-backed functions and products.

    python -m tests.ops.make_mkl_golden > tests/ops/golden/torch_float_mkl.json

Inputs are drawn from seeded NumPy generators (so the test rebuilds them); the
outputs are stored as the integers of their float32 bit patterns.
"""

from __future__ import annotations

import json

import numpy as np

FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "tanh", "sqrt", "erf")
# (shape of the first operand, shape of the second, transpose the first, the second)
PRODUCTS = [((7,), (7,), False, False), ((5, 9), (9,), False, False),
            ((9,), (9, 4), False, False), ((3, 784), (784, 20), False, False),
            ((8, 32), (32, 16), False, False), ((8, 32), (32, 16), True, True),
            ((64, 100), (100, 10), False, True), ((2, 16, 10), (10,), True, False),
            ((3, 5, 6), (6, 4), False, False), ((4, 5, 6), (4, 6, 3), False, False),
            ((2, 3, 25, 14), (3, 14, 10), False, False), ((20,), (3, 20, 11), False, False),
            ((27, 11), (3, 11, 10), False, False)]
LINEAR = [(3, 784, 20), (64, 10, 1), (1, 3, 4), (16, 32, 8)]


def function_input(name: str) -> np.ndarray:
    seed = sum(ord(c) for c in name)
    x = np.random.default_rng(seed).standard_normal(64).astype(np.float32) * np.float32(3)
    return np.abs(x) if name in ("log", "sqrt") else x


def operand(seed: int, shape: tuple[int, ...], transposed: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if transposed and len(shape) >= 2:
        return np.swapaxes(rng.standard_normal(shape[:-2] + shape[::-1][:2]).astype(np.float32),
                           -1, -2)
    return rng.standard_normal(shape).astype(np.float32)


def bits(a: np.ndarray) -> list[int]:
    return np.ascontiguousarray(a, np.float32).reshape(-1).view(np.uint32).tolist()


def main() -> None:
    import torch

    out: dict = {"torch": torch.__version__, "functions": {}, "products": [], "linear": []}
    for name in FUNCTIONS:
        out["functions"][name] = bits(getattr(torch, name)(torch.from_numpy(function_input(name))).numpy())
    for i, (s1, s2, t1, t2) in enumerate(PRODUCTS):
        a, b = operand(2 * i, s1, t1), operand(2 * i + 1, s2, t2)
        r = torch.matmul(torch.from_numpy(a), torch.from_numpy(b)).numpy()
        out["products"].append({"shapes": [s1, s2], "transposed": [t1, t2],
                                "shape": list(r.shape), "bits": bits(r)})
    for i, (m, k, n) in enumerate(LINEAR):
        x, w, b = operand(100 + i, (m, k), False), operand(200 + i, (n, k), False), \
            operand(300 + i, (n,), False)
        r = torch.nn.functional.linear(torch.from_numpy(x), torch.from_numpy(w),
                                       torch.from_numpy(b)).numpy()
        out["linear"].append({"mkn": [m, k, n], "bits": bits(r)})
    print(json.dumps(out, separators=(",", ":")))


if __name__ == "__main__":
    main()
