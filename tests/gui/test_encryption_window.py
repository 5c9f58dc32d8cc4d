"""An encrypted journal in the window (issue 16): File > Encrypt journal..., opening with the
passphrase (a wrong one said, never a damaged file), Change passphrase, Remove encryption, a new
encrypted journal, the keyring's "remember", restoring an encrypted backup. Each through the
menu and the dialog's own fields and buttons."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QWidget,
)

from hpgjournal.domain.errors import WrongPassphrase
from hpgjournal.store.encryption import encrypt_journal
from hpgjournal.store.journal import Journal
from hpgjournal.ui.passphrase import PassphraseDialog
from tests.gui.helpers import with_modal

SECRET = "correct horse battery"
OTHER = "a different passphrase"
HEADER = b"SQLite format 3\x00"


def menu_action(window: QWidget, menu: str, text: str):
    found = next(a.menu() for a in window.menuBar().actions() if a.text() == menu)
    return next(a for a in found.actions() if a.text() == text)


def in_sequence(action: Callable[[], object], *plays: Callable[[QWidget], None]) -> None:
    """Run ``action`` and play each modal dialog it opens, one after another, in order."""
    from PySide6.QtCore import QTimer

    left = list(plays)
    done: list[QWidget] = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not left:
            return
        if dialog is None or (done and dialog is done[-1]):
            QTimer.singleShot(20, drive)
            return
        done.append(dialog)
        dialog.activateWindow()
        QApplication.processEvents()
        play = left.pop(0)
        try:
            play(dialog)
        finally:
            if left:
                QTimer.singleShot(20, drive)
            elif dialog.isVisible():
                QTimer.singleShot(5000, lambda: dialog.isVisible() and dialog.reject())

    QTimer.singleShot(0, drive)
    action()
    assert not left, f"{len(left)} dialog(s) never opened"


def ok(qtbot, dialog: QWidget) -> None:
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_new(qtbot, first: str, second: str | None = None) -> Callable[[QWidget], None]:
    """Type a new passphrase in the first field, Tab, the same (or ``second``), press OK."""
    def play(dialog: QWidget) -> None:
        assert isinstance(dialog, PassphraseDialog) and dialog.mode == "new"
        qtbot.keyClicks(QApplication.focusWidget(), first)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        qtbot.keyClicks(QApplication.focusWidget(), first if second is None else second)
        ok(qtbot, dialog)

    return play


def type_open(qtbot, secret: str, seen: list[str] | None = None, *,
              remember: bool = False) -> Callable[[QWidget], None]:
    def play(dialog: QWidget) -> None:
        assert isinstance(dialog, PassphraseDialog) and dialog.mode == "open"
        if seen is not None:
            seen.append(dialog.problem.text() if dialog.problem.isVisibleTo(dialog) else "")
        qtbot.keyClicks(QApplication.focusWidget(), secret)
        if remember:
            qtbot.mouseClick(dialog.findChild(QCheckBox, "remember"), Qt.MouseButton.LeftButton)
        ok(qtbot, dialog)

    return play


def cancel(dialog: QWidget) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel).click()


def press(text: str) -> Callable[[QWidget], None]:
    def play(box: QWidget) -> None:
        assert isinstance(box, QMessageBox), type(box).__name__
        button = next(b for b in box.buttons() if b.text() == text)
        button.click()

    return play


def wait_converted(qtbot, window, *, encrypted: bool) -> None:
    qtbot.waitUntil(lambda: window.encryption.task is None and window.journal is not None
                    and window.journal.encrypted is encrypted, timeout=30000)


def results_of(path: Path, passphrase: str | None = None) -> int:
    with Journal.open(path, create=False, readonly=True, passphrase=passphrase) as journal:
        return journal.count_of("lab_results")


@pytest.fixture
def encrypted_demo(demo_path: Path) -> Path:
    encrypt_journal(demo_path, SECRET)
    return demo_path


def plain_files(*folders: Path) -> list[str]:
    """Every file under ``folders`` that shows an SQLite header or a marker's name."""
    shown = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                if data.startswith(HEADER) or b"Testosterone" in data or b"testosterone" in data:
                    shown.append(str(path.relative_to(folder)))
    return shown


