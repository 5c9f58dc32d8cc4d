"""Write the report as a PDF with real text, a footer on every page, A4 or US Letter.

QtGui only (QTextDocument laid out in pages, drawn onto QPdfWriter or any QPagedPaintDevice
such as a QPrinter); a QGuiApplication must exist (``ensure_gui_app`` makes one offscreen when
there is no display).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from hpgjournal import __version__
from hpgjournal.domain.errors import UserError
from hpgjournal.report.content import DISCLAIMER, SPLIT, TABLE_MARK, TableRows
from hpgjournal.report.fonts import ensure_font
from hpgjournal.report.qtpaint import paint_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LAYOUT_DPI = 96  # the document is laid out at this resolution, then scaled to the device
FOOTER_MM = 9


def ensure_gui_app() -> QGuiApplication:
    app = QGuiApplication.instance()
    if app is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([])
    # (type: ignore below: instance() is the QGuiApplication made here or before)
    return app  # type: ignore[return-value]


def _text_font(points: float) -> QFont:
    """The report's font, without ligatures: "fi" must stay two letters a reader can search."""
    font = QFont("DejaVu Sans")
    font.setPointSizeF(points)
    if hasattr(QFont, "Tag"):  # Qt 6.7+
        font.setFeature(QFont.Tag("liga"), 0)
        font.setFeature(QFont.Tag("clig"), 0)
    else:  # pragma: no cover - older Qt: no shaping at all also means no ligatures
        font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
    return font


def page_size(paper: str) -> QPageSize:
    return QPageSize(QPageSize.PageSizeId.Letter if paper == "letter" else QPageSize.PageSizeId.A4)


def default_paper() -> str:
    """US Letter where the locale measures in inches, A4 elsewhere."""
    from PySide6.QtCore import QLocale

    imperial = QLocale.system().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return "letter" if imperial else "a4"


