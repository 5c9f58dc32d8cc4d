"""What a screen reader and a keyboard user get: every control has a name, and a form
label's Alt letter moves the cursor into the field it names."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QWidget

from hpgjournal.ui.forms import label_text

from .helpers import with_modal
from .test_tab_order import DIALOGS


def unnamed(root: QWidget) -> list[str]:
    """Controls reachable with Tab that a screen reader could not name."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if isinstance(widget.parent(), QComboBox):
            continue  # an editable box's own line edit: the box carries the name
        if widget.accessibleName().strip():
            continue
        if isinstance(widget, QAbstractButton) and widget.text().replace("&", "").strip():
            continue
        hint = getattr(widget, "placeholderText", lambda: "")()
        found.append(f"{type(widget).__name__}({widget.objectName() or hint})")
    return found


@pytest.mark.parametrize("name", list(DIALOGS))
def test_every_control_of_every_dialog_has_a_name(opened, qtbot, name):
    seen = {}

    def play(dialog):
        seen["unnamed"] = unnamed(dialog)
        dialog.reject()

    with_modal(DIALOGS[name](opened), play)
    assert seen["unnamed"] == []


def test_a_form_labels_alt_letter_moves_the_cursor_into_its_field(opened, qtbot):
    """Alt+V in the add-result dialog goes to the value box, not to the box around it."""
    seen = {}

    def play(dialog):
        dialog.marker.setFocus()
        qtbot.keyClick(dialog, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
        seen["value"] = QApplication.focusWidget() is dialog.value
        qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
        seen["range"] = QApplication.focusWidget() is dialog.range
        qtbot.keyClick(dialog, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
        seen["date"] = QApplication.focusWidget() is dialog.when.date
        seen["names"] = (dialog.value.accessibleName(), dialog.unit.accessibleName(),
                         dialog.when.date.accessibleName(), dialog.when.time.accessibleName())
        dialog.reject()

    with_modal(opened.record_actions.add_lab, play)
    assert seen["value"] and seen["range"] and seen["date"]
    assert seen["names"] == ("Value", "Unit", "Date and time", "Time")


def test_the_blood_test_panel_names_each_rows_fields_after_its_marker(opened, qtbot):
    seen = {}

    def play(dialog):
        picker, value, unit, ref, _error = dialog.rows[0]
        seen["before"] = value.accessibleName()
        picker.setFocus()
        picker.lineEdit().selectAll()
        qtbot.keyClicks(picker.lineEdit(), "LH")
        seen["after"] = (value.accessibleName(), unit.accessibleName(), ref.accessibleName())
        dialog.reject()

    with_modal(opened.record_actions.add_panel, play)
    assert seen["before"].endswith(": value")
    assert seen["after"] == ("LH: value", "LH: unit", "LH: reference range")


def test_the_report_page_mnemonics_do_not_clash(opened, qtbot):
    page = opened.page("report")
    opened.show_page("report")
    labels = [label_text(b) for b in (page.save_button, page.preview_button, page.print_button)]
    letters = [b.text().split("&")[1][0].lower() for b in
               (page.save_button, page.preview_button, page.print_button)]
    assert labels == ["Save as PDF…", "Preview…", "Print…"]
    assert len(set(letters)) == 3 and "p" not in letters and "v" not in letters  # Period, View
    page.units.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is page.preset


def test_every_control_of_the_import_preview_has_a_name(opened, qtbot, tmp_path):
    path = tmp_path / "befund.csv"
    path.write_text("Datum,Test,Ergebnis,Einheit\n2026-03-04,Testo gesamt,18.9,nmol/L\n",
                    encoding="utf-8")
    seen = {}

    def play(dialog):
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=20000)
        seen["unnamed"] = unnamed(dialog)
        seen["name box"] = dialog.name_choices["Testo gesamt"].accessibleName()
        dialog.reject()

    with_modal(lambda: opened.import_files([path]), play)
    assert seen["unnamed"] == []
    assert seen["name box"] == "Marker for Testo gesamt"