def test_encrypt_from_the_file_menu_then_open_it_again(opened, qtbot, demo_path, _isolated_dirs):
    results = results_of(demo_path)
    assert "demo.hpgjournal" in plain_files(demo_path.parent)  # plain, before
    encrypt = menu_action(opened, "&File", "En&crypt journal…")
    change = menu_action(opened, "&File", "C&hange passphrase…")
    assert encrypt.isEnabled() and not change.isEnabled()
    in_sequence(encrypt.trigger, type_new(qtbot, SECRET))
    wait_converted(qtbot, opened, encrypted=True)
    data = demo_path.read_bytes()
    assert not data.startswith(HEADER)
    assert b"testosterone_total" not in data and b"Testosterone" not in data
    assert "encrypted" in opened.status_label.text()
    assert not encrypt.isEnabled() and change.isEnabled()
    assert opened.findChild(QMessageBox, "converted") is not None

    # Open it again from File > Open recent: a wrong passphrase is said, the right one opens it
    opened.close_journal()
    recent = next(a for a in opened.recent_menu.actions() if str(demo_path) in a.text())
    seen: list[str] = []
    in_sequence(recent.trigger, type_open(qtbot, "not it at all", seen),
                type_open(qtbot, SECRET, seen))
    assert seen[0] == ""
    assert "does not open demo.hpgjournal" in seen[1]
    assert opened.journal is not None and opened.journal.encrypted
    assert opened.journal.count_of("lab_results") == results
    assert opened.findChild(QMessageBox, "journal-damaged") is None
    # nothing beside it (backups, WAL, settings, the log) shows a result, open or closed
    assert (demo_path.parent / "backups").is_dir()
    assert plain_files(demo_path.parent, _isolated_dirs) == []
    opened.close_journal()
    assert plain_files(demo_path.parent, _isolated_dirs) == []


def test_a_short_or_mismatched_passphrase_is_said_and_the_dialog_stays(opened, qtbot, demo_path):
    said: list[str] = []

    def short(dialog: QWidget) -> None:
        type_new(qtbot, "short")(dialog)
        said.append(dialog.findChild(QLabel, "passphrase-problem").text())
        assert dialog.isVisible()
        for field in (dialog.new_field, dialog.again_field):
            field.clear()
        dialog.new_field.setFocus()
        type_new(qtbot, SECRET, SECRET + "x")(dialog)
        said.append(dialog.findChild(QLabel, "passphrase-problem").text())
        assert dialog.isVisible()
        cancel(dialog)

    with_modal(menu_action(opened, "&File", "En&crypt journal…").trigger, short)
    assert "5 characters long: it needs at least 8" in said[0]
    assert "not the same" in said[1]
    assert demo_path.read_bytes().startswith(HEADER)  # cancelled: still plain, still open
    assert opened.journal is not None and not opened.journal.encrypted


def test_cancelling_the_passphrase_leaves_the_journal_closed_and_says_nothing_wrong(
        window, qtbot, encrypted_demo):
    result = []
    with_modal(lambda: result.append(window._try_open(encrypted_demo)), cancel)
    assert result == [False]
    assert window.journal is None
    assert window.findChild(QMessageBox, "journal-damaged") is None


def test_change_the_passphrase(qtbot, window, encrypted_demo):
    in_sequence(lambda: window._try_open(encrypted_demo), type_open(qtbot, SECRET))
    problems: list[str] = []

    def change(current: str) -> Callable[[QWidget], None]:
        def play(dialog: QWidget) -> None:
            assert isinstance(dialog, PassphraseDialog) and dialog.mode == "change"
            problems.append(dialog.problem.text())
            for text in (current, OTHER, OTHER):
                qtbot.keyClicks(QApplication.focusWidget(), text)
                qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            ok(qtbot, dialog)

        return play

    in_sequence(menu_action(window, "&File", "C&hange passphrase…").trigger,
                change("wrong one"), change(SECRET))
    assert "not the one this journal has" in problems[1]
    wait_converted(qtbot, window, encrypted=True)
    window.close_journal()
    with pytest.raises(WrongPassphrase):
        Journal.open(encrypted_demo, create=False, passphrase=SECRET)
    assert results_of(encrypted_demo, OTHER) > 0


def test_remove_the_encryption(qtbot, window, encrypted_demo):
    in_sequence(lambda: window._try_open(encrypted_demo), type_open(qtbot, SECRET))
    results = window.journal.count_of("lab_results")
    seen: list[str] = []
    in_sequence(menu_action(window, "&File", "Remove encr&yption…").trigger,
                press("&Remove the encryption…"), type_open(qtbot, "typo", seen),
                type_open(qtbot, SECRET, seen))
    assert "does not open" in seen[1]
    wait_converted(qtbot, window, encrypted=False)
    assert encrypted_demo.read_bytes().startswith(HEADER)
    assert window.journal.count_of("lab_results") == results
    assert menu_action(window, "&File", "En&crypt journal…").isEnabled()


