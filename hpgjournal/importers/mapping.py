"""Which column holds what: the mapping of a table's columns to a result's fields.

Column names are matched from the aliases real exports and hand-kept spreadsheets use
(``research/formats.md`` section 1.10): ``Collection Date``, ``Test Name``, ``Result``,
``Units``, ``Reference Range``... An exact alias beats a name that merely contains a key word.
Columns about an earlier result (``Previous Result``, ``Prior Date``) are never taken for the
current one.

:class:`ColumnMapping` is also what the import dialog builds when a layout is not recognised:
the user picks the columns by name (or by 0-based position) and passes the mapping to
``plan_import``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

__all__ = ["FIELDS", "Column", "ColumnMapping", "match_columns", "norm_header"]

Column = str | int
LAYOUTS = ("long", "wide")

# Every field a long table can map, in the order columns are assigned.
FIELDS = ("date", "time", "marker", "loinc", "method", "value", "unit", "range", "low", "high",
          "flag", "lab", "note")


@dataclass(frozen=True)
class ColumnMapping:
    """The columns of a table that hold each field of a result.

    Each field names a column by its header text or by its 0-based position. ``layout`` is
    ``"long"`` (one result per row: ``date``, ``marker`` and ``value`` are needed) or
    ``"wide"`` (one row per date: ``date`` and the ``markers`` columns, whose headers name the
    marker and may carry the unit, e.g. ``Total T (ng/dL)``; with no ``markers`` every column
    not otherwise mapped is one). ``header_line`` is the 1-based line of the header row: None
    finds it, 0 means the table has no header (columns are then ``Column 1``, ``Column 2``...).
    """

    date: Column | None = None
    time: Column | None = None
    marker: Column | None = None
    loinc: Column | None = None
    method: Column | None = None
    value: Column | None = None
    unit: Column | None = None
    range: Column | None = None
    low: Column | None = None
    high: Column | None = None
    flag: Column | None = None
    lab: Column | None = None
    note: Column | None = None
    layout: str = "long"
    markers: tuple[Column, ...] = ()
    header_line: int | None = None

    def __post_init__(self) -> None:
        if self.layout not in LAYOUTS:
            raise ValueError(f"layout must be 'long' or 'wide', not {self.layout!r}")

    def assigned(self) -> dict[str, Column]:
        """The fields that name a column."""
        return {f: getattr(self, f) for f in FIELDS if getattr(self, f) is not None}

    def as_dict(self) -> dict[str, object]:
        """A plain dict (for JSON summaries), leaving out unmapped fields."""
        out: dict[str, object] = {"layout": self.layout, **self.assigned()}
        if self.markers:
            out["markers"] = list(self.markers)
        if self.header_line is not None:
            out["header_line"] = self.header_line
        return out

    def with_header_line(self, line: int) -> ColumnMapping:
        return replace(self, header_line=line)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def norm_header(text: str) -> str:
    """A header compared without case, accents, punctuation or extra spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.findall(r"[a-z0-9]+|%", text))


