"""The main window as a user meets it: first run, the demo, navigation, File menu."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QLabel

from hpgjournal.demo import load_recipe, printed_values
from hpgjournal.domain.records import LabResult


def test_fonts_are_installed(qapp):
    # Without any font Qt draws black boxes and says nothing (env_probe.md section 4).
    assert QFontInfo(QApplication.font()).family()


def test_empty_journal_greets_with_three_ways_in(window, qtbot, tmp_path):
    window.open_journal(tmp_path / "new.hpgjournal")
    window.show()
    qtbot.waitExposed(window)
    assert window.stack.currentWidget() is window.welcome
    assert set(window.welcome.buttons) == {"demo", "import", "add"}
    hidden = [window.nav.item(r).isHidden() for r in range(window.nav.count())]
    assert hidden[0] is False and all(hidden[1:6])


def test_welcome_opens_the_demo(window, qtbot, tmp_path):
    window.open_journal(tmp_path / "new.hpgjournal")
    window.show()
    qtbot.mouseClick(window.welcome.buttons["demo"], Qt.MouseButton.LeftButton)
    assert window.journal is not None and window.journal.path.name == "demo.hpgjournal"
    assert window.stack.currentWidget() is window.page("overview")
    assert window.journal.count(LabResult) == printed_values(load_recipe())
    assert "demo.hpgjournal" in window.windowTitle()


def test_dashboard_shows_latest_key_markers(window, qtbot, demo_path):
    window.open_journal(demo_path)
    window.show()
    texts = [w.text() for w in window.page("overview").findChildren(QLabel)]
    joined = "\n".join(texts)
    assert "Total testosterone" in joined
    assert "458 ng/dL" in joined  # the demo's newest total T
    assert "Recovery monitoring" in joined
    assert "Current phase" in joined


def test_lab_table_lists_filters_and_flags(window, qtbot, demo_path):
    window.open_journal(demo_path)
    window.show_page("labs")
    labs = window.page("labs")
    assert window.stack.currentWidget() is labs
    total = labs.proxy.rowCount()
    assert total == window.journal.count(LabResult)
    qtbot.keyClicks(labs.filter, "hematocrit")
    shown = labs.proxy.rowCount()
    assert 0 < shown < total
    assert "match the filter" in labs.count.text()
    flags = {labs.proxy.index(r, 5).data() for r in range(shown)}
    assert "H" in flags  # the demo's high hematocrit on TRT


def test_keyboard_navigation_between_pages(window, qtbot, demo_path):
    window.open_journal(demo_path)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.nav, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.page("phases")
    assert window.page("phases").proxy.rowCount() == 7


def test_a_journal_that_cannot_be_opened_keeps_the_current_one(window, demo_path, tmp_path):
    window.open_journal(demo_path)
    bad = tmp_path / "bad.hpgjournal"
    bad.write_text("not a journal")
    assert window._try_open(bad) is False
    assert window.journal is not None and window.journal.path == demo_path


def test_recent_journals_are_remembered(window, demo_path, tmp_path):
    window.open_journal(tmp_path / "other.hpgjournal")
    window.open_journal(demo_path)
    entries = [a.text() for a in window.recent_menu.actions()]
    assert entries[0].endswith(str(demo_path)) and len(entries) == 2


def test_reopening_on_the_same_page_shows_the_new_journal(window, demo_path, tmp_path):
    import shutil

    from hpgjournal.domain.records import Note
    from hpgjournal.store.journal import Journal

    window.open_journal(demo_path)
    window.show_page("symptoms")
    before = window.page("symptoms").proxy.rowCount()
    other = tmp_path / "other.hpgjournal"
    window.close_journal()
    shutil.copy(demo_path, other)
    with Journal.open(other) as journal:
        journal.add(Note(None, "2026-11-20", text="one more"))
    window.open_journal(other)
    window.show_page("symptoms")
    assert window.page("symptoms").proxy.rowCount() == before + 1


def test_help_sources_lists_every_source_and_the_documents_corrected_references(window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox, QTextBrowser

    from hpgjournal.charts import default_knowledge

    from .helpers import with_modal

    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    sources = next(a for a in help_menu.actions() if a.text() == "&Sources")
    seen = {}

    def play(dialog):
        text = dialog.findChild(QTextBrowser).toPlainText()
        seen["text"] = text
        close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)

    with_modal(sources.trigger, play)
    text = seen["text"]
    kb = default_knowledge()
    for source in kb.sources.values():  # every source, with how far it was checked
        assert source.short in text
    # the document's wrong citation, then the right one
    wrong = text.index("Coward & Smith (2016)")
    assert text.index("Right reference: McBride JA, Coward RM", wrong) > wrong
    assert "Brito & Knoepfelmacher" in text and "not found in any index searched" in text
    assert "Its study could not be traced." in text and "Shoshany" in text  # the table's caveat
    assert "Medication classes" in text and "Agents" in text
    assert "a clinic's protocol (not evidence)" in text
    assert "what counts as a real change" in text  # the variation studies say what they support
    assert not window.sources_dialog.isVisible()
