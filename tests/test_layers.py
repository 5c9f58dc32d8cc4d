"""The layer rules of DESIGN.md section 2, checked on the source (no import side effects)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "hpgjournal"
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2")
# Which first-party packages each layer may import (DESIGN.md: ui -> report -> charts ->
# services -> store -> domain; nothing points up). The charts draw plain data: they never
# read the store (issue 20); the services read it for them and for the report.
ALLOWED_INTERNAL = {
    "domain": {"domain"},
    "store": {"domain", "store", "paths"},
    "importers": {"domain", "store", "importers", "paths"},
    "services": {"domain", "store", "services", "paths"},
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
    for layer in ("domain", "store", "importers", "services", "charts", "report", "ui"):
        assert (PACKAGE / layer / "__init__.py").exists(), layer


@pytest.mark.parametrize("layer", ["domain", "store", "importers", "services", "charts",
                                   "report"])
def test_no_qtwidgets_below_ui(layer):
    for path in layer_files(layer):
        for name in imports_of(path):
            if layer == "report" and name.startswith(("PySide6.QtGui", "PySide6.QtCore",
                                                      "PySide6.QtPrintSupport")):
                continue  # the report may print with QtGui, never with widgets
            assert not name.startswith(QT), f"{path.relative_to(PACKAGE)} imports {name}"


@pytest.mark.parametrize("layer", ["domain", "store", "importers", "services"])
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


def test_the_charts_never_name_the_store():
    """Not even under TYPE_CHECKING or inside a function: the charts take plain data."""
    for path in layer_files("charts"):
        for name in imports_of(path):
            assert not name.startswith("hpgjournal.store"), \
                f"{path.relative_to(PACKAGE)} imports {name}"
