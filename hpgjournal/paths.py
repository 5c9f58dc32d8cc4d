"""Where the journal, logs and bundled resources live (no Qt)."""

from __future__ import annotations

import os
from pathlib import Path

from hpgjournal import APP_NAME

JOURNAL_SUFFIX = ".hpgjournal"


def resources_dir() -> Path:
    """The folder holding the knowledge base, icons and demo recipe (``hpgjournal/resources``).

    It sits beside this module in a checkout, an editable install, an installed wheel and the
    PyInstaller bundle (which collects it as ``hpgjournal/resources``) alike; the package is
    never run from a zip file. Found from ``__file__`` rather than ``importlib.resources``,
    which would load its readers and ``zipfile`` at every start (issue 17).
    """
    root = Path(__file__).parent / "resources"
    if not root.is_dir():
        raise RuntimeError(
            f"hpgjournal's resources are missing ({root}): the installation is incomplete; "
            "reinstall hpgjournal")
    return root


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