# Exact aliases per field (normalised), best first; then words a header may contain.
_EXACT: dict[str, tuple[str, ...]] = {
    "date": (
        "collection date", "date collected", "collected", "collected on", "collection date time",
        "date of collection", "specimen date", "sample date", "draw date", "date of draw",
        "date drawn", "taken at", "taken", "date taken", "test date", "date", "day",
        "recorded on date", "recorded on", "result date", "date of service", "service date",
        "effective date", "observation date", "datetime", "date time", "timestamp", "datum",
        "entnahmedatum", "abnahmedatum", "fecha", "data", "when",
    ),
    "time": ("time", "collection time", "time collected", "draw time", "time drawn", "uhrzeit",
             "zeit", "hora", "heure"),
    "marker": (
        "marker", "marker name", "biomarker", "biomarker name", "analyte", "test", "test name",
        "name", "measurement", "component", "parameter", "test description", "code description",
        "observation", "lab test", "investigation", "analysis", "item", "hormone", "description",
        "untersuchung", "analyt", "prueba", "examen", "analyse",
    ),
    "loinc": ("loinc", "loinc code", "loinc num", "loinc number", "loinc id"),
    "method": ("method", "assay", "methode", "technique", "metodo"),
    "value": (
        "value", "result", "reading", "amount", "result value", "value numeric",
        "numeric value", "observed value", "observation value", "measurement value",
        "your result", "your value", "level", "ergebnis", "wert", "messwert", "resultado",
        "valor", "valeur", "resultat",
    ),
    "unit": ("unit", "units", "uom", "unit of measure", "units of measure", "measurement unit",
             "result unit", "result units", "einheit", "unidad", "unidades", "unite"),
    "range": (
        "reference range", "ref range", "range", "reference interval", "ref interval",
        "normal range", "reference", "ref", "reference values", "reference value",
        "standard range", "normal values", "referenzbereich", "normbereich", "normalbereich",
        "norm", "normwert", "rango", "rango de referencia", "valeurs de reference",
    ),
    "low": ("ref low", "range low", "low", "lower", "reference low", "lower limit",
            "lower bound", "min", "range min", "normal low", "ref min", "low range",
            "lower reference limit", "reference range low", "ref range low"),
    "high": ("ref high", "range high", "high", "upper", "reference high", "upper limit",
             "upper bound", "max", "range max", "normal high", "ref max", "high range",
             "upper reference limit", "reference range high", "ref range high"),
    "flag": ("flag", "flags", "abnormal flag", "abnormal", "is abnormal", "status",
             "interpretation", "indicator", "h l", "out of range", "result flag",
             "abnormal indicator", "kennzeichen"),
    "lab": ("lab", "lab name", "laboratory", "performer", "performing lab",
            "performing laboratory", "facility", "labor", "provider", "lab provider"),
    "note": ("note", "notes", "comment", "comments", "remark", "remarks", "timing", "context",
             "memo", "bemerkung", "kommentar"),
}
_CONTAINS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # field: (words any of which the header contains, words that rule it out)
    "date": (("date", "datum", "fecha"), ("birth", "dob", "report", "received", "reported",
                                          "printed", "export", "due")),
    "time": (("time",), ("date",)),
    "marker": (("marker", "test", "analyte", "biomarker", "parameter"),
               ("date", "value", "result", "unit", "code", "range", "flag", "time")),
    "loinc": (("loinc",), ()),
    "value": (("value", "result", "ergebnis", "wert"),
              ("unit", "text", "date", "flag", "range", "reference", "time", "status")),
    "unit": (("unit", "einheit"), ()),
    "range": (("range", "reference", "referenz"), ("low", "high", "min", "max", "lower", "upper")),
    "low": (("low", "lower", "min"), ("flag",)),
    "high": (("high", "upper", "max"), ("flag",)),
    "flag": (("flag", "abnormal"), ()),
    "lab": (("laboratory", "lab name"), ()),
    "note": (("note", "comment", "remark"), ()),
}
# Columns about something else than the current result.
_NEVER = ("previous", "prior", "last", "old", "patient", "subject", "page", "birth", "dob",
          "gender", "sex", "age", "requisition", "accession", "order", "specimen id", "mrn")


def _is_excluded(normalised: str) -> bool:
    words = normalised.split()
    return any(word in words for word in _NEVER) or normalised in ("specimen id", "order id")


def _score(field: str, header: str) -> int:
    """How well a normalised header fits a field: 0 not at all, higher is better."""
    if not header or _is_excluded(header):
        return 0
    exact = _EXACT.get(field, ())
    if header in exact:
        return 1000 - exact.index(header)
    wanted, ruled_out = _CONTAINS.get(field, ((), ()))
    words = header.split()
    if any(w in words or (len(w) > 4 and w in header) for w in wanted) and \
            not any(w in words for w in ruled_out):
        return 100
    return 0


def match_columns(headers: Sequence[str], *, only: Sequence[str] = FIELDS) -> dict[str, int]:
    """Assign columns to fields by their header; each column serves one field at most.

    Fields are served in the order of ``FIELDS`` unless a later field fits a column better
    (``Result Unit`` is the unit, not the result).
    """
    normalised = [norm_header(h) for h in headers]
    offers: list[tuple[int, int, int, str]] = []
    for order, field in enumerate(only):
        for index, header in enumerate(normalised):
            score = _score(field, header)
            if score:
                offers.append((-score, order, index, field))
    offers.sort()
    taken: set[int] = set()
    chosen: dict[str, int] = {}
    for _neg, _order, index, field in offers:
        if field in chosen or index in taken:
            continue
        chosen[field] = index
        taken.add(index)
    return chosen


def header_score(headers: Sequence[str]) -> int:
    """How much a row looks like the header of a long table (0: not at all)."""
    found = match_columns(headers)
    needed = sum(1 for f in ("date", "marker", "value") if f in found)
    return needed * 10 + len(found)
