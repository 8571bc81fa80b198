"""The sample table keeps its promises: inputs lie in their domains and away from
their kinks, every op with kinks says where they are, a domain's map makes the
op finite, and an ``any_shape`` sample runs on every rank that random programs
draw (0-3, broadcasting)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import symgrad as sg
from symgrad.ops import OPS

from .samples import (DOMAINS, MASK, SAMPLES, Sample, differentiable_samples, op_kinks,
                      program_samples)


def test_sample_ids_are_unique() -> None:
    ids = [s.id for s in SAMPLES]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.id)
def test_inputs_lie_in_their_domains(sample: Sample) -> None:
    assert len(sample.domain) == len(sample.args)
    for i, (d, a) in enumerate(zip(sample.domain, sample.args)):
        assert (d is MASK) == (a.dtype == np.bool_), f"arg {i}: a mask needs the mask domain"
        assert d.contains(a), f"arg {i} of {sample.id} leaves domain {d.name}"


def test_every_op_with_kinks_says_where_they_are() -> None:
    """A sample of an op the table marks ``kinks`` carries a ``kink_margin``."""
    silent = [s.id for s in SAMPLES if op_kinks(s.op) and s.kink_margin is None]
    assert not silent, f"samples of kinked ops without kink_margin: {silent}"


@pytest.mark.parametrize("sample", [s for s in SAMPLES if s.kink_margin is not None],
                         ids=lambda s: s.id)
def test_inputs_stay_away_from_kinks(sample: Sample) -> None:
    """Far enough (1e-3, a thousand central-difference steps) for every engine to agree."""
    assert sample.kink_margin(*sample.args) > 1e-3


def test_margins_find_kinks() -> None:
    by_id = {s.id: s for s in SAMPLES}
    assert by_id["relu-plain"].kink_margin(np.array([0.5, -1e-4])) == pytest.approx(1e-4)
    assert by_id["clamp-plain"].kink_margin(np.array([0.3, -0.4999])) == pytest.approx(1e-4)
    assert by_id["maximum-plain"].kink_margin(np.array([1.0, 2.0]), np.array(1.5)) == 0.5
    assert by_id["amax-plain"].kink_margin(np.array([[3.0, 1.0], [2.9, -1.0]])) \
        == pytest.approx(0.1)
    assert by_id["max_dim-dim0"].kink_margin(np.array([[3.0, 1.0], [3.0, -1.0]])) == 0.0
    assert by_id["max_dim-dim0"].kink_margin(np.array(3.0)) == np.inf


def _float_only(s: Sample) -> bool:
    return len(s.floats) == len(s.args) and not s.grad_inside


@pytest.mark.parametrize("sample", [s for s in differentiable_samples() if _float_only(s)],
                         ids=lambda s: s.id)
def test_the_op_is_finite_on_its_domain(sample: Sample) -> None:
    """Any real input, mapped by the domain, gives finite values and gradients: a domain
    that claims too much (log on the real line) fails here."""
    rng = np.random.default_rng(0)
    xs = [sg.tensor(rng.normal(0, 3, a.shape), dtype=sg.float64, requires_grad=True)
          for a in sample.args]
    y = sample.fn(sg, *sample.into_domain(sg, *xs))
    grads = sg.autograd.grad(y.sum(), xs, allow_unused=True)
    assert np.all(np.isfinite(y.detach().numpy()))
    assert all(g is None or np.all(np.isfinite(g.numpy())) for g in grads)


def test_domains_map_into_themselves() -> None:
    x = sg.tensor(np.linspace(-30, 30, 61), dtype=sg.float64)
    for d in DOMAINS.values():
        if d is not MASK:
            assert d.contains(d.into(sg, x).numpy()), d.name


SHAPES = [(), (1,), (3,), (2, 1), (2, 3), (1, 3, 2), (2, 3, 3)]


@pytest.mark.parametrize("sample", program_samples(1), ids=lambda s: s.id)
def test_unary_program_ops_take_any_shape(sample: Sample) -> None:
    rng = np.random.default_rng(1)
    for shape in SHAPES:
        x = sg.tensor(rng.uniform(-1.5, 1.5, shape), dtype=sg.float64, requires_grad=True)
        y = sample.fn(sg, *sample.into_domain(sg, x))
        if shape and np.prod(shape) > 1:  # a real call of the op (flatten of 1-d: itself)
            assert y is x or y.record.op is OPS[sample.op], f"{sample.id} on {shape}"
        assert y.dtype == sg.float64 and y.requires_grad


@pytest.mark.parametrize("sample", program_samples(2), ids=lambda s: s.id)
def test_binary_program_ops_broadcast(sample: Sample) -> None:
    rng = np.random.default_rng(2)
    for sa, sb in itertools.product(SHAPES, [(), (3,), (2, 1), (1, 3, 1)]):
        try:
            np.broadcast_shapes(sa, sb)
        except ValueError:
            continue
        xs = [sg.tensor(rng.uniform(-1.5, 1.5, s), dtype=sg.float64) for s in (sa, sb)]
        y = sample.fn(sg, *sample.into_domain(sg, *xs))
        assert tuple(y.shape) == np.broadcast_shapes(sa, sb), sample.id
