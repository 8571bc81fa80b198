"""Every snippet of the golden corpus (``tests/corpus``), run through ``symgrad run``,
prints what PyTorch 2.13 printed.

The corpus test runs each snippet in-process with ``torch`` bound to symgrad; this
one runs it through the CLI's whitelist interpreter instead (``symgrad run
--no-formulas``, in-process with click's runner). What is compared:

* stdout, normalised as the corpus normalises it, equals the ``.out`` without its
  warning lines and, when the snippet raised, without its last line;
* each warning (``UserWarning: ...``) comes out on stderr, in order, after the
  ``file, line N:`` the CLI puts before it;
* when the snippet raised, the CLI exits 1 and its error names the same
  ``ExceptionType: message`` (the CLI may add lines after it, e.g. which in-place op
  bumped a version).

Snippets in :data:`PENDING` need something ``symgrad run`` does not accept yet;
they are strict xfails, so each one fails once it passes until it leaves the list.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_helpers import invoke

from tests.corpus.harness import normalise, pending, snippet_paths

PATHS = snippet_paths()

# snippet -> what `symgrad run` lacks for it
PENDING: dict[str, str] = {
}
# the corpus's own pending snippets (float32 rounding of MKL) fail here for the same reason
PENDING.update({name: f"corpus pending: {why}" for name, why in pending().items()})

_WARNING = re.compile(r"^\w*Warning: ")
_CLI_WARNING = re.compile(r"^.*?, line \d+: (\w*Warning: .*)$")


def _param(path: Path):  # noqa: ANN202  (a pytest ParameterSet)
    why = PENDING.get(path.stem)
    marks = [pytest.mark.xfail(strict=True, reason=f"pending: {why}")] if why else []
    return pytest.param(path, id=path.stem, marks=marks)


def run_and_compare(path: Path) -> None:
    """Run ``path`` through ``symgrad run`` and assert it printed the recorded output."""
    r = invoke("run", "--no-formulas", "--timeout", "60", str(path))
    assert "Traceback" not in r.output, r.output
    lines = path.with_suffix(".out").read_text().splitlines(keepends=True)
    expected_warnings = [ln.rstrip("\n") for ln in lines if _WARNING.match(ln)]
    body = [ln for ln in lines if not _WARNING.match(ln)]
    stderr = r.stderr.splitlines()
    # the corpus records what PyTorch says to users (UserWarning); the CLI also passes on
    # NumPy's floating-point RuntimeWarnings, which PyTorch never gives
    warnings = [normalise(m.group(1)) for m in map(_CLI_WARNING.match, stderr)
                if m and not m.group(1).startswith("RuntimeWarning: ")]
    if r.exit_code == 1:
        assert body, f"the snippet failed, PyTorch's did not:\n{r.stderr}"
        raised = body.pop().rstrip("\n")
        assert raised in normalise(r.stderr).splitlines(), (raised, r.stderr)
    else:
        assert r.exit_code == 0, r.output
    assert normalise(r.stdout) == "".join(body)
    assert warnings == expected_warnings


@pytest.mark.parametrize("path", [_param(p) for p in PATHS])
def test_symgrad_run_prints_what_pytorch_printed(path: Path) -> None:
    run_and_compare(path)


def test_pending_list_is_short_and_names_real_snippets() -> None:
    names = {p.stem for p in PATHS}
    assert set(PENDING) <= names
    assert len(PATHS) - len(PENDING) >= 175
