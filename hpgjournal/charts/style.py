"""The charts' look: colours, sizes and the shapes of censored-value arrows.

Phase colours come from :data:`hpgjournal.domain.phases.PHASE_KINDS`, so lanes, dose ticks and
expected bands of one phase share a colour. The user's values are drawn in dark, unsaturated
colours that stand apart from every phase colour.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from hpgjournal.domain.phases import PHASE_KINDS

# One colour and marker per assay method of a marker (the first series gets the first).
SERIES_COLOURS = ("#1b2a41", "#8a3b12", "#3f5f3f", "#5b3f7a")
SERIES_MARKERS = ("o", "s", "^", "v")
DERIVED_MARKER = "D"
REFERENCE_FACE = "#6b7785"
REFERENCE_ALPHA = 0.10
OTHER_COLOUR = "#8c8c8c"  # doses of drugs that belong to no phase kind
BOUNDARY_COLOUR = "#a0a0a0"

# Expected bands: the source documents' statements are drawn stronger than literature-only ones.
ENVELOPE_ALPHA = {"seed": 0.30, "literature": 0.14}
ENVELOPE_EDGE: dict[str, Literal["-", "--"]] = {"seed": "-", "literature": "--"}
LEGEND_ENVELOPE_FACE = {"seed": "#b3b3b3", "literature": "#e3e3e3"}

FONT_SIZE = 8.5
TITLE_SIZE = 10.0

SHORT_PHASE_LABELS = {
    "baseline": "Baseline", "trt": "TRT", "washout": "Washout", "hcg": "hCG",
    "serm_clomiphene": "Clomiphene", "serm_tamoxifen": "Tamoxifen",
    "aromatase_inhibitor": "AI", "gonadorelin": "GnRH", "recovery": "Recovery",
}
TINY_PHASE_LABELS = {
    "baseline": "B", "trt": "T", "washout": "W", "hcg": "hCG", "serm_clomiphene": "C",
    "serm_tamoxifen": "Tx", "aromatase_inhibitor": "AI", "gonadorelin": "G", "recovery": "R",
}


def phase_colour(kind: str) -> str:
    known = PHASE_KINDS.get(kind)
    return known.colour if known else OTHER_COLOUR


def luminance(hex_colour: str) -> float:
    """The relative luminance of ``#rrggbb`` (WCAG 2.x)."""
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(hex_colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours: 1 (none) to 21 (black on white)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour_on(hex_colour: str) -> str:
    """Near-black or white, whichever has the higher contrast on ``hex_colour``."""
    dark = "#1a1a1a"
    return dark if contrast_ratio(dark, hex_colour) > contrast_ratio("#ffffff", hex_colour) \
        else "white"


@lru_cache(maxsize=2)
def censored_arrow(direction: str) -> Any:
    """A marker path: a short stem and arrowhead pointing away from a censored value.

    The point itself sits at (0, 0); the stem starts just outside the open circle drawn there.
    """
    from matplotlib.path import Path

    sign = -1.0 if direction == "down" else 1.0
    vertices = [(0.0, sign * 0.32), (0.0, sign * 1.0), (-0.28, sign * 0.7), (0.0, sign * 1.0),
                (0.28, sign * 0.7)]
    codes = [Path.MOVETO, Path.LINETO, Path.MOVETO, Path.LINETO, Path.LINETO]
    return Path(vertices, codes)
