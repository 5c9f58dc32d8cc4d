"""Write the report as a PDF with real text, a footer on every page, A4 or US Letter.

QtGui only (QTextDocument laid out in pages, drawn onto QPdfWriter or any QPagedPaintDevice
such as a QPrinter); a QGuiApplication must exist (``ensure_gui_app`` makes one offscreen when
there is no display).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from hpgjournal import __version__
from hpgjournal.domain.errors import UserError
from hpgjournal.report.content import DISCLAIMER
from hpgjournal.report.fonts import ensure_font
from hpgjournal.report.qtpaint import paint_figure

LAYOUT_DPI = 96  # the document is laid out at this resolution, then scaled to the device
FOOTER_MM = 9


def ensure_gui_app() -> QGuiApplication:
    app = QGuiApplication.instance()
    if app is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([])
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

    def __init__(self, figure: object) -> None:
        self.figure = figure
        width, height = figure.get_size_inches()  # type: ignore[attr-defined]
        self.aspect = float(height) / float(width)

    def placeholder(self) -> QImage:
        """One transparent pixel: the HTML gives the box its size, the figure fills it."""
        image = QImage(1, 1, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        return image


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
                    x = origin.x() + line.cursorToX(offset)[0]
                    y = origin.y() + line.y() + line.ascent() - height
                    places.append((QRectF(x, y, width, height), vector))
            it += 1
        block = block.next()
    return places


def build_document(html: str, images: dict[str, QImage | VectorImage], width_px: float,
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
        if isinstance(image, VectorImage):
            vectors[name] = image
            image = image.placeholder()
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    doc._vectors = vectors  # type: ignore[attr-defined]
    doc.setPageSize(QSizeF(width_px, height_px))
    doc.setHtml(html)
    doc._keep_device = device  # type: ignore[attr-defined]  # the layout keeps a raw pointer
    return doc


def paint_pages(doc: QTextDocument, device: QPagedPaintDevice, title: str,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> int:
    """Draw every page of ``doc`` on ``device`` with the footer; returns the page count."""
    layout = device.pageLayout()
    scale = device.logicalDpiX() / LAYOUT_DPI
    page_height = doc.pageSize().height()
    pages = doc.pageCount()
    places = _vector_places(doc)
    painter = QPainter(device)
    try:
        footer_font = _text_font(7)
        paint_rect = layout.paintRectPixels(device.logicalDpiX())
        for index in range(pages):
            if cancelled and cancelled():
                break
            if index:
                device.newPage()
            painter.save()
            painter.scale(scale, scale)
            painter.translate(0, -index * page_height)
            doc.drawContents(painter, QRectF(0, index * page_height, doc.pageSize().width(),
                                             page_height))
            for rect, vector in places:
                if index * page_height <= rect.top() < (index + 1) * page_height:
                    paint_figure(vector.figure, painter, rect)  # type: ignore[arg-type]
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(Qt.GlobalColor.darkGray)
            footer = QRectF(0, paint_rect.height() - FOOTER_MM / 25.4 * device.logicalDpiX(),
                            paint_rect.width(), FOOTER_MM / 25.4 * device.logicalDpiX())
            painter.drawLine(footer.topLeft(), footer.topRight())
            painter.drawText(footer.adjusted(0, 4 * scale, 0, 0),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                                 | Qt.TextFlag.TextWordWrap),
                             f"{title} · {DISCLAIMER}")
            painter.drawText(footer.adjusted(0, 4 * scale, 0, 0),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                             f"Page {index + 1} of {pages}")
            if progress:
                progress(index + 1, pages)
    finally:
        painter.end()
    return pages


def body_size(device: QPagedPaintDevice) -> tuple[float, float]:
    """Width and height (LAYOUT_DPI pixels) left for content once the footer is reserved."""
    rect = device.pageLayout().paintRect(QPageLayout.Unit.Inch)
    width = rect.width() * LAYOUT_DPI
    height = rect.height() * LAYOUT_DPI - (FOOTER_MM + 2) / 25.4 * LAYOUT_DPI
    return width, height


def write_pdf(html: str, images: dict[str, QImage], out: Path, *, paper: str = "a4",
              title: str = "Hormone journal report",
              progress: Callable[[int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> int:
    """Write the PDF next to ``out`` first and move it into place, so no half file is left."""
    ensure_gui_app()
    partial = out.with_name(out.name + ".partial")
    writer = QPdfWriter(str(partial))
    writer.setResolution(300)
    writer.setPageSize(page_size(paper))
    writer.setPageMargins(QMarginsF(15, 15, 15, 12), QPageLayout.Unit.Millimeter)
    writer.setTitle(title)
    writer.setCreator(f"hpgjournal {__version__}")
    width, height = body_size(writer)
    doc = build_document(html, images, width, height)
    try:
        pages = paint_pages(doc, writer, title, progress, cancelled)
        del writer  # finishes the file
        if cancelled and cancelled():
            partial.unlink(missing_ok=True)
            return 0
        partial.replace(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return pages
