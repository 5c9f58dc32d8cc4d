"""The app's own colours pass WCAG AA: text 4.5:1 on every background it is drawn on, in
the light and the dark theme; phase colours carry white names and stand on white charts."""

from __future__ import annotations

import pytest

from hpgjournal.charts.style import contrast_ratio, text_colour_on
from hpgjournal.domain.phases import PHASE_KINDS
from hpgjournal.ui.style import BACKGROUND_ROLES, TEXT_ROLES, THEMES


def test_the_ratio_is_the_wcag_one():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("theme", list(THEMES))
def test_every_text_colour_reads_on_every_background_of_its_theme(theme):
    colours = THEMES[theme]
    failing = [(text, back, round(contrast_ratio(colours[text], colours[back]), 2))
               for text in TEXT_ROLES for back in BACKGROUND_ROLES
               if contrast_ratio(colours[text], colours[back]) < 4.5]
    assert failing == []


@pytest.mark.parametrize("theme", list(THEMES))
def test_selected_navigation_and_placeholder_text_read(theme):
    colours = THEMES[theme]
    assert contrast_ratio(colours["on_accent"], colours["accent"]) >= 4.5
    assert contrast_ratio(colours["text"], colours["tooltip"]) >= 4.5
    assert contrast_ratio(colours["text"], colours["nav_hover"]) >= 4.5


def test_phase_colours_carry_white_names_and_show_on_white_and_dark_backgrounds():
    dark = THEMES["dark"]
    for kind in PHASE_KINDS.values():
        assert contrast_ratio("#ffffff", kind.colour) >= 4.5, kind.key
        assert text_colour_on(kind.colour) == "white", kind.key
        assert contrast_ratio(kind.colour, dark["base"]) >= 3.0, kind.key  # the timeline


def test_the_chart_label_colour_is_chosen_by_contrast():
    assert text_colour_on("#ffd54f") == "#1a1a1a"  # a light yellow takes dark text
    assert text_colour_on("#1b2a41") == "white"
