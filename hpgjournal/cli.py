"""The command line (DESIGN.md section 5). With no command it opens the GUI.

Exit status: 0 success, 1 failure (one line on stderr saying what and how to fix it),
2 bad usage, 4 a wrong passphrase, 5 an encrypted journal and no passphrase (``import``: 3
when unreadable rows were skipped).

The passphrase of an encrypted journal comes from ``--passphrase-file FILE`` (its first line) or
the environment variable ``HPGJOURNAL_PASSPHRASE``, never from the command line itself, where
other users of the computer and the shell's history would see it.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

_T0 = time.perf_counter()  # taken first, for --exit-after-startup

from hpgjournal import __version__  # noqa: E402
from hpgjournal.domain.errors import UserError  # noqa: E402

log = logging.getLogger("hpgjournal.cli")

EXIT_WRONG_PASSPHRASE = 4
EXIT_PASSPHRASE_NEEDED = 5
PASSPHRASE_ENV = "HPGJOURNAL_PASSPHRASE"
NEW_PASSPHRASE_ENV = "HPGJOURNAL_NEW_PASSPHRASE"
_EPILOG = (f"An encrypted journal needs its passphrase: --passphrase-file FILE (the file's first "
           f"line) or the environment variable {PASSPHRASE_ENV}; never on the command line. A "
           "new journal made by a command given a passphrase is encrypted with it. Exit status: "
           "0 done; 1 failed (one line on stderr says why); 2 bad usage; 3 import skipped "
           f"unreadable rows; {EXIT_WRONG_PASSPHRASE} wrong passphrase; "
           f"{EXIT_PASSPHRASE_NEEDED} the journal is encrypted and no passphrase was given.")


class _RefusedPassphrase(argparse.Action):
    """``--passphrase SECRET``: refused, without repeating the secret (exit status 2)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        parser.error(f"{option_string} is not taken: a passphrase on the command line is seen by "
                     f"other programs and kept in the shell's history; give it with "
                     f"{option_string}-file FILE or the environment variable "
                     f"{NEW_PASSPHRASE_ENV if option_string == '--new-passphrase' else PASSPHRASE_ENV}")


def _journal_arg(parser: argparse.ArgumentParser, *, default: object,
                 passphrase: bool = True) -> None:
    parser.add_argument("--journal", metavar="PATH", type=Path, default=default,
                        help="the journal file (default: journal.hpgjournal in your data folder)")
    if not passphrase:  # the window asks for it in its passphrase dialog
        return
    for refused in ("--passphrase", "--new-passphrase"):  # else taken as short for ...-file
        parser.add_argument(refused, nargs="?", action=_RefusedPassphrase, help=argparse.SUPPRESS)
    parser.add_argument("--passphrase-file", metavar="FILE", type=Path, default=default,
                        dest="passphrase_file",
                        help="an encrypted journal's passphrase: the first line of FILE "
                             f"(or set {PASSPHRASE_ENV})")


# Each command's one line in ``hpgjournal --help``, in the order listed there.
_COMMAND_HELP = {
    "demo": "write the demo journal, then open it",
    "export": "write a table as CSV or JSON",
    "import": "import lab results from CSV, spreadsheet, lab report PDF, FHIR, C-CDA or Apple "
              "Health files",
    "report": "write the doctor-visit report (PDF)",
    "chart": "draw markers over time with phases, ranges, doses and expected responses",
    "assess": "the verdicts, safety flags and tests due that the window shows",
    "profile": "set who the journal is about (prints the profile with no option)",
    "check": "check the journal's integrity and consistency",
    "backup": "copy the journal safely, even while open",
    "restore": "replace the journal by a backup (the current one is backed up first)",
    "encrypt": "encrypt the journal and its backups with a new passphrase",
    "decrypt": "remove the journal's encryption (its backups stay encrypted)",
    "passphrase": "change the passphrase of an encrypted journal and its backups",
}


