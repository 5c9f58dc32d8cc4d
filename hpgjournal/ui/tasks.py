"""Long work off the UI thread, with a progress dialog and Cancel.

``run_task`` starts ``work(progress, cancelled)`` on a QThread. ``progress(done, total)`` may
be called from the worker as often as it likes (updates are coalesced); ``cancelled()`` turns
True once the user pressed Cancel, and the work should then stop without writing anything.
The dialog appears only if the work takes longer than a moment.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger("hpgjournal.ui")
Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class _Worker(QThread):
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.cancel_event = threading.Event()
        self.progress_value = (0, 0)

    def run(self) -> None:
        def progress(done: int, total: int) -> None:
            self.progress_value = (done, total)

        try:
            result = self.work(progress, self.cancel_event.is_set)
        except BaseException as exc:  # delivered to the UI thread, which shows or re-raises it
            self.failed.emit(exc)
        else:
            self.done.emit(result)


class Task(QObject):
    """A running piece of work; ``finished(result)`` or ``failed(exception)`` ends it."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QWidget, work: Work, title: str, label: str,
                 show_after_ms: int = 400) -> None:
        super().__init__(parent)
        self.worker = _Worker(work, self)
        self.dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setMinimumDuration(show_after_ms)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._poll)
        self.worker.done.connect(self._done)
        self.worker.failed.connect(self._failed)
        self.started_at = time.perf_counter()
        self.result: Any = None
        self.error: BaseException | None = None
        # Closing the window mid-task must not destroy a running thread: stop it and wait.
        parent.destroyed.connect(self.stop)

    def stop(self) -> None:
        self.worker.cancel_event.set()
        self.worker.wait()
        self._release()

    def _release(self) -> None:
        if getattr(self, "_held", False):
            self._held = False
            _release_gc()

    def start(self) -> Task:
        _hold_gc()
        self._held = True
        self.timer.start()
        self.worker.start()
        return self

    def cancel(self) -> None:
        self.worker.cancel_event.set()
        self.dialog.setLabelText("Cancelling…")

    @property
    def cancelled(self) -> bool:
        return self.worker.cancel_event.is_set()

    def _poll(self) -> None:
        done, total = self.worker.progress_value
        if total:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    def _finish(self) -> None:
        self.timer.stop()
        self.worker.wait()
        self._release()
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()

    def _done(self, result: Any) -> None:
        self._finish()
        self.result = result
        self.finished.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.error = exc
        self.failed.emit(exc)


# The cyclic garbage collector runs in whichever thread happens to allocate. Run in a worker,
# it may free Qt objects that belong to the UI thread, which crashes (a segmentation fault in
# the import dialog's tests, now and then). So while any task runs, automatic collection is off,
# and it comes back, with one collection, on the UI thread when the last task ends.
_gc_holds = [0, False]  # running tasks, whether the collector was on before the first


def _hold_gc() -> None:
    if _gc_holds[0] == 0:
        _gc_holds[1] = gc.isenabled()
        gc.disable()
    _gc_holds[0] += 1


def _release_gc() -> None:
    if _gc_holds[0] == 0:
        return
    _gc_holds[0] -= 1
    if _gc_holds[0] == 0 and _gc_holds[1]:
        gc.enable()
        gc.collect()


def run_task(parent: QWidget, work: Work, title: str, label: str) -> Task:
    return Task(parent, work, title, label).start()
