"""The running total of list, tuple and string items a snippet creates.

Each list is bounded by ``max_sequence``, but a loop that keeps appending big lists
passed the memory limit one list at a time (8 MB a list, gigabytes in all). The
total is checked before each allocation, so such a loop stops with one line.
"""

from __future__ import annotations

import pytest

from symgrad.commands import InputError, Limits, run_snippet

LIMITS = Limits(max_total_items=3_000_000, timeout=20)


@pytest.mark.parametrize("src", [
    "l = []\nfor i in range(100000):\n    l.append([0] * 10**6)\n",
    "l = [[0] * 10**6 for i in range(1000)]\n",
    "s = []\nfor i in range(1000):\n    s.append('x' * 10**6)\n",
    "import torch\nt = torch.zeros(10, 10**5)\nl = [t.tolist() for i in range(100)]\n",
    "l = [0] * 10**5\nm = []\nfor i in range(100):\n    m.append(l + l)\n",
])
def test_a_loop_of_big_sequences_stops_at_the_total(src: str) -> None:
    with pytest.raises(InputError, match="list, tuple and string items in all"):
        run_snippet(src, "snippet.py", LIMITS)


def test_small_programs_are_not_counted_out() -> None:
    src = ("l = []\nfor i in range(1000):\n    l.append([i] * 100)\n"
           "print(len(l), sum(len(x) for x in l))\n")
    out = run_snippet(src, "snippet.py", LIMITS)
    assert "1000 100000" in str(getattr(out, "stdout", out))
