"""make_icons renders the SVG at every size, and the running app uses the same icon."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from .helpers import ROOT, load_script

ACCENT = (0x2D, 0x6A, 0x9F)


@pytest.fixture(scope="module")
def icons(tmp_path_factory: pytest.TempPathFactory):
    make_icons = load_script("make_icons.py")
    out = tmp_path_factory.mktemp("icons")
    return make_icons, out, make_icons.make_icons(out)


def _close_to(rgb: tuple[int, ...], target: tuple[int, int, int], tolerance: int) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(rgb, target, strict=False))


def test_every_size_is_drawn_with_a_transparent_margin(icons):
    make_icons, _, written = icons
    for size in make_icons.SIZES:
        with Image.open(written[f"png-{size}"]) as png:
            image = png.convert("RGBA")
        assert image.size == (size, size)
        assert image.getpixel((0, 0))[3] == 0, f"{size} px: the corner should be transparent"
        pixels = np.asarray(image).reshape(-1, 4).astype(int)
        opaque = pixels[pixels[:, 3] == 255]
        assert len(opaque) > 0.6 * size * size, f"{size} px: too little is drawn"
        # the face is the accent blue, with the white line over it
        blue = (np.abs(opaque[:, :3] - ACCENT) <= 24).all(axis=1)
        assert blue.any(), f"{size} px: no accent colour"
        assert (opaque[:, :3].min(axis=1) > 235).any(), f"{size} px: no white line"


def test_ico_and_icns_hold_the_drawn_sizes(icons):
    make_icons, _, written = icons
    with Image.open(written["ico"]) as ico:
        assert ico.format == "ICO"
        assert set(ico.info["sizes"]) == {(s, s) for s in make_icons.ICO_SIZES}
    with Image.open(written["icns"]) as icns:
        assert icns.format == "ICNS"
        assert {s[:2] for s in icns.info["sizes"]} >= {(16, 16), (32, 32), (128, 128),
                                                       (256, 256), (512, 512)}
        assert icns.size == (1024, 1024)


def test_icons_are_current_until_the_svg_changes(icons, tmp_path):
    make_icons, out, _ = icons
    assert make_icons.icons_current(out)
    assert not make_icons.icons_current(tmp_path)  # nothing rendered there


@pytest.mark.gui
def test_qt_renders_the_svg_as_the_window_icon(qapp):
    from PySide6.QtGui import QIcon

    icon = QIcon(str(ROOT / "hpgjournal" / "resources" / "icons" / "hpgjournal.svg"))
    for size in (16, 48, 256):
        image = icon.pixmap(size, size).toImage()
        assert image.width() == size
        corner, centre_left = image.pixelColor(0, 0), image.pixelColor(size // 4, size * 3 // 4)
        assert corner.alpha() == 0
        assert _close_to((centre_left.red(), centre_left.green(), centre_left.blue()), ACCENT, 24)
