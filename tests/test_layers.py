"""The layer rules of DESIGN.md section 2, checked on the source (no import side effects)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "hpgjournal"
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2")
# Which first-party packages each layer may import (DESIGN.md: ui -> report -> charts ->
# services | commands -> store -> domain; nothing points up). The charts draw plain data: they
# never read the store (issue 20); the services read it for them and for the report. The
# commands are every edit of the journal, below Qt, for the window and the command line.
ALLOWED_INTERNAL = {
    "domain": {"domain"},
    "store": {"domain", "store", "paths"},
    "importers": {"domain", "store", "importers", "paths"},
    "services": {"domain", "store", "services", "paths"},
    "commands": {"domain", "store", "commands"},
    "charts": {"domain", "services", "importers", "charts", "paths"},
    "report": {"domain", "store", "services", "importers", "charts", "report", "paths"},
}


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def layer_files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def test_every_layer_exists():
    for layer in ("domain", "store", "importers", "services", "commands", "charts", "report",
                  "ui"):
        assert (PACKAGE / layer / "__init__.py").exists(), layer


@pytest.mark.parametrize("layer", ["domain", "store", "importers", "services", "commands",
                                   "charts", "report"])
def test_no_qtwidgets_below_ui(layer):
    for path in layer_files(layer):
        for name in imports_of(path):
            if layer == "report" and name.startswith(("PySide6.QtGui", "PySide6.QtCore",
                                                      "PySide6.QtPrintSupport")):
                continue  # the report may print with QtGui, never with widgets
            assert not name.startswith(QT), f"{path.relative_to(PACKAGE)} imports {name}"


@pytest.mark.parametrize("layer", ["domain", "store", "importers", "services", "commands"])
def test_no_qt_at_all_in_core_layers(layer):
    for path in layer_files(layer):
        for name in imports_of(path):
            assert not name.startswith(QT), f"{path.relative_to(PACKAGE)} imports {name}"


def test_domain_uses_only_the_standard_library():
    stdlib = sys.stdlib_module_names
    for path in layer_files("domain"):
        for name in imports_of(path):
            top = name.split(".")[0]
            if top == "hpgjournal":
                continue
            assert top in stdlib or top == "__future__", \
                f"{path.relative_to(PACKAGE)} imports {name}, outside the standard library"


@pytest.mark.parametrize("layer", sorted(ALLOWED_INTERNAL))
def test_layers_point_down_only(layer):
    for path in layer_files(layer):
        for name in imports_of(path):
            parts = name.split(".")
            if parts[0] != "hpgjournal" or len(parts) < 2:
                continue
            assert parts[1] in ALLOWED_INTERNAL[layer], \
                f"{path.relative_to(PACKAGE)} imports {name}: {layer} must not depend on {parts[1]}"


def test_the_checker_sees_a_violation(tmp_path):
    """The walker itself must catch a Qt import, or every test above passes vacuously."""
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtWidgets import QWidget\nimport pandas as pd\n")
    assert imports_of(bad) == ["PySide6.QtWidgets", "pandas"]


def test_no_network_modules_in_the_product():
    banned = ("urllib.request", "http.client", "requests", "httpx", "socket.create_connection",
              "aiohttp", "ftplib", "smtplib")
    for path in PACKAGE.rglob("*.py"):
        for name in imports_of(path):
            assert not name.startswith(banned), f"{path.relative_to(PACKAGE)} imports {name}"


# ------------------------------------------------------------------------------ the sealed store
# Issue 20: SQL and sqlite3 stay inside hpgjournal/store. A file that still had to reach past
# it would be listed here until moved behind a Journal method; none is left.
SQL_LEAKS_PENDING: set[str] = set()


def sql_leaks(path: Path) -> list[str]:
    """What a module does that only the store may: import sqlite3, touch a ``.conn``
    or ``._conn`` attribute, or call ``execute``/``executemany``/``executescript`` on anything."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        where = f"line {getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            found += [f"{where}: import {a.name}" for a in node.names
                      if a.name.split(".")[0] == "sqlite3"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlite3":
            found.append(f"{where}: from {node.module} import")
        elif isinstance(node, ast.Attribute) and node.attr in ("conn", "_conn"):
            found.append(f"{where}: .{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("execute", "executemany", "executescript"):
            found.append(f"{where}: .{node.func.attr}(...)")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id == "__import__" and node.args and \
                isinstance(node.args[0], ast.Constant) and node.args[0].value == "sqlite3":
            found.append(f"{where}: __import__('sqlite3')")
    return found


def outside_the_store() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py")
                  if p.relative_to(PACKAGE).parts[0] != "store")


def test_no_sql_outside_the_store():
    leaks = {str(p.relative_to(PACKAGE)): sql_leaks(p) for p in outside_the_store()}
    found = {name: what for name, what in leaks.items() if what and name not in SQL_LEAKS_PENDING}
    assert not found, f"only hpgjournal/store may use SQL or sqlite3 (add a Journal method): {found}"


def test_pending_sql_leaks_are_still_there():
    """A file on the pending list that is clean now must leave the list, so it stays clean."""
    for name in sorted(SQL_LEAKS_PENDING):
        assert sql_leaks(PACKAGE / name), f"{name} no longer uses SQL: drop it from SQL_LEAKS_PENDING"


def test_the_sql_checker_sees_a_violation(tmp_path):
    """The walker must catch each kind of leak, or the tests above pass vacuously."""
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlite3\nfrom sqlite3 import IntegrityError\n"
                   "def f(journal):\n"
                   "    journal.conn.execute('DELETE FROM notes')\n"
                   "    c = journal.conn\n"
                   "    c.executemany('INSERT', [])\n"
                   "    __import__('sqlite3')\n")
    assert sorted(sql_leaks(bad)) == ["line 1: import sqlite3", "line 2: from sqlite3 import",
                              "line 4: .conn", "line 4: .execute(...)", "line 5: .conn",
                              "line 6: .executemany(...)", "line 7: __import__('sqlite3')"]
    good = tmp_path / "good.py"
    good.write_text("import sqlite3_utils_like\ndef f(journal):\n    journal.connect = 1\n")
    assert sql_leaks(good) == []
    assert any(p.name == "plan.py" for p in outside_the_store())
    assert not any(p.relative_to(PACKAGE).parts[0] == "store" for p in outside_the_store())


def test_the_charts_never_name_the_store():
    """Not even under TYPE_CHECKING or inside a function: the charts take plain data."""
    for path in layer_files("charts"):
        for name in imports_of(path):
            assert not name.startswith("hpgjournal.store"), \
                f"{path.relative_to(PACKAGE)} imports {name}"
