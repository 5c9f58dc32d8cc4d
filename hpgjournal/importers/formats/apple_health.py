"""The iPhone Health app's ``export.zip`` (Health > your picture > Export All Health Data).

Its lab results are the Health Records a provider sent to the phone: the FHIR resources of
``clinical-records/*.json`` (DSTU2 or R4), read one at a time from the zip
(:mod:`hpgjournal.importers.archive`) and turned into results as any FHIR file is
(:class:`~hpgjournal.importers.formats.fhir.ObservationReader`). The steps, heart rate and
other samples of ``export.xml`` are not lab results and are not imported. An export without
clinical records holds no lab results: it is refused, saying how to include them. Line
numbers in the plan count the clinical records in name order (1 = the first).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from hpgjournal.domain.display import count_of
from hpgjournal.importers.archive import HealthArchive
from hpgjournal.importers.errors import EmptyFileError, UnknownFormatError
from hpgjournal.importers.formats.base import Format, Probe, Reading
from hpgjournal.importers.formats.fhir import ObservationReader, observation_date, version_hint
from hpgjournal.importers.mapping import ColumnMapping
from hpgjournal.importers.names import FORMAT_LABELS
from hpgjournal.importers.rows import Failed, Item

__all__ = ["APPLE_HEALTH", "HOW_TO_INCLUDE", "AppleHealthFormat"]

HOW_TO_INCLUDE = ("to include them, on the iPhone open the Health app, connect your provider "
                  "under Health Records (your picture or initials > Health Records > Add "
                  "Account), then export again (your picture > Export All Health Data) and "
                  "import the new export.zip")


class AppleHealthFormat(Format):
    """Apple Health ``export.zip``: the lab results of its Health Records."""

    name = "apple-health"
    label = FORMAT_LABELS["apple-health"]
    kind = "zip"

    def score(self, probe: Probe) -> float:
        return 1.0 if isinstance(probe.document, HealthArchive) else 0.0

    def read(self, probe: Probe, mapping: ColumnMapping | None = None) -> Reading:
        archive = probe.document
        path = probe.source.path
        if not isinstance(archive, HealthArchive):
            raise UnknownFormatError(path, f"{path.name} is not an Apple Health export.zip: "
                                           "choose another format")
        head = archive.export_head()
        exported = head.get("exported", "")[:10]
        what = f"Apple Health export{f' of {exported}' if exported else ''}"
        if not archive.clinical:
            raise EmptyFileError(path, f"{path.name} is an {what}, but this Health export holds "
                                       "no lab results (no Health Records: its steps, heart rate "
                                       f"and other samples are not lab results): {HOW_TO_INCLUDE}")
        reading = Reading(items=(), layout=self.label, date_order="ymd",
                          needs_decimal_decision=False)
        reading.items = self._items(archive, reading, what)
        return reading

    def _items(self, archive: HealthArchive, reading: Reading, what: str) -> Iterator[Item]:
        reader = ObservationReader()
        kinds: Counter[str] = Counter()
        versions: Counter[str] = Counter()
        waiting: list[tuple[int, dict[str, Any]]] = []  # no date of their own: a report's, later
        for line, (name, resource) in enumerate(archive.records(), start=1):
            if not isinstance(resource, dict):
                reason = resource if isinstance(resource, str) else "not a FHIR resource"
                yield Failed(line, {"record": name}, f"clinical record {name}: {reason}")
                continue
            kind = str(resource.get("resourceType") or "")
            kinds[kind] += 1
            if hint := version_hint(resource):
                versions[hint] += 1
            if kind == "DiagnosticReport":
                reader.note_report(resource)
            elif kind == "Observation":
                if observation_date(resource):
                    yield from reader.items(line, resource, entry=name)
                else:
                    waiting.append((line, resource))
        for line, resource in waiting:
            yield from reader.items(line, resource, entry=archive.clinical[line - 1])
        records = sum(kinds.values())
        written = " and ".join(sorted(versions))
        reading.contents = (f"{what}{f' (FHIR {written})' if written else ''}, "
                            f"{count_of(records, 'clinical record')}, "
                            f"{count_of(reader.lab_results, 'lab result')}")
        if not reader.lab_results:
            reading.warnings.append(f"this Health export holds no lab results: its "
                                    f"{count_of(records, 'clinical record')} are conditions, "
                                    f"medications or other records; {HOW_TO_INCLUDE} (a "
                                    "provider that shares lab results)")


APPLE_HEALTH = AppleHealthFormat()
