"""Shared by the packaging tests: paths and loading the scripts in packaging/ (not a package)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"


def load_script(relative: str) -> ModuleType:
    """Import a file under packaging/ by path (``packaging`` is also a PyPI package's name)."""
    path = PACKAGING / relative
    spec = importlib.util.spec_from_file_location(f"hpgjournal_packaging_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
