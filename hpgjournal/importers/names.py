"""The names of the import formats, for ``--format`` (kept light: no reader is loaded here).

The registry in :mod:`hpgjournal.importers.formats` checks that it serves exactly these.
"""

from __future__ import annotations

FORMAT_NAMES: tuple[str, ...] = (
    "hpgjournal-json", "hpgjournal-labs", "function-health", "whoop", "wide", "packed", "long",
)
DATE_ORDER_CHOICES: tuple[str, ...] = ("auto", "mdy", "dmy", "ymd")

# Tables of an ``export all`` document imported besides the lab results, in writing order
# (medications before the doses that point to them).
OTHER_TABLES: tuple[str, ...] = ("medications", "doses", "phases", "notes", "measures",
                                 "questionnaires")
