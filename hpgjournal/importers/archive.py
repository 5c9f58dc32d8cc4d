"""Archives a user brings whole: the iPhone Health app's ``export.zip``, streamed.

An Apple Health export holds ``apple_health_export/export.xml`` (every step and heartbeat: it
can be gigabytes) and, when the phone has Health Records from a provider,
``apple_health_export/clinical-records/*.json``: one FHIR resource a file (DSTU2 or R4). The
lab results are those records. Nothing is unpacked: the zip's directory is read, the clinical
records one member at a time, and of ``export.xml`` only its first lines (to know it is a
Health export and when it was made), by a parser that refuses entity declarations and fetches
nothing.

:func:`open_archive` gives an :class:`ArchiveSource` (a :class:`SourceFile` with no text) for
an Apple Health export, and None for any other file (which :func:`read_source` then reads or
refuses as usual).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

from hpgjournal.importers.errors import BinaryFileError
from hpgjournal.importers.source import SourceFile, open_regular

__all__ = ["ArchiveSource", "HealthArchive", "open_archive"]

# A clinical record is a few kilobytes; one larger than this is not one.
MAX_RECORD_BYTES = 16 * 1024 * 1024
# export.xml is read up to its first health record, and never more than this.
_HEAD_BYTES = 4 * 1024 * 1024
_CHUNK = 1024 * 1024


class HealthArchive:
    """An Apple Health ``export.zip``: its clinical records and its ``export.xml``."""

    probe_kind = "zip"  # what Probe.kind says for it (formats of kind "zip" read it)

    def __init__(self, path: Path, clinical: list[str], export_xml: str | None) -> None:
        self.path = path
        self.clinical = clinical
        self.export_xml = export_xml

    def records(self) -> Iterator[tuple[str, Any]]:
        """``(member name, parsed resource)`` of each clinical record, one member read at a
        time; the resource is a ``str`` (the reason) when the member cannot be read."""
        try:
            with zipfile.ZipFile(self.path) as archive:
                for name in self.clinical:
                    yield name, _read_record(archive, name)
        except (OSError, zipfile.BadZipFile) as exc:
            raise _damaged(self.path, exc) from None

    def export_head(self) -> dict[str, str]:
        """The attributes of ``HealthData`` (``locale``), ``ExportDate`` (``value``) and ``Me``
        in ``export.xml``, read up to its first record ({} when there is no export.xml)."""
        if self.export_xml is None:
            return {}
        try:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.export_xml) as file:
                return _head(file)
        except (OSError, zipfile.BadZipFile) as exc:
            raise _damaged(self.path, exc) from None


def _damaged(path: Path, exc: Exception) -> BinaryFileError:
    return BinaryFileError(path, f"{path.name} is an Apple Health export that cannot be read "
                                 f"({exc}): export it again from the Health app")


def _read_record(archive: zipfile.ZipFile, name: str) -> Any:
    info = archive.getinfo(name)
    if info.file_size > MAX_RECORD_BYTES:
        return f"{info.file_size:,} bytes, far larger than a clinical record: not read"
    with archive.open(info) as file:
        data = file.read(MAX_RECORD_BYTES + 1)
    if len(data) > MAX_RECORD_BYTES:
        return "far larger than a clinical record: not read"
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return "not valid JSON: export the Health data again"


class _Enough(Exception):
    """export.xml was read far enough."""


class _Unsafe(Exception):
    """export.xml declares entities (Apple's never does)."""


def _head(file: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(tag: str, attributes: dict[str, str]) -> None:
        if tag == "HealthData":
            found["locale"] = attributes.get("locale", "")
        elif tag == "ExportDate":
            found["exported"] = attributes.get("value", "")
        elif tag == "Me":
            found.update(attributes)
        else:  # the first record: the rest is health data, not needed
            raise _Enough

    def refuse(*_args: object) -> None:
        raise _Unsafe

    parser.StartElementHandler = start
    parser.EntityDeclHandler = refuse
    # (type: ignore below: expat's stub types the handler's return as None; refusing raises)
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    read = 0
    try:
        while read < _HEAD_BYTES and (chunk := file.read(64 * 1024)):
            read += len(chunk)
            parser.Parse(chunk, False)
    except (_Enough, _Unsafe, expat.ExpatError):
        pass
    return found


@dataclass(frozen=True)
class ArchiveSource(SourceFile):
    """An archive read as a source: no text; ``records`` says how many records it holds (the
    plan's progress counts them)."""

    archive: HealthArchive | None = None
    records: int = 0


def _is_clinical(name: str) -> bool:
    parts = name.split("/")
    return len(parts) >= 2 and parts[-2] == "clinical-records" and name.endswith(".json") \
        and not parts[-1].startswith(".")


def open_archive(path: Path) -> ArchiveSource | None:
    """An Apple Health export read as a source, or None when ``path`` is not one."""
    file = open_regular(path)  # as read_source opens files: a pipe swapped in must not block
    if file is None:
        return None
    try:
        with file:
            size = os.fstat(file.fileno()).st_size
            if file.read(4) != b"PK\x03\x04":
                return None
            with zipfile.ZipFile(file) as archive:
                names = archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return None
    # apple_health_export/export.xml (the folder's and the file's names vary in case and
    # language): an export.xml at the top or one folder down
    export_xml = next((n for n in names if n.split("/")[-1].casefold() == "export.xml"
                       and n.count("/") <= 1), None)
    clinical = sorted(n for n in names if _is_clinical(n))
    if export_xml is None and not clinical:
        return None
    if not clinical and "locale" not in HealthArchive(path, [], export_xml).export_head():
        return None  # an export.xml, but not the Health app's (no <HealthData>)
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return ArchiveSource(path, "", "utf-8", digest.hexdigest(), size,  # JSON: UTF-8
                         archive=HealthArchive(path, clinical, export_xml),
                         records=len(clinical))
