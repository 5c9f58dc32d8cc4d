"""Startup benchmark: hpgjournal's first paint on the demo journal against a bare QMainWindow.

Both are started as fresh processes and shown the same way (offscreen, quit after the first
paint); the wall time of each process is measured several times. Prints both medians and the
ratio (target: under 1.5).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "7"))

BARE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, app.quit)
        return False

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


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


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
        app_times, bare_times = [], []
        for _ in range(RUNS):  # interleaved, so that machine noise hits both alike
            app_times.append(timed(app_cmd, env))
            bare_times.append(timed(bare_cmd, env))
        probe = subprocess.run(
            [sys.executable, "-c", "import sys, hpgjournal.cli as c; c.main(['--journal', "
             f"{str(journal)!r}, '--exit-after-startup']); "
             "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy') if m in sys.modules))"],
            env=env, capture_output=True, text=True, check=True)
    app_med, bare_med = statistics.median(app_times), statistics.median(bare_times)
    print(f"startup, {RUNS} runs each, platform {env['QT_QPA_PLATFORM']}")
    print(f"  hpgjournal --exit-after-startup (demo journal): median {app_med:.3f} s "
          f"(min {min(app_times):.3f}, max {max(app_times):.3f})")
    print(f"  bare PySide6 QMainWindow:                        median {bare_med:.3f} s "
          f"(min {min(bare_times):.3f}, max {max(bare_times):.3f})")
    print(f"  ratio: {app_med / bare_med:.2f} (target < 1.5)")
    print(f"  heavy modules loaded before first paint: {probe.stdout.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
