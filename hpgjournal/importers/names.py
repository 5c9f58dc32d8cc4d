"""The names of the import formats, for ``--format``, and their labels (kept light: no reader
is loaded here).

The registry in :mod:`hpgjournal.importers.formats` checks that it serves exactly these.
"""

from __future__ import annotations

from hpgjournal.domain.kinds import KINDS
from hpgjournal.domain.records import LabResult

# What each format is, in the words a user reads (the window's format list, the help of
# ``--format``, the per-file line of ``import``); the formats' own ``label``.
FORMAT_LABELS: dict[str, str] = {
    "hpgjournal-json": "hpgjournal export (JSON)",
    "hpgjournal-labs": "hpgjournal lab results export (CSV)",
    "function-health": "Function Health results (JSON)",
    "fhir": "FHIR lab results (JSON bundle, observation or NDJSON bulk export)",
    "apple-health": "Apple Health export (export.zip with Health Records)",
    "ccda": "C-CDA document (XML: CCD, portal record, MyChart IHE-XDM zip)",
    "whoop": "WHOOP Advanced Labs biomarker CSV",
    "wide": "Wide table (one row per date, one column per marker)",
    "packed": "Long table, value and unit in one cell",
    "long": "Long table (one result per row)",
    "lab-pdf": "Lab report PDF (its text: Quest, Labcorp, European labs)",
}
FORMAT_NAMES: tuple[str, ...] = tuple(FORMAT_LABELS)
# A lab report PDF's rows keep the line they were read from, and its page, under these names
# (the import preview shows them beside each row).
PDF_FORMAT = "lab-pdf"
PDF_LINE = "PDF line"
PDF_PAGE = "page"
DATE_ORDER_CHOICES: tuple[str, ...] = ("auto", "mdy", "dmy", "ymd")

# Tables of an ``export all`` document imported besides the lab results, in writing order
# (medications before the doses that point to them).
OTHER_TABLES: tuple[str, ...] = tuple(k.export_name for k in KINDS
                                      if k.batched and k.record is not LabResult)
