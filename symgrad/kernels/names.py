"""The one sanitiser for names in a kernel's source.

Every name a kernel's source mentions goes through :func:`param_name` (or
:func:`fresh_name` for the kernel's own constants and temporaries), so a
symbol name can never be code, shadow ``np`` or a helper, or collide with
another name once Python NFKC-folds identifiers.

>>> taken = set()
>>> [param_name(n, taken) for n in ["a", "ａ", "ｎｐ", "x.1", "_sigmoid", "print"]]
['a', 'a_1', 'np_', 'x_1', '_sigmoid', 'print_']
>>> param_name("sigmoid", set()), param_name("_sum_to", set())
('sigmoid_1', '_sum_to_1')
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata

from .known import reserved_names

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# names the kernel's source defines or calls itself: a parameter never takes them
_KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | {
    "np", "math", "kernel", "value_and_grad"}
_BUILTINS = frozenset(dir(builtins))  # the source may call slice(), tuple(), ...


def param_name(name: str, taken: set[str]) -> str:
    """The one sanitiser for every name in a kernel's source: a Python identifier for
    ``name`` (``x.1`` -> ``x_1``), unique in ``taken``.

    Python reads identifiers NFKC-folded (``ａ`` is ``a``, ``ｎｐ`` is ``np``), so the
    name is folded first and then kept apart from ``taken``, from keywords, builtins
    and the names the kernel defines itself (``np``, ``math``, its helpers; the
    constants and temporaries it names later avoid ``taken`` too).

    >>> param_name("W1", set()), param_name("x.1", set()), param_name("lambda", set())
    ('W1', 'x_1', 'lambda_')
    >>> param_name("ａ", {"a"}), param_name("ｎｐ", set()), param_name("2x", set())
    ('a_1', 'np_', '_2x')
    """
    p = unicodedata.normalize("NFKC", str(name))
    if not _IDENT.match(p):
        p = re.sub(r"[^A-Za-z0-9_]", "_", p)
    if not p or p[0].isdigit():
        p = "_" + p
    if p in _KEYWORDS or p in _BUILTINS:
        p += "_"
    return fresh_name(p, taken)


def fresh_name(base: str, taken: set[str]) -> str:
    """``base``, or ``base_1``, ``base_2``... : the first not in ``taken`` (which it joins).

    >>> taken = {"v"}
    >>> fresh_name("v", taken), fresh_name("v", taken), sorted(taken)
    ('v_1', 'v_2', ['v', 'v_1', 'v_2'])
    """
    p, i = base, 1
    while p in taken or p in _KEYWORDS or p in _BUILTINS or _reserved(p):
        p, i = f"{base}_{i}", i + 1
    taken.add(p)
    return p


def _reserved(name: str) -> bool:
    """A helper of the kernel's preamble (``_sum_to``, ``sigmoid``...) or its module."""
    return name in reserved_names()
