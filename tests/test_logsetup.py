"""The log file rotates (issue 17 replaced logging.handlers' rotating handler with the app's own,
so that the start does not load it): at most about MAX_BYTES a file, KEEP older ones, nothing
lost between them, the newest record always in hpgjournal.log."""

from __future__ import annotations

import logging

from hpgjournal import logsetup


def test_the_log_moves_aside_before_it_grows_past_its_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(logsetup, "MAX_BYTES", 2_000)
    path = tmp_path / "hpgjournal.log"
    handler = logsetup._RotatingFile(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    log = logging.getLogger("hpgjournal.test-rotation")
    log.propagate = False
    log.addHandler(handler)
    try:
        for number in range(200):  # 200 lines of 50 bytes: 10,000 bytes, five files' worth
            log.warning("line %03d %s", number, "x" * 40)
    finally:
        log.removeHandler(handler)
        handler.close()
    files = [path, *(tmp_path / f"hpgjournal.log.{n}" for n in (1, 2, 3))]
    assert all(f.is_file() for f in files)
    assert not (tmp_path / "hpgjournal.log.4").exists()  # three kept, the oldest dropped
    assert all(f.stat().st_size <= 2_000 for f in files)
    lines = [line for f in reversed(files) for line in f.read_text().splitlines()]
    numbers = [int(line.split()[1]) for line in lines]
    assert numbers == list(range(numbers[0], 200))  # in order, none lost between the files
    assert path.read_text().splitlines()[-1].startswith("line 199")
    assert numbers[0] > 0  # the oldest lines were dropped with the fourth file


def test_the_start_does_not_load_logging_handlers(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from hpgjournal.logsetup import setup_logging; setup_logging(); "
            "import logging; logging.getLogger('hpgjournal').warning('hello'); "
            "print('logging.handlers' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert proc.stdout.strip() == "False"
    assert "hpgjournal: warning: hello" in proc.stderr