def build_parser(commands: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser. With ``commands``, only the commands named in it get their
    options (and load the modules that define them); the others are listed with their one
    line of help only. The window's start names no command, so it loads none of theirs."""
    common = argparse.ArgumentParser(add_help=False)
    _journal_arg(common, default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="hpgjournal",
        description="A private journal of hormone labs, doses and therapy phases. "
                    "With no command, opens the window.",
        epilog=_EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"hpgjournal {__version__}")
    _journal_arg(parser, default=None, passphrase=False)
    parser.add_argument("--exit-after-startup", action="store_true",
                        help="open the window, wait for it to paint, print the time, exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, line in _COMMAND_HELP.items():
        if commands is not None and name not in commands:
            sub.add_parser(name, help=line)  # never chosen: its name is not on the line
            continue
        _COMMAND_OPTIONS[name](sub.add_parser(name, parents=[common], help=line))
    return parser


def _demo_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-gui", action="store_true", help="write it without opening the window")
    p.add_argument("--exit-after-startup", action="store_true", help=argparse.SUPPRESS)


def _export_options(p: argparse.ArgumentParser) -> None:
    from hpgjournal.store.export import EXPORT_NAMES

    p.add_argument("table", choices=EXPORT_NAMES, metavar="TABLE",
                   help=f"one of: {', '.join(EXPORT_NAMES)}")
    p.add_argument("--format", choices=("csv", "json"), default=None,
                   help="csv (default) or json ('all' is always json)")
    p.add_argument("-o", "--output", metavar="OUT", type=Path, help="file to write (default: stdout)")


def _import_options(p: argparse.ArgumentParser) -> None:
    from hpgjournal.importers.command import add_import_options

    add_import_options(p)


def _report_options(p: argparse.ArgumentParser) -> None:
    from hpgjournal.report.command import add_report_options

    add_report_options(p)


def _chart_options(p: argparse.ArgumentParser) -> None:
    from hpgjournal.charts.command import add_chart_options

    add_chart_options(p)


def _assess_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", metavar="DATE", dest="as_of",
                   help="judge the journal as it stood on this day (default: today)")
    p.add_argument("--units", choices=("us", "si"), default="us", help="units of the texts")
    p.add_argument("--json", action="store_true", help="print one JSON document")


def _profile_options(p: argparse.ArgumentParser) -> None:
    from hpgjournal.domain.profile import GOALS

    p.add_argument("--name", help="the name the report is headed with")
    p.add_argument("--born", metavar="YYYY-MM-DD", help="date of birth")
    p.add_argument("--clinician", help="the clinician's name (optional)")
    p.add_argument("--goal", choices=[k for k in GOALS if k],
                   help="what the journal is for: " + "; ".join(
                       f"{k} ({v})" for k, v in GOALS.items() if k))


def _no_options(p: argparse.ArgumentParser) -> None:
    """``check``: the journal options only."""


def _backup_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="OUT", type=Path,
                   help="file or folder (default: a new copy in the backups folder beside it)")


def _restore_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("backup", type=Path, metavar="BACKUP")


_NEW_HELP = (f"the new passphrase: the first line of FILE (or set {NEW_PASSPHRASE_ENV}; on a "
             "terminal it is asked for)")


def _encrypt_options(p: argparse.ArgumentParser) -> None:
    p.epilog = _EPILOG
    p.description = ("Encrypt the journal in place (through a checked encrypted copy that "
                     "replaces it) and its backups, with a new passphrase. Without the "
                     "passphrase nothing can be read: keep it safe, hpgjournal cannot recover it.")
    p.add_argument("--new-passphrase-file", metavar="FILE", type=Path, dest="new_passphrase_file",
                   help=_NEW_HELP)


def _decrypt_options(p: argparse.ArgumentParser) -> None:
    p.epilog = _EPILOG


def _passphrase_options(p: argparse.ArgumentParser) -> None:
    p.epilog = _EPILOG
    p.add_argument("--new-passphrase-file", metavar="FILE", type=Path, dest="new_passphrase_file",
                   help=_NEW_HELP)