class VectorImage:
    """A matplotlib figure placed in the report: laid out as an empty image of its shape, then
    drawn over it as vectors and text by :func:`paint_pages` (a QTextDocument holds only raster
    images)."""

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        width, height = figure.get_size_inches()
        self.aspect = float(height) / float(width)

    def placeholder(self) -> QImage:
        """One transparent pixel: the HTML gives the box its size, the figure fills it."""
        image = QImage(1, 1, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        return image


# what the report's HTML names: an image, a figure drawn as vectors, or the appendix's table
Resource = QImage | VectorImage | TableRows


def _vector_places(doc: QTextDocument) -> list[tuple[QRectF, VectorImage]]:
    """Where each vector image sits in the laid-out document (document coordinates)."""
    vectors: dict[str, VectorImage] = getattr(doc, "_vectors", {})
    places: list[tuple[QRectF, VectorImage]] = []
    if not vectors:
        return places
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fragment.isValid() and fmt.isImageFormat():
                image_format = fmt.toImageFormat()
                vector = vectors.get(image_format.name())
                if vector is not None:
                    width = image_format.width() or 640.0
                    height = image_format.height() or width * vector.aspect
                    offset = fragment.position() - block.position()
                    line = layout.lineForTextPosition(offset)
                    origin = layout.position()
                    found = line.cursorToX(offset)  # (x, position); the stub says object
                    assert isinstance(found, tuple), "PySide6 returns a tuple"
                    x = origin.x() + found[0]
                    y = origin.y() + line.y() + line.ascent() - height
                    places.append((QRectF(x, y, width, height), vector))
            it += 1
        block = block.next()
    return places


class PaintedTable:
    """A :class:`~hpgjournal.report.content.TableRows` laid out in pages of a given body size
    and painted row by row (one line a row; a long cell is cut with an ellipsis)."""

    PAD = 4.0  # px at LAYOUT_DPI

    def __init__(self, table: TableRows, width: float, height: float) -> None:
        self.table = table
        self.width, self.height = width, height
        # pixel sizes: the painter is scaled to layout pixels, so a point size would be
        # resolved against the printer's resolution and then scaled again
        self.font = _pixel_font(8)
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.title_font = _pixel_font(12.5)
        self.title_font.setBold(True)
        metrics = QFontMetricsF(self.bold, _layout_device())
        self.row_height = metrics.height() + 2 * self.PAD - 2
        self.title_height = QFontMetricsF(self.title_font, _layout_device()).height() * 1.8
        first = max(1, int((height - self.title_height) // self.row_height) - 1)
        rest = max(1, int(height // self.row_height) - 1)
        self.per_page = (first, rest)
        remaining = max(0, len(table.rows) - first)
        self.pages = 1 + -(-remaining // rest)

    def pageCount(self) -> int:
        return self.pages

    def rows_of(self, index: int) -> range:
        first, rest = self.per_page
        if index == 0:
            return range(0, min(first, len(self.table.rows)))
        start = first + (index - 1) * rest
        return range(start, min(start + rest, len(self.table.rows)))

    def paint(self, painter: QPainter, index: int) -> None:
        table = self.table
        y = 0.0
        if index == 0:
            painter.setFont(self.title_font)
            painter.setPen(QColor("#2d6a9f"))
            painter.drawText(QRectF(0, 0, self.width, self.title_height),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             table.title)
            y = self.title_height
        xs = [0.0]
        for share in table.widths:
            xs.append(xs[-1] + self.width * share / sum(table.widths))
        grid = QPen(QColor("#c7d0da"), 0.8)
        rows = [table.headers, *(table.rows[i] for i in self.rows_of(index))]
        styles = [("header",) * len(table.headers), *(table.styles[i] for i in self.rows_of(index))]
        for cells, kinds in zip(rows, styles, strict=True):
            if kinds[0] == "header":
                painter.fillRect(QRectF(0, y, self.width, self.row_height), QColor("#eef2f6"))
            for n, text in enumerate(cells):
                kind = kinds[n] if n < len(kinds) else ""
                painter.setFont(self.bold if kind in ("bold", "high", "low", "header")
                                else self.font)
                painter.setPen(QColor({"high": "#c62828", "low": "#1565c0"}.get(kind, "#1f2933")))
                cell = QRectF(xs[n] + self.PAD, y, xs[n + 1] - xs[n] - 2 * self.PAD,
                              self.row_height)
                shown = QFontMetricsF(painter.font(), _layout_device()).elidedText(
                    text, Qt.TextElideMode.ElideRight, cell.width())
                align = (Qt.AlignmentFlag.AlignRight if n in table.numeric and kind != "header"
                         else Qt.AlignmentFlag.AlignLeft)
                painter.drawText(cell, int(align | Qt.AlignmentFlag.AlignVCenter), shown)
            painter.setPen(grid)
            painter.drawLine(QPointF(0, y + self.row_height), QPointF(self.width, y + self.row_height))
            y += self.row_height
        top = self.title_height if index == 0 else 0.0
        painter.setPen(grid)
        painter.drawLine(QPointF(0, top), QPointF(self.width, top))
        for x in xs:
            painter.drawLine(QPointF(x, top), QPointF(x, y))


def _pixel_font(points: float) -> QFont:
    font = _text_font(points)
    font.setPixelSize(max(1, round(points * LAYOUT_DPI / 72)))
    return font


_DEVICE: list[QImage] = []


def _layout_device() -> QImage:
    """The paint device documents are laid out on (LAYOUT_DPI), shared."""
    if not _DEVICE:
        device = QImage(1, 1, QImage.Format.Format_RGB32)
        per_metre = round(LAYOUT_DPI / 0.0254)
        device.setDotsPerMeterX(per_metre)
        device.setDotsPerMeterY(per_metre)
        _DEVICE.append(device)
    return _DEVICE[0]


class ReportDocument:
    """The report as one or more laid-out documents, paged one after another (see SPLIT)."""

    def __init__(self, docs: list[QTextDocument | PaintedTable]) -> None:
        self.docs = docs

    def pageCount(self) -> int:
        return sum(d.pageCount() for d in self.docs)


def build_document(html: str, images: Mapping[str, Resource], width_px: float,
                   height_px: float) -> ReportDocument:
    """The report laid out in pages of the given body size; at each SPLIT mark a new document
    starts on a new page (the appendix's tables, which Qt lays out slowly as one document)."""
    head = html[:html.index("<body>") + len("<body>")] if "<body>" in html else ""
    parts = [p for p in html.split(SPLIT) if p.strip() and p.strip() != "</body></html>"]
    docs: list[QTextDocument | PaintedTable] = []
    for i, part in enumerate(parts):
        table = next((t for name, t in images.items() if isinstance(t, TableRows)
                      and part.strip() == TABLE_MARK.format(name=name)), None)
        if table is not None:
            docs.append(PaintedTable(table, width_px, height_px))
        else:
            docs.append(_document(part if i == 0 or not head else head + part, images,
                                  width_px, height_px))
    return ReportDocument(docs)


def _document(html: str, images: Mapping[str, Resource], width_px: float,
              height_px: float) -> QTextDocument:
    """A paged document of the given page body size (in LAYOUT_DPI pixels).

    UserError when the system has no font to draw its text with (it would print empty boxes).
    """
    no_font = ensure_font()
    if no_font:
        raise UserError(no_font)
    device = QImage(1, 1, QImage.Format.Format_RGB32)
    per_metre = round(LAYOUT_DPI / 0.0254)
    device.setDotsPerMeterX(per_metre)
    device.setDotsPerMeterY(per_metre)
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(_text_font(9))
    vectors = {}
    for name, image in images.items():
        if isinstance(image, TableRows):
            continue
        if isinstance(image, VectorImage):
            vectors[name] = image
            image = image.placeholder()
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    # (type: ignore below: the figures ride on the document until it is painted)
    doc._vectors = vectors  # type: ignore[attr-defined]
    doc.setPageSize(QSizeF(width_px, height_px))
    doc.setHtml(html)
    doc._keep_device = device  # type: ignore[attr-defined]  # the layout keeps a raw pointer
    return doc


def paint_pages(report: ReportDocument | QTextDocument, device: QPagedPaintDevice, title: str,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> int:
    """Draw every page of the report on ``device`` with the footer; returns the page count."""
    docs = report.docs if isinstance(report, ReportDocument) else [report]
    layout = device.pageLayout()
    scale = device.logicalDpiX() / LAYOUT_DPI
    pages = sum(d.pageCount() for d in docs)
    painter = QPainter(device)
    number = 0
    try:
        footer_font = _text_font(7)
        paint_rect = layout.paintRectPixels(device.logicalDpiX())
        for doc in docs:
            page_height = 0.0 if isinstance(doc, PaintedTable) else doc.pageSize().height()
            places = [] if isinstance(doc, PaintedTable) else _vector_places(doc)
            for index in range(doc.pageCount()):
                if cancelled and cancelled():
                    return number
                if number:
                    device.newPage()
                painter.save()
                painter.scale(scale, scale)
                if isinstance(doc, PaintedTable):
                    doc.paint(painter, index)
                else:
                    painter.translate(0, -index * page_height)
                    doc.drawContents(painter, QRectF(0, index * page_height,
                                                     doc.pageSize().width(), page_height))
                    for rect, vector in places:
                        if index * page_height <= rect.top() < (index + 1) * page_height:
                            paint_figure(vector.figure, painter, rect)
                painter.restore()
                number += 1
                _footer(painter, paint_rect, device, scale, footer_font, title, number, pages)
                if progress:
                    progress(number, pages)
    finally:
        painter.end()
    return number


def _footer(painter: QPainter, paint_rect: object, device: QPagedPaintDevice, scale: float,
            font: QFont, title: str, number: int, pages: int) -> None:
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.darkGray)
    height = FOOTER_MM / 25.4 * device.logicalDpiX()
    # (type: ignore below: the paint rectangle is a QRectF; the stub offers a union)
    footer = QRectF(0, paint_rect.height() - height, paint_rect.width(), height)  # type: ignore[attr-defined]
    painter.drawLine(footer.topLeft(), footer.topRight())
    painter.drawText(footer.adjusted(0, 4 * scale, 0, 0),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap),
                     f"{title} · {DISCLAIMER}")
    painter.drawText(footer.adjusted(0, 4 * scale, 0, 0),
                     int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                     f"Page {number} of {pages}")


def body_size(device: QPagedPaintDevice) -> tuple[float, float]:
    """Width and height (LAYOUT_DPI pixels) left for content once the footer is reserved."""
    rect = device.pageLayout().paintRect(QPageLayout.Unit.Inch)
    width = rect.width() * LAYOUT_DPI
    height = rect.height() * LAYOUT_DPI - (FOOTER_MM + 2) / 25.4 * LAYOUT_DPI
    return width, height


def write_pdf(html: str, images: Mapping[str, Resource], out: Path, *, paper: str = "a4",
              title: str = "Hormone journal report",
              progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> int:
    """Write the PDF beside ``out`` first; only a complete PDF is moved into place.

    On a full disk Qt's writer stops silently: the finished file is checked (header, end
    marker, cross-reference table) and an incomplete one raises OSError instead of arriving.
    """
    from hpgjournal.store.files import finish, pdf_problem, remove_stale_partials, temporary_sibling

    ensure_gui_app()
    remove_stale_partials(out.parent)
    partial = temporary_sibling(out)
    try:
        writer = QPdfWriter(str(partial))
        writer.setResolution(300)
        writer.setPageSize(page_size(paper))
        writer.setPageMargins(QMarginsF(15, 15, 15, 12), QPageLayout.Unit.Millimeter)
        writer.setTitle(title)
        writer.setCreator(f"hpgjournal {__version__}")
        width, height = body_size(writer)
        doc = build_document(html, images, width, height)
        pages = paint_pages(doc, writer, title, progress, cancelled)
        del writer  # finishes the file
        if cancelled and cancelled():
            return 0
        finish(partial, out, pdf_problem)
    finally:
        if partial.exists():
            partial.unlink()
    return pages
