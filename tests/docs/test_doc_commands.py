"""The command-line sessions in docs/*.md run, and print what the page says.

A fenced block whose first line starts with ``$ `` is a terminal session:
``$ symgrad ARGS`` (or ``$ printf '...' | symgrad ARGS``) lines, each
followed by what it prints (standard output and error, as a terminal shows
them). The ``>>>`` examples of the same pages run as doctests.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from symgrad.viz import render
from symgrad_cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SEED = ROOT / "tests" / "seed" / "programs"
_BLOCK = re.compile(r"^```[\w-]*\n(.*?)^```", re.M | re.S)


@dataclass(frozen=True)
class Command:
    page: str
    line: str
    expected: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.page}: {self.line}"


def sessions() -> list[Command]:
    found = []
    for page in sorted(DOCS.glob("*.md")):
        for block in _BLOCK.findall(page.read_text(encoding="utf-8")):
            lines = block.splitlines()
            if not lines or not lines[0].startswith("$ "):
                continue
            current: list[str] | None = None
            for line in lines:
                if line.startswith("$ "):
                    if current is not None:
                        found.append(Command(page.name, current[0], tuple(current[1:])))
                    current = [line[2:]]
                else:
                    assert current is not None
                    current.append(line)
            if current is not None:
                found.append(Command(page.name, current[0], tuple(current[1:])))
    return found


COMMANDS = sessions()


def _skip_reason(cmd: Command) -> str | None:
    if any("time limit of" in line for line in cmd.expected):
        return "runs until its time limit"
    words = shlex.split(cmd.line)
    if "plot" in words and importlib.util.find_spec("matplotlib") is None:
        return "needs matplotlib (pip install -e \".[plot]\")"
    if any(w.endswith((".svg", ".png")) for w in words) and "plot" not in words \
            and render.missing() is not None:
        return render.missing()
    return None


def _parse(line: str) -> tuple[list[str], str | None]:
    stdin = None
    if "|" in line:
        producer, line = (part.strip() for part in line.split("|", 1))
        words = shlex.split(producer)
        assert words[0] == "printf" and len(words) == 2, producer
        stdin = words[1].encode().decode("unicode_escape")
    words = shlex.split(line)
    assert words[0] == "symgrad", line
    return words[1:], stdin


def test_the_pages_have_sessions() -> None:
    pages = {c.page for c in COMMANDS}
    assert {"cli.md", "tutorial.md", "pictures.md", "index.md"} <= pages


@pytest.mark.parametrize("cmd", COMMANDS, ids=str)
def test_the_command_prints_what_the_page_says(cmd: Command, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    reason = _skip_reason(cmd)
    if reason:
        pytest.skip(reason)
    for program in SEED.glob("*.py"):
        shutil.copy(program, tmp_path / program.name)
    monkeypatch.chdir(tmp_path)
    args, stdin = _parse(cmd.line)
    result = CliRunner().invoke(cli, args, input=stdin, prog_name="symgrad")
    assert "Traceback" not in result.output
    got = [line.rstrip() for line in result.output.rstrip("\n").splitlines()]
    want = [line.rstrip() for line in "\n".join(cmd.expected).rstrip("\n").splitlines()]
    assert got == want
