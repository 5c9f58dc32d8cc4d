"""A change reloads only the pages that show what changed (issue 20): logging a dose reads the
dose log again, and the body measures and lab results pages stay as they were."""

from __future__ import annotations

from PySide6.QtCore import Qt

from hpgjournal.domain.records import Dose, Measure, Medication
from hpgjournal.store.journal import Journal

from .helpers import with_modal


def count_loads(window, keys):
    """Wrap each page's load so the test sees which pages read the journal."""
    loads = dict.fromkeys(keys, 0)
    for key in keys:
        page = window.page(key)
        original = page.load

        def counted(journal, key=key, original=original):
            loads[key] += 1
            original(journal)

        page.load = counted
    return loads


def test_logging_a_dose_reloads_the_dose_log_and_not_the_measures(window, qtbot, tmp_path):
    path = tmp_path / "j.hpgjournal"
    with Journal.open(path) as journal:
        med = journal.add(Medication(None, "hCG", "2026-01-01", "gonadotropin", "subq", 500,
                                     "IU", "twice weekly", 3.5))
        journal.add(Dose(None, "2026-01-02T21:00", "hCG", 500, "IU", "abdomen left", "", med))
        journal.add(Measure(None, "2026-01-03", 15, 14, "orchidometer", 88.0, None, None, ""))
    window.open_journal(path)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    opened = window
    for key in ("measures", "labs", "symptoms", "charts", "medications"):
        opened.show_page(key)  # each page built and filled once
    loads = count_loads(opened, ["measures", "labs", "symptoms", "charts", "medications",
                                 "overview"])
    before = len(opened.journal.all(Dose))

    def play(dialog):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)  # Enter saves

    with_modal(lambda: qtbot.keyClick(opened, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier),
               play)
    assert len(opened.journal.all(Dose)) == before + 1
    assert loads["medications"] == 1  # on screen: read again at once
    for key in ("measures", "labs", "symptoms", "charts", "overview"):
        qtbot.mouseClick(opened.nav.viewport(), Qt.MouseButton.LeftButton,
                         pos=opened.nav.visualItemRect(nav_item(opened, key)).center())
        assert opened.stack.currentWidget() is opened.page(key)
    assert loads["measures"] == 0 and loads["symptoms"] == 0
    # they show doses (the lab table: the time since a dose and the model's interval)
    assert loads["charts"] == 1 and loads["overview"] == 1 and loads["labs"] == 1
    opened.undo_group.undo()  # undo is a change too: the dose log and the charts again
    assert len(opened.journal.all(Dose)) == before
    assert loads["overview"] == 2 and loads["measures"] == 0


def nav_item(window, key):
    from PySide6.QtCore import Qt as _Qt

    for row in range(window.nav.count()):
        item = window.nav.item(row)
        if item.data(_Qt.ItemDataRole.UserRole) == key:
            return item
    raise KeyError(key)
