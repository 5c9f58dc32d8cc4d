"""Lab reports as PDF files: the text layer read into lines (issue 15).

:func:`pdf_sources` reads a PDF's words with pdfplumber and gives the file as one
:class:`PdfSource`, whose ``pdf`` holds the report's lines page by page (each with the
cells it is printed in: words far apart are in different columns of the report's table).
The lines are read into results by :mod:`hpgjournal.importers.formats.lab_pdf`. Any other
file gives None, for the other readers.

Only the text a PDF carries is read. A scan (pages that are pictures) has no text: it is
refused and the message says so, since reading pictures (OCR) is not part of hpgjournal. A
PDF that needs a password to open, or that is damaged, is refused with what to do.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hpgjournal.importers.errors import PdfFileError
from hpgjournal.importers.source import SourceFile, read_bytes, read_head

__all__ = ["MAX_PAGES", "PdfLine", "PdfSource", "PdfText", "is_pdf", "pdf_sources", "read_lines"]

# A lab report is a few pages; a file of hundreds is a book or a scanned record.
MAX_PAGES = 60
# Words further apart than this many times their height are in different columns.
_COLUMN_GAP = 0.9
# Words whose tops are within this share of their height are on one line.
_SAME_LINE = 0.45
# Fewer characters than this on every page: a scan (or an empty page), not a report.
_FEW_CHARACTERS = 20
_NO_OCR = ("hpgjournal reads the text of a PDF and cannot read pictures: ask the lab for the "
           "report as a PDF with text (the one its portal gives for download, not a scan), or "
           "type the results in by hand (Labs > Add result)")


@dataclass(frozen=True, slots=True)
class PdfLine:
    """One printed line: its page (from 1), its number in the document (from 1), its text
    (words joined by one space) and its cells (the text of each column it spans)."""

    page: int
    number: int
    text: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class PdfText:
    """The lines of a PDF, in reading order, and how many pages it has."""

    lines: tuple[PdfLine, ...]
    pages: int
    probe_kind: str = "pdf"  # what the format registry sniffs it as


@dataclass(frozen=True)
class PdfSource(SourceFile):
    """A PDF file read into lines; ``text`` is the lines joined (for progress and search)."""

    pdf: PdfText | None = None


def is_pdf(head: bytes | bytearray) -> bool:
    """True when a file's first bytes are a PDF's (some writers put a few bytes before)."""
    return b"%PDF-" in head[:1024]


def _lines_of(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words grouped into lines (by their top), each line's words from left to right."""
    lines: list[list[dict[str, Any]]] = []
    top = height = 0.0
    for word in sorted(words, key=lambda w: (round(w["top"], 1), w["x0"])):
        word_height = max(word["bottom"] - word["top"], 1.0)
        if lines and abs(word["top"] - top) <= _SAME_LINE * max(height, word_height):
            lines[-1].append(word)
            continue
        lines.append([word])
        top, height = word["top"], word_height
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _cells(words: list[dict[str, Any]]) -> tuple[str, ...]:
    cells: list[list[str]] = []
    right = None
    for word in words:
        height = max(word["bottom"] - word["top"], 1.0)
        if right is None or word["x0"] - right > _COLUMN_GAP * height:
            cells.append([])
        cells[-1].append(word["text"])
        right = word["x1"]
    return tuple(" ".join(cell) for cell in cells)


def read_lines(pages: list[Any], check: Callable[[], None] | None = None) -> tuple[PdfLine, ...]:
    """The lines of pdfplumber pages (or anything with ``extract_words``)."""
    found: list[PdfLine] = []
    for page_number, page in enumerate(pages, start=1):
        if check is not None:
            check()
        words = page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False)
        for words_of_line in _lines_of(words):
            cells = _cells(words_of_line)
            text = " ".join(cells)
            if text.strip():
                found.append(PdfLine(page_number, len(found) + 1, text, cells))
    return tuple(found)


def _causes(exc: BaseException) -> list[BaseException]:
    """The error and what it wraps (pdfplumber wraps pdfminer's errors in its own)."""
    found = [exc]
    for item in (*exc.args, exc.__cause__, exc.__context__):
        if isinstance(item, BaseException) and item not in found:
            found.append(item)
    return found


def _open_error(path: Path, exc: BaseException) -> PdfFileError:
    causes = _causes(exc)
    names = " ".join(c.__name__ for e in causes for c in type(e).__mro__)
    reason = " ".join(str(causes[-1]).split())[:160] or type(causes[-1]).__name__
    if "Password" in names or "password" in reason.casefold() or "Encrypt" in names:
        return PdfFileError(path, f"{path.name} is a PDF protected by a password: open it in a "
                                  "PDF viewer with its password and save or print a copy "
                                  "without one (Print > Save as PDF), then import that copy")
    return PdfFileError(path, f"{path.name} is a PDF that cannot be read, damaged or incomplete "
                              f"({reason}): download the report again "
                              "from the lab's portal, then import it")


def _read_pdf(path: Path, data: bytes | bytearray, check: Callable[[], None] | None
              ) -> PdfText:
    try:
        import pdfplumber  # lazily: startup time
    except ImportError:
        raise PdfFileError(path, f"{path.name} is a PDF, and reading PDFs needs the package "
                                 "pdfplumber: install it (pip install pdfplumber), or type the "
                                 "results in by hand") from None
    try:
        with pdfplumber.open(io.BytesIO(bytes(data))) as document:
            pages = list(document.pages)
            if len(pages) > MAX_PAGES:
                raise PdfFileError(path, f"{path.name} has {len(pages)} pages, more than a lab "
                                         f"report's (at most {MAX_PAGES} are read): save the "
                                         "pages of the lab report as a PDF of their own and "
                                         "import that")
            lines = read_lines(pages, check)
            characters = sum(len(page.chars) for page in pages)
            pictures = sum(len(page.images) for page in pages)
    except PdfFileError:
        raise
    except Exception as exc:  # pdfminer's and pdfplumber's errors are their own classes
        if type(exc).__name__ == "ImportCancelled":
            raise
        raise _open_error(path, exc) from None
    if characters < _FEW_CHARACTERS:
        what = "a scan (its pages are pictures, with no text)" if pictures else "a PDF with no text"
        raise PdfFileError(path, f"{path.name} is {what}: {_NO_OCR}")
    return PdfText(lines, len(pages))


def pdf_sources(path: Path, check: Callable[[], None] | None = None) -> list[SourceFile] | None:
    """The PDF at ``path`` as one source of lines; None when the file is not a PDF.

    ``check`` is called before each page is read (it raises to cancel). Raises PdfFileError
    for a PDF with no text (a scan), one that needs a password, or one that cannot be read.
    """
    path = Path(path)
    head = read_head(path)
    if head is None or not is_pdf(head):
        return None
    data = read_bytes(path)  # the size limit, as for any file
    checksum, size = hashlib.sha256(data).hexdigest(), len(data)
    text = _read_pdf(path, data, check)
    del data
    joined = "\n".join(line.text for line in text.lines)
    return [PdfSource(path, joined, "pdf", checksum, size, pdf=text)]
