"""Logging: a rotating file in the user log folder, warnings also on stderr (no Qt)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from hpgjournal.paths import log_dir


def log_file() -> Path:
    return log_dir() / "hpgjournal.log"


def setup_logging(*, to_file: bool = True) -> None:
    root = logging.getLogger("hpgjournal")
    if root.handlers:
        return
    root.setLevel(logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("hpgjournal: %(levelname)s: %(message)s"))
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
