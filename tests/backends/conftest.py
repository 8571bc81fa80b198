"""Engines for the backend tests: JAX in 64 bits when installed, and one two-worker
``dask.distributed`` cluster (threads: about 1.4 s to start, against several seconds
for worker processes) shared by the whole directory."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def jax_x64() -> Any:
    """``jax`` with float64 enabled (skipped with a reason when JAX is absent)."""
    jax = pytest.importorskip("jax", reason="JAX not installed (pip install 'symgrad[jax]')")
    jax.config.update("jax_enable_x64", True)
    return jax


@pytest.fixture(scope="session")
def cluster() -> Iterator[Any]:
    """A client of a local two-worker cluster, one thread each."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as lc, distributed.Client(lc) as c:
        yield c
