"""The registry of source formats: each is sniffed with ``score()`` and read by its module.

One module per source format. Detection scores every format of the file's kind (JSON or
table or XML or PDF) and takes the most confident; the user can name a format instead.
"""

from __future__ import annotations

from hpgjournal.importers.errors import UnknownFormatError
from hpgjournal.importers.formats.apple_health import APPLE_HEALTH
from hpgjournal.importers.formats.base import Format, Probe, Reading, make_probe
from hpgjournal.importers.formats.ccda import CCDA
from hpgjournal.importers.formats.fhir import FHIR
from hpgjournal.importers.formats.function_health import FUNCTION_HEALTH
from hpgjournal.importers.formats.hpgjournal_csv import HPGJOURNAL_LABS
from hpgjournal.importers.formats.hpgjournal_json import HPGJOURNAL_JSON
from hpgjournal.importers.formats.lab_pdf import LAB_PDF
from hpgjournal.importers.formats.long import LONG, PACKED
from hpgjournal.importers.formats.whoop import WHOOP
from hpgjournal.importers.formats.wide import WIDE
from hpgjournal.importers.names import FORMAT_LABELS, FORMAT_NAMES

__all__ = ["FORMATS", "Format", "Probe", "Reading", "format_label", "get_format", "make_probe", "rank"]

FORMATS: dict[str, Format] = {
    f.name: f for f in (HPGJOURNAL_JSON, HPGJOURNAL_LABS, FUNCTION_HEALTH, FHIR, APPLE_HEALTH,
                        CCDA, WHOOP, WIDE, PACKED, LONG, LAB_PDF)
}
if tuple(FORMATS) != FORMAT_NAMES or any(  # pragma: no cover - a developer's slip
        f.label != FORMAT_LABELS[n] for n, f in FORMATS.items()):
    raise RuntimeError("hpgjournal.importers.names.FORMAT_LABELS is out of date")

# Below this confidence a table is "not recognised" and the user maps its columns.
MIN_CONFIDENCE = 0.3


def format_label(name: str) -> str:
    """The words a user reads for a format's name (``wide``: "Wide table (...)")."""
    found = FORMATS.get(name)
    return found.label if found is not None else name


def get_format(name: str) -> Format:
    """The format called ``name``; a UserError lists the known names otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormatError(None, f"unknown format {name!r}: choose one of "
                                       f"{', '.join(FORMATS)}") from None


def rank(probe: Probe) -> list[tuple[Format, float]]:
    """Every format of the probe's kind with its confidence, most confident first."""
    scored = [(f, round(f.score(probe), 2)) for f in FORMATS.values() if f.kind == probe.kind]
    order = {name: i for i, name in enumerate(FORMATS)}
    return sorted(scored, key=lambda fs: (-fs[1], order[fs[0].name]))
