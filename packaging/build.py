"""Build the desktop app with PyInstaller, smoke-test it and print what it weighs.

    .venv/bin/python packaging/build.py [--archive] [--clean] [--build-dir DIR] [--dist-dir DIR]

Run it with the project's virtual environment on the system you build for (Linux, Windows or
macOS: PyInstaller does not cross-build). Steps:

1. installs PyInstaller into this Python environment if it is missing;
2. renders the icons from hpgjournal/resources/icons/hpgjournal.svg into build/icons;
3. runs PyInstaller on packaging/hpgjournal.spec: work files in build/, the app in
   dist/hpgjournal/ (and dist/HPG Journal.app on macOS);
4. on Linux, copies the menu entry, icons and install.sh into dist/hpgjournal/linux;
5. runs the built app headless with a throw-away data folder: it must open its window and quit
   (``--exit-after-startup``), write the demo journal (``demo --no-gui``), open that journal and
   a CSV file given on the command line, and run the commands that load the lazily imported
   libraries (``import --dry-run``: pandas; ``chart``: numpy and matplotlib; ``report``: PDF),
   and encrypts the demo journal, then checks and charts it with the passphrase (SQLCipher);
6. prints the bundle's size and the ten biggest things in it;
7. with ``--archive``, packs it into one file to hand out: dist/hpgjournal-VERSION-SYSTEM-MACHINE
   .tar.gz on Linux, .zip on Windows and macOS (the .app).

Exit status 0 when all of it worked, 1 otherwise (the last lines say what failed).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "hpgjournal.spec"
BUILD = ROOT / "build"
DIST = ROOT / "dist"
APP_NAME = "hpgjournal"
PYINSTALLER_REQUIREMENT = "pyinstaller>=6.10,<7"
SMOKE_TIMEOUT_S = 120


class BuildError(Exception):
    """A step failed; the message says which and what to do."""


def say(message: str) -> None:
    print(f"build: {message}", flush=True)


# ------------------------------------------------------------------------------ steps
def ensure_pyinstaller() -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        say(f"installing {PYINSTALLER_REQUIREMENT} into {sys.prefix}")
        status = subprocess.call([sys.executable, "-m", "pip", "install", "--quiet",
                                  "--disable-pip-version-check", PYINSTALLER_REQUIREMENT])
        if status != 0:
            raise BuildError(f"pip could not install PyInstaller: run "
                             f"'{sys.executable} -m pip install \"{PYINSTALLER_REQUIREMENT}\"' "
                             "and read its messages")
    if sys.platform.startswith("linux") and shutil.which("objdump") is None:
        raise BuildError("PyInstaller needs objdump on Linux, from the binutils package: "
                         "run 'sudo apt-get install binutils' (Debian, Ubuntu), then build again")


def make_icons(build: Path) -> Path:
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "packaging" / "make_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = build / "icons"
    written = module.make_icons(out)
    say(f"{len(written)} icon files rendered into {out}")
    return out


def run_pyinstaller(build: Path, dist: Path, *, clean: bool) -> Path:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(dist), "--workpath", str(build), str(SPEC)]
    if clean:
        command.insert(3, "--clean")
    say("running PyInstaller (about a minute)")
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    log = build / "pyinstaller.log"
    build.mkdir(parents=True, exist_ok=True)
    log.write_text(proc.stdout + proc.stderr, encoding="utf-8")
    for line in (proc.stdout + proc.stderr).splitlines():
        if "WARNING" in line or "ERROR" in line:
            print(f"  {line}")
    if proc.returncode != 0:
        hint = ""
        if "Python shared library" in proc.stderr:
            version = f"{sys.version_info.major}.{sys.version_info.minor}"
            hint = f" (on Debian or Ubuntu: sudo apt-get install libpython{version})"
        raise BuildError(f"PyInstaller failed with status {proc.returncode}; its output is in "
                         f"{log}{hint}")
    exe = dist / APP_NAME / (f"{APP_NAME}.exe" if sys.platform == "win32" else APP_NAME)
    if not exe.is_file():
        raise BuildError(f"PyInstaller finished but {exe} is missing")
    return exe


def add_linux_integration(bundle: Path, icons: Path) -> Path:
    """Copy the menu entry, metadata, icons and install.sh into ``bundle/linux``.

    Whoever unpacks the bundle can then run ``linux/install.sh`` to get it into the menu.
    """
    target = bundle / "linux"
    shutil.rmtree(target, ignore_errors=True)
    (target / "icons").mkdir(parents=True)
    for source in sorted((ROOT / "packaging" / "linux").iterdir()):
        if source.is_file():
            shutil.copy2(source, target / source.name)
    for png in sorted(icons.glob("hpgjournal-*.png")):
        if int(png.stem.rsplit("-", 1)[1]) <= 512:  # the 1024 px one is for macOS only
            shutil.copy2(png, target / "icons" / png.name)
    shutil.copy2(ROOT / "hpgjournal" / "resources" / "icons" / "hpgjournal.svg", target / "icons")
    return target


def glibc_line(bundle: Path) -> str:
    """What the bundle's glibc-floor.txt says, with the files that set it; BuildError if absent."""
    spec = importlib.util.spec_from_file_location("glibc_floor", ROOT / "packaging" / "glibc_floor.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = bundle / "_internal" / module.FLOOR_FILE
    if not written.is_file():
        raise BuildError(f"{written} was not written: the spec's glibc step did not run")
    floor, needing = module.bundle_floor(bundle)
    text = written.read_text(encoding="ascii").strip()
    if text != ".".join(map(str, floor)):
        raise BuildError(f"{written} says {text}, but the bundle needs {floor}")
    names = ", ".join(Path(n).name for n in needing[:4])
    return f"runs on GNU C library {text} or newer (set by {names})"


def download_name() -> str:
    """``hpgjournal-VERSION-SYSTEM-MACHINE``: the name of every file handed out (no suffix).

    The archive, the Windows installer and the macOS disk image all start with it.
    """
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from hpgjournal import __version__

    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    return f"{APP_NAME}-{__version__}-{system}-{platform.machine().lower()}"


def make_archive(bundle: Path) -> Path:
    """Pack the app for download next to it: .tar.gz on Linux, .zip on Windows and macOS."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from hpgjournal import APP_TITLE

    base = bundle.parent / download_name()
    if sys.platform == "darwin":  # the .app, with its symbolic links kept
        app = bundle.parent / f"{APP_TITLE}.app"
        target = base.with_name(base.name + ".zip")
        subprocess.run(["ditto", "-c", "-k", "--keepParent", str(app), str(target)], check=True)
        return target
    fmt = "gztar" if sys.platform.startswith("linux") else "zip"
    return Path(shutil.make_archive(str(base), fmt, root_dir=bundle.parent, base_dir=bundle.name))


def _run_app(exe: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env,
                              timeout=SMOKE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise BuildError(f"the built app did not finish '{' '.join(args)}' within "
                         f"{SMOKE_TIMEOUT_S} s") from None


def smoke_test(exe: Path) -> list[str]:
    """Run the built app headless; return the lines it printed. BuildError if anything failed."""
    # A windowed Windows executable has no console: there only the exit status can be checked.
    has_stdout = sys.platform != "win32"
    printed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="hpgjournal-smoke-") as tmp:
        home = Path(tmp)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
               "HPGJOURNAL_DATA_DIR": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config")}
        demo = home / "demo.hpgjournal"
        lab_file = home / "results.csv"
        lab_file.write_text("date,marker,value,unit\n2026-01-05,Testosterone,612,ng/dL\n",
                            encoding="utf-8")
        workbook = home / "results.xlsx"  # pandas reads it through python_calamine
        _write_workbook(workbook)
        lab_pdf = home / "report-from-the-lab.pdf"  # read through pdfplumber and pdfminer
        _write_lab_pdf(lab_pdf)
        chart, report = home / "chart.png", home / "report.pdf"
        secret = home / "passphrase.txt"
        secret.write_text("a smoke test passphrase\n", encoding="utf-8")
        # (arguments, what it must print or None, a file it must write or None)
        checks: list[tuple[list[str], str | None, Path | None]] = [
            (["--exit-after-startup"], "startup: first paint after", None),
            (["demo", "--no-gui", "--journal", str(demo)], "demo journal written to", demo),
            ([str(demo), "--exit-after-startup"], "startup: first paint after", None),
            ([str(lab_file), "--exit-after-startup"], "startup: first paint after", None),
            # the lazily imported parts: pandas, numpy and matplotlib, Qt's PDF writer
            (["import", "--dry-run", "--journal", str(demo), str(lab_file)], None, None),
            (["import", "--dry-run", "--journal", str(demo), str(workbook)], None, None),
            (["import", "--dry-run", "--journal", str(demo), str(lab_pdf)], "lab report PDF",
             None),
            (["chart", "testosterone_total", "--journal", str(demo), "-o", str(chart)], None, chart),
            (["report", "--journal", str(demo), "-o", str(report)], None, report),
            # SQLCipher (sqlcipher3's own SQLite): the demo encrypted, then read with the key
            (["encrypt", "--journal", str(demo), "--new-passphrase-file", str(secret)],
             "is encrypted", None),
            (["check", "--journal", str(demo), "--passphrase-file", str(secret)], ": ok (", None),
            (["chart", "testosterone_total", "--journal", str(demo), "--passphrase-file",
              str(secret), "-o", str(chart)], None, chart),
        ]
        for args, expected, written in checks:
            proc = _run_app(exe, args, env)
            shown = " ".join(args).replace(tmp, "$TMP")
            printed += [f"$ hpgjournal {shown}", *proc.stdout.replace(tmp, "$TMP").splitlines()]
            if proc.returncode != 0:
                raise BuildError(f"'hpgjournal {shown}' exited with status {proc.returncode}:\n"
                                 f"{proc.stdout}{proc.stderr}")
            if has_stdout and expected and expected not in proc.stdout:
                raise BuildError(f"'hpgjournal {shown}' did not print '{expected}':\n"
                                 f"{proc.stdout}{proc.stderr}")
            if written and not (written.is_file() and written.stat().st_size > 0):
                raise BuildError(f"'hpgjournal {shown}' did not write {written.name}")
        if demo.read_bytes().startswith(b"SQLite format 3\x00"):
            raise BuildError("'hpgjournal encrypt' left the demo journal a plain SQLite file")
    return printed


def _write_workbook(path: Path) -> None:
    """A one-sheet .xlsx of one result (openpyxl is a test extra, as is this build)."""
    import pandas as pd

    pd.DataFrame({"date": ["2026-01-05"], "marker": ["Testosterone"], "value": [612],
                  "unit": ["ng/dL"]}).to_excel(path, index=False)


def _write_lab_pdf(path: Path) -> None:
    """A one-result lab report PDF with a text layer (fpdf2 is a test extra, as is this build)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    pdf.text(12, 12, "Quest Diagnostics")  # a US lab: its dates are month first
    pdf.text(12, 20, "Collected: 01/05/2026 08:10 AM")
    pdf.text(12, 30, "TESTOSTERONE, TOTAL, MS")
    pdf.text(90, 30, "612")
    pdf.text(120, 30, "250-1100 ng/dL")
    pdf.output(str(path))


def _size(path: Path) -> int:
    if path.is_symlink() or path.is_file():
        return path.lstat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def bundle_report(bundle: Path, top: int = 10) -> tuple[int, int, list[tuple[str, int]]]:
    """Total bytes, file count and the ``top`` biggest folders and files of a one-folder bundle.

    Folders are listed at the level where they stop being one big thing: the bundle's internal
    folder, PySide6 and Qt's library folder are opened up, so that each Qt library shows on its
    own next to Python's.
    """
    files = [p for p in bundle.rglob("*") if p.is_file() or p.is_symlink()]
    total = sum(p.lstat().st_size for p in files)
    qt = bundle / "_internal" / "PySide6" / "Qt"
    opened = {bundle, bundle / "_internal", qt.parent, qt, qt / "lib"}
    entries: list[tuple[str, int]] = []
    pending = [bundle]
    while pending:
        folder = pending.pop()
        for child in folder.iterdir():
            if child in opened:
                pending.append(child)
            else:
                entries.append((child.relative_to(bundle).as_posix(), _size(child)))
    entries.sort(key=lambda e: -e[1])
    return total, len(files), entries[:top]


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build, smoke-test and measure the desktop app.")
    parser.add_argument("--clean", action="store_true",
                        help="empty PyInstaller's cache and work folder first")
    parser.add_argument("--archive", action="store_true",
                        help="also pack the app into one file to hand out (.tar.gz or .zip)")
    parser.add_argument("--build-dir", type=Path, default=BUILD, metavar="DIR",
                        help="work files and icons (default: build/)")
    parser.add_argument("--dist-dir", type=Path, default=DIST, metavar="DIR",
                        help="where the app goes (default: dist/)")
    args = parser.parse_args(argv)
    build, dist = args.build_dir.resolve(), args.dist_dir.resolve()
    started = time.monotonic()
    try:
        ensure_pyinstaller()
        icons = make_icons(build)
        exe = run_pyinstaller(build, dist, clean=args.clean)
        if sys.platform.startswith("linux"):
            add_linux_integration(exe.parent, icons)
            say(glibc_line(exe.parent))
        built = time.monotonic() - started
        say(f"built {exe} in {built:.0f} s; smoke test:")
        for line in smoke_test(exe):
            print(f"  {line}")
    except BuildError as exc:
        say(f"FAILED: {exc}")
        return 1
    total, count, biggest = bundle_report(exe.parent)
    say(f"bundle {exe.parent}: {_mb(total)} in {count} files; biggest:")
    for name, size in biggest:
        print(f"  {size / total:6.1%}  {_mb(size):>9}  {name}")
    if args.archive:
        archive = make_archive(exe.parent)
        say(f"archive {archive}: {_mb(archive.stat().st_size)}")
    say(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
