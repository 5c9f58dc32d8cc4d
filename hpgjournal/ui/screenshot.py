"""Save a screenshot of the main window: ``python -m hpgjournal.ui.screenshot OUT.png``.

Used under Xvfb (``./dev.sh shot``) to look at the app as a person would.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hpgjournal.ui.screenshot")
    parser.add_argument("output", type=Path)
    parser.add_argument("--journal", type=Path, help="journal to show (default: a fresh demo)")
    parser.add_argument("--page", default="overview", help="page key, e.g. labs, phases")
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--filter", default="", help="text typed into the page's filter box")
    parser.add_argument("--marker", default="", help="on the charts page: the marker shown, "
                                                     "e.g. panel, lh, estradiol")
    parser.add_argument("--model", action="store_true",
                        help="on the charts page: turn on the dose-to-level model")
    parser.add_argument("--theme", choices=("auto", "light", "dark"), default="light",
                        help="the theme to show (default: light)")
    parser.add_argument("--passphrase-file", type=Path, default=None,
                        help="an encrypted journal's passphrase, read from this file")
    args = parser.parse_args(argv)

    import tempfile

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    # settings of its own in a folder of its own: a screenshot never touches the user's
    scratch = Path(tempfile.mkdtemp(prefix="hpgjournal-shot-"))
    settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    from hpgjournal.ui.main_window import MainWindow
    from hpgjournal.ui.style import apply_style

    apply_style(app, args.theme)
    journal = args.journal
    if journal is None:
        from hpgjournal.demo import build_demo
        from hpgjournal.store.journal import Journal

        journal = scratch / "demo.hpgjournal"
        with Journal.open(journal) as j:
            build_demo(j)
    window = MainWindow(settings)
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.move(0, 0)
    passphrase = None
    if args.passphrase_file is not None:
        from hpgjournal.store.cipher import Passphrase

        passphrase = Passphrase(args.passphrase_file.read_text(encoding="utf-8").rstrip("\r\n"))
    window.open_journal(journal, passphrase)
    if args.page != "welcome":
        window.show_page(args.page)
    page = window.pages.get(args.page)  # built by show_page
    if args.filter and page is not None and hasattr(page, "filter"):
        page.filter.setText(args.filter)
    if args.marker and page is not None and hasattr(page, "select"):
        page.select(args.marker)
    if args.model and page is not None and hasattr(page, "toggles"):
        page.toggles["model"].setChecked(True)
    window.show()

    def grab() -> None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(args.output))
        print(args.output)
        window.close_journal()
        app.quit()

    QTimer.singleShot(800, grab)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