_COMMAND_OPTIONS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "demo": _demo_options, "export": _export_options, "import": _import_options,
    "report": _report_options, "chart": _chart_options, "assess": _assess_options,
    "profile": _profile_options, "check": _no_options, "backup": _backup_options,
    "restore": _restore_options, "encrypt": _encrypt_options, "decrypt": _decrypt_options,
    "passphrase": _passphrase_options,
}


def _journal_path(args: argparse.Namespace) -> Path:
    from hpgjournal.paths import default_journal

    return args.journal if args.journal else default_journal()


def _read_passphrase(source: Path, option: str) -> Any:
    """The first line of a passphrase file, as a ``Passphrase``."""
    from hpgjournal.store.cipher import Passphrase

    try:
        with open(source.expanduser(), encoding="utf-8") as handle:
            line = handle.readline().rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise UserError(f"{option} {source}: cannot read it ({why})") from None
    if not line.strip():
        raise UserError(f"{option} {source}: its first line is empty: write the passphrase there")
    return Passphrase(line)


def _passphrase(args: argparse.Namespace) -> Any:
    """The passphrase given for the journal (a file, else the environment), or None."""
    import os

    from hpgjournal.store.cipher import Passphrase

    source = getattr(args, "passphrase_file", None)
    if source is not None:
        return _read_passphrase(source, "--passphrase-file")
    value = os.environ.get(PASSPHRASE_ENV)
    if value is not None:
        if not value.strip():
            raise UserError(f"{PASSPHRASE_ENV} is set but empty: set it to the passphrase")
        return Passphrase(value)
    return None


def _on_terminal() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def _asked(prompt: str, *, twice: bool) -> Any:
    """A passphrase typed at the terminal (not echoed), confirmed when ``twice``."""
    import getpass

    from hpgjournal.store.cipher import Passphrase

    first = getpass.getpass(prompt)
    if twice and getpass.getpass("the same passphrase again: ") != first:
        raise UserError("the two passphrases differ: nothing was changed")
    try:
        return Passphrase(first)
    except UserError as exc:
        raise UserError(f"{exc}: nothing was changed") from None


def _current_passphrase(args: argparse.Namespace) -> Any:
    """The journal's passphrase for encrypt/decrypt/passphrase: given, else asked on a terminal."""
    given = args.passphrase
    if given is None and _on_terminal():
        return _asked(f"passphrase of {_journal_path(args)}: ", twice=False)
    if given is None:
        from hpgjournal.domain.errors import PassphraseNeeded

        raise PassphraseNeeded(_journal_path(args), _needed_message(_journal_path(args)))
    return given


def _new_passphrase(args: argparse.Namespace) -> Any:
    import os

    from hpgjournal.store.cipher import Passphrase

    if args.new_passphrase_file is not None:
        return _read_passphrase(args.new_passphrase_file, "--new-passphrase-file")
    value = os.environ.get(NEW_PASSPHRASE_ENV)
    if value is not None:
        if not value.strip():
            raise UserError(f"{NEW_PASSPHRASE_ENV} is set but empty: set it to the new passphrase")
        return Passphrase(value)
    if _on_terminal():
        return _asked("new passphrase: ", twice=True)
    raise UserError(f"give the new passphrase with --new-passphrase-file FILE (its first line) "
                    f"or the environment variable {NEW_PASSPHRASE_ENV}")


def _needed_message(path: object) -> str:
    return (f"{path} is encrypted: give its passphrase with --passphrase-file FILE (the file's "
            f"first line) or the environment variable {PASSPHRASE_ENV}")


# ---------------------------------------------------------------------------- commands
def cmd_gui(args: argparse.Namespace) -> int:
    from hpgjournal.app import run_gui

    # no --journal: the window opens the journal last used (or the default one)
    return run_gui(args.journal, exit_after_startup=args.exit_after_startup, t0=_T0,
                   open_file=getattr(args, "open_file", None))


