"""Logging: a rotating file in the user log folder, warnings also on stderr (no Qt)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from hpgjournal.paths import log_dir


def log_file() -> Path:
    return log_dir() / "hpgjournal.log"


FILE_ONLY = {"file_only": True}  # ``extra=`` for a record the console must not show
MAX_BYTES = 1_000_000  # a log file is at most about this long ...
KEEP = 3  # ... and the three before it are kept: hpgjournal.log.1 (the newest) to .3


class _RotatingFile(logging.FileHandler):
    """The log file, moved aside to ``.1`` (and ``.1`` to ``.2`` ...) before a record would take
    it past ``MAX_BYTES``: what ``logging.handlers.RotatingFileHandler`` does, without loading
    that module (and the socket, pickle and queue modules it imports) at every start."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            stream = self.stream if self.stream is not None else self._open()
            self.stream = stream
            if stream.tell() and stream.tell() + len(text) + 1 > MAX_BYTES:
                self._rotate()
        except Exception:  # as logging's own handlers do: a log never stops the app
            self.handleError(record)
            return
        super().emit(record)

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        for number in range(KEEP - 1, 0, -1):
            if os.path.exists(f"{base}.{number}"):
                os.replace(f"{base}.{number}", f"{base}.{number + 1}")
        os.replace(base, f"{base}.1")
        self.stream = self._open()


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
            handler = _RotatingFile(log_file(), encoding="utf-8")
        except OSError as exc:
            root.warning("cannot write the log file in %s: %s", log_dir(), exc)
            return
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
