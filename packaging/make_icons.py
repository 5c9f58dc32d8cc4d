"""Render the app icon's PNG, ICO and ICNS files from hpgjournal/resources/icons/hpgjournal.svg.

The SVG is the only icon kept in git; everything written here is a build product:

    .venv/bin/python packaging/make_icons.py [--out build/icons]

writes ``hpgjournal-<size>.png`` for every size in SIZES, ``hpgjournal.ico`` (Windows) and
``hpgjournal.icns`` (macOS). Rendering uses Qt's SVG renderer on the offscreen platform, so it
works without a display; Pillow (installed with matplotlib) writes the ICO and ICNS containers.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "hpgjournal" / "resources" / "icons" / "hpgjournal.svg"
DEFAULT_OUT = ROOT / "build" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # the ICO format stops at 256
ICNS_SIZES = (16, 32, 64, 128, 256, 512)  # drawn sizes handed to the ICNS writer
ICNS_BASE = 1024  # the ICNS format's largest entry (512 px at 2x), rendered for it alone


def png_name(size: int) -> str:
    return f"hpgjournal-{size}.png"


def _qt_app() -> object:
    """A QGuiApplication on the offscreen platform (reuses one that already exists)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(sys.argv[:1])


def render_png(svg: Path, size: int, target: Path) -> None:
    """Draw ``svg`` into a transparent ``size`` x ``size`` image and save it as PNG."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _qt_app()
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {svg} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target), "PNG"):
        raise SystemExit(f"make_icons: cannot write {target}")


def make_icons(out: Path = DEFAULT_OUT, svg: Path = SVG) -> dict[str, Path]:
    """Write every icon file into ``out``; return them by name (``png-16`` …, ``ico``, ``icns``)."""
    from PIL import Image

    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for size in SIZES:
        target = out / png_name(size)
        render_png(svg, size, target)
        written[f"png-{size}"] = target
    big_png = out / png_name(ICNS_BASE)
    render_png(svg, ICNS_BASE, big_png)
    written[f"png-{ICNS_BASE}"] = big_png
    with Image.open(big_png) as big:
        ico_images = [Image.open(written[f"png-{s}"]) for s in ICO_SIZES]
        icns_images = [Image.open(written[f"png-{s}"]) for s in ICNS_SIZES]
        try:
            # Pillow scales down from the first image unless a drawn one of that size is given.
            ico_images[-1].save(out / "hpgjournal.ico", format="ICO",
                                sizes=[(s, s) for s in ICO_SIZES], append_images=ico_images[:-1])
            big.save(out / "hpgjournal.icns", format="ICNS", append_images=icns_images)
        finally:
            for image in ico_images + icns_images:
                image.close()
    written["ico"] = out / "hpgjournal.ico"
    written["icns"] = out / "hpgjournal.icns"
    return written


def icons_current(out: Path = DEFAULT_OUT, svg: Path = SVG) -> bool:
    """True when every icon file in ``out`` exists and is newer than the SVG."""
    names = [png_name(s) for s in (*SIZES, ICNS_BASE)] + ["hpgjournal.ico", "hpgjournal.icns"]
    source_time = svg.stat().st_mtime
    return all((out / n).is_file() and (out / n).stat().st_mtime >= source_time for n in names)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"folder to write into (default: {DEFAULT_OUT.relative_to(ROOT)})")
    parser.add_argument("--svg", type=Path, default=SVG, help="the source SVG")
    args = parser.parse_args(argv)
    written = make_icons(args.out, args.svg)
    print(f"make_icons: {len(written)} files written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
