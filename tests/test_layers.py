"""The import layers, checked rather than believed.

Walks every module's imports with :mod:`ast` (call-time imports included)
and asserts the allowed arrows between symgrad's packages, that nothing
below ``symgrad.eager.tensor`` imports it, and that the module graph has
no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("symgrad", "symgrad_cli")

# package (or top-level module) -> the packages it may import. Lower layers first.
ALLOWED: dict[str, set[str]] = {
    "_version": set(),
    "errors": set(),
    "dtypes": set(),
    "ops": {"errors", "dtypes"},
    "tape": {"ops", "errors", "dtypes"},
    "symbolic": {"ops", "errors", "dtypes"},
    "kernels": {"symbolic", "ops", "errors", "dtypes"},
    "eager": {"tape", "symbolic", "kernels", "ops", "errors", "dtypes"},
    "autograd": {"eager", "tape", "symbolic", "ops", "errors", "dtypes"},
    "random": {"eager", "tape", "dtypes", "errors"},
    "creation": {"random", "eager", "tape", "dtypes", "errors"},
    "func": {"autograd", "eager", "tape", "ops", "errors", "dtypes"},
    "nn": {"random", "eager", "tape", "ops", "errors", "dtypes", "func"},
    "optim": {"random", "eager", "tape", "errors", "dtypes", "ops"},
    "linalg": {"eager", "ops"},
    "checking": {"autograd", "eager", "kernels", "symbolic", "tape", "ops", "errors", "dtypes"},
    "parsing": {"eager", "tape", "errors", "dtypes"},
    "commands": {"parsing", "checking", "autograd", "creation", "func", "nn", "eager", "kernels",
                 "symbolic", "tape", "ops", "errors", "dtypes", "__init__"},
    "__init__": {"autograd", "creation", "func", "nn", "optim", "random", "checking", "eager",
                 "kernels", "symbolic",
                 "tape", "ops", "errors", "dtypes", "_version", "viz", "display"},
    # pictures and notebook reprs: above the engines and the check, below the commands
    "viz": {"checking", "autograd", "creation", "eager", "kernels", "symbolic", "tape", "ops",
            "errors", "dtypes"},
    "display": {"viz", "checking", "eager", "symbolic", "errors"},
    # torch.utils.benchmark: the standard library's timeit only; torch.utils.data: the
    # tensor engine, the creation functions and the random generator
    "utils": {"eager", "creation", "random", "dtypes"},
}


def _modules() -> dict[str, Path]:
    found = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every symgrad module ``name`` imports (a ``from X import y`` counts
    ``X.y`` when that is a module, else ``X``)."""
    is_pkg = path.name == "__init__.py"
    package = name if is_pkg else name.rpartition(".")[0]
    out = set()
    tree = ast.parse(path.read_text(), str(path))
    typing_only = {id(n) for block in ast.walk(tree) if _is_type_checking(block)
                   for n in ast.walk(block)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in MODULES else mod
                       for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in MODULES:
                t = t.rpartition(".")[0]
            if t and t != name:
                out.add(t)
    return out


def _is_type_checking(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` blocks hold annotations' imports, which never run."""
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) \
        and node.test.id == "TYPE_CHECKING"


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "symgrad_cli":
        return "symgrad_cli"
    return parts[1] if len(parts) > 1 else "__init__"


def test_the_walk_sees_imports() -> None:
    assert "symgrad.eager.tensor" in GRAPH["symgrad.eager.dispatch"]
    assert "symgrad.tape.engine" in GRAPH["symgrad.eager"]


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not m.startswith("symgrad_cli")))
def test_imports_follow_the_layers(module: str) -> None:
    mine = _layer(module)
    bad = sorted(t for t in GRAPH[module]
                 if not t.startswith("symgrad_cli") and _layer(t) != mine
                 and _layer(t) not in ALLOWED[mine])
    assert not bad, f"{module} ({mine}/) may not import {bad}; allowed: {sorted(ALLOWED[mine])}"


def test_cli_only_calls_commands() -> None:
    for module in (m for m in MODULES if m.startswith("symgrad_cli")):
        for t in GRAPH[module]:
            assert t.startswith("symgrad_cli") or _layer(t) in ("commands", "parsing", "errors",
                                                                 "_version", "__init__",
                                                                 "viz"), (module, t)


def test_tape_and_symbolic_never_meet() -> None:
    for module, targets in GRAPH.items():
        pair = {_layer(module)} | {_layer(t) for t in targets}
        if _layer(module) in ("tape", "symbolic"):
            assert not {"tape", "symbolic"} <= pair, (module, sorted(targets))


def test_nothing_below_the_tensor_imports_it() -> None:
    below = {"symgrad.eager.formatting", "symgrad.eager.culprit", "symgrad.eager.taping",
             "symgrad.eager.grad_events", "symgrad.eager.backward",
             "symgrad.eager.autograd_methods"}
    for module in below:
        assert "symgrad.eager.tensor" not in GRAPH[module], module
    for module, targets in GRAPH.items():
        if _layer(module) in ("tape", "symbolic", "kernels", "ops", "errors", "dtypes"):
            assert not any(_layer(t) == "eager" for t in targets), (module, sorted(targets))


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in GRAPH:
        if root in index:
            continue
        work = [(root, iter(sorted(GRAPH[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in GRAPH:
                    continue
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(GRAPH[w]))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_no_import_cycle() -> None:
    assert _cycles() == []


def test_a_cycle_would_be_found() -> None:
    GRAPH["symgrad.tape.storage"].add("symgrad.tape.engine")
    try:
        assert _cycles()
    finally:
        GRAPH["symgrad.tape.storage"].discard("symgrad.tape.engine")


def test_import_of_a_submodule_never_returns_a_function() -> None:
    """``import symgrad.X as m`` reads ``symgrad.X``: it must be the module (once
    ``import symgrad.tensor as m`` returned the function ``sg.tensor``)."""
    import importlib
    import sys
    import types
    for name in sorted(MODULES):
        if name.startswith("symgrad_cli") or name == "symgrad":
            continue
        mod = importlib.import_module(name)
        assert isinstance(mod, types.ModuleType)
        parent, _, last = name.rpartition(".")
        assert getattr(sys.modules[parent], last) is mod, f"symgrad attribute shadows {name}"
