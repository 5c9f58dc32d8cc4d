"""Where the journal, logs and bundled resources live (no Qt)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hpgjournal import APP_NAME

JOURNAL_SUFFIX = ".hpgjournal"


def resources_dir() -> Path:
    """The folder holding the knowledge base, icons and demo recipe.

    A frozen (PyInstaller) app carries it next to the code; a checkout has it at the top level.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def data_dir() -> Path:
    """The user's data folder (``HPGJOURNAL_DATA_DIR`` overrides it, e.g. for tests)."""
    override = os.environ.get("HPGJOURNAL_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    override = os.environ.get("HPGJOURNAL_DATA_DIR")
    if override:
        return Path(override) / "logs"
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_journal() -> Path:
    return data_dir() / f"journal{JOURNAL_SUFFIX}"


def backup_dir(journal: Path) -> Path:
    """Backups of a journal sit in a folder beside it."""
    return journal.parent / "backups"
