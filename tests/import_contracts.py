"""Two import-linter contract types that the built-in ones cannot express.

import-linter knows an external package only by its top name (``PySide6``, never
``PySide6.QtWidgets``), so its ``forbidden`` and ``protected`` contracts cannot say "the report may
paint with ``PySide6.QtGui`` but never build a widget", nor "the domain imports only the standard
library" without listing every third-party package by hand. These two contracts read the import
line that the graph points at to get the full dotted name, and compare top names with
``sys.stdlib_module_names``. They are registered in ``pyproject.toml``
(``[tool.importlinter] contract_types``); ``lint-imports`` finds this module because it runs from
the repository root. tests/test_import_contracts.py plants a violation for each.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from functools import cache
from pathlib import Path
from typing import Any

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output
from importlinter.domain.helpers import module_expressions_to_modules


@cache
def _package_dirs(root: str) -> tuple[Path, ...]:
    spec = importlib.util.find_spec(root)  # a top-level name: found, not imported
    if spec is None or not spec.submodule_search_locations:
        return ()
    return tuple(Path(p) for p in spec.submodule_search_locations)


def source_file(module: str) -> Path | None:
    """The file of an internal module, found on disk without importing anything."""
    root, _, rest = module.partition(".")
    for base in _package_dirs(root):
        here = base.joinpath(*rest.split(".")) if rest else base
        for candidate in (here.with_suffix(".py"), here / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


@cache
def names_by_line(path: Path) -> dict[int, tuple[str, ...]]:
    """Every absolute dotted name an import statement brings in, by the statement's first line.

    ``from PySide6 import QtWidgets`` gives ``PySide6`` and ``PySide6.QtWidgets``;
    ``from PySide6.QtWidgets import QWidget`` gives ``PySide6.QtWidgets`` and
    ``PySide6.QtWidgets.QWidget``. Imports inside functions count like the others.
    """
    found: dict[int, list[str]] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.setdefault(node.lineno, []).extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = found.setdefault(node.lineno, [])
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return {line: tuple(names) for line, names in found.items()}


def _is_within(name: str, module: str) -> bool:
    return name == module or name.startswith(module + ".")


def _render_links(links: list[dict[str, Any]]) -> None:
    for link in links:
        output.print_error(f"- {link['importer']} -> {link['imported']} (l.{link['line']})",
                           bold=False)
        output.new_line()


class ProtectedSubmodulesContract(Contract):
    """Only ``allowed_importers`` (and what they contain) import ``protected_modules``.

    ``protected_modules`` are full dotted names inside external packages (``PySide6.QtWidgets``,
    ``matplotlib.backends.backend_qtagg``); a module's submodules are protected with it. Only
    direct imports are looked at: an internal module that passes a widget on would itself be
    one of the importers checked.
    """

    type_name = "protected_submodules"

    protected_modules = fields.ListField(subfield=fields.StringField())
    allowed_importers = fields.ListField(subfield=fields.ModuleExpressionField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        protected: list[str] = list(self.protected_modules)  # type: ignore[call-overload]
        allowed = {m.name for m in module_expressions_to_modules(
            graph, self.allowed_importers, as_packages=True)}  # type: ignore[arg-type]
        tops = {name.split(".")[0] for name in protected}
        links = []
        for top in sorted(tops & graph.modules):
            for importer in sorted(graph.find_modules_that_directly_import(top)):
                if importer in allowed:
                    continue
                path = source_file(importer)
                lines = names_by_line(path) if path else {}
                for detail in graph.get_import_details(importer=importer, imported=top):
                    hits = [p for p in protected
                            if any(_is_within(n, p) for n in lines.get(detail["line_number"], ()))]
                    for hit in hits:
                        output.verbose_print(verbose, f"{importer} imports {hit}")
                        links.append({"importer": importer, "imported": hit,
                                      "line": detail["line_number"]})
        return ContractCheck(kept=not links, metadata={"links": links})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print("Only these may import it: " + ", ".join(
            str(m) for m in self.allowed_importers))  # type: ignore[attr-defined]
        output.new_line()
        _render_links(check.metadata["links"])


class StandardLibraryOnlyContract(Contract):
    """``source_modules`` (and what they contain) import only the standard library from outside."""

    type_name = "standard_library_only"

    source_modules = fields.ListField(subfield=fields.ModuleExpressionField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        sources = {m.name for m in module_expressions_to_modules(
            graph, self.source_modules, as_packages=True,  # type: ignore[arg-type]
            raise_if_unmatched=True)}
        stdlib = sys.stdlib_module_names | {"__future__"}
        links = []
        for importer in sorted(sources):
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                # the graph keeps an external package as one squashed module, an internal never
                if not graph.is_module_squashed(imported) or imported.split(".")[0] in stdlib:
                    continue
                for detail in graph.get_import_details(importer=importer, imported=imported):
                    links.append({"importer": importer, "imported": imported,
                                  "line": detail["line_number"]})
        return ContractCheck(kept=not links, metadata={"links": links})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print("Outside the standard library:")
        output.new_line()
        _render_links(check.metadata["links"])