def cmd_demo(args: argparse.Namespace) -> int:
    from hpgjournal.demo import write_demo
    from hpgjournal.paths import data_dir

    path = (args.journal or data_dir() / "demo.hpgjournal").expanduser()
    counts = write_demo(path, passphrase=args.passphrase)
    print(f"demo journal written to {path}: {counts['lab_results']} lab results, "
          f"{counts['doses']} doses, {counts['phases']} phases, {counts['notes']} notes")
    if args.no_gui:
        return 0
    from hpgjournal.app import run_gui

    return run_gui(path, exit_after_startup=args.exit_after_startup, t0=_T0)


def cmd_export(args: argparse.Namespace) -> int:
    from hpgjournal.store.export import export
    from hpgjournal.store.journal import Journal

    fmt = args.format or ("json" if args.table == "all" else "csv")
    with Journal.open(_journal_path(args), readonly=True,
                      passphrase=args.passphrase) as journal:
        if args.output is None:
            if journal.encrypted:
                _not_encrypted_warning("the export on standard output")
            export(journal, args.table, fmt, sys.stdout)
            return 0
        from hpgjournal.store.faults import cannot_write
        from hpgjournal.store.files import atomic_write

        try:
            with atomic_write(args.output, "w", encoding="utf-8", newline="") as out:
                n = export(journal, args.table, fmt, out)
        except OSError as exc:
            raise cannot_write(args.output, exc) from None
        encrypted = journal.encrypted
    from hpgjournal.domain.display import count_of

    print(f"{count_of(n, 'record')} written to {args.output}", file=sys.stderr)
    if encrypted:
        _not_encrypted_warning(args.output)
    return 0


def _not_encrypted_warning(written: object) -> None:
    print(f"hpgjournal: warning: {written} is not encrypted: anyone who can read it can read "
          "the journal's records in it", file=sys.stderr)


