"""hpgjournal: a private desktop journal of hormone labs, doses and therapy phases."""

from __future__ import annotations

__version__ = "0.1.0"
APP_NAME = "hpgjournal"
APP_TITLE = "HPG Journal"
APP_ID = "io.github.hpgjournal.HPGJournal"
