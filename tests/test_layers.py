"""The layers stay apart: the domain is pure, and quick commands load no heavy libraries."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tracker"


def loaded_modules(*args: str) -> set[str]:
    """Every module a `python -X importtime ARGS` run imported."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def top_level(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


def test_domain_loads_neither_textual_nor_sqlalchemy() -> None:
    code = "import tracker.domain.models, tracker.domain.rules, tracker.domain.when"
    loaded = top_level(loaded_modules("-c", code))
    assert "tracker" in loaded
    assert not loaded & {"textual", "sqlalchemy", "sqlmodel", "pydantic", "alembic"}


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_load_no_textual_and_no_database_layer(flag: str) -> None:
    loaded = top_level(loaded_modules("-m", "tracker", flag))
    assert "tracker" in loaded
    assert not loaded & {"textual", "sqlalchemy", "sqlmodel", "pydantic", "alembic"}


def test_reading_commands_load_no_textual(tmp_path: Path) -> None:
    import os

    env_db = str(tmp_path / "t.db")
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tracker", "--db", env_db, "next"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TZ": "UTC"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    loaded = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in proc.stderr.splitlines()
        if "|" in line
    }
    assert "textual" not in loaded


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("domain", ("textual", "sqlalchemy", "sqlmodel", "pydantic", "alembic", "tracker.store",
                    "tracker.ui", "tracker.cli", "sqlite3", "os", "pathlib", "socket")),
        ("store", ("textual", "tracker.ui", "tracker.cli")),
    ],
)  # fmt: skip
def test_layers_import_only_downward(layer: str, forbidden: tuple[str, ...]) -> None:
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imports_of(path):
            assert not any(name == f or name.startswith(f + ".") for f in forbidden), (
                f"{path.relative_to(PACKAGE)} imports {name}"
            )


def test_no_network_code() -> None:
    network = ("socket", "urllib", "http", "requests", "httpx", "ftplib", "smtplib", "ssl")
    for path in sorted(PACKAGE.rglob("*.py")):
        for name in imports_of(path):
            assert name.split(".")[0] not in network, f"{path.relative_to(PACKAGE)} imports {name}"


def test_reads_need_no_sqlalchemy() -> None:
    """The reader stands on tracker.store.files (the standard library's sqlite3) alone."""
    code = (
        "import sys, tracker.store.reader, tracker.store.backup; "
        "print(' '.join(sorted(m for m in sys.modules)))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = set(proc.stdout.split())
    assert "tracker.store.files" in loaded
    assert not top_level(loaded) & {"sqlalchemy", "sqlmodel", "pydantic", "alembic", "textual"}
    heavy = {"database", "repository", "schema", "inputs", "transfer", "maintenance"}
    assert not loaded & {f"tracker.store.{name}" for name in heavy}


def test_reading_an_existing_file_loads_no_sqlalchemy(tmp_path: Path) -> None:
    import os

    db = str(tmp_path / "t.db")
    env = {**os.environ, "TZ": "UTC"}
    made = subprocess.run(
        [sys.executable, "-m", "tracker", "--db", db, "settings", "weekly_goal", "3"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    for command in ("next", "progress", "history", "ladder"):
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "tracker", "--db", db, command],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        loaded = {
            line.rsplit("|", 1)[1].strip().split(".")[0]
            for line in proc.stderr.splitlines()
            if "|" in line
        }
        assert not loaded & {"sqlalchemy", "sqlmodel", "alembic", "textual"}, command


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.stmt) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(node: ast.Import | ast.ImportFrom, package: str) -> set[str]:
    """The modules an import statement names (for `from A import B`: A, and A.B in
    case B is a module)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    base = node.module or ""
    if node.level:
        parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
        base = ".".join([*parent, base] if base else parent)
    return {base} | {f"{base}.{alias.name}" for alias in node.names}


def _imports_at_import_time(path: Path) -> set[str]:
    """What importing the module runs: its top-level imports (outside `if TYPE_CHECKING`),
    and the imports inside the functions it calls at top level."""
    tree = ast.parse(path.read_text(), filename=str(path))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    functions = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    found: set[str] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.update(_imported(node, package))
            elif isinstance(node, ast.If) and not _is_type_checking(node):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                visit(node.orelse)
                visit(node.finalbody)
                for handler in node.handlers:
                    visit(handler.body)
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                called = node.value.func
                if isinstance(called, ast.Name) and called.id in functions:
                    body = functions[called.id].body
                    found.update(
                        n
                        for inner in body
                        for sub in ast.walk(inner)
                        if isinstance(sub, ast.Import | ast.ImportFrom)
                        for n in _imported(sub, package)
                    )

    visit(tree.body)
    return found


def import_graph() -> dict[str, set[str]]:
    """tracker's modules, each with the tracker modules importing it loads at once."""
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: {m for m in _imports_at_import_time(path) if m in paths and m != name}
        for name, path in paths.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def test_cycles_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    """No two of tracker's modules need each other when they are imported."""
    assert cycles(import_graph()) == []


def test_every_import_inside_a_function_says_why() -> None:
    """An import inside a function keeps a heavy library off a path that does not need
    it (or orders start-up work); a short comment on it, or just above it, says so."""
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = path.read_text().splitlines()
        tree = ast.parse("\n".join(lines), filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    end = node.end_lineno or node.lineno
                    near = lines[node.lineno - 2 : end]
                    if not any("#" in line for line in near):
                        unexplained.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert unexplained == []
