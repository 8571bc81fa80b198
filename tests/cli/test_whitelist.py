"""The restricted parser's whitelist stays explicit (a security boundary), and
every public name the op table declares is either on it or deliberately not
exposed (``names.NOT_EXPOSED``): a new op cannot silently reach user text, nor
silently stay out of it."""

from __future__ import annotations

import symgrad as sg  # noqa: F401  (binds the methods)
import symgrad.nn.functional as F
from symgrad.eager.methods import EXTRA, method_names, public_functions
from symgrad.parsing import names


def test_every_public_function_is_whitelisted_or_not_exposed() -> None:
    left = set(public_functions()) - names.FUNCTIONS - names.NOT_EXPOSED
    assert not left, f"add {sorted(left)} to parsing/names.py FUNCTIONS or NOT_EXPOSED"


def test_every_method_is_whitelisted_or_not_exposed() -> None:
    public = set(method_names()) | {k for k in EXTRA if not k.startswith("__")}
    left = public - names.TENSOR_METHODS - names.NOT_EXPOSED
    assert not left, f"add {sorted(left)} to parsing/names.py TENSOR_METHODS or NOT_EXPOSED"


def test_every_nn_function_is_whitelisted_or_not_exposed() -> None:
    left = set(F.__all__) - names.NN_FUNCTIONAL - names.NOT_EXPOSED
    assert not left, f"add {sorted(left)} to parsing/names.py NN_FUNCTIONAL or NOT_EXPOSED"


def test_not_exposed_names_really_are_refused() -> None:
    ns = names.torch_namespace()
    for name in names.NOT_EXPOSED:
        assert ns.lookup(name) is None, name


def test_whitelisted_names_exist() -> None:
    ns = names.torch_namespace()
    for name in sorted(names.FUNCTIONS):
        assert ns.lookup(name) is not None, name
    for name in sorted(names.TENSOR_METHODS):
        assert hasattr(sg.Tensor, name), name
