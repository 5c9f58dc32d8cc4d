"""Driving modal dialogs from tests: the action opens the dialog, a callback plays the user."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox, QWidget


def with_modal(action: Callable[[], Any], play: Callable[[QWidget], None], *,
               timeout_ms: int = 5000) -> Any:
    """Run ``action`` (which opens a modal dialog) and let ``play`` drive that dialog.

    If ``play`` leaves the dialog open, it is rejected so that a failing test never hangs.
    """
    seen: list[QWidget] = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, drive)
            return
        seen.append(dialog)
        dialog.activateWindow()  # as a window manager would: focus events need an active window
        QApplication.processEvents()
        try:
            play(dialog)
        finally:
            if dialog.isVisible():
                QTimer.singleShot(timeout_ms, lambda: dialog.isVisible() and dialog.reject())

    QTimer.singleShot(0, drive)
    result = action()
    assert seen, "no dialog opened"
    return result


def answer(button: QMessageBox.StandardButton) -> Callable[[QWidget], None]:
    def play(box: QWidget) -> None:
        assert isinstance(box, QMessageBox), f"expected a question, got {type(box).__name__}"
        box.button(button).click()

    return play


def close_with_save(dialog: QDialog) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    box = dialog.findChild(QDialogButtonBox)
    box.button(QDialogButtonBox.StandardButton.Save).click()


def press_save(qtbot: Any, dialog: QWidget) -> None:
    """Click the dialog's Save button with the mouse."""
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_planned(qtbot: Any, dialog: Any) -> None:
    """Wait until the import dialog has read its files (a plan, the mapping step or a message)."""
    qtbot.waitUntil(lambda: dialog.plan is not None or dialog.stack.currentIndex() == 1
                    or (dialog.message.text() and dialog.message.text() != "Reading…"),
                    timeout=20000)
