"""Startup benchmark: hpgjournal's first paint on the demo journal against a bare QMainWindow.

Both are started as fresh processes and shown the same way (offscreen, quit after the first
paint). Measured for each, several times: the time from starting the process to its first
paint (what the user waits for: each prints its ``time.perf_counter()`` at that paint, a
system-wide clock, and this script subtracts the moment it started the process), and the wall
time of the whole process, which adds its quitting. Prints the medians and both ratios; the
aim (under 1.5) is on the first paint.

With ``BENCH_CALLGRIND=1`` (and valgrind installed) it also counts, once each under callgrind,
the machine instructions both processes run up to their first paint (callgrind dumps its
counts when ``QCoreApplication::quit`` is called, right after that paint): a figure that the
machine's load does not move, for telling a change of a few milliseconds from noise. It takes
about a minute.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "7"))

BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, finish)
        return False

def finish():  # as hpgjournal's --exit-after-startup: after the paint, print the clock, quit
    print(f"first paint (clock {time.perf_counter():.6f})", flush=True)
    app.quit()

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("bare"))
window.resize(1280, 800)
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
window.update()
app.exec()
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds from start to the first paint, seconds of the whole process) of one run."""
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    clock = re.search(r"\(clock ([0-9.]+)\)", done.stdout)
    if clock is None:
        raise SystemExit(f"{cmd[1:3]} printed no first paint: {done.stdout!r} {done.stderr!r}")
    return float(clock.group(1)) - start, wall


def instructions(cmd: list[str], env: dict[str, str], tmp: Path) -> int:
    """Machine instructions ``cmd`` runs until its first paint (callgrind's count, dumped when
    QCoreApplication::quit is entered)."""
    out = tmp / f"callgrind-{len(list(tmp.glob('callgrind-*')))}.out"
    subprocess.run(["valgrind", "--tool=callgrind", "--dump-before=QCoreApplication::quit*",
                    f"--callgrind-out-file={out}", *cmd], env={**env, "PYTHONHASHSEED": "0"},
                   check=True, capture_output=True)
    first = Path(f"{out}.1")  # the counts up to the first dump: up to the paint
    summary = re.search(r"^summary: (\d+)", first.read_text(errors="replace"), re.MULTILINE)
    if summary is None:
        raise SystemExit(f"callgrind wrote no summary in {first}")
    return int(summary.group(1))


def _line(label: str, times: list[float]) -> str:
    return (f"  {label}: median {statistics.median(times):.3f} s "
            f"(min {min(times):.3f}, max {max(times):.3f})")


def main() -> None:
    # An installed app has byte code compiled at install time; this machine sets
    # PYTHONDONTWRITEBYTECODE=1, so compile the package once so that both sides start warm.
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "hpgjournal"), quiet=1)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    with tempfile.TemporaryDirectory() as tmp:
        env["HPGJOURNAL_DATA_DIR"] = tmp
        env["XDG_CONFIG_HOME"] = tmp
        journal = Path(tmp) / "demo.hpgjournal"
        subprocess.run([sys.executable, "-m", "hpgjournal", "demo", "--no-gui", "--journal",
                        str(journal)], env=env, check=True, capture_output=True)
        app_cmd = [sys.executable, "-m", "hpgjournal", "--journal", str(journal),
                   "--exit-after-startup"]
        bare_cmd = [sys.executable, "-c", BARE]
        timed(app_cmd, env)  # warm the file cache and matplotlib-free byte code once each
        timed(bare_cmd, env)
        app_runs, bare_runs = [], []
        for _ in range(RUNS):  # interleaved, so that machine noise hits both alike
            app_runs.append(timed(app_cmd, env))
            bare_runs.append(timed(bare_cmd, env))
        probe = subprocess.run(
            [sys.executable, "-c", "import sys, hpgjournal.cli as c; c.main(['--journal', "
             f"{str(journal)!r}, '--exit-after-startup']); "
             "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy') if m in sys.modules))"],
            env=env, capture_output=True, text=True, check=True)
        counted = None
        if os.environ.get("BENCH_CALLGRIND") == "1" and shutil.which("valgrind"):
            counted = instructions(app_cmd, env, Path(tmp)), instructions(bare_cmd, env, Path(tmp))
    app_paint, app_wall = [run[0] for run in app_runs], [run[1] for run in app_runs]
    bare_paint, bare_wall = [run[0] for run in bare_runs], [run[1] for run in bare_runs]
    print(f"startup, {RUNS} runs each, platform {env['QT_QPA_PLATFORM']}")
    print("start of the process to its first paint:")
    print(_line("hpgjournal --exit-after-startup (demo journal)", app_paint))
    print(_line("bare PySide6 QMainWindow                      ", bare_paint))
    paint_ratio = statistics.median(app_paint) / statistics.median(bare_paint)
    print(f"  ratio: {paint_ratio:.2f} (target < 1.5)")
    print("the whole process (start, first paint, quit):")
    print(_line("hpgjournal                                    ", app_wall))
    print(_line("bare PySide6 QMainWindow                      ", bare_wall))
    print(f"  ratio: {statistics.median(app_wall) / statistics.median(bare_wall):.2f}")
    if counted is not None:
        app_ir, bare_ir = counted
        print("machine instructions to the first paint (callgrind, once each):")
        print(f"  hpgjournal {app_ir / 1e6:,.0f} M, bare {bare_ir / 1e6:,.0f} M, "
              f"ratio {app_ir / bare_ir:.2f}")
    print(f"  heavy modules loaded before first paint: {probe.stdout.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
