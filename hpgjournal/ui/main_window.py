"""The main window: navigation on the left, one page per kind of record, File menu, status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import (
    QAction,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QUndoGroup,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from hpgjournal import APP_TITLE, __version__
from hpgjournal.domain.display import count_of
from hpgjournal.domain.errors import UserError
from hpgjournal.domain.records import LabResult
from hpgjournal.paths import JOURNAL_SUFFIX, data_dir
from hpgjournal.store.journal import Journal
from hpgjournal.ui.actions import RecordActions
from hpgjournal.ui.pages import WelcomePage
from hpgjournal.ui.prefs import UnitPrefs
from hpgjournal.ui.record_pages import PAGE_FACTORIES, pages_showing
from hpgjournal.ui.session import JournalSession

if TYPE_CHECKING:  # (the event classes: PySide makes each one the first time it is named)
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent

    from hpgjournal.store.cipher import Passphrase
    from hpgjournal.ui.encryption import EncryptionActions

log = logging.getLogger("hpgjournal.ui")
MAX_RECENT = 8
WINDOW_SIZE = (1280, 800)  # the first window's size, when the screen has room for it
MIN_SIZE = (900, 600)  # no smaller, unless the screen itself is
SCREEN_MARGIN = 48  # kept free around the window: its frame and title bar
FILE_FILTER = f"Journals (*{JOURNAL_SUFFIX});;All files (*)"


# The navigation: key, label, and whether the page exists in this version.
NAV = (
    ("overview", "Overview", True),
    ("labs", "Lab results", True),
    ("medications", "Medications & doses", True),
    ("phases", "Therapy phases", True),
    ("symptoms", "Symptoms & notes", True),
    ("measures", "Body measures", True),
    ("charts", "Charts", True),
    ("report", "Doctor report", True),
)


def recent_journals(settings: QSettings) -> list[str]:
    """File > Open recent's paths, the newest first."""
    recent = settings.value("recent", [], list)
    assert isinstance(recent, list), "QSettings.value(..., list) gives a list"
    return recent


def setting_text(settings: QSettings, key: str, default: str) -> str:
    """A setting the window stores as text (a folder), or ``default`` when it has none."""
    value = settings.value(key, default)
    assert isinstance(value, str), f"the setting {key} is stored as text"
    return value


def last_journal(settings: QSettings) -> Path | None:
    """The journal used last: the first of File > Open recent that still exists."""
    for path in recent_journals(settings):
        if Path(path).is_file():
            return Path(path)
    return None


