"""Nothing lost (issue 12): a full or failing disk, a crash, SIGTERM, a damaged journal.

Each test takes the path a user takes (shortcuts, menu actions, buttons, typed text) against
real faults: a small tmpfs filled to the last page, an ext4 disk the kernel turns read-only,
a real exception in a slot, a real SIGTERM to the running app, a journal truncated to 0 bytes.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QWidget

from hpgjournal.domain.records import Batch, Dose, LabResult, Medication
from hpgjournal.domain.results import make_result
from hpgjournal.store.journal import Journal

from .helpers import with_modal

CTRL = Qt.KeyboardModifier.ControlModifier
REPO = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------- driving the window
def activate(window: QWidget, qtbot) -> None:
    """The window on screen and active, as after the user clicked into it."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def when_shown(find: Callable[[], QWidget | None], play: Callable[[QWidget], None], *,
               timeout_ms: int = 5000) -> dict[str, object]:
    """Once ``find`` returns a widget (polled from the event loop), let ``play`` drive it.

    For a box that opens inside another modal dialog (a nested event loop). Polling stops after
    ``timeout_ms`` or when ``state["stop"]`` is set; a box ``play`` leaves open is closed later,
    so that a failing test never hangs.
    """
    state: dict[str, object] = {"seen": False, "stop": False}
    deadline = time.monotonic() + timeout_ms / 1000

    def poll() -> None:
        if state["stop"]:
            return
        widget = find()
        if widget is None:
            if time.monotonic() < deadline:
                QTimer.singleShot(20, poll)
            return
        state["seen"] = True
        widget.activateWindow()
        QApplication.processEvents()
        try:
            play(widget)
        finally:
            if widget.isVisible():
                QTimer.singleShot(timeout_ms, lambda: widget.isVisible() and widget.close())

    QTimer.singleShot(0, poll)
    return state


def modal_named(name: str) -> Callable[[], QWidget | None]:
    def find() -> QWidget | None:
        widget = QApplication.activeModalWidget()
        return widget if widget is not None and widget.objectName() == name else None

    return find


def open_box() -> QMessageBox | None:
    """The message box open over the window (``show_error`` opens it window-modal)."""
    widget = QApplication.activeModalWidget()
    return widget if isinstance(widget, QMessageBox) and widget.isVisible() else None


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def save_button(dialog: QWidget):
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)


def menu_action(window: QWidget, menu: str, text: str):
    found = next(a.menu() for a in window.menuBar().actions() if a.text() == menu)
    return next(a for a in found.actions() if a.text() == text)


def type_result(qtbot, dialog, value: str, note: str = "") -> None:
    """Fill the lab result dialog from the keyboard: the marker's name, the value, a note."""
    qtbot.keyClicks(dialog.marker.lineEdit(), "Total testosterone")
    dialog.marker.completer().popup().hide()
    qtbot.keyClick(dialog.marker.lineEdit(), Qt.Key.Key_Tab)  # leaving the field picks it
    qtbot.keyClicks(dialog.value, value)
    if note:
        qtbot.keyClicks(dialog.note, note)


def add_result_with_ctrl_r(window, qtbot, value: str) -> None:
    def play(dialog):
        type_result(qtbot, dialog, value)
        click(qtbot, save_button(dialog))

    with_modal(lambda: qtbot.keyClick(window, Qt.Key.Key_R, CTRL), play)


# ----------------------------------------------------------------- real disks
def _needs_root() -> None:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a test disk needs root on Linux")


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a test disk here: mount {' '.join(args)}: "
                    f"{done.stderr.strip()}")


def _unmount(where: Path) -> None:
    done = subprocess.run(["umount", str(where)], capture_output=True, text=True)
    if done.returncode != 0:  # something still holds it: detach it anyway, then say so
        subprocess.run(["umount", "-l", str(where)], capture_output=True, text=True)
        raise AssertionError(f"umount {where} failed: {done.stderr.strip()}")


