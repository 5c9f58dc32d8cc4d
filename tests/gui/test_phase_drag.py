"""Dragging a phase on the timeline as a user does: the new dates are shown while dragging,
an overlap that cannot be true (a washout during TRT) is asked about, one that can (hCG on
a SERM) is named, and a short span never shows a cut name."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from hpgjournal.charts.style import SHORT_PHASE_LABELS, TINY_PHASE_LABELS
from hpgjournal.domain.phases import phase_label
from hpgjournal.domain.records import Phase
from hpgjournal.ui.timeline import PhaseTimeline

from .helpers import press_save, with_modal


def phase(window, kind):
    return next(p for p in window.journal.all(Phase) if p.kind == kind)


def grab_and_move(qtbot, timeline, record, dx):
    rect = timeline.span_rect(record)
    start = QPoint(int(rect.center().x()), int(rect.center().y()))
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(timeline, start + QPoint(dx, 0))
    return start + QPoint(dx, 0)


def setup(opened):
    opened.show_page("phases")
    page = opened.page("phases")
    return page, page.timeline


def test_dragging_shows_the_new_dates_and_the_overlap_then_names_it(opened, qtbot):
    page, timeline = setup(opened)
    hcg = phase(opened, "hcg")
    end = grab_and_move(qtbot, timeline, hcg, 40)
    during = page.drag_info.text()
    shown = page.drag_info.isVisible()
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=end)
    moved = opened.journal.get(Phase, hcg.id)
    assert shown and during.startswith(f"hCG: {moved.start_date} to {moved.end_date}")
    assert "overlaps SERM: clomiphene" in during and "Cannot both be true" not in during
    assert not page.drag_info.isVisible()  # gone once the span is let go
    status = opened.statusBar().currentMessage()
    assert f"hCG now runs {moved.start_date} to {moved.end_date}" in status
    assert "overlaps SERM: clomiphene" in status and "Edit > Undo moves it back" in status


def test_a_move_into_a_drug_free_phase_is_asked_and_can_be_refused(opened, qtbot):
    page, timeline = setup(opened)
    trt = phase(opened, "trt")
    end = grab_and_move(qtbot, timeline, trt, 30)
    assert "Cannot both be true: TRT would share" in page.drag_info.text()
    assert "with Washout" in page.drag_info.text()
    seen = {}

    def keep(box):
        assert isinstance(box, QMessageBox)
        seen["text"] = box.text()
        seen["default"] = box.defaultButton().text()
        qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter keeps it where it was

    with_modal(lambda: qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=end), keep)
    assert "washout means no therapy drug is taken" in seen["text"]
    assert seen["default"] == "&Keep it where it was"
    assert opened.journal.get(Phase, trt.id) == trt

    end = grab_and_move(qtbot, timeline, trt, 30)

    def move(box):
        next(b for b in box.buttons() if b.text() == "&Move it").click()

    with_modal(lambda: qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=end), move)
    moved = opened.journal.get(Phase, trt.id)
    assert moved.end_date > trt.end_date
    opened.undo_group.undo()
    assert opened.journal.get(Phase, trt.id) == trt


def test_the_phase_dialog_warns_before_it_keeps_a_washout_inside_trt(opened, qtbot):
    trt = phase(opened, "trt")
    before = len(opened.journal.all(Phase))
    seen = {}

    def play(dialog):
        dialog.kind.setCurrentIndex(dialog.kind.findData("washout"))
        dialog.start.date.setFocus()
        dialog.start.date.selectAll()
        qtbot.keyClicks(dialog.start.date, "2024-05-01")
        dialog.has_end.setChecked(True)
        dialog.end.date.setFocus()
        dialog.end.date.selectAll()
        qtbot.keyClicks(dialog.end.date, "2024-05-20")
        press_save(qtbot, dialog)
        seen["open"] = dialog.isVisible()
        seen["warning"] = dialog.errors.text("start_date")
        seen["stored_meanwhile"] = len(opened.journal.all(Phase))
        press_save(qtbot, dialog)  # seen: keep it

    with_modal(lambda: opened.record_actions.add_phase(), play)
    assert seen["open"] and seen["stored_meanwhile"] == before
    assert ("Washout would share 2024-05-01 to 2024-05-20 (20 days) with TRT"
            in seen["warning"]), seen["warning"]
    assert "Press Save again" in seen["warning"]
    assert len(opened.journal.all(Phase)) == before + 1
    assert trt in opened.journal.all(Phase)


def test_a_short_span_shows_its_whole_name_beside_it_or_none(opened, qtbot):
    _page, timeline = setup(opened)
    records = opened.journal.all(Phase)
    metrics = timeline.fontMetrics()
    for record in records:
        placed = timeline.label_place(record)
        rect = timeline.span_rect(record)
        names = [phase_label(record.kind), SHORT_PHASE_LABELS.get(record.kind, "")]
        tiny = TINY_PHASE_LABELS[record.kind]
        if placed is None:
            assert all(metrics.horizontalAdvance(n) + 12 > rect.width() for n in names), record
            assert metrics.horizontalAdvance(tiny) + 6 > rect.width(), record
            continue
        room, inside, text = placed
        assert text in [*names, tiny] and room.width() >= metrics.horizontalAdvance(text)
        if inside:
            assert rect.contains(room)
        else:
            assert room.left() >= rect.right() and room.right() <= timeline.width()
            for other in records:
                if other.id != record.id and timeline.lanes[other.id] == timeline.lanes[record.id]:
                    assert not timeline.span_rect(other).intersects(room)
    washout = phase(opened, "washout")
    assert timeline.label_place(washout) is None  # 14 days, hCG right after it on its lane
    assert timeline.label_place(phase(opened, "trt"))[1:] == (True, "TRT")  # two years
    wide = PhaseTimeline(today=timeline.today)  # a wide strip: the short name fits inside
    qtbot.addWidget(wide)
    wide.set_phases(records)
    wide.resize(1100, wide.height())
    assert wide.label_place(phase(opened, "serm_clomiphene"))[1:] == (True, "Clomiphene")
    narrow = PhaseTimeline(today=timeline.today)  # the strip in a 1024-pixel window
    qtbot.addWidget(narrow)
    narrow.set_phases(records)
    narrow.resize(740, narrow.height())
    # too short for "Clomiphene", hemmed in by the next phase: the chart lane's letter, not colour
    assert narrow.label_place(phase(opened, "serm_clomiphene"))[1:] == (True, "C")


def test_the_timeline_works_from_the_keyboard(opened, qtbot):
    """Tab to the strip, arrows go from phase to phase, Alt+Right moves one by a day and
    Enter opens it; what the keyboard is on is said under the strip."""
    page, timeline = setup(opened)
    page.table.filter.setFocus()
    qtbot.keyClick(page.table.filter, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is timeline
    assert page.drag_info.text().startswith("Recovery monitoring: ")  # the running phase
    qtbot.keyClick(timeline, Qt.Key.Key_Tab)  # the strip is read before the table under it
    assert QApplication.focusWidget() is page.table.table
    qtbot.keyClick(page.table.table, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is timeline
    qtbot.keyClick(timeline, Qt.Key.Key_Home)
    base = phase(opened, "baseline")
    assert page.drag_info.text() == f"Baseline: {base.start_date} to {base.end_date}"
    for _ in range(3):
        qtbot.keyClick(timeline, Qt.Key.Key_Right)
    hcg = phase(opened, "hcg")
    assert timeline.current == hcg.id
    qtbot.keyClick(timeline, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    moved = opened.journal.get(Phase, hcg.id)
    day = timedelta(days=1)
    assert moved.start_date == (date.fromisoformat(hcg.start_date) + day).isoformat()
    assert moved.end_date == (date.fromisoformat(hcg.end_date) + day).isoformat()
    assert "overlaps SERM: clomiphene" in opened.statusBar().currentMessage()
    opened.undo_group.undo()
    assert opened.journal.get(Phase, hcg.id) == hcg
    seen = {}

    def keep(box):
        seen["question"] = box.text()
        qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter keeps it where it was

    # a day earlier, hCG would start on the washout's last day: asked first
    with_modal(lambda: qtbot.keyClick(timeline, Qt.Key.Key_Left,
                                      Qt.KeyboardModifier.AltModifier), keep)
    assert "with Washout" in seen["question"]
    assert opened.journal.get(Phase, hcg.id) == hcg
    edited = {}

    def look(dialog):
        edited["title"] = dialog.windowTitle()
        edited["start"] = dialog.start.date.text()
        dialog.reject()

    with_modal(lambda: qtbot.keyClick(timeline, Qt.Key.Key_Return), look)
    assert edited == {"title": "Edit phase", "start": hcg.start_date}
