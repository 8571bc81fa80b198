"""The matrix functions on the tape, against PyTorch 2.13's recorded behaviour:
reprs (values and ``grad_fn`` names), gradients, and the messages of bad input.

The golden strings were printed by ``torch==2.13.0``; ``test_matches_torch_live``
compares them with torch itself when it is installed.
"""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg


def _inputs(T):
    X = T.tensor([[2., 1.], [0.5, 3.]], requires_grad=True)
    v = T.tensor([1., 2., 3.], requires_grad=True)
    w = T.tensor([4., 5.], requires_grad=True)
    return X, v, w


CASES = {
    "trace": (lambda T, X, v, w: T.trace(X), "tensor(5., grad_fn=<TraceBackward0>)"),
    "det": (lambda T, X, v, w: T.det(X), "tensor(5.5000, grad_fn=<LinalgDetBackward0>)"),
    "linalg.det": (lambda T, X, v, w: T.linalg.det(X),
                   "tensor(5.5000, grad_fn=<LinalgDetBackward0>)"),
    "logdet": (lambda T, X, v, w: T.logdet(X), "tensor(1.7047, grad_fn=<WhereBackward0>)"),
    "slogdet.logabsdet": (lambda T, X, v, w: T.slogdet(X).logabsdet,
                          "tensor(1.7047, grad_fn=<LinalgSlogdetBackward0>)"),
    "inverse": (lambda T, X, v, w: T.inverse(X),
                "tensor([[ 0.5455, -0.1818],\n        [-0.0909,  0.3636]], "
                "grad_fn=<LinalgInvExBackward0>)"),
    "linalg.inv": (lambda T, X, v, w: T.linalg.inv(X),
                   "tensor([[ 0.5455, -0.1818],\n        [-0.0909,  0.3636]], "
                   "grad_fn=<LinalgInvExBackward0>)"),
    "solve": (lambda T, X, v, w: T.linalg.solve(X, w),
              "tensor([1.2727, 1.4545], grad_fn=<LinalgSolveExBackward0>)"),
    "diag(v)": (lambda T, X, v, w: T.diag(v),
                "tensor([[1., 0., 0.],\n        [0., 2., 0.],\n        [0., 0., 3.]], "
                "grad_fn=<DiagEmbedBackward0>)"),
    "diag(X)": (lambda T, X, v, w: T.diag(X),
                "tensor([2., 3.], grad_fn=<DiagonalBackward0_copy>)"),
    "diagonal": (lambda T, X, v, w: T.diagonal(X),
                 "tensor([2., 3.], grad_fn=<DiagonalBackward0>)"),
    "diag_embed": (lambda T, X, v, w: T.diag_embed(w),
                   "tensor([[4., 0.],\n        [0., 5.]], grad_fn=<DiagEmbedBackward0>)"),
    "outer": (lambda T, X, v, w: T.outer(v, w),
              "tensor([[ 4.,  5.],\n        [ 8., 10.],\n        [12., 15.]], "
              "grad_fn=<MulBackward0>)"),
    "ger": (lambda T, X, v, w: T.ger(v, w),
            "tensor([[ 4.,  5.],\n        [ 8., 10.],\n        [12., 15.]], "
            "grad_fn=<MulBackward0>)"),
    "kron": (lambda T, X, v, w: T.kron(w, w),
             "tensor([16., 20., 20., 25.], grad_fn=<UnsafeViewBackward0>)"),
    "norm": (lambda T, X, v, w: T.norm(v),
             "tensor(3.7417, grad_fn=<LinalgVectorNormBackward0>)"),
    "v.norm(1)": (lambda T, X, v, w: v.norm(1),
                  "tensor(6., grad_fn=<LinalgVectorNormBackward0>)"),
    "vector_norm inf": (lambda T, X, v, w: T.linalg.vector_norm(v, float("inf")),
                        "tensor(3., grad_fn=<LinalgVectorNormBackward0>)"),
    "matrix_norm": (lambda T, X, v, w: T.linalg.matrix_norm(X),
                    "tensor(3.7749, grad_fn=<LinalgVectorNormBackward0>)"),
    "matrix_norm 1": (lambda T, X, v, w: T.linalg.matrix_norm(X, 1),
                      "tensor(4., grad_fn=<AmaxBackward0>)"),
    "linalg.norm": (lambda T, X, v, w: T.linalg.norm(X),
                    "tensor(3.7749, grad_fn=<LinalgVectorNormBackward0>)"),
    "svdvals": (lambda T, X, v, w: T.linalg.svdvals(X),
                "tensor([3.4139, 1.6111], grad_fn=<LinalgSvdBackward0>)"),
    "matrix_norm 2": (lambda T, X, v, w: T.linalg.matrix_norm(X, 2),
                      "tensor(3.4139, grad_fn=<AmaxBackward0>)"),
    "matrix_norm -2": (lambda T, X, v, w: T.linalg.matrix_norm(X, -2),
                       "tensor(1.6111, grad_fn=<AminBackward0>)"),
    "norm nuc": (lambda T, X, v, w: T.norm(X, "nuc"), "tensor(5.0249, grad_fn=<SumBackward1>)"),
    "linalg.norm 2": (lambda T, X, v, w: T.linalg.norm(X, 2),
                      "tensor(3.4139, grad_fn=<AmaxBackward0>)"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_repr_and_grad_fn_are_pytorchs(name: str) -> None:
    fn, want = CASES[name]
    assert repr(fn(sg, *_inputs(sg))) == want


GRADS = {  # d f / d inputs, printed by torch 2.13
    "logdet": (lambda T, X, v, w: (T.logdet(X), [X]),
               [[[0.5454545617103577, -0.09090909361839294],
                 [-0.1818181872367859, 0.3636363744735718]]]),
    "det": (lambda T, X, v, w: (T.det(X), [X]), [[[3.0, -0.5], [-1.0, 2.0]]]),
    "inverse": (lambda T, X, v, w: (T.inverse(X).sum(), [X]),
                [[[-0.1652892678976059, -0.12396694719791412],
                  [-0.06611570715904236, -0.04958678036928177]]]),
    "solve": (lambda T, X, v, w: ((T.linalg.solve(X, w) ** 2).sum(), [X, w]),
              [[[-1.4305033683776855, -1.6348609924316406],
                [-0.7573254108428955, -0.8655147552490234]],
               [1.123966932296753, 0.5950413942337036]]),
    "norm": (lambda T, X, v, w: (T.norm(v), [v]),
             [[0.26726123690605164, 0.5345224738121033, 0.8017836809158325]]),
    "kron": (lambda T, X, v, w: (T.kron(X, X).pow(2).sum(), [X]),
             [[[114.0, 57.0], [28.5, 171.0]]]),
    "nuclear norm": (lambda T, X, v, w: (T.linalg.matrix_norm(X, "nuc"), [X]),
                     [[[0.9950371384620667, 0.09950372576713562],
                       [-0.09950363636016846, 0.9950370192527771]]]),
    "spectral norm": (lambda T, X, v, w: (T.linalg.matrix_norm(X, 2), [X]),
                      [[[0.22016847133636475, 0.4657769799232483],
                        [0.3662732243537903, 0.7748686075210571]]]),
}


@pytest.mark.parametrize("name", sorted(GRADS))
def test_gradients_are_pytorchs(name: str) -> None:
    fn, want = GRADS[name]
    y, xs = fn(sg, *_inputs(sg))
    got = sg.autograd.grad(y, xs)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.numpy(), w, rtol=1e-5, atol=1e-6)


ERRORS = [  # (call, exception type name, message), as torch 2.13 raises them
    (lambda T: T.trace(T.ones(2, 2, 2)), "RuntimeError",
     "trace: expected a matrix, but got tensor with dim 3"),
    (lambda T: T.det(T.ones(2, 3)), "RuntimeError",
     "linalg.det: A must be batches of square matrices, but they are 2 by 3 matrices"),
    (lambda T: T.det(T.ones(3)), "RuntimeError",
     "linalg.det: The input tensor A must have at least 2 dimensions."),
    (lambda T: T.det(T.eye(2, dtype=T.long)), "RuntimeError",
     "linalg.det: Expected a floating point or complex tensor as input. Got Long"),
    (lambda T: T.logdet(T.ones(2, 3)), "RuntimeError",
     "logdet: A must be batches of square matrices, but they are 2 by 3 matrices"),
    (lambda T: T.inverse(T.zeros(2, 2)), "_LinAlgError",
     "linalg.inv: The diagonal element 1 is zero, the inversion could not be completed "
     "because the input matrix is singular."),
    (lambda T: T.linalg.inv(T.tensor([[1., 2.], [2., 4.]])), "_LinAlgError",
     "linalg.inv: The diagonal element 2 is zero, the inversion could not be completed "
     "because the input matrix is singular."),
    (lambda T: T.linalg.inv(T.stack([T.eye(2), T.zeros(2, 2)])), "_LinAlgError",
     "linalg.inv: (Batch element 1): The diagonal element 1 is zero, the inversion could not "
     "be completed because the input matrix is singular."),
    (lambda T: T.linalg.solve(T.zeros(2, 2), T.ones(2)), "_LinAlgError",
     "torch.linalg.solve: The solver failed because the input matrix is singular."),
    (lambda T: T.linalg.solve(T.eye(2), T.ones(3)), "RuntimeError",
     "linalg.solve: Incompatible shapes of A and B for the equation AX = B (2x2 and 3x1)"),
    (lambda T: T.linalg.solve(T.eye(2), T.tensor(1.)), "RuntimeError",
     "linalg.solve: The input tensor B must have at least 2 dimensions."),
    (lambda T: T.linalg.solve(T.ones(2, 3), T.ones(2)), "RuntimeError",
     "linalg.solve: A must be batches of square matrices, but they are 2 by 3 matrices"),
    (lambda T: T.outer(T.ones(2, 2), T.ones(2)), "RuntimeError",
     "outer: Expected 1-D argument self, but got 2-D"),
    (lambda T: T.outer(T.ones(2), T.ones(2, 2)), "RuntimeError",
     "outer: Expected 1-D argument vec2, but got 2-D"),
    (lambda T: T.diag(T.ones(2, 2, 2)), "RuntimeError", "diag(): Supports 1D or 2D tensors. Got 3D"),
    (lambda T: T.diagonal(T.ones(3, 3), 0, 0, 0), "RuntimeError",
     "diagonal dimensions cannot be identical 0, 0"),
    (lambda T: T.eye(-1), "RuntimeError", "n must be greater or equal to 0, got -1"),
    (lambda T: T.linalg.vector_norm(T.ones(2, dtype=T.long)), "RuntimeError",
     "linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long"),
    (lambda T: T.linalg.matrix_norm(T.ones(3)), "RuntimeError",
     "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."),
    (lambda T: T.linalg.matrix_norm(T.ones(2, 2), 3), "RuntimeError",
     "linalg.matrix_norm: Order 3 not supported."),
    (lambda T: T.linalg.norm(T.ones(2, 2, 2), 2), "RuntimeError",
     "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got 3D."),
]


@pytest.mark.parametrize("call, kind, message", ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_bad_input_raises_pytorchs_error(call, kind: str, message: str) -> None:
    with pytest.raises(Exception) as info:
        call(sg)
    assert type(info.value).__name__ == kind and str(info.value) == message
    assert isinstance(info.value, RuntimeError)


def test_linalg_error_is_exported_and_a_runtime_error() -> None:
    with pytest.raises(sg.linalg.LinAlgError):
        sg.linalg.inv(sg.zeros(3, 3))


def test_slogdet_returns_pytorchs_named_pair() -> None:
    r = sg.linalg.slogdet(sg.tensor([[-2., 0.], [0., 1.]]))
    assert repr(r) == ("torch.return_types.linalg_slogdet(\nsign=tensor(-1.),\n"
                       "logabsdet=tensor(0.6931))")
    sign, _ = sg.slogdet(sg.tensor([[-2., 0.], [0., 1.]]))
    assert sign.item() == -1.0 and type(sg.slogdet(sg.eye(2))).__name__ == "SlogdetResult"
    X = sg.eye(2, requires_grad=True)
    assert sg.slogdet(X).logabsdet.grad_fn.name() == "LinalgSlogdetBackward0"


def test_logdet_of_a_negative_determinant_is_nan_and_singular_is_minus_inf() -> None:
    assert np.isnan(sg.logdet(sg.tensor([[-1., 0.], [0., 1.]])).item())
    assert sg.logdet(sg.zeros(2, 2)).item() == -np.inf
    assert sg.det(sg.zeros(2, 2)).item() == 0.0


def test_eye_and_its_options() -> None:
    assert repr(sg.eye(2, 3)) == "tensor([[1., 0., 0.],\n        [0., 1., 0.]])"
    assert sg.eye(2, dtype=sg.float64).dtype == sg.float64
    assert sg.eye(2, requires_grad=True).requires_grad


def test_norm_forms_agree_with_numpy() -> None:
    a = np.array([[1., -2., 3.], [-4., 5., -6.]])
    t = sg.tensor(a, dtype=sg.float64)
    assert sg.norm(t).item() == pytest.approx(np.linalg.norm(a))
    assert t.norm(p=1, dim=1).tolist() == [6.0, 15.0]
    assert t.norm(3, dim=0, keepdim=True).shape == (1, 3)
    assert sg.linalg.norm(t, dim=(0, 1)).item() == pytest.approx(np.linalg.norm(a))
    assert sg.linalg.vector_norm(t, 0).item() == 6.0
    assert sg.linalg.vector_norm(t, -np.inf).item() == 1.0
    for ord in (1, -1, np.inf, -np.inf, "fro"):
        assert sg.linalg.matrix_norm(t, ord).item() == pytest.approx(np.linalg.norm(a, ord))
    assert sg.linalg.matrix_norm(sg.tensor(np.stack([a, 2 * a])), 1, keepdim=True).shape \
        == (2, 1, 1)


def test_singular_values_differentiate_once_and_say_so_twice() -> None:
    X = sg.tensor([[2., 1.], [0.5, 3.]], dtype=sg.float64, requires_grad=True)
    assert sg.check(sg.linalg.matrix_norm(X, "nuc")).passed
    with pytest.raises(NotImplementedError, match="second derivatives of singular values"):
        sg.autograd.grad(sg.linalg.matrix_norm(X, 2), X, create_graph=True)
    x = sg.symbol("x", (2, 2))
    with pytest.raises(NotImplementedError, match="second derivatives of singular values"):
        sg.hessian(sg.linalg.svdvals(x).sum(), x)


def test_batched_inverse_det_and_solve_match_numpy() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(3, 4, 4)) + 4 * np.eye(4)
    b = rng.normal(size=(3, 4))
    A = sg.tensor(a, dtype=sg.float64, requires_grad=True)
    np.testing.assert_allclose(sg.inverse(A).detach().numpy(), np.linalg.inv(a))
    np.testing.assert_allclose(sg.det(A).detach().numpy(), np.linalg.det(a))
    x = sg.linalg.solve(A, sg.tensor(b, dtype=sg.float64))
    np.testing.assert_allclose(x.detach().numpy(), np.linalg.solve(a, b[..., None])[..., 0])
    assert sg.check(sg.logdet(A).sum()).passed


def test_solve_left_false_solves_x_a_equals_b() -> None:
    a = np.array([[2., 1.], [0., 3.]])
    b = np.array([[1., 2.], [3., 4.]])
    x = sg.linalg.solve(sg.tensor(a), sg.tensor(b), left=False)
    np.testing.assert_allclose(x.numpy() @ a, b, rtol=1e-6)


def test_double_backward_through_inverse_and_det() -> None:
    X = sg.tensor([[2., 1.], [0.5, 3.]], dtype=sg.float64, requires_grad=True)
    (g,) = sg.autograd.grad(sg.det(X), X, create_graph=True)
    (h,) = sg.autograd.grad(g[0, 0], X)
    # d/dX of (det X * inv(X).T)[0, 0] = d X[1, 1] / dX
    np.testing.assert_allclose(h.numpy(), [[0., 0.], [0., 1.]], atol=1e-12)


def test_matches_torch_live() -> None:
    torch = pytest.importorskip("torch")
    for name, (fn, want) in CASES.items():
        assert repr(fn(torch, *_inputs(torch))) == want, name
    for call, kind, message in ERRORS:
        with pytest.raises(Exception) as info:
            call(torch)
        assert (type(info.value).__name__, str(info.value)) == (kind, message)