class SmallDisk:
    """A 2 MB tmpfs holding the journal; ``fill`` takes every free page, ``free`` gives it back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.filler = path / "filler.bin"

    def fill(self) -> None:
        with open(self.filler, "ab", buffering=0) as out:
            for size in (1 << 20, 1 << 16, 4096, 512, 1):
                block = b"x" * size
                while True:
                    try:
                        if out.write(block) == 0:
                            break
                    except OSError as exc:
                        if exc.errno != errno.ENOSPC:
                            raise
                        break
        assert os.statvfs(self.path).f_bavail == 0, "the test disk is not full"

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)


@pytest.fixture
def small_disk(window, tmp_path) -> Iterator[SmallDisk]:
    """Torn down before ``window``: the journal is closed before the disk goes away."""
    _needs_root()
    where = tmp_path / "disk"
    where.mkdir()
    _mount("-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(where))
    disk = SmallDisk(where)
    try:
        yield disk
    finally:
        try:
            disk.free()
            window.close_journal()
        finally:
            _unmount(where)


@pytest.fixture
def ext4_disk(window, tmp_path) -> Iterator[Path]:
    """A 16 MB ext4 disk (a loop device) that the kernel turns read-only on its first error."""
    _needs_root()
    if shutil.which("mkfs.ext4") is None:
        pytest.skip("mkfs.ext4 is not installed")
    image = tmp_path / "disk.img"
    with open(image, "wb") as out:
        out.truncate(16 << 20)
    made = subprocess.run(["mkfs.ext4", "-q", "-F", "-O", "^has_journal", str(image)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot make an ext4 disk: {made.stderr.strip()}")
    where = tmp_path / "usb"
    where.mkdir()
    _mount("-o", "loop,errors=remount-ro", str(image), str(where))
    try:
        yield where
    finally:
        try:
            window.close_journal()
        finally:
            _unmount(where)  # a loop device set up by mount -o loop is freed with it


def turn_read_only(where: Path) -> None:
    """What the kernel does to a disk that fails: ext4 with errors=remount-ro goes read-only.

    (``mount -o remount,ro`` is refused with EBUSY while SQLite holds the journal open for
    writing, so an error is the only way a disk becomes read-only under an open journal.)
    """
    source = subprocess.run(["findmnt", "-n", "-o", "SOURCE", str(where)], capture_output=True,
                            text=True, check=True).stdout.strip()
    trigger = Path("/sys/fs/ext4") / Path(source).name / "trigger_fs_error"
    if not trigger.exists():
        pytest.skip(f"this kernel has no {trigger}")
    trigger.write_text("hpgjournal test: the disk fails\n")
    options = subprocess.run(["findmnt", "-n", "-o", "OPTIONS", str(where)],
                             capture_output=True, text=True, check=True).stdout
    assert "ro" in options.split(",") or "emergency_ro" in options, options


# ----------------------------------------------------------------- 1. full disk on Save
def test_a_full_disk_keeps_the_typed_result_in_the_form(window, qtbot, small_disk,
                                                       demo_template):
    path = small_disk.path / "journal.hpgjournal"
    shutil.copy(demo_template, path)
    window.open_journal(path)
    activate(window, qtbot)
    stack = window.session.undo_stack
    results, steps = window.journal.count(LabResult), stack.count()
    small_disk.fill()
    seen: dict[str, object] = {}

    def read_box(box):
        seen["box"] = (box.objectName(), box.text())
        click(qtbot, box.buttons()[0])

    def play(dialog):
        type_result(qtbot, dialog, "612", note="typed while the disk was full")
        box = when_shown(modal_named("not-saved"), read_box)
        click(qtbot, save_button(dialog))  # returns once the message box is closed
        box["stop"] = True
        seen["after box"] = {
            "open": dialog.isVisible(), "marker": dialog.marker.currentText(),
            "value": dialog.value.text(), "note": dialog.note.text(),
            "steps": stack.count(), "results": window.journal.count(LabResult),
        }
        small_disk.free()
        click(qtbot, save_button(dialog))  # the same dialog, the same text: Save again
        seen["closed"] = not dialog.isVisible()

    with_modal(lambda: qtbot.keyClick(window, Qt.Key.Key_R, CTRL), play)

    assert "box" in seen, "no 'not-saved' message when the disk was full"
    name, text = seen["box"]
    assert name == "not-saved"
    # SQLITE_FULL, explained as a sentence
    assert text.startswith(f"The disk holding {path} is full, so nothing was changed")
    assert "Nothing was saved. What you entered is still in the form" in text
    assert seen["after box"] == {
        "open": True, "marker": "Total testosterone", "value": "612",
        "note": "typed while the disk was full", "steps": steps, "results": results}
    assert seen["closed"]
    assert window.journal.count(LabResult) == results + 1
    assert stack.count() == steps + 1
    newest = max(window.journal.all(LabResult), key=lambda r: r.id)
    assert (newest.reported_value, newest.note) == ("612", "typed while the disk was full")
    activate(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)  # Edit > Undo
    assert window.journal.get(LabResult, newest.id) is None
    assert window.journal.count(LabResult) == results


# ----------------------------------------------------------------- 2. a failing undo
def undo_action(window):
    """Edit > Undo (its text names the step it undoes)."""
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit").actions()[0]


def undo_text(window) -> str:
    undo = undo_action(window)
    return undo.text() if undo.isEnabled() else ""


def test_undo_on_a_full_disk_is_refused_and_stays_in_step(window, qtbot, small_disk,
                                                         demo_template):
    path = small_disk.path / "journal.hpgjournal"
    shutil.copy(demo_template, path)
    window.open_journal(path)
    activate(window, qtbot)
    add_result_with_ctrl_r(window, qtbot, "701")
    added = max(window.journal.all(LabResult), key=lambda r: r.id)
    assert added.reported_value == "701"
    stack = window.session.undo_stack
    index, offered = stack.index(), undo_text(window)
    assert offered.startswith("&Undo Add Total testosterone 701")
    small_disk.fill()

    activate(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    box = open_box()
    assert box is not None, "no error when Undo could not be written"
    assert box.windowTitle() == f"Undo of “{offered.removeprefix('&Undo ')}” failed"
    assert "is full" in box.text() and "The journal is as it was before" in box.text()
    assert window.journal.get(LabResult, added.id) == added  # nothing was undone
    qtbot.waitUntil(lambda: stack.index() == index, timeout=2000)  # put back by the event loop
    qtbot.wait(50)
    assert stack.index() == index and not stack.canRedo()
    assert undo_text(window) == offered  # Undo still offers the same step
    assert window.journal.get(LabResult, added.id) == added
    click(qtbot, box.buttons()[0])

    small_disk.free()
    activate(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert open_box() is None
    assert window.journal.get(LabResult, added.id) is None
    assert stack.index() == index - 1


def test_undo_on_a_disk_turned_read_only_is_refused_and_stays_in_step(window, qtbot, ext4_disk,
                                                                     demo_template):
    path = ext4_disk / "journal.hpgjournal"
    shutil.copy(demo_template, path)
    window.open_journal(path)
    activate(window, qtbot)
    add_result_with_ctrl_r(window, qtbot, "702")
    added = max(window.journal.all(LabResult), key=lambda r: r.id)
    stack = window.session.undo_stack
    index, offered = stack.index(), undo_text(window)
    turn_read_only(ext4_disk)

    for attempt in (1, 2):  # the disk stays read-only: every Undo is refused the same way
        undo_action(window).trigger()  # Edit > Undo
        box = open_box()
        assert box is not None, f"no error when Undo could not be written (attempt {attempt})"
        assert box.windowTitle() == f"Undo of “{offered.removeprefix('&Undo ')}” failed"
        assert str(path) in box.text() and "nothing was changed" in box.text()
        assert "read-only" in box.text()  # the disk's state, not SQLite's "disk I/O error"
        assert window.journal.get(LabResult, added.id) == added
        qtbot.waitUntil(lambda: stack.index() == index, timeout=2000)
        qtbot.wait(50)
        assert stack.index() == index and undo_text(window) == offered
        assert window.journal.get(LabResult, added.id) == added
        click(qtbot, box.buttons()[0])
        activate(window, qtbot)


# ----------------------------------------------------------------- 3. the crash dialog
@pytest.fixture
def app_log() -> Iterator[Path]:
    """The log file as ``hpgjournal`` sets it up when started (in this test's data folder)."""
    import logging

    from hpgjournal.logsetup import log_file, setup_logging

    logger = logging.getLogger("hpgjournal")
    saved, level = logger.handlers[:], logger.level
    logger.handlers.clear()
    setup_logging(to_file=True)
    try:
        yield log_file()
    finally:
        for handler in logger.handlers:
            handler.close()
        logger.handlers[:] = saved
        logger.setLevel(level)


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_error_shows_the_crash_dialog_and_logs_the_traceback(
        window, qtbot, demo_path, monkeypatch, app_log):
    from hpgjournal.ui.crash import install_crash_dialog

    window.open_journal(demo_path)
    activate(window, qtbot)

    def add_lab_with_a_bug():
        raise RuntimeError("injected bug 4711 behind Ctrl+R")

    monkeypatch.setattr(window.record_actions, "add_lab", add_lab_with_a_bug)
    seen: dict[str, str] = {}

    def read_box(box):
        seen.update(name=box.objectName(), title=box.windowTitle(), text=box.text())
        click(qtbot, box.buttons()[0])

    previous = sys.excepthook
    try:
        install_crash_dialog(window)
        box = when_shown(modal_named("crash-dialog"), read_box)
        qtbot.keyClick(window, Qt.Key.Key_R, CTRL)  # Journal > Add a lab result: the slot raises
        box["stop"] = True
    finally:
        sys.excepthook = previous

    assert seen.get("name") == "crash-dialog", "no crash dialog for an unexpected error"
    assert seen["title"] == "Unexpected error"
    assert "RuntimeError: injected bug 4711 behind Ctrl+R" in seen["text"]
    assert str(app_log) in seen["text"]
    logged = app_log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "in add_lab_with_a_bug" in logged
    assert "RuntimeError: injected bug 4711 behind Ctrl+R" in logged


# ----------------------------------------------------------------- 4. SIGTERM
def test_sigterm_closes_the_window_and_makes_the_daily_backup(demo_template, tmp_path):
    from hpgjournal.logsetup import log_file  # the app logs to this test's data folder too
    from hpgjournal.paths import backup_dir
    from hpgjournal.store.backup import backups_of
    from hpgjournal.store.lock import lock_path

    path = tmp_path / "journal.hpgjournal"
    shutil.copy(demo_template, path)
    with Journal.open(path, readonly=True) as journal:
        results = journal.count(LabResult)
    assert not backup_dir(path).exists()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    app = subprocess.Popen([sys.executable, "-m", "hpgjournal", "--journal", str(path)],
                           cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    try:
        deadline = time.monotonic() + 30
        holder = f"the window, pid {app.pid} "
        lock = lock_path(path)
        while not (lock.exists() and lock.read_text().startswith(holder)):
            assert app.poll() is None, f"the app ended early: {app.communicate()}"
            assert time.monotonic() < deadline, "the app did not open the journal"
            time.sleep(0.05)
        time.sleep(1.0)  # let the window come up and its event loop run
        app.send_signal(signal.SIGTERM)
        out, err = app.communicate(timeout=20)
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    assert app.returncode == 0, f"exit status {app.returncode}\n{out}\n{err}"
    made = backups_of(path)
    assert len(made) == 1, f"no daily backup in {backup_dir(path)}: {err}"
    with Journal.open(made[0], readonly=True) as copy:
        assert copy.count(LabResult) == results
    assert "terminated by signal 15: closing the windows" in log_file().read_text()


# ----------------------------------------------------------------- 5. damaged journal
def test_a_damaged_journal_is_restored_from_its_newest_backup_in_one_click(window, qtbot,
                                                                         demo_template, tmp_path):
    from hpgjournal.store.backup import backups_of

    path = tmp_path / "journal.hpgjournal"
    shutil.copy(demo_template, path)
    other = tmp_path / "other" / "other.hpgjournal"
    with Journal.open(other) as journal:
        journal.add(make_result("2025-01-01", "lh", "3.0", "IU/L"))
    window.open_journal(other)
    window.open_journal(path)
    activate(window, qtbot)
    results = window.journal.count(LabResult)
    qtbot.keyClick(window, Qt.Key.Key_B, CTRL | Qt.KeyboardModifier.ShiftModifier)  # Back up now
    made = backups_of(path)
    assert len(made) == 1

    def recent(target: Path):
        return next(a for a in window.recent_menu.actions() if a.text().endswith(str(target)))

    recent(other).trigger()  # File > Open recent > the other journal: this one is closed
    assert window.journal.path == other
    with open(path, "r+b") as damaged:  # e.g. a sync tool that failed half way
        damaged.truncate(0)
    seen: dict[str, object] = {}

    def play(box):
        seen.update(name=box.objectName(), text=box.text(), details=box.detailedText(),
                    buttons=[b.text() for b in box.buttons()])
        restore = next(b for b in box.buttons() if b.text() == "&Restore the newest good backup")
        click(qtbot, restore)

    with_modal(recent(path).trigger, play)  # File > Open recent > the damaged journal

    assert seen["name"] == "journal-damaged"
    assert seen["text"].startswith("journal.hpgjournal cannot be opened: the file is empty "
                                   "(0 bytes)")
    assert f"newest good backup was made {time.strftime('%Y-%m-%d %H:%M', time.localtime(made[0].stat().st_mtime))}, {results} lab results" in seen["text"]  # noqa: E501
    assert str(made[0]) in seen["details"]  # the file and the command for the record
    assert "&Restore the newest good backup" in seen["buttons"]
    assert window.journal is not None and window.journal.path == path
    assert window.journal.count(LabResult) == results
    kept = list(tmp_path.glob("journal.hpgjournal.damaged-*"))
    assert len(kept) == 1 and kept[0].stat().st_size == 0
    restored = open_box()
    assert restored is not None and restored.objectName() == "restored"
    assert str(made[0]) in restored.text() and f"({results} lab results" in restored.text()
    click(qtbot, restored.buttons()[0])


# ----------------------------------------------------------------- 6. removing an import
def test_undo_of_remove_import_relinks_a_dose_logged_by_hand(window, qtbot, tmp_path):
    path = tmp_path / "journal.hpgjournal"
    with Journal.open(path) as journal:
        journal.add(make_result("2025-01-01", "lh", "3.0", "IU/L"))  # typed by hand: stays
        batch = journal.start_batch("regimens.csv", "long", "abc")
        regimen = journal.add(Medication(None, "hCG", "2025-01-01", "gonadotropin", "subq", 500,
                                         "IU", "twice weekly", 3.5, batch_id=batch))
        journal.add(Dose(None, "2025-01-02T21:00", "hCG", 500, "IU", "abdomen left", "",
                         regimen, batch_id=batch))
    window.open_journal(path)
    activate(window, qtbot)

    def log_dose(dialog):  # the only active regimen is chosen and its dose filled in
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)

    with_modal(lambda: qtbot.keyClick(window, Qt.Key.Key_D, CTRL), log_dose)
    dose = max(window.journal.all(Dose), key=lambda d: d.id)
    assert (dose.medication_id, dose.batch_id, dose.site) == (regimen, None, "abdomen right")
    seen: dict[str, object] = {}

    def remove(dialog):
        seen["source"] = dialog.table.item(0, 1).text()
        question = when_shown(open_box, lambda box: click(
            qtbot, box.button(QMessageBox.StandardButton.Yes)))
        click(qtbot, dialog.remove_button)
        question["stop"] = True
        seen["rows after"] = dialog.table.rowCount()
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close).click()

    with_modal(menu_action(window, "&File", "Import &history…").trigger, remove)
    assert seen == {"source": "regimens.csv", "rows after": 0}
    assert window.journal.count(Batch) == 0 and window.journal.count(Medication) == 0
    assert window.journal.get(Dose, dose.id).medication_id is None  # unlinked with the regimen

    activate(window, qtbot)
    assert undo_text(window) == "&Undo Remove import of regimens.csv"
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)  # Edit > Undo
    assert window.journal.get(Medication, regimen) is not None
    assert window.journal.count(Dose) == 2  # the imported dose is back too
    assert window.journal.get(Dose, dose.id) == dose  # linked to its regimen again
    redo = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit").actions()[1]
    redo.trigger()  # Edit > Redo takes the import out again, and Undo relinks again
    assert window.journal.get(Dose, dose.id).medication_id is None
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert window.journal.get(Dose, dose.id) == dose
