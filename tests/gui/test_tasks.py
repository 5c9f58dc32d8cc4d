"""Background work: results and errors come back to the UI thread; Cancel stops the work."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtWidgets import QWidget

from hpgjournal.ui.tasks import run_task


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_result_and_progress(parent, qtbot):
    ui_thread = threading.get_ident()
    seen_threads = []

    def work(progress, cancelled):
        seen_threads.append(threading.get_ident())
        for i in range(5):
            progress(i + 1, 5)
            time.sleep(0.05)
        return "done"

    task = run_task(parent, work, "Test", "Working…")
    with qtbot.waitSignal(task.finished, timeout=5000) as blocker:
        pass
    assert blocker.args == ["done"]
    assert seen_threads and seen_threads[0] != ui_thread  # the work ran off the UI thread


def test_cancel_stops_the_work(parent, qtbot):
    steps = []

    def work(progress, cancelled):
        for i in range(500):
            if cancelled():
                return ("cancelled", i)
            steps.append(i)
            time.sleep(0.01)
        return ("finished", 500)

    task = run_task(parent, work, "Test", "Working…")
    qtbot.waitUntil(lambda: len(steps) > 3, timeout=3000)
    from PySide6.QtWidgets import QPushButton

    task.dialog.findChild(QPushButton).click()  # the user presses Cancel
    with qtbot.waitSignal(task.finished, timeout=5000) as blocker:
        pass
    outcome, at = blocker.args[0]
    assert outcome == "cancelled" and at < 500 and task.cancelled


def test_errors_reach_the_ui_thread(parent, qtbot):
    def work(progress, cancelled):
        raise ValueError("the file is broken")

    task = run_task(parent, work, "Test", "Working…")
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], ValueError)


def test_closing_the_window_stops_a_running_task(qtbot):
    widget = QWidget()
    stopped = []

    def work(progress, cancelled):
        while not cancelled():
            time.sleep(0.01)
        stopped.append(True)

    run_task(widget, work, "Test", "Working…")
    qtbot.wait(50)
    widget.deleteLater()
    qtbot.waitUntil(lambda: stopped == [True], timeout=3000)


def test_no_garbage_is_collected_off_the_ui_thread_while_a_task_runs(qtbot, qapp):
    """The collector would free UI objects from the worker: it is off until the task ends,
    then back on (with one collection) on the UI thread."""
    import gc

    from PySide6.QtWidgets import QWidget

    from hpgjournal.ui.tasks import run_task

    parent = QWidget()
    qtbot.addWidget(parent)
    seen = []

    def work(progress, cancelled):
        seen.append(gc.isenabled())
        return 1

    assert gc.isenabled()
    task = run_task(parent, work, "t", "working")
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert seen == [False] and gc.isenabled()
