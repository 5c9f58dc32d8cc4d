"""The command line on an encrypted journal (issue 16): every command that takes --journal works
with the passphrase from --passphrase-file or HPGJOURNAL_PASSPHRASE, refuses clearly without it
(exit 5) and says "wrong passphrase" for a wrong one (exit 4), never "damaged"."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hpgjournal.domain.records import Note
from hpgjournal.domain.results import make_result
from hpgjournal.store.encryption import is_encrypted
from hpgjournal.store.journal import Journal

SECRET = "demo passphrase with 'quotes' and spaces"
WRONG = "demo passphrase with quotes and spaces"
VALUE = "873.4826"
NOTE = "quokka-marmalade-5519 told the urologist"
EXIT_WRONG, EXIT_NEEDED = 4, 5


def run(*args: str, env: dict[str, str] | None = None, timeout: float = 180
        ) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items()
            if k not in ("HPGJOURNAL_PASSPHRASE", "HPGJOURNAL_NEW_PASSPHRASE")}
    full.update({"QT_QPA_PLATFORM": "offscreen", **(env or {})})
    return subprocess.run([sys.executable, "-m", "hpgjournal", *args], capture_output=True,
                          text=True, env=full, timeout=timeout, check=False,
                          stdin=subprocess.DEVNULL)


def one_error_line(proc: subprocess.CompletedProcess[str], code: int) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("hpgjournal: error: ")
    return lines[0]


@pytest.fixture(scope="module")
def encrypted_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("encrypted")
    path = folder / "demo.hpgjournal"
    proc = run("demo", "--no-gui", "--journal", str(path))
    assert proc.returncode == 0, proc.stderr
    with Journal.open(path) as journal:
        journal.add(make_result("2025-02-03T08:00", "testosterone_total", VALUE, "ng/dL"))
        journal.add(Note(None, "2025-02-03", text=NOTE))
    proc = run("encrypt", "--journal", str(path), env={"HPGJOURNAL_NEW_PASSPHRASE": SECRET})
    assert proc.returncode == 0, proc.stderr
    assert "is encrypted" in proc.stdout
    data = path.read_bytes()
    assert is_encrypted(path) and VALUE.encode() not in data and NOTE.encode() not in data
    return path


def commands_in_help() -> list[str]:
    proc = run("--help")
    assert proc.returncode == 0
    block = proc.stdout.split("  COMMAND\n", 1)[1].split("\noptions:")[0]
    return re.findall(r"^    (\w+) ", block, flags=re.MULTILINE)


def invocation(command: str, journal: Path, work: Path) -> tuple[list[str], dict[str, str]]:
    """How each command is run on ``journal``; extra environment."""
    csv = work / "more.csv"
    csv.write_text("Collection Date,Test Name,Result,Units\n2025-05-06T08:00,LH,4.4,IU/L\n")
    backup = work / "a-backup.hpgjournal"
    if not backup.exists():
        shutil.copy(journal, backup)  # an encrypted copy with the same passphrase
    table: dict[str, list[str]] = {
        "demo": ["demo", "--no-gui"],
        "export": ["export", "labs", "-o", str(work / "labs.csv")],
        "import": ["import", str(csv)],
        "report": ["report", "-o", str(work / "report.pdf")],
        "chart": ["chart", "testosterone_total", "-o", str(work / "chart.png")],
        "assess": ["assess"],
        "profile": ["profile", "--name", "A. Tester"],
        "check": ["check"],
        "backup": ["backup"],
        "restore": ["restore", str(backup)],
        "encrypt": ["encrypt"],
        "decrypt": ["decrypt"],
        "passphrase": ["passphrase"],
    }
    env = {"HPGJOURNAL_NEW_PASSPHRASE": "a new passphrase"} if command == "passphrase" else {}
    return [*table[command], "--journal", str(journal)], env


def test_every_journal_command_in_help_is_covered(tmp_path):
    listed = commands_in_help()
    (tmp_path / "j.hpgjournal").write_bytes(b"")
    assert {"summary"} - set(listed) == {"summary"}  # there is no summary command
    assert {"export", "import", "report", "chart", "assess", "check", "backup", "encrypt",
            "decrypt", "passphrase"} <= set(listed)
    for command in listed:
        invocation(command, tmp_path / "j.hpgjournal", tmp_path)  # no KeyError
        proc = run(command, "--help")
        assert "--passphrase-file" in proc.stdout, command


@pytest.mark.slow
def test_every_command_refuses_without_the_passphrase_or_with_a_wrong_one(encrypted_demo,
                                                                        tmp_path):
    secret_file = tmp_path / "wrong.txt"
    secret_file.write_text(WRONG + "\n")
    for command in commands_in_help():
        journal = tmp_path / command / "demo.hpgjournal"
        journal.parent.mkdir()
        shutil.copy(encrypted_demo, journal)
        before = journal.read_bytes()
        args, env = invocation(command, journal, journal.parent)
        line = one_error_line(run(*args, env=env), EXIT_NEEDED)
        named = journal.parent / "a-backup.hpgjournal" if command == "restore" else journal
        assert line == (f"hpgjournal: error: {named} is encrypted: give its passphrase with "
                        "--passphrase-file FILE (the file's first line) or the environment "
                        "variable HPGJOURNAL_PASSPHRASE"), command
        for how in ("file", "env"):
            given = ["--passphrase-file", str(secret_file)] if how == "file" else []
            extra = {"HPGJOURNAL_PASSPHRASE": WRONG} if how == "env" else {}
            line = one_error_line(run(*args, *given, env={**env, **extra}), EXIT_WRONG)
            assert "wrong passphrase" in line and "damaged" not in line, (command, line)
        assert journal.read_bytes() == before, command
        assert not (journal.parent / "backups").exists(), command
    log = Path(os.environ["HPGJOURNAL_DATA_DIR"]) / "logs" / "hpgjournal.log"
    text = log.read_text() if log.exists() else ""
    assert SECRET not in text and WRONG not in text


def _works(command: str, proc: subprocess.CompletedProcess[str], journal: Path,
           work: Path) -> None:
    """What each command did, seen from outside."""
    assert proc.returncode == 0, (command, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    if command == "decrypt":
        assert journal.read_bytes().startswith(b"SQLite format 3\x00")
        return
    assert is_encrypted(journal) and VALUE.encode() not in journal.read_bytes(), command
    checks = {
        "export": lambda: VALUE in (work / "labs.csv").read_text(),
        "report": lambda: (work / "report.pdf").read_bytes().startswith(b"%PDF"),
        "chart": lambda: (work / "chart.png").stat().st_size > 1000,
        "assess": lambda: "Verdicts" in proc.stdout,
        "profile": lambda: "name: A. Tester" in proc.stdout,
        "check": lambda: ": ok (" in proc.stdout,
        "backup": lambda: is_encrypted(Path(proc.stdout.strip())),
        "restore": lambda: "restored from" in proc.stdout,
        "encrypt": lambda: "already encrypted" in proc.stdout,
        "import": lambda: "imported 1 result" in proc.stdout,
        "demo": lambda: "demo journal written" in proc.stdout,
        "passphrase": lambda: "is changed" in proc.stdout,
    }
    assert checks[command](), (command, proc.stdout, proc.stderr)
    if command in ("export", "report", "chart"):
        assert "is not encrypted" in proc.stderr, command
    if command == "passphrase":
        with pytest.raises(Exception, match="wrong passphrase"):
            Journal.open(journal, readonly=True, passphrase=SECRET)
        Journal.open(journal, readonly=True, passphrase="a new passphrase").close()


@pytest.mark.slow
def test_every_command_works_with_the_passphrase(encrypted_demo, tmp_path):
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET + "\nthe second line is not read\n")
    for number, command in enumerate(commands_in_help()):
        work = tmp_path / command
        work.mkdir()
        journal = work / "demo.hpgjournal"
        shutil.copy(encrypted_demo, journal)
        args, env = invocation(command, journal, work)
        if number % 2:  # half of them by the environment, half by the file
            proc = run(*args, env={**env, "HPGJOURNAL_PASSPHRASE": SECRET})
        else:
            proc = run(*args, "--passphrase-file", str(secret_file), env=env)
        _works(command, proc, journal, work)
    for backup in (tmp_path / "backup" / "backups").iterdir():
        assert is_encrypted(backup) and VALUE.encode() not in backup.read_bytes()
    log = Path(os.environ["HPGJOURNAL_DATA_DIR"]) / "logs" / "hpgjournal.log"
    text = log.read_text() if log.exists() else ""
    for secret in (SECRET, VALUE, NOTE):
        assert secret not in text


def test_the_passphrase_is_never_taken_from_the_command_line(encrypted_demo):
    for option in ("--passphrase", "--passphrase=", "--passp", "--new-passphrase"):
        proc = run("check", "--journal", str(encrypted_demo), option, SECRET)
        assert proc.returncode == 2, (option, proc.stderr)
        assert ("is not taken: a passphrase on the command line" in proc.stderr
                or "ambiguous option" in proc.stderr), option  # never a file of that name
        assert SECRET not in proc.stderr + proc.stdout
    help_text = run("--help").stdout
    assert "4 wrong passphrase" in help_text
    assert "5 the journal is\nencrypted and no passphrase was given" in help_text


def test_an_unreadable_or_empty_passphrase_file_is_one_clear_line(encrypted_demo, tmp_path):
    line = one_error_line(run("check", "--journal", str(encrypted_demo), "--passphrase-file",
                              str(tmp_path / "missing.txt")), 1)
    assert "--passphrase-file" in line and "cannot read it" in line
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    line = one_error_line(run("check", "--journal", str(encrypted_demo), "--passphrase-file",
                              str(empty)), 1)
    assert "first line is empty" in line


def test_export_of_a_plain_journal_has_no_warning_and_of_an_encrypted_one_has(encrypted_demo,
                                                                            tmp_path):
    plain = tmp_path / "plain.hpgjournal"
    shutil.copy(encrypted_demo, plain)
    assert run("decrypt", "--journal", str(plain),
               env={"HPGJOURNAL_PASSPHRASE": SECRET}).returncode == 0
    for journal, warned in ((plain, False), (encrypted_demo, True)):
        for out in ([], ["-o", str(tmp_path / f"{journal.stem}.json")]):
            proc = run("export", "all", "--journal", str(journal), *out,
                       env={"HPGJOURNAL_PASSPHRASE": SECRET})
            assert proc.returncode == 0, proc.stderr
            assert ("hpgjournal: warning:" in proc.stderr
                    and "is not encrypted" in proc.stderr) is warned
            assert NOTE in (proc.stdout if not out else Path(out[1]).read_text())


def test_encrypt_without_a_new_passphrase_off_a_terminal_says_how_to_give_one(tmp_path):
    path = tmp_path / "j.hpgjournal"
    Journal.open(path).close()
    line = one_error_line(run("encrypt", "--journal", str(path)), 1)
    assert "--new-passphrase-file" in line and "HPGJOURNAL_NEW_PASSPHRASE" in line
    assert not is_encrypted(path)
    new = tmp_path / "new.txt"
    new.write_text(SECRET + "\n")
    proc = run("encrypt", "--journal", str(path), "--new-passphrase-file", str(new))
    assert proc.returncode == 0, proc.stderr
    assert is_encrypted(path)
    proc = run("check", "--journal", str(path), "--passphrase-file", str(new))
    assert proc.returncode == 0 and ": ok (" in proc.stdout
