"""The bundled knowledge base, read once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from hpgjournal.domain.knowledge import Knowledge, load_knowledge
from hpgjournal.paths import resources_dir

__all__ = ["default_knowledge"]


@lru_cache(maxsize=4)
def _load_cached(folder: str) -> Knowledge:
    return load_knowledge(Path(folder))


def default_knowledge() -> Knowledge:
    """The bundled knowledge base (read once per process)."""
    return _load_cached(str(resources_dir() / "knowledge"))
