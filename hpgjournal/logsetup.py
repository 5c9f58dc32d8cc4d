"""Logging: a rotating file in the user log folder, warnings also on stderr (no Qt)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from hpgjournal.paths import log_dir


def log_file() -> Path:
    return log_dir() / "hpgjournal.log"


FILE_ONLY = {"file_only": True}  # ``extra=`` for a record the console must not show


class _Console(logging.Formatter):
    """One line a user can read: no traceback (that goes to the log file only)."""

    def format(self, record: logging.LogRecord) -> str:
        return f"hpgjournal: {record.levelname.lower()}: {record.getMessage()}"


def setup_logging(*, to_file: bool = True) -> None:
    root = logging.getLogger("hpgjournal")
    if root.handlers:
        return
    root.setLevel(logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(_Console())
    console.addFilter(lambda record: not getattr(record, "file_only", False))
    root.addHandler(console)
    if to_file:
        try:
            log_dir().mkdir(parents=True, exist_ok=True, mode=0o700)
            handler = logging.handlers.RotatingFileHandler(
                log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        except OSError as exc:
            root.warning("cannot write the log file in %s: %s", log_dir(), exc)
            return
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