class JournalUndoKeys(QObject):
    """Lets Edit > Undo and Redo's shortcuts through a page's filter boxes to the journal.

    A QLineEdit takes Ctrl+Z for undoing its own text. In a filter box that text is only a
    search, not data: Ctrl+Z there always means Edit > Undo, as the menu says, so the key
    never depends on what the box happens to remember of its typing.
    """

    def __init__(self, actions: list[QAction], parent: QObject) -> None:
        super().__init__(parent)
        self.actions = actions

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            pressed = QKeySequence(event.keyCombination())
            if any(pressed.matches(key) == QKeySequence.SequenceMatch.ExactMatch
                   for action in self.actions for key in action.shortcuts()):
                event.ignore()  # not the box's: the shortcut map gives it to the menu's action
                return True
        return False


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.journal: Journal | None = None
        self.session: JournalSession | None = None
        self.passphrase: Passphrase | None = None  # the open journal's, when it is encrypted
        self._encryption: EncryptionActions | None = None
        self._stale: set[str] = set()
        self.settings = settings if settings is not None else QSettings()
        self.prefs = UnitPrefs(self.settings, self)
        self.record_actions = RecordActions(self, lambda: self.session)
        self.undo_group = QUndoGroup(self)
        self.setWindowTitle(APP_TITLE)
        self._fit_to_screen()

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(210)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        for key, text, available in NAV:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            if not available:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
                item.setToolTip("Not available in this version yet")
            self.nav.addItem(item)
        self.stack = QStackedWidget()
        self.welcome = WelcomePage()
        self.stack.addWidget(self.welcome)
        self.pages: dict[str, QWidget] = {}  # built on first use, see page()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self._show_page)
        self.welcome.open_demo.connect(self.open_demo)
        self.welcome.import_file.connect(self.choose_import)
        self.setAcceptDrops(True)
        self.welcome.add_result.connect(self.record_actions.add_lab)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self._build_menus()
        geometry = self.settings.value("window/geometry")
        if geometry is not None and self.restoreGeometry(geometry):
            self._fit_to_screen(restored=True)

    def _fit_to_screen(self, *, restored: bool = False) -> None:
        """The first window is 1280 x 800, or less: it fits the screen's free area, less a margin
        for the window's frame. A restored size and place are kept, moved and shrunk into it."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:  # no screen at all: Qt's own defaults
            self.resize(*WINDOW_SIZE)
            self.setMinimumSize(*MIN_SIZE)
            return
        area = screen.availableGeometry()
        room = area.adjusted(0, 0, -SCREEN_MARGIN, -SCREEN_MARGIN)
        self.setMinimumSize(min(MIN_SIZE[0], room.width()), min(MIN_SIZE[1], room.height()))
        if restored:
            width, height = min(self.width(), room.width()), min(self.height(), room.height())
        else:
            width, height = min(WINDOW_SIZE[0], room.width()), min(WINDOW_SIZE[1], room.height())
        self.resize(width, height)
        left, top = self.x(), self.y()
        if not restored:  # centred on the free area
            left = area.x() + (area.width() - width) // 2
            top = area.y() + (area.height() - height) // 2
        left = max(area.left(), min(left, area.x() + area.width() - width - SCREEN_MARGIN // 2))
        top = max(area.top(), min(top, area.y() + area.height() - height - SCREEN_MARGIN // 2))
        self.move(left, top)

    # ----------------------------------------------------------------- building
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New journal…", self.new_journal, QKeySequence.StandardKey.New)
        self._action(file_menu, "&Open journal…", self.choose_journal,
                     QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self._action(file_menu, "Open the &demo journal", self.open_demo)
        file_menu.addSeparator()
        self._action(file_menu, "&Import lab file…", self.choose_import, "Ctrl+I")
        self._action(file_menu, "Import &history…", self.import_history)
        self._action(file_menu, "&Export…", self.choose_export, "Ctrl+E")
        file_menu.addSeparator()
        self._action(file_menu, "&Back up now", self.backup_now, "Ctrl+Shift+B")
        self._action(file_menu, "Res&tore backup…", self.choose_backup)
        file_menu.addSeparator()
        self.encrypt_action = self._action(file_menu, "En&crypt journal…",
                                           lambda: self.encryption.encrypt())
        self.change_passphrase_action = self._action(file_menu, "C&hange passphrase…",
                                                     lambda: self.encryption.change())
        self.decrypt_action = self._action(file_menu, "Remove encr&yption…",
                                           lambda: self.encryption.remove())
        self._encryption_state()
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        edit = self.menuBar().addMenu("&Edit")
        undo = self.undo_group.createUndoAction(self, "&Undo")
        undo.setShortcuts(_keys(QKeySequence.StandardKey.Undo, "Ctrl+Z"))
        redo = self.undo_group.createRedoAction(self, "&Redo")
        redo.setShortcuts(_keys(QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z", "Ctrl+Y"))
        edit.addAction(undo)
        edit.addAction(redo)
        self.undo_action, self.redo_action = undo, redo
        self.undo_keys = JournalUndoKeys([undo, redo], self)
        journal_menu = self.menuBar().addMenu("&Journal")
        self.journal_menu_actions = [
            self._action(journal_menu, "Add a lab &result…",
                         lambda: self.record_actions.add_lab(), "Ctrl+R"),
            self._action(journal_menu, "Add a &blood test (several markers)…",
                         self.record_actions.add_panel, "Ctrl+Shift+R"),
            self._action(journal_menu, "Add a &semen analysis…", self.record_actions.add_semen),
            self._action(journal_menu, "&Log a dose…", lambda: self.record_actions.log_dose(),
                         "Ctrl+D"),
            self._action(journal_menu, "Add a re&gimen…", self.record_actions.add_medication),
            self._action(journal_menu, "Add a &phase…", lambda: self.record_actions.add_phase()),
            self._action(journal_menu, "&Check in (how I feel)…", self.record_actions.check_in,
                         "Ctrl+K"),
            self._action(journal_menu, "Add body &measures…", self.record_actions.add_measure),
        ]
        journal_menu.addSeparator()
        self.journal_menu_actions.append(self._action(journal_menu, "Pro&file…", self.edit_profile))
        view = self.menuBar().addMenu("&View")
        for n, (key, text, available) in enumerate(NAV):
            if available:
                self._action(view, text.replace("&", "&&"),  # a "&" in a label is no mnemonic
                             lambda _=False, k=key: self.show_page(k), f"Ctrl+{n + 1}")
        view.addSeparator()
        units = view.addMenu("&Units")
        self.unit_actions = {}
        for system, text in (("us", "&US conventional (ng/dL, pg/mL)"),
                             ("si", "&SI (nmol/L, pmol/L)")):
            action = self._action(units, text, lambda _=False, s=system: self.prefs.set_system(s))
            action.setCheckable(True)
            action.setChecked(self.prefs.system == system)
            self.unit_actions[system] = action
        self.prefs.changed.connect(self._units_changed)
        themes = view.addMenu("&Theme")
        self.theme_actions = {}
        for theme, text in (("auto", "Follow the &system"), ("light", "&Light"),
                            ("dark", "&Dark")):
            action = self._action(themes, text, lambda _=False, t=theme: self.prefs.set_theme(t))
            action.setCheckable(True)
            action.setChecked(self.prefs.theme == theme)
            self.theme_actions[theme] = action
        self.prefs.theme_changed.connect(self._theme_changed)
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&Sources", self.show_sources)
        self._action(help_menu, "&About hpgjournal", self.about)
        self._refresh_recent()

    def _action(self, menu: QMenu, text: str, slot: Callable[..., object],
                shortcut: QKeySequence.StandardKey | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    # ----------------------------------------------------------------- journal
    @property
    def encryption(self) -> EncryptionActions:
        """Passphrases and File > Encrypt journal... (``ui/encryption.py``), made when needed."""
        if self._encryption is None:
            from hpgjournal.ui.encryption import EncryptionActions

            self._encryption = EncryptionActions(self)
        return self._encryption

    def _encryption_state(self) -> None:
        encrypted = self.journal is not None and self.journal.encrypted
        self.encrypt_action.setEnabled(self.journal is not None and not encrypted)
        self.change_passphrase_action.setEnabled(encrypted)
        self.decrypt_action.setEnabled(encrypted)

    def open_journal(self, path: Path, passphrase: Passphrase | None = None) -> None:
        """Open a journal (closing the current one); UserError if it cannot be opened, and
        PassphraseNeeded or WrongPassphrase for an encrypted one without its passphrase."""
        journal = Journal.open(path, passphrase=passphrase)
        self.close_journal()
        self.journal = journal
        self.passphrase = passphrase if journal.encrypted else None
        self._encryption_state()
        self.session = JournalSession(journal, self)
        self.session.changed.connect(self._journal_changed)
        self.session.failed.connect(self._step_failed)
        self.undo_group.addStack(self.session.undo_stack)
        self.undo_group.setActiveStack(self.session.undo_stack)
        self._remember(journal.path)
        self.setWindowTitle(f"{journal.path.name} — {APP_TITLE}")
        self.refresh()
        if not journal.is_empty():
            self.show_page("overview")

    def close_journal(self, *, backup: bool = True) -> None:
        if self.journal is None:
            return
        try:
            if backup:
                from hpgjournal.store.backup import backup_if_due

                backup_if_due(self.journal)
        except Exception as exc:  # the journal still closes; the log says why
            log.warning("automatic backup failed: %s", exc)
        if self.session is not None:
            self.undo_group.removeStack(self.session.undo_stack)
            self.session.deleteLater()
            self.session = None
        self.journal.close()
        self.journal = None
        self.passphrase = None
        self._encryption_state()

    def refresh(self, kinds: frozenset[type] | None = None) -> None:
        """Re-read the journal. Only the page on screen is filled now; the others when shown.
        With ``kinds``, only the pages showing those kinds of records are read again."""
        journal = self.journal
        if journal is None:
            return
        empty = journal.is_empty()
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            key = item.data(Qt.ItemDataRole.UserRole)
            if key in PAGE_FACTORIES and key != "overview":
                item.setHidden(empty)
        self._stale |= set(PAGE_FACTORIES) if kinds is None else pages_showing(kinds)
        if empty:
            self.stack.setCurrentWidget(self.welcome)
            self.nav.setCurrentRow(-1)
        else:
            current = next((k for k, w in self.pages.items() if w is self.stack.currentWidget()),
                           None)
            if current:
                self._fill(current)
        counts = journal.counts()
        self.status_label.setText(
            f"{journal.path}{'  ·  encrypted' if journal.encrypted else ''}  ·  "
            f"{count_of(counts['lab_results'], 'result')}, "
            f"{count_of(counts['doses'], 'dose')}, {count_of(counts['notes'], 'note')}")

    def page(self, key: str) -> QWidget:
        """The page for a navigation key, built the first time it is asked for."""
        if key not in self.pages:
            widget = PAGE_FACTORIES[key](self.record_actions, self.prefs)
            for box in widget.findChildren(QLineEdit):  # the pages' filter boxes
                box.installEventFilter(self.undo_keys)
            self.pages[key] = widget
            self.stack.addWidget(widget)
        return self.pages[key]

    def _journal_changed(self, kinds: frozenset[type]) -> None:
        """Something was written: every page showing those records reloads when next seen."""
        was_empty = self.stack.currentWidget() is self.welcome
        self.refresh(frozenset(kinds))
        if was_empty and self.journal is not None and not self.journal.is_empty():
            self.show_page("labs" if LabResult in kinds else "overview")

    def _step_failed(self, what: str, exc: BaseException) -> None:
        from hpgjournal.ui.saving import fault_message

        message = fault_message(exc, self.journal.path if self.journal else None)
        self.show_error(f"{what} failed", f"{message or exc}\n\nThe journal is as it was "
                                           "before; Edit > Undo and Redo still match it.")

    def _units_changed(self) -> None:
        for system, action in self.unit_actions.items():
            action.setChecked(self.prefs.system == system)
        self._stale.add("overview")
        if self.stack.currentWidget() is self.pages.get("overview"):
            self._fill("overview")

    def _theme_changed(self, theme: str) -> None:
        """Restyle everything at once: the pages are filled again, so that the colours they
        set on their own labels come from the new theme."""
        from hpgjournal.ui.style import apply_style

        for key, action in self.theme_actions.items():
            action.setChecked(key == theme)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_style(app, theme)
        self._stale.update(self.pages)
        current = next((k for k, w in self.pages.items() if w is self.stack.currentWidget()),
                       None)
        if current:
            self._fill(current)
        for widget in self.findChildren(QWidget):
            widget.update()

    def _fill(self, key: str) -> None:
        """Load one page's records from the journal if they changed since it was filled."""
        if self.journal is None or key not in self._stale:
            return
        self._stale.discard(key)
        # (type: ignore below: every page has load(journal); the stack's stub returns a QWidget)
        self.page(key).load(self.journal)  # type: ignore[attr-defined]

    def show_page(self, key: str) -> None:
        row = [k for k, _, _ in NAV].index(key)
        if self.nav.currentRow() == row:
            self._show_page(row)  # no change signal: show (and fill) it ourselves
        else:
            self.nav.setCurrentRow(row)

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        key = NAV[row][0]
        if self.journal is not None and self.journal.is_empty():
            self.stack.setCurrentWidget(self.welcome)
        elif key in PAGE_FACTORIES:
            self._fill(key)
            self.stack.setCurrentWidget(self.page(key))

    def _remember(self, path: Path) -> None:
        recent = [p for p in recent_journals(self.settings) if p != str(path)]
        self.settings.setValue("recent", [str(path), *recent][:MAX_RECENT])
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in recent_journals(self.settings) if Path(p).exists()]
        for n, path in enumerate(recent):
            self._action(self.recent_menu, f"&{n + 1} {path}",
                         lambda _=False, p=path: self._try_open(Path(p)))
        self.recent_menu.setEnabled(bool(recent))

    # ----------------------------------------------------------------- actions
    def _try_open(self, path: Path, passphrase: Passphrase | None = None) -> bool:
        try:
            self.open_journal(path, passphrase)
        except Exception as exc:
            if not self.open_failed(exc, path):
                return False
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def reopen(self, path: Path, passphrase: Passphrase | None) -> bool:
        """Open a journal again after the window closed it (a conversion, a restore)."""
        return self._try_open(path, passphrase)

    def open_failed(self, exc: BaseException, path: Path) -> bool:
        """Say why a journal did not open (a damaged one: offer its newest good backup; an
        encrypted one: ask for its passphrase). True when it is open after all."""
        from hpgjournal.domain.errors import JournalDamaged, PassphraseNeeded, WrongPassphrase
        from hpgjournal.ui.saving import fault_message

        if isinstance(exc, (PassphraseNeeded, WrongPassphrase)):
            return self.encryption.unlock(path)
        if isinstance(exc, JournalDamaged):
            self.offer_restore(exc)
            return self.journal is not None and self.journal.path == path
        message = str(exc) if isinstance(exc, UserError) else fault_message(exc, path)
        if message is None:
            raise exc
        self.show_error("Cannot open the journal", message)
        return False

    def offer_restore(self, exc: BaseException) -> None:
        """A damaged journal: say so, and offer its newest good backup in one click."""
        from hpgjournal.domain.errors import JournalDamaged

        log.warning("cannot open the journal: %s", exc)
        box = QMessageBox(QMessageBox.Icon.Warning, "The journal is damaged", "", parent=self)
        box.setObjectName("journal-damaged")
        box.setTextFormat(Qt.TextFormat.PlainText)
        restore = None
        path = getattr(exc, "path", "")
        reason = getattr(exc, "reason", "") or str(exc)
        if isinstance(exc, JournalDamaged) and exc.backup is not None:
            box.setText(f"{Path(str(path)).name} cannot be opened: {reason}.\n\n"
                        f"Its newest good backup was {exc.summary}. Restoring it replaces the "
                        "journal by that backup; the damaged file is kept beside it, nothing is "
                        "deleted.")
            restore = box.addButton("&Restore the newest good backup",
                                    QMessageBox.ButtonRole.AcceptRole)
        else:
            box.setText(f"{Path(str(path)).name} cannot be opened: {reason}.\n\n"
                        "There is no good backup of it beside it. If you keep a copy elsewhere, "
                        "File > Restore backup... puts it back.")
        box.setDetailedText(str(exc))
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if restore is not None and box.clickedButton() is restore:
            # (type: ignore below: only JournalDamaged carries backup and path)
            self.restore_backup(Path(str(exc.backup)), Path(str(exc.path)))  # type: ignore[attr-defined]

    def choose_backup(self) -> None:
        """File > Restore backup: replace the open journal by one of its backups."""
        from hpgjournal.paths import backup_dir, default_journal

        target = self.journal.path if self.journal is not None else default_journal()
        path, _ = QFileDialog.getOpenFileName(self, "Restore which backup?",
                                              str(backup_dir(target)), FILE_FILTER)
        if not path:
            return
        answer = QMessageBox.question(
            self, "Restore backup",
            f"Replace {target.name} by the backup {Path(path).name}?\n\nThe journal as it is "
            "now is backed up first (or, if it is damaged, kept beside it).")
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_backup(Path(path), target)

    def restore_backup(self, backup: Path, target: Path) -> bool:
        """Replace ``target`` by ``backup``; an encrypted backup asks for its passphrase."""
        from hpgjournal.domain.errors import PassphraseNeeded, WrongPassphrase
        from hpgjournal.store.backup import Restored, restore
        from hpgjournal.ui.saving import fault_message

        was_open = self.journal is not None and self.journal.path == target
        key = previous = self.passphrase if was_open else None
        if was_open:
            self.close_journal(backup=False)
        restored: list[Restored] = []
        try:
            try:
                restored.append(restore(backup, target, key))
            except (PassphraseNeeded, WrongPassphrase):
                key = self.encryption.ask(
                    backup, lambda k: restored.append(restore(backup, target, k)),
                    offer_remember=False, title="Restore an encrypted backup",
                    text=f"The backup {backup.name} is encrypted. Type the passphrase it was "
                         "made with to restore it.", action="&Restore")
                if key is None:  # cancelled: the journal as it was, open again if it was
                    if was_open:
                        self._try_open(target, previous)
                    return False
            done = restored[0]
        except Exception as exc:
            message = str(exc) if isinstance(exc, UserError) else fault_message(exc, target)
            if message is None:
                raise
            self.show_error("Restore failed", message)
            return False
        kept = "".join(f"\nKept, not used: {p}" for p in done.kept)
        before = f"\nThe journal that was there is backed up to {done.before}" if done.before \
            else ""
        opened = self._try_open(target, key)
        plain = ""
        if previous is not None and self.journal is not None and not self.journal.encrypted:
            plain = ("\n\nThe backup was not encrypted, so the journal restored from it is not "
                     "encrypted either: File > Encrypt journal... encrypts it again.")
        box = QMessageBox(QMessageBox.Icon.Information, "Restored",
                          f"{target} was restored from {backup} ({done.results} lab results; "
                          f"it passes the check).{before}{kept}{plain}", parent=self)
        box.setObjectName("restored")
        box.open()
        return opened

    def choose_journal(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open journal", str(data_dir()), FILE_FILTER)
        if path:
            self._try_open(Path(path))

    def new_journal(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New journal", str(data_dir()), FILE_FILTER)
        if not path:
            return
        target = Path(path)
        if target.suffix != JOURNAL_SUFFIX:
            target = target.with_name(target.name + JOURNAL_SUFFIX)
        if target.exists():
            self.show_error("Cannot create the journal",
                            f"{target} already exists: open it, or choose another name.")
            return
        box = QMessageBox(QMessageBox.Icon.Question, "New journal",
                          f"Protect {target.name} with a passphrase?\n\nAn encrypted journal "
                          "can be read only with its passphrase, also from a backup or a copy "
                          "of the file. File > Encrypt journal... can do it later too.",
                          parent=self)
        box.setObjectName("encrypt-new")
        box.setTextFormat(Qt.TextFormat.PlainText)
        encrypt = box.addButton("&Encrypt with a passphrase…", QMessageBox.ButtonRole.YesRole)
        plain = box.addButton("&Not encrypted", QMessageBox.ButtonRole.NoRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(plain)
        box.exec()
        if box.clickedButton() is plain:
            self._try_open(target)
        elif box.clickedButton() is encrypt:
            chosen = self.encryption.new_passphrase(target)
            if chosen is not None and self._try_open(target, chosen[0]) and chosen[1]:
                self.encryption.remember(target, chosen[0])

    def open_demo(self) -> None:
        from hpgjournal.demo import write_demo

        path = data_dir() / f"demo{JOURNAL_SUFFIX}"
        if self.journal is not None and self.journal.path == path:
            self.close_journal()
        try:
            write_demo(path)
        except UserError as exc:
            self.show_error("Cannot write the demo journal", str(exc))
            return
        self._try_open(path)

    def import_history(self) -> None:
        if self.session is None:
            return
        from hpgjournal.ui.history_dialog import ImportHistoryDialog

        ImportHistoryDialog(self.session, self).exec()

    def backup_now(self) -> None:
        if self.journal is None:
            return
        from hpgjournal.store.backup import backup

        try:
            out = backup(self.journal)
        except Exception as exc:
            from hpgjournal.ui.saving import fault_message

            message = str(exc) if isinstance(exc, UserError) else fault_message(
                exc, self.journal.path)
            if message is None:
                raise
            self.show_error("Backup failed", message)
            return
        self.statusBar().showMessage(f"Backed up to {out}", 8000)

    def choose_export(self) -> None:
        """File > Export: a table (or everything) as CSV or JSON, to a file the user names."""
        if self.journal is None:
            return
        from hpgjournal.ui.export_dialog import ExportDialog

        dialog = ExportDialog(self)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return
        table, fmt = dialog.choice
        start = Path(setting_text(self.settings, "export/folder", str(Path.home())))
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to which file?", str(start / f"{table}.{fmt}"),
            f"{fmt.upper()} files (*.{fmt});;All files (*)")
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != f".{fmt}":
            target = target.with_name(f"{target.name}.{fmt}")
        self.settings.setValue("export/folder", str(target.parent))
        self.export_to(table, fmt, target)

    def export_to(self, table: str, fmt: str, target: Path) -> bool:
        """Write the export; say how many records went where, or why nothing was written."""
        if self.journal is None:
            return False
        from hpgjournal.ui.export_dialog import write_export

        try:
            message = write_export(self.journal, table, fmt, target)
        except UserError as exc:
            self.show_error("Export failed", str(exc))
            return False
        self.statusBar().showMessage(message, 10000)
        return True

    def choose_import(self) -> None:
        if self.session is None:
            return
        start = setting_text(self.settings, "import/folder", str(Path.home()))
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import lab results", start,
            "Lab exports (*.csv *.tsv *.txt *.json *.ndjson *.xml *.zip *.xlsx *.xlsm *.xls *.ods "
            "*.pdf);;"
            "All files (*)")
        if paths:
            self.settings.setValue("import/folder", str(Path(paths[0]).parent))
            self.import_files([Path(p) for p in paths])

    def import_files(self, paths: list[Path]) -> object:
        """Open the import dialog on these files (also for drag and drop and 'Open with')."""
        if self.session is None or not paths:
            return None
        from PySide6.QtCore import QTimer

        from hpgjournal.ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.session, paths, self)
        QTimer.singleShot(0, dialog.start_plan)
        dialog.exec()
        if dialog.result is not None:
            added = dialog.result.added
            self.statusBar().showMessage(
                f"Imported {count_of(added, 'result')} ({dialog.result.duplicates} already "
                f"there, {count_of(dialog.result.errors, 'unreadable row')} skipped). "
                "Edit > Undo removes the whole import.", 10000)
            if added:
                self.show_page("labs")
        return dialog.result

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        if paths:
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, lambda: self.import_files(paths))

    def edit_profile(self) -> None:
        """Journal > Profile: name, date of birth, clinician and goal (one undoable step)."""
        if self.session is None:
            return
        from hpgjournal.ui.record_dialogs import ProfileDialog

        session = self.session
        dialog = ProfileDialog(self, session.journal.profile())
        # (type: ignore below: the hook runs only after the dialog has checked and set its record)
        dialog.save_hook = lambda: session.set_profile(dialog.record)  # type: ignore[arg-type]
        dialog.journal_path = session.journal.path
        if dialog.exec() != ProfileDialog.DialogCode.Accepted:
            return
        self.statusBar().showMessage("Profile saved", 5000)

    def show_sources(self) -> None:
        """Help > Sources: every cited work, the documents' references and tables."""
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

        from hpgjournal.charts import default_knowledge
        from hpgjournal.report.sources import sources_html

        dialog = QDialog(self)
        dialog.setObjectName("sources-dialog")
        dialog.setWindowTitle("Sources")
        layout = QVBoxLayout(dialog)
        browser = QTextBrowser(dialog)
        browser.setOpenLinks(False)  # the journal never opens a network address
        browser.setHtml(sources_html(default_knowledge()))
        layout.addWidget(browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(min(900, self.width()), min(700, self.height()))
        self.sources_dialog = dialog
        dialog.exec()

    def about(self) -> None:
        from hpgjournal.logsetup import log_file

        journal = str(self.journal.path) if self.journal else "none open"
        rows = (("Version", __version__), ("Licence", "MIT"), ("Journal", journal),
                ("Data folder", str(data_dir())), ("Log file", str(log_file())))
        table = "".join(f"<tr><td>{name}:</td><td>&nbsp;{_escape(value)}</td></tr>"
                        for name, value in rows)
        QMessageBox.about(
            self, f"About {APP_TITLE}",
            f"<h3>{APP_TITLE}</h3><p>A private journal of hormone labs, doses and therapy phases. "
            f"Nothing leaves this computer.</p><table>{table}</table><p>It shows your recorded "
            "data next to published expectations. It is not medical advice: decisions about "
            "treatment belong to you and your clinician.</p>")

    def show_error(self, title: str, message: str) -> None:
        log.warning("%s: %s", title, message)
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.close_journal()
        super().closeEvent(event)


def _keys(standard: QKeySequence.StandardKey, *more: str) -> list[QKeySequence]:
    """The platform's keys for a standard action (its usual one first), then ``more``: every
    key a user may know for it, whatever the platform lists (some list only one)."""
    keys: list[QKeySequence] = []
    for key in [*QKeySequence.keyBindings(standard), *map(QKeySequence, more)]:
        if not key.isEmpty() and key not in keys:
            keys.append(key)
    return keys


def _escape(text: str) -> str:
    import html

    return html.escape(text)
