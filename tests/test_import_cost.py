"""Issue 17: what a module costs when it is imported, which every start of the window pays."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "hpgjournal"


def _is_dataclass(node: ast.ClassDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Name) and target.id == "dataclass":
            return True
    return False


def test_every_dataclass_has_its_own_docstring() -> None:
    """Python 3.11 writes a docstring for a dataclass that has none from inspect.signature,
    which about doubles the cost of making the class at import (0.5 ms more a class here;
    the window's start makes about thirty)."""
    missing = [f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}"
               for path in sorted(PACKAGE.rglob("*.py"))
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.ClassDef) and _is_dataclass(node)
               and ast.get_docstring(node) is None]
    assert missing == [], "dataclasses without a docstring:\n" + "\n".join(missing)


def test_the_checker_sees_a_dataclass_without_a_docstring(tmp_path: Path) -> None:
    tree = ast.parse("@dataclass(frozen=True)\nclass A:\n    x: int\n\n"
                     "@dataclass\nclass B:\n    '''doc'''\n    y: int\n")
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    assert [_is_dataclass(node) for node in classes] == [True, True]
    assert [ast.get_docstring(node) for node in classes] == [None, "doc"]


def _make(documented: bool) -> None:
    for _ in range(3):
        if documented:
            @dataclass(frozen=True)
            class WithDoc:
                """A record."""
                a: int
                b: str = ""
        else:
            @dataclass(frozen=True)
            class WithoutDoc:
                a: int
                b: str = ""


def test_the_docstring_is_what_makes_the_class_cheaper() -> None:
    """The reason for the rule above (not a timing): only a class without a docstring has
    inspect.signature called on it."""
    import inspect
    from unittest import mock

    with mock.patch.object(inspect, "signature", wraps=inspect.signature) as signature:
        _make(documented=True)
        assert signature.call_count == 0
        _make(documented=False)
        assert signature.call_count > 0