def test_a_new_journal_can_be_encrypted_from_the_start(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "mine"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    in_sequence(menu_action(window, "&File", "&New journal…").trigger,
                press("&Encrypt with a passphrase…"), type_new(qtbot, SECRET))
    path = tmp_path / "mine.hpgjournal"
    assert window.journal is not None and window.journal.path == path
    assert window.journal.encrypted
    window.close_journal()
    assert not path.read_bytes().startswith(HEADER)
    assert results_of(path, SECRET) == 0


def test_a_new_journal_not_encrypted_is_plain(qtbot, window, tmp_path, monkeypatch):
    target = tmp_path / "plain.hpgjournal"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    in_sequence(menu_action(window, "&File", "&New journal…").trigger, press("&Not encrypted"))
    assert window.journal is not None and not window.journal.encrypted
    window.close_journal()
    assert target.read_bytes().startswith(HEADER)


def test_remember_on_this_computer(qtbot, window, encrypted_demo, memory_keyring):
    in_sequence(lambda: window._try_open(encrypted_demo),
                type_open(qtbot, SECRET, remember=True))
    assert list(memory_keyring.kept.values()) == [SECRET]
    assert all(SECRET not in key for pair in memory_keyring.kept for key in pair)
    window.close_journal()
    assert window._try_open(encrypted_demo)  # no dialog: the keyring's passphrase opened it
    assert window.journal.encrypted
    window.close_journal()

    # changed elsewhere: the remembered one no longer opens it, is forgotten, and it is asked
    from hpgjournal.store.encryption import change_passphrase

    change_passphrase(encrypted_demo, SECRET, OTHER)
    seen: list[str] = []
    in_sequence(lambda: window._try_open(encrypted_demo), type_open(qtbot, OTHER, seen))
    assert "remembered on this computer no longer opens" in seen[0]
    assert memory_keyring.kept == {}
    assert window.journal is not None


def test_without_a_system_keyring_remember_is_off_and_says_why(qtbot, window, encrypted_demo):
    states: list[tuple[bool, str]] = []

    def look(dialog: QWidget) -> None:
        box = dialog.findChild(QCheckBox, "remember")
        states.append((box.isEnabled(), box.text() + " " + box.toolTip()))
        cancel(dialog)

    with_modal(lambda: window._try_open(encrypted_demo), look)
    enabled, words = states[0]
    assert not enabled
    assert "not available" in words and "keyring" in words


def test_restore_an_encrypted_backup_asks_its_passphrase(qtbot, window, encrypted_demo,
                                                         monkeypatch):
    from hpgjournal.store.backup import backup

    with Journal.open(encrypted_demo, passphrase=SECRET) as journal:
        made = backup(journal)
        results = journal.count_of("lab_results")
    assert not made.read_bytes().startswith(HEADER)
    encrypted_demo.unlink()  # the journal lost: restore it from its encrypted backup
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(made), "")))
    seen: list[str] = []
    in_sequence(menu_action(window, "&File", "Res&tore backup…").trigger,
                lambda box: box.button(QMessageBox.StandardButton.Yes).click(),
                type_open(qtbot, "nope", seen), type_open(qtbot, SECRET, seen))
    assert "does not open" in seen[1]
    from hpgjournal.paths import default_journal

    target = default_journal()
    assert results_of(target, SECRET) == results
    assert window.journal is not None and window.journal.encrypted


def test_started_on_an_encrypted_journal_the_window_asks_its_passphrase(qtbot, encrypted_demo,
                                                                         monkeypatch):
    """``hpgjournal JOURNAL`` (or the last journal) encrypted: the window shows, asks, opens."""
    import signal
    import sys

    from hpgjournal.app import run_gui
    from hpgjournal.ui.main_window import MainWindow

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs the crash dialog
    previous_term = signal.getsignal(signal.SIGTERM)
    windows: list[MainWindow] = []
    at_exec: list[bool] = []

    def application_loop(self) -> int:  # the app's main loop: what stands when it would start
        windows.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        at_exec.extend(w.journal is not None and w.journal.path == encrypted_demo
                       and w.journal.encrypted for w in windows)
        return 0

    monkeypatch.setattr(QApplication, "exec", application_loop)
    shown_first: list[bool] = []

    def first(dialog: QWidget) -> None:
        shown_first.append(dialog.parentWidget() is not None
                           and dialog.parentWidget().isVisible())
        type_open(qtbot, SECRET)(dialog)

    try:
        in_sequence(lambda: run_gui(encrypted_demo), first)
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        for window in windows:
            window.close()
            window.deleteLater()
    assert shown_first == [True]  # asked over the window, not before it
    assert at_exec == [True]
    assert windows[0].findChild(QMessageBox, "journal-damaged") is None
