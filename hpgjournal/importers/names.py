"""The names of the import formats, for ``--format`` (kept light: no reader is loaded here).

The registry in :mod:`hpgjournal.importers.formats` checks that it serves exactly these.
"""

from __future__ import annotations

FORMAT_NAMES: tuple[str, ...] = (
    "hpgjournal-json", "hpgjournal-labs", "function-health", "whoop", "wide", "packed", "long",
)
DATE_ORDER_CHOICES: tuple[str, ...] = ("auto", "mdy", "dmy", "ymd")
