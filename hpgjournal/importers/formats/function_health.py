"""Function Health results JSON (``research/formats.md`` section 1.7).

The shape, reconstructed from independent open-source exporters of the service's
``results-report``: ``data.biomarkerResultsRecord[]``, each with ``biomarker.name``, ``units``,
``rangeString`` and ``biomarkerResults[]`` (``dateOfService``, ``testResult`` such as ``"612"``
or ``"<20"``, ``measurementUnits``, ``questReferenceRange``, ``testResultOutOfRange``,
``visible``). Numbers are strings; entries marked ``visible: false`` are hidden by the service
and are not imported. Line numbers in the plan count biomarker records (1 = the first).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hpgjournal.importers.errors import UnknownFormatError
from hpgjournal.importers.formats.base import Format, Probe, Reading
from hpgjournal.importers.mapping import ColumnMapping
from hpgjournal.importers.names import FORMAT_LABELS
from hpgjournal.importers.rows import Candidate, Failed, Ignored, Item

__all__ = ["FUNCTION_HEALTH", "FunctionHealthFormat"]


def _records(document: Any) -> list[Any] | None:
    data = document.get("data", document) if isinstance(document, dict) else None
    records = data.get("biomarkerResultsRecord") if isinstance(data, dict) else None
    return records if isinstance(records, list) else None


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return ""
    return str(value).strip()


class FunctionHealthFormat(Format):
    """Function Health ``results-report`` JSON."""

    name = "function-health"
    label = FORMAT_LABELS["function-health"]
    kind = "json"

    def score(self, probe: Probe) -> float:
        return 0.95 if _records(probe.document) is not None else 0.0

    def read(self, probe: Probe, mapping: ColumnMapping | None = None) -> Reading:
        records = _records(probe.document)
        if records is None:
            path = probe.source.path
            raise UnknownFormatError(path, f"{path.name} has no biomarkerResultsRecord list: it is "
                                           "not a Function Health results file")
        return Reading(items=self._items(records), layout=self.label, date_order="ymd",
                       lab="Function Health")

    def _items(self, records: list[Any]) -> Iterator[Item]:
        for index, record in enumerate(records, start=1):
            where = f"biomarkerResultsRecord[{index - 1}]"
            if not isinstance(record, dict):
                yield Failed(index, {"entry": where}, "not a biomarker record")
                continue
            biomarker = record.get("biomarker")
            if not isinstance(biomarker, dict):
                biomarker = {}
            name = _text(biomarker.get("name")) or _text(record.get("name"))
            results = record.get("biomarkerResults")
            if not isinstance(results, list) or not results:
                current = record.get("currentResult")
                results = [current] if isinstance(current, dict) else []
            if not results:
                yield Ignored(index, name or where, "no result")
                continue
            for number, result in enumerate(results):
                entry = f"{where}.biomarkerResults[{number}]"
                if not isinstance(result, dict):
                    yield Failed(index, {"entry": entry, "name": name}, "not a result entry")
                    continue
                if result.get("visible") is False:
                    yield Ignored(index, name or entry, "hidden by Function Health (visible: false)")
                    continue
                value = (_text(result.get("testResult")) or _text(result.get("displayResult"))
                         or _text(result.get("calculatedResult")))
                unit = _text(result.get("measurementUnits")) or _text(record.get("units"))
                ref = _text(result.get("questReferenceRange")) or _text(record.get("rangeString"))
                out = result.get("testResultOutOfRange")
                if out is None and "inRange" in result:
                    out = result.get("inRange") is False
                date = _text(result.get("dateOfService"))
                raw = {"entry": entry, "name": name, "dateOfService": date, "testResult": value,
                       "measurementUnits": unit, "questReferenceRange": ref}
                if not value:
                    yield Ignored(index, name or entry, "no value")
                    continue
                # with a range the flag is computed (H or L); without one, "out of range" is all
                yield Candidate(index, raw, date, name, value, unit=unit, range=ref,
                                flag="A" if out is True and not ref else "")


FUNCTION_HEALTH = FunctionHealthFormat()