def cmd_assess(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from hpgjournal.charts.data import review_json
    from hpgjournal.domain.phases import phase_label
    from hpgjournal.domain.timestamps import normalise_date
    from hpgjournal.services.chartdata import review
    from hpgjournal.store.journal import Journal

    as_of = None
    if args.as_of:
        day = normalise_date(args.as_of)
        if day is None:
            raise UserError(f"--as-of {args.as_of!r} is not a date: write it as YYYY-MM-DD")
        as_of = date.fromisoformat(day)
    with Journal.open(_journal_path(args), readonly=True,
                      passphrase=args.passphrase) as journal:
        result = review(journal, as_of=as_of, system=args.units)
        if args.json:
            from hpgjournal.services.levels import level_model, model_json

            levels = level_model(journal, as_of=as_of)
    if args.json:
        document = review_json(result)
        document["model"] = model_json(levels, args.units)
        json.dump(document, sys.stdout, indent=1, ensure_ascii=False)
        print()
        return 0
    from hpgjournal.domain.display import marker_name

    print(f"As of {result.as_of}: what the journal's numbers did against what the sources "
          "expect (not advice).")
    print("\nVerdicts")
    rows = [(phase_label(a.phase_kind), marker_name(a.analyte), a.words,
             a.reason or a.confidence) for a in result.verdicts if a.verdict != "no_expectation"]
    widths = [max([len(r[i]) for r in rows] + [5]) for i in range(3)]
    for row in rows:
        print("  " + "  ".join(c.ljust(w) for c, w in zip(row[:3], widths, strict=True))
              + (f"  ({row[3]})" if row[3] else ""))
    print("\nSafety flags")
    for flag in result.flags or ():
        print(f"  {flag.level}: {flag.title} ({flag.taken_at[:10]}). {flag.source}")
    if not result.flags:
        print("  none")
    print("\nTests due")
    for item in result.due:
        print(f"  {item.due}  {item.status:8} {item.name}: {item.why}")
    if not result.due:
        print("  none for the phases running on that day")
    return 0


def cmd_profile(args: argparse.Namespace) -> int:
    from hpgjournal.commands import SetProfile
    from hpgjournal.domain.errors import ValidationError
    from hpgjournal.domain.profile import FIELDS, check_profile, goal_words
    from hpgjournal.store.journal import Journal

    given = {"name": args.name, "birth_date": args.born, "clinician": args.clinician,
             "goal": args.goal}
    given = {k: v for k, v in given.items() if v is not None}
    path = _journal_path(args)
    if given:
        try:
            values = check_profile(given)
        except ValidationError as exc:
            option = {"birth_date": "--born"}.get(exc.field, f"--{exc.field}")
            raise UserError(f"{option}: {exc}") from None
        with Journal.open(path, create=False, passphrase=args.passphrase) as journal:
            SetProfile(values).do(journal)  # the window's Journal > Profile, without undo
            profile = journal.profile()
    else:
        with Journal.open(path, readonly=True, passphrase=args.passphrase) as journal:
            profile = journal.profile()
    labels = {"name": "name", "birth_date": "born", "clinician": "clinician", "goal": "goal"}
    for key in FIELDS:
        value = profile.get(key, "")
        shown = goal_words(value) if key == "goal" else value
        print(f"{labels[key]}: {shown or '(not set)'}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from hpgjournal.store.check import check
    from hpgjournal.store.journal import Journal

    path = _journal_path(args)
    with Journal.open(path, readonly=True, passphrase=args.passphrase) as journal:
        problems = check(journal)
        counts = journal.counts() if not any(p.where == "file" for p in problems) else None
    for problem in problems:
        print(problem)
    for fix in dict.fromkeys(p.fix for p in problems if p.fix):
        print(fix)
    errors = [p for p in problems if p.severity == "error"]
    from hpgjournal.domain.display import count_of_records

    summary = ", ".join(count_of_records(v, k) for k, v in (counts or {}).items())
    if errors:
        if counts is None:  # the file itself is damaged: say how to get the journal back
            from hpgjournal.store.faults import damaged

            found = f"SQLite's integrity check fails: {errors[0].message}"
            print(f"hpgjournal: error: {damaged(path, found, passphrase=args.passphrase)}", file=sys.stderr)
            return 1
        print(f"{path}: {len(errors)} errors, {len(problems) - len(errors)} warnings "
              f"({summary})", file=sys.stderr)
        return 1
    print(f"{path}: ok ({summary}{f'; {len(problems)} warnings' if problems else ''})")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from hpgjournal.store.backup import backup
    from hpgjournal.store.journal import Journal

    with Journal.open(_journal_path(args), readonly=True,
                      passphrase=args.passphrase) as journal:
        out = backup(journal, args.output)
    print(out)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from hpgjournal.store.backup import restore

    path = _journal_path(args)
    if not args.backup.is_file():
        raise UserError(f"there is no backup file at {args.backup}: check the path")
    done = restore(args.backup, path, args.passphrase)
    print(f"{path} restored from {args.backup} ({done.results} lab results; it passes the check)")
    if done.before is not None:
        print(f"the journal that was there is backed up to {done.before}")
    for kept in done.kept:
        print(f"kept, not used: {kept}")
    return 0


def cmd_encrypt(args: argparse.Namespace) -> int:
    from hpgjournal.store.encryption import encrypt_journal, is_encrypted

    path = _journal_path(args)
    if is_encrypted(path):  # finish what a killed run left: the backups, with its passphrase
        done = encrypt_journal(path, _current_passphrase(args))
    else:
        done = encrypt_journal(path, _new_passphrase(args))
    if done.changed:
        print(f"{path} is encrypted; keep the passphrase safe: without it nothing in the journal "
              "or its backups can be read")
    else:
        print(f"{path} was already encrypted with that passphrase")
    _print_backups(done)
    return 0


def _print_backups(done: Any) -> None:
    for backup in done.backups:
        print(f"backup converted too: {backup}")
    for backup in done.left:
        print(f"backup left as it was (damaged, or another passphrase): {backup}")


def cmd_decrypt(args: argparse.Namespace) -> int:
    from hpgjournal.store.encryption import decrypt_journal

    path = _journal_path(args)
    done = decrypt_journal(path, _current_passphrase(args))
    if done.changed:
        print(f"{path} is no longer encrypted; its backups stay encrypted with the passphrase")
    else:
        print(f"{path} was not encrypted")
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    from hpgjournal.store.encryption import change_passphrase

    path = _journal_path(args)
    old = _current_passphrase(args)
    done = change_passphrase(path, old, _new_passphrase(args))
    print(f"the passphrase of {path} is changed")
    _print_backups(done)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from hpgjournal.importers.command import cmd_import as run_import

    return run_import(args)


def cmd_report(args: argparse.Namespace) -> int:
    from hpgjournal.report.command import cmd_report as run_report

    return run_report(args)


def cmd_chart(args: argparse.Namespace) -> int:
    from hpgjournal.charts.command import cmd_chart as run_chart

    return run_chart(args)


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_gui, "demo": cmd_demo, "export": cmd_export, "check": cmd_check,
    "backup": cmd_backup, "restore": cmd_restore, "import": cmd_import, "report": cmd_report,
    "chart": cmd_chart, "assess": cmd_assess, "profile": cmd_profile,
    "encrypt": cmd_encrypt, "decrypt": cmd_decrypt, "passphrase": cmd_passphrase,
}


def _file_to_open(argv: list[str]) -> Path | None:
    """``hpgjournal FILE`` (the desktop's "Open with"): the file, taken out of ``argv``.

    Only a first positional argument that is not a command and looks like a file counts.
    """
    skip = False
    for n, token in enumerate(argv):
        if skip or token.startswith("-"):
            skip = token in ("--journal", "--passphrase-file")
            continue
        if token in COMMANDS or not (Path(token).suffix or Path(token).exists()):
            return None
        del argv[n]
        return Path(token)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    from hpgjournal.bundle import glibc_problem

    problem = glibc_problem()  # before anything loads Qt's libraries
    if problem:
        print(f"hpgjournal: error: {problem}", file=sys.stderr)
        return 1
    argv = list(sys.argv[1:] if argv is None else argv)
    open_file = _file_to_open(argv)
    parser = build_parser(set(argv))  # only the command named loads its options
    args = parser.parse_args(argv)
    if open_file is not None:
        if args.command is not None:
            parser.error(f"{open_file} and the command {args.command} cannot go together")
        from hpgjournal.paths import JOURNAL_SUFFIX

        if open_file.suffix == JOURNAL_SUFFIX:
            args.journal = open_file
        else:
            args.open_file = open_file
    from hpgjournal.logsetup import FILE_ONLY, log_file, setup_logging

    _private_by_default()
    setup_logging(to_file=True)
    from hpgjournal.store.lock import set_holder

    set_holder(f"the command {args.command}" if args.command else "the window")
    from hpgjournal.domain.errors import PassphraseNeeded, WrongPassphrase

    try:
        args.passphrase = _passphrase(args)
        return COMMANDS[args.command](args)
    except PassphraseNeeded as exc:
        _fail(args, _needed_message(exc.path))
        return EXIT_PASSPHRASE_NEEDED
    except WrongPassphrase as exc:
        _fail(args, str(exc))
        return EXIT_WRONG_PASSPHRASE
    except UserError as exc:
        return _fail(args, str(exc))
    except KeyboardInterrupt:
        print("hpgjournal: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        from hpgjournal.store.faults import explain

        # the window without --journal opened the journal used last: its name is not known here
        named = hasattr(args, "journal") and (args.journal or args.command is not None)
        known = explain(exc, _journal_path(args) if named else None)
        if known is not None:  # a full disk, a read-only file, a damaged journal
            log.info("%s: %r", args.command, exc, extra=FILE_ONLY)
            return _fail(args, str(known))
        # a bug: one line for the user, the traceback in the log
        log.exception("unexpected error in %s", args.command or "gui", extra=FILE_ONLY)
        print(f"hpgjournal: internal error: {type(exc).__name__}: {exc} "
              f"(details in {log_file()}; please report it)", file=sys.stderr)
        return 1


def _fail(args: argparse.Namespace, message: str) -> int:
    print(f"hpgjournal: error: {message}", file=sys.stderr)
    return 1


def _private_by_default() -> None:
    """Every file and folder this process creates is its owner's only (health data)."""
    import os

    if os.name == "posix":
        os.umask(0o077)


if __name__ == "__main__":
    sys.exit(main())
