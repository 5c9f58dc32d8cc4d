"""``--exit-after-startup``: wait for the window's first paint, print the time, quit."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class _FirstPaint(QObject):
    def __init__(self, window: QWidget, t0: float) -> None:
        super().__init__(window)
        self.t0 = t0
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.done:
            self.done = True
            QTimer.singleShot(0, self.finish)
        return False

    def finish(self) -> None:
        now = time.perf_counter()
        # the clock's own reading too: perf_counter is system-wide, so bench/startup.py can
        # measure from the moment it started this process to the paint
        print(f"startup: first paint after {now - self.t0:.3f} s (clock {now:.6f})", flush=True)
        app = QApplication.instance()
        assert app is not None, "a window paints only in a running application"
        app.quit()


def quit_after_first_paint(window: QWidget, t0: float) -> None:
    watcher = _FirstPaint(window, t0)
    window.installEventFilter(watcher)
    # Offscreen platforms may paint before the filter is installed; a full repaint makes sure.
    window.update()
    # Never hang a smoke test: give up after 30 s with a failure status.
    QTimer.singleShot(30_000, _give_up)


def _give_up() -> None:
    print("startup: no paint within 30 s", flush=True)
    app = QApplication.instance()
    assert app is not None, "the timer runs only in a running application"
    app.exit(1)
