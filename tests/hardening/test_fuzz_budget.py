"""Fuzzing the interpreter's budget and the parser.

Random snippets built from allocating statements (tensors, NumPy results, lists,
``tolist()``, strings, comparisons, indexing, ``print``) with sizes up to far past
the limits must end in a result or a one-line :class:`InputError`, and must never
*allocate* past the budget: the peak of memory traced by :mod:`tracemalloc` (NumPy
reports its arrays there) stays within a small multiple of the limits, because every
size is checked before the allocation. Run longer with ``HYPOTHESIS_PROFILE=fuzz``.
"""

from __future__ import annotations

import tracemalloc

from hypothesis import given
from hypothesis import strategies as st

from symgrad.commands import InputError, Limits, run_snippet
from symgrad.parsing.validate import parse

LIMITS = Limits(max_chars=5000, max_tensor_elements=20_000, max_total_elements=400_000,
                max_live_bytes=2 * 2**20, max_sequence=20_000, max_output_chars=20_000,
                max_loop_iterations=200, max_matmul_work=10**7, timeout=10.0)
# what a run may hold beyond the budget: SymPy, caches, the interpreter's own objects
SLACK = 24 * 2**20
PEAK = 8 * LIMITS.max_tensor_elements + LIMITS.max_live_bytes + 40 * LIMITS.max_sequence + SLACK

SIZES = st.sampled_from([0, 1, 3, 100, 5000, 20_000, 20_001, 10**5, 10**6, 10**9, 2**40])
NAMES = ["x0", "x1", "x2"]


def _var() -> st.SearchStrategy[str]:
    return st.sampled_from(NAMES)


STATEMENTS = st.one_of(
    st.builds("{} = torch.zeros({})".format, _var(), SIZES),
    st.builds("{} = torch.ones({}, {})".format, _var(), SIZES, SIZES),
    st.builds("{} = torch.zeros({}, 1) + torch.zeros({})".format, _var(), SIZES, SIZES),
    st.builds("{} = {} * {}".format, _var(), _var(), _var()),
    st.builds("{} = {} == {}".format, _var(), _var(), _var()),
    st.builds("{} = {} in [{}, {}]".format, _var(), _var(), _var(), _var()),
    st.builds("{} = {}.numpy() + 1".format, _var(), _var()),
    st.builds("{} = {}.tolist()".format, _var(), _var()),
    st.builds("{} = [{}] * {}".format, _var(), _var(), SIZES),
    st.builds("{} = 'ab' * {}".format, _var(), SIZES),
    st.builds("{} = {}[torch.zeros({}, dtype=torch.int64)]".format, _var(), _var(), SIZES),
    st.builds("{} = {} @ {}".format, _var(), _var(), _var()),
    st.builds("{} = {}.reshape(-1, 1) * {}".format, _var(), _var(), _var()),
    st.builds("print({}, {})".format, _var(), _var()),
    st.builds("for i in range({}):\n    {} = {} + 1".format, SIZES, _var(), _var()),
    st.builds("for i in range({}):\n    kept.append({}.numpy() + 1)".format, SIZES, _var()),
)

PRELUDE = "import torch\nx0 = torch.ones(3)\nx1 = torch.ones(2, 3)\nx2 = [1, 2]\nkept = []\n"


@given(st.lists(STATEMENTS, min_size=1, max_size=6))
def test_fuzz_no_allocation_passes_the_budget(statements: list[str]) -> None:
    text = PRELUDE + "\n".join(statements) + "\n"
    tracemalloc.start()
    try:
        try:
            run_snippet(text, "fuzz.py", LIMITS, write=lambda s: None)
        except InputError as e:
            assert "\n" not in str(e)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < PEAK, (peak, text)


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@given(TEXT, st.sampled_from(["eval", "exec"]))
def test_fuzz_parser_takes_any_text(text: str, mode: str) -> None:
    """Any text parses to a checked tree or one :class:`InputError` line."""
    try:
        parse(text, mode, LIMITS)
    except InputError as e:
        assert "\n" not in str(e)


@given(st.text(alphabet=st.sampled_from(list("ab()[]*+-/@.,:=0123456789 \n'\"_ｎｐａ")),
               max_size=40))
def test_fuzz_diff_expressions_end_cleanly(text: str) -> None:
    from symgrad.commands import differentiate
    from symgrad.parsing.interp import ApiError
    try:
        differentiate(text, [], limits=LIMITS)
    except (InputError, ApiError) as e:
        assert "\n" not in str(e).strip() or getattr(e, "multiline", False)
