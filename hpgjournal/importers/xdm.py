"""IHE-XDM zips: what MyChart's "Download my record" (and other portals' "download" buttons)
give: ``IHE_XDM/<name>/DOC0001.XML``... C-CDA documents beside ``METADATA.XML``, a style
sheet and an ``INDEX.HTM``.

:func:`xdm_sources` gives the C-CDA documents that have a Results section, each as a
:class:`~hpgjournal.importers.source.SourceFile` named ``<zip>/IHE_XDM/<name>/<doc>``; the
zip is read in place (nothing is unpacked to disk) and no member is read past the size limit
of a single file. Any other file gives None, for :func:`read_source` to read or refuse.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path
from typing import BinaryIO

from hpgjournal.importers.errors import BinaryFileError, FileTooLargeError, NoLabResultsError
from hpgjournal.importers.source import MAX_FILE_BYTES, SourceFile, decode, open_regular

__all__ = ["MAX_DOCUMENTS", "xdm_sources"]

MAX_DOCUMENTS = 2000  # a lifetime of visit documents is a few hundred
_DOCUMENT = re.compile(r"IHE_XDM/[^/]+/(?P<file>[^/]+\.XML)", re.IGNORECASE)
# What a document with a Results section says, whatever its layout: the section's LOINC code
# or template (C-CDA R1.1/R2.1)
_RESULTS_MARKS = ("30954-2", "2.16.840.1.113883.10.20.22.2.3")


def _open_zip(path: Path) -> BinaryIO | None:
    """The file opened, when it is a regular file that starts as a zip; None otherwise
    (read_source then refuses what is not a regular file, with its reason)."""
    file = open_regular(path)
    if file is None:
        return None
    try:
        if file.read(4) == b"PK\x03\x04":
            file.seek(0)
            return file
    except OSError:
        pass
    file.close()
    return None


def xdm_sources(path: Path, encoding: str | None = None) -> list[SourceFile] | None:
    """The C-CDA documents with lab results of an IHE-XDM zip; None when ``path`` is not one.

    Raises a FileProblem for an XDM zip with no such document (naming what it holds), an
    encrypted or damaged member, or a member larger than a file may be.
    """
    file = _open_zip(path)
    if file is None:
        return None
    with file:
        try:
            archive = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError):
            return None
        with archive:
            sources = _documents(path, archive, encoding)
    if sources is None:
        return None
    found = [s for s in sources if any(mark in s.text for mark in _RESULTS_MARKS)]
    if not found:
        held = f"{len(sources)} C-CDA documents" if sources else "no C-CDA documents"
        raise NoLabResultsError(path, f"{path.name} is an IHE-XDM record (a portal download) "
                                f"with {held} and no lab results in any: download the record "
                                "again with test results included, or choose another file")
    return found


def _documents(path: Path, archive: zipfile.ZipFile,
               encoding: str | None) -> list[SourceFile] | None:
    members = [i for i in archive.infolist()
               if i.filename.replace("\\", "/").upper().startswith("IHE_XDM/")]
    if not members:
        return None
    documents = [i for i in members if not i.is_dir()
                 and (m := _DOCUMENT.fullmatch(i.filename.replace("\\", "/")))
                 and m["file"].upper() != "METADATA.XML"]
    if len(documents) > MAX_DOCUMENTS:
        raise FileTooLargeError(path, f"{path.name} is an IHE-XDM record of {len(documents)} "
                                      "documents, more than any patient record: check that it "
                                      "is the right file")
    if sum(i.file_size for i in documents) > 4 * MAX_FILE_BYTES:
        raise FileTooLargeError(path, f"{path.name} holds more documents than any patient "
                                      "record (over 256 MB of XML): check that it is the right "
                                      "file, or import its documents a few at a time")
    return [_document(path, archive, info, encoding) for info in documents]


def _document(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo,
              encoding: str | None) -> SourceFile:
    inner = path / info.filename.replace("\\", "/")
    if info.file_size > MAX_FILE_BYTES:
        raise FileTooLargeError(path, f"{info.filename} in {path.name} is "
                                      f"{info.file_size // (1024 * 1024)} MB, far larger than "
                                      "any medical document: check that it is the right file")
    try:
        with archive.open(info) as member:
            data = member.read(MAX_FILE_BYTES + 1)
    except RuntimeError:  # encrypted
        raise BinaryFileError(path, f"{path.name} is encrypted ({info.filename} needs a "
                                    "password): download the record again without a password, "
                                    "or unzip it and import the XML documents") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise BinaryFileError(path, f"{path.name} is damaged ({info.filename}: {exc}): download "
                                    "the record again") from None
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLargeError(path, f"{info.filename} in {path.name} is larger than it says, "
                                      "far larger than any medical document: check that it is "
                                      "the right file")
    text, used = decode(inner, data, encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    return SourceFile(inner, text, used, hashlib.sha256(data).hexdigest(), len(data))
