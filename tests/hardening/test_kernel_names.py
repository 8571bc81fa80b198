"""One sanitiser for every name in a kernel's source (HARDENING W1, W3), fuzzed."""

from __future__ import annotations

import keyword
import unicodedata

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import symgrad as sg
from symgrad.kernels.known import reserved_names
from symgrad.kernels.names import param_name


def test_a_parameter_named_like_an_index_constant_keeps_both_apart() -> None:  # W3
    x = sg.symbol("_idx0", (3,))
    k = sg.lambdify(x[sg.tensor([2, 0, 1])], [x])
    assert k(np.array([0, 2, 1])).tolist() == [1, 0, 2]


@pytest.mark.parametrize("name", ["_sigmoid", "sigmoid", "_sum_to", "np", "math", "kernel",
                                  "slice", "tuple", "None_", "v0", "v_out0"])
def test_names_the_kernel_uses_itself_are_kept_apart(name: str) -> None:
    x = sg.symbol(name, (3,))
    k = sg.lambdify([sg.sigmoid(x).sum(), x[1:] * 2], [x])
    v = np.array([0.0, 1.0, 2.0])
    got = k(v)
    np.testing.assert_allclose(got[0], (1 / (1 + np.exp(-v))).sum())
    np.testing.assert_allclose(got[1], [2.0, 4.0])


def test_nfkc_twins_are_two_parameters() -> None:  # W3: Python folds ａ to a
    a, b = sg.symbol("a", (2,)), sg.symbol("ａ", (2,))
    k = sg.lambdify((a * b).sum(), [a, b])
    assert k(np.array([1.0, 2.0]), np.array([3.0, 4.0])) == 11.0
    n = sg.symbol("ｎｐ", (2,))
    assert sg.lambdify(sg.exp(n).sum(), [n])(np.zeros(2)) == 2.0


def test_auto_named_constant_next_to_a_variable_t0() -> None:  # W1
    t0 = sg.symbol("t0", (3,))
    c = sg.tensor([1.0, 2.0, 3.0])
    g = sg.diff((c * t0).sum(), t0)
    assert str(g) != "t0"  # the constant is not called t0
    k = sg.lambdify(g, [t0])
    np.testing.assert_allclose(k(np.full(3, 5.0)), [1.0, 2.0, 3.0])


def test_constant_with_the_argument_name_stays_a_constant() -> None:  # W1, in the kernel
    from symgrad.kernels.codegen import generate
    from symgrad.symbolic.symbols import TensorConstant, TensorSymbol
    x = TensorSymbol("t0", (3,))
    c = TensorConstant("t0", np.array([1.0, 2.0, 3.0]))
    gen = generate([c], [x])
    ns: dict = {}
    exec(compile(gen.source, "k", "exec"), ns)  # noqa: S102 - our own source
    ns.update(gen.constants)
    np.testing.assert_allclose(ns["kernel"](np.full(3, 5.0)), [1.0, 2.0, 3.0])


def test_user_name_t_n_is_never_an_auto_name() -> None:
    a = sg.tensor([1.0], requires_grad=True)
    taken = f"t{int(a.name[1:]) + 1}"
    b = sg.tensor([2.0], name=taken)
    c = sg.tensor([3.0])
    assert c.name != taken and b.name == taken


NAMES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


@given(st.lists(NAMES, min_size=1, max_size=5))
def test_fuzz_param_names_are_distinct_safe_identifiers(names: list[str]) -> None:
    taken = set(reserved_names())
    out = [param_name(n, taken) for n in names]
    assert len(set(out)) == len(out)
    for p in out:
        assert p.isidentifier() and p.isascii()
        assert unicodedata.normalize("NFKC", p) == p
        assert not keyword.iskeyword(p) and p not in ("np", "math", "kernel")
        assert p not in reserved_names()


@given(st.lists(NAMES, min_size=1, max_size=4, unique=True))
def test_fuzz_kernels_of_any_names_compute_the_right_value(names: list[str]) -> None:
    syms = [sg.symbol(n, (2,)) for n in names]
    y = syms[0] * 1.0
    for i, s in enumerate(syms[1:], start=2):
        y = y + s * float(i)
    k = sg.lambdify([y.sum(), sg.sigmoid(syms[0])], syms)
    vals = [np.array([1.0, 2.0]) * (j + 1) for j in range(len(syms))]
    want = sum(v.sum() * (j + 1) for j, v in enumerate(vals))
    got = k(*vals)
    np.testing.assert_allclose(got[0], want)
    np.testing.assert_allclose(got[1], 1 / (1 + np.exp(-vals[0])))
