"""The two home-made import-linter contracts (tests/import_contracts.py) see a planted violation.

A contract that never breaks proves nothing, so each one is run on a small package written here:
once as it should be, once with the import it must catch. The real package is checked by
``lint-imports`` in ./dev.sh test.
"""

from __future__ import annotations

import textwrap

import grimp
import pytest

from tests.import_contracts import (
    ProtectedSubmodulesContract,
    StandardLibraryOnlyContract,
    names_by_line,
)


def write_package(root, name, files):
    for relative, text in files.items():
        path = root / name / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def graph_of(tmp_path, monkeypatch, name, files):
    write_package(tmp_path, name, {"__init__.py": "", **files})
    monkeypatch.syspath_prepend(str(tmp_path))
    return grimp.build_graph(name, include_external_packages=True, cache_dir=None)


def widgets_contract(name):
    return ProtectedSubmodulesContract(
        "widgets", {}, {"protected_modules": ["PySide6.QtWidgets"],
                        "allowed_importers": [f"{name}.ui"]})


def test_every_spelling_of_a_submodule_import_is_read(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("from PySide6 import QtWidgets\nimport PySide6.QtWidgets as w\n"
                    "from PySide6.QtWidgets import (\n    QWidget,\n)\n"
                    "def f():\n    from .x import y\n")
    lines = names_by_line(path)
    assert "PySide6.QtWidgets" in lines[1]
    assert lines[2] == ("PySide6.QtWidgets",)
    assert lines[3] == ("PySide6.QtWidgets", "PySide6.QtWidgets.QWidget")
    assert 7 not in lines  # relative imports are internal


@pytest.mark.parametrize(("n", "spelling"), list(enumerate([
    "from PySide6.QtWidgets import QWidget",
    "from PySide6 import QtGui, QtWidgets",
    "def later():\n    import PySide6.QtWidgets",
])))
def test_a_widget_import_below_ui_breaks_the_contract(tmp_path, monkeypatch, n, spelling):
    name = f"planted_widgets_{n}"  # one package name per case: the file lookup is cached by name
    graph = graph_of(tmp_path, monkeypatch, name, {
        "ui/__init__.py": "from PySide6.QtWidgets import QWidget\n",
        "report/__init__.py": "from PySide6.QtGui import QPainter\n" + spelling + "\n",
    })
    check = widgets_contract(name).check(graph, verbose=False)
    assert not check.kept
    assert [(link["importer"], link["imported"]) for link in check.metadata["links"]] == [
        (f"{name}.report", "PySide6.QtWidgets")]


def test_qtgui_below_ui_and_widgets_in_ui_keep_the_contract(tmp_path, monkeypatch):
    graph = graph_of(tmp_path, monkeypatch, "kept_widgets", {
        "ui/__init__.py": "from PySide6.QtWidgets import QWidget\n",
        "ui/deep.py": "from PySide6 import QtWidgets\n",
        "report/__init__.py": "from PySide6.QtGui import QPainter\nimport PySide6.QtCore\n",
    })
    assert widgets_contract("kept_widgets").check(graph, verbose=False).kept


def test_a_third_party_import_in_the_domain_breaks_the_contract(tmp_path, monkeypatch):
    graph = graph_of(tmp_path, monkeypatch, "planted_domain", {
        "domain/__init__.py": "import json\nfrom . import values\n",
        "domain/values.py": "import math\n\ndef f():\n    import numpy\n",
        "store.py": "import pandas\n",  # outside the checked package: allowed
    })
    contract = StandardLibraryOnlyContract("domain", {}, {"source_modules": ["planted_domain.domain"]})
    check = contract.check(graph, verbose=False)
    assert not check.kept
    assert check.metadata["links"] == [
        {"importer": "planted_domain.domain.values", "imported": "numpy", "line": 4}]


def test_the_standard_library_and_first_party_keep_the_domain_contract(tmp_path, monkeypatch):
    graph = graph_of(tmp_path, monkeypatch, "kept_domain", {
        "domain/__init__.py": "from __future__ import annotations\nimport json, tomllib\n"
                              "from kept_domain.domain import values\n",
        "domain/values.py": "import math\n",
    })
    contract = StandardLibraryOnlyContract("domain", {}, {"source_modules": ["kept_domain.domain"]})
    assert contract.check(graph, verbose=False).kept
