"""Draw a matplotlib figure with a QPainter: vectors and real text in the report's PDF.

matplotlib's own backends give raster images (Agg) or files (PDF, SVG) that a Qt document cannot
hold as vectors, and Qt's SVG renderer ignores clip paths. This small renderer turns each path,
marker and text of the figure into QPainter calls, with matplotlib's clip rectangles and paths,
so a chart in the PDF is drawn at any zoom and its labels can be selected and searched.
Text is measured the way matplotlib's Agg renderer measures it, so the layout is the one the
window shows.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
from matplotlib.backend_bases import FigureCanvasBase, GraphicsContextBase, RendererBase
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2DBase
from numpy.typing import ArrayLike
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPainterPath, QPen

__all__ = ["paint_figure"]

_CAPS = {"butt": Qt.PenCapStyle.FlatCap, "round": Qt.PenCapStyle.RoundCap,
         "projecting": Qt.PenCapStyle.SquareCap}
_JOINS = {"miter": Qt.PenJoinStyle.MiterJoin, "round": Qt.PenJoinStyle.RoundJoin,
          "bevel": Qt.PenJoinStyle.BevelJoin}


def _colour(rgba: Any, alpha: float | None = None) -> QColor:
    r, g, b = (float(c) for c in rgba[:3])
    a = float(rgba[3]) if len(rgba) > 3 else 1.0
    if alpha is not None:
        a = alpha
    return QColor.fromRgbF(min(1.0, max(0.0, r)), min(1.0, max(0.0, g)), min(1.0, max(0.0, b)),
                           min(1.0, max(0.0, a)))


class _Renderer(RendererBase):
    def __init__(self, painter: QPainter, width: float, height: float, dpi: float) -> None:
        super().__init__()
        self.painter = painter
        self.width, self.height, self.dpi = width, height, dpi
        self._measure = RendererAgg(int(width) or 1, int(height) or 1, dpi)

    # -------------------------------------------------------------------- geometry
    def flipy(self) -> bool:
        return True

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    @overload
    def points_to_pixels(self, points: float) -> float: ...
    @overload
    def points_to_pixels(self, points: ArrayLike) -> ArrayLike: ...
    def points_to_pixels(self, points: ArrayLike) -> ArrayLike:
        if isinstance(points, (int, float)):
            return points * self.dpi / 72.0
        return np.asarray(points) * self.dpi / 72.0

    def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> tuple:
        return self._measure.get_text_width_height_descent(s, prop, ismath)

    def _qpath(self, path: MplPath, transform: Any) -> QPainterPath:
        out = QPainterPath()
        out.setFillRule(Qt.FillRule.WindingFill)
        height = self.height
        for vertices, code in path.iter_segments(transform, remove_nans=True, simplify=False,
                                                  curves=True):
            points = [QPointF(float(vertices[i]), height - float(vertices[i + 1]))
                      for i in range(0, len(vertices), 2)]
            if code == MplPath.MOVETO:
                out.moveTo(points[0])
            elif code == MplPath.LINETO:
                out.lineTo(points[0])
            elif code == MplPath.CURVE3:
                out.quadTo(points[0], points[1])
            elif code == MplPath.CURVE4:
                out.cubicTo(points[0], points[1], points[2])
            elif code == MplPath.CLOSEPOLY and out.elementCount():
                out.closeSubpath()
        return out

    def _clip(self, gc: GraphicsContextBase) -> None:
        painter = self.painter  # the caller saved the state: clips only narrow it, then restore
        box = gc.get_clip_rectangle()
        if box is not None:
            x0, y0, x1, y1 = box.extents
            painter.setClipRect(QRectF(x0, self.height - y1, x1 - x0, y1 - y0),
                                Qt.ClipOperation.IntersectClip)
        clip_path, clip_transform = gc.get_clip_path()
        if clip_path is not None:
            # the stub says TransformedPath; matplotlib returns that one's Path (see its docstring)
            painter.setClipPath(self._qpath(clip_path, clip_transform),  # type: ignore[arg-type]
                                Qt.ClipOperation.IntersectClip)

    def _pen(self, gc: GraphicsContextBase) -> QPen:
        width = self.points_to_pixels(gc.get_linewidth())
        if width <= 0:
            return QPen(Qt.PenStyle.NoPen)
        alpha = gc.get_alpha() if gc.get_forced_alpha() else None
        pen = QPen(_colour(gc.get_rgb(), alpha), width)
        pen.setCapStyle(_CAPS.get(gc.get_capstyle(), Qt.PenCapStyle.FlatCap))
        pen.setJoinStyle(_JOINS.get(gc.get_joinstyle(), Qt.PenJoinStyle.MiterJoin))
        offset, dashes = gc.get_dashes()
        if dashes is not None:
            lengths = np.asarray(dashes, dtype=float)  # set_dashes keeps the sequence as given
            if len(lengths) and width > 0:
                pen.setDashPattern([max(0.01, self.points_to_pixels(d) / width) for d in lengths])
                pen.setDashOffset(self.points_to_pixels(offset or 0) / width)
        return pen

    # -------------------------------------------------------------------- drawing
    def draw_path(self, gc: GraphicsContextBase, path: MplPath, transform: Any,
                  rgbFace: Any = None) -> None:
        painter = self.painter
        painter.save()
        self._clip(gc)
        painter.setPen(self._pen(gc))
        if rgbFace is not None:
            alpha = gc.get_alpha() if gc.get_forced_alpha() or len(rgbFace) < 4 else None
            painter.setBrush(QBrush(_colour(rgbFace, alpha)))
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
        shape = self._qpath(path, transform)
        if shape.elementCount() > 1:  # a lone point draws nothing (and a PDF reader objects)
            painter.drawPath(shape)
        painter.restore()

    def draw_image(self, gc: GraphicsContextBase, x: float, y: float, im: ArrayLike,
                   transform: Affine2DBase | None = None) -> None:
        # transform: never passed, as option_scale_image() is False (the image comes scaled)
        pixels = np.asarray(im)  # matplotlib hands an RGBA array: no copy
        rows, cols = pixels.shape[:2]
        data = pixels.astype("uint8").tobytes()
        image = QImage(data, cols, rows, cols * 4, QImage.Format.Format_RGBA8888).copy()
        painter = self.painter
        painter.save()
        self._clip(gc)
        painter.drawImage(QPointF(x, self.height - y - rows), image)
        painter.restore()

    def draw_text(self, gc: GraphicsContextBase, x: float, y: float, s: str, prop: Any,
                  angle: float, ismath: Any = False, mtext: Any = None) -> None:
        if ismath:
            s = s.replace("$", "")
        painter = self.painter
        painter.save()
        self._clip(gc)
        font = QFont(prop.get_name() or "DejaVu Sans")
        font.setPixelSize(max(1, round(self.points_to_pixels(prop.get_size_in_points()))))
        font.setWeight(QFont.Weight.Bold if str(prop.get_weight()) in ("bold", "700", "heavy",
                                                                         "black")
                       else QFont.Weight.Normal)
        font.setItalic(prop.get_style() == "italic")
        painter.setFont(font)
        alpha = gc.get_alpha() if gc.get_forced_alpha() else None
        painter.setPen(_colour(gc.get_rgb(), alpha))
        painter.translate(x, y)  # with flipy() True, matplotlib hands text y already top-down
        if angle:
            painter.rotate(-angle)
        painter.drawText(QPointF(0, 0), s)  # x, y: the start of the baseline
        painter.restore()

    def new_gc(self) -> GraphicsContextBase:
        return GraphicsContextBase()

    def option_image_nocomposite(self) -> bool:
        return True


class _Canvas(FigureCanvasBase):
    pass


def paint_figure(figure: Figure, painter: QPainter, target: QRectF) -> None:
    """Draw ``figure`` into ``target`` (painter coordinates), as vectors and text."""
    dpi = figure.dpi
    width, height = figure.get_size_inches() * dpi
    _Canvas(figure)
    renderer = _Renderer(painter, float(width), float(height), dpi)
    painter.save()
    painter.setClipRect(target)
    painter.translate(target.topLeft())
    painter.scale(target.width() / width, target.height() / height)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    figure.draw(renderer)
    painter.restore()
