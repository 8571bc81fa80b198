"""The generator's behaviour around the values: seeding, ``Generator`` objects, the
state round trip, the cached normal sample, and PyTorch's errors."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as torch
from symgrad.random.mt19937 import Engine


def test_manual_seed_returns_the_default_generator() -> None:
    g = torch.manual_seed(3)
    assert g is torch.default_generator
    assert torch.initial_seed() == 3
    assert repr(g).startswith("<torch._C.Generator object at 0x")


def test_negative_seeds_wrap_and_too_large_seeds_fail() -> None:
    torch.manual_seed(-1)
    assert torch.initial_seed() == 2**64 - 1
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        torch.manual_seed(2**64)


def test_the_engine_is_mt19937() -> None:
    # std::mt19937 with the default seed 5489: its 10000th output is 4123659995
    assert int(Engine(5489).random32(10000)[-1]) == 4123659995


def test_seed_reseeds_nondeterministically() -> None:
    s = torch.seed()
    assert torch.initial_seed() == s
    a = torch.rand(3)
    torch.manual_seed(s)
    assert torch.equal(torch.rand(3), a)


def test_a_generator_has_its_own_stream() -> None:
    g = torch.Generator().manual_seed(7)
    torch.manual_seed(7)
    a = torch.rand(4, generator=g)
    b = torch.rand(4)
    assert torch.equal(a, b)  # same seed, separate streams
    assert not torch.equal(torch.rand(4, generator=g), a)


def test_state_round_trip_keeps_the_cached_normal() -> None:
    torch.manual_seed(0)
    torch.randn(1)  # leaves the pair's second sample cached
    state = torch.get_rng_state()
    assert state.dtype == torch.uint8 and tuple(state.shape) == (5056,)
    a = torch.randn(3)
    torch.set_rng_state(state)
    assert torch.equal(torch.randn(3), a)


def test_manual_seed_drops_the_cached_normal() -> None:
    torch.manual_seed(0)
    first = torch.randn(2)
    torch.manual_seed(0)
    torch.randn(1)
    torch.manual_seed(0)
    assert torch.equal(torch.randn(2), first)


def test_bad_states_are_refused() -> None:
    with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
        torch.set_rng_state(torch.zeros(5056))
    with pytest.raises(RuntimeError, match="Expected a CPUGeneratorImplState of size 5056 but "
                                           "found the input RNG state size to be 10"):
        torch.set_rng_state(torch.zeros(10, dtype=torch.uint8))
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        torch.set_rng_state(torch.zeros(5056, dtype=torch.uint8))


@pytest.mark.parametrize("call, kind, message", [
    (lambda: torch.rand(3, dtype=torch.int64), NotImplementedError,
     "\"check_uniform_bounds\" not implemented for 'Long'"),
    (lambda: torch.randn(2, dtype=torch.int64), NotImplementedError,
     "\"normal_kernel_cpu\" not implemented for 'Long'"),
    (lambda: torch.randint(5, 5, (2,)), RuntimeError,
     "random_ expects 'from' to be less than 'to', but got from=5 >= to=5"),
    (lambda: torch.empty(3).uniform_(2, 1), RuntimeError,
     "uniform_ expects to return a [from, to) range, but found from=2 > to=1"),
    (lambda: torch.empty(3).normal_(0, -1), RuntimeError,
     "normal expects std >= 0.0, but found std -1"),
    (lambda: torch.normal(torch.zeros(2), torch.tensor([-1., 1.])), RuntimeError,
     "normal expects all elements of std >= 0.0"),
    (lambda: torch.randperm(-1), RuntimeError,
     "Trying to create tensor with negative dimension -1: [-1]"),
    (lambda: torch.bernoulli(torch.tensor([0.5, 2.0])), RuntimeError,
     "Expected p_in >= 0 && p_in <= 1 to be true, but got false."),
])
def test_errors_are_pytorchs(call, kind, message) -> None:
    with pytest.raises(kind) as info:
        call()
    assert str(info.value).startswith(message)


def test_in_place_draws_bump_the_version_and_refuse_leaves() -> None:
    x = torch.zeros(4)
    x.uniform_()
    assert x._version == 1
    w = torch.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        w.normal_()
    with torch.no_grad():
        w.normal_()
    assert w.requires_grad and w.grad_fn is None


def test_normal_with_tensor_arguments() -> None:
    torch.manual_seed(5)
    a = torch.normal(torch.tensor([0., 10.]), 1.0)
    torch.manual_seed(5)
    z = torch.randn(2)
    assert np.array_equal(a.numpy(), (z + torch.tensor([0., 10.])).numpy())
