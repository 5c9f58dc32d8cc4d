"""Build the Windows installer from the built app: Inno Setup's compiler on hpgjournal.iss.

    python packaging/windows/make_installer.py [--dist-dir DIR] [--build-dir DIR] [--iscc PATH]

Run it on Windows after ``packaging/build.py`` (which leaves the app in dist/hpgjournal and its
icon in build/icons). The app's name, id and version come from ``hpgjournal/__init__.py`` and
are passed to the script as /D defines; the installer is written next to the archive as
dist/hpgjournal-VERSION-windows-MACHINE-setup.exe. Needs Inno Setup 6 (``ISCC.exe``).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ISS = HERE / "hpgjournal.iss"


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"hpgjournal_packaging_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def defines(dist: Path, build: Path) -> dict[str, str]:
    """What hpgjournal.iss reads with {#Name}: all of it from the package and the build."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from hpgjournal import APP_ID, APP_NAME, APP_TITLE, __version__

    numbers = _load(HERE / "version_info.py").version_numbers(__version__)
    download = _load(ROOT / "packaging" / "build.py").download_name()
    return {
        "AppId": APP_ID,
        "AppName": APP_NAME,
        "AppTitle": APP_TITLE,
        "AppVersion": __version__,
        "NumericVersion": ".".join(map(str, numbers)),
        "AppExe": f"{APP_NAME}.exe",
        "SourceDir": str(dist / APP_NAME),
        "OutputDir": str(dist),
        "OutputBase": f"{download}-setup",
        "IconFile": str(build / "icons" / f"{APP_NAME}.ico"),
    }


def iscc_command(iscc: str, values: dict[str, str]) -> list[str]:
    return [iscc, "/Q", *(f"/D{name}={value}" for name, value in values.items()), str(ISS)]


def find_iscc() -> str | None:
    """ISCC.exe on PATH or where the Inno Setup 6 installer puts it."""
    found = shutil.which("iscc")
    if found:
        return found
    for base in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        folder = os.environ.get(base)
        for sub in ("Inno Setup 6", os.path.join("Programs", "Inno Setup 6")):
            candidate = Path(folder or "") / sub / "ISCC.exe"
            if folder and candidate.is_file():
                return str(candidate)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Windows installer (Inno Setup).")
    parser.add_argument("--dist-dir", type=Path, default=ROOT / "dist", metavar="DIR",
                        help="where build.py put the app (default: dist/)")
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build", metavar="DIR",
                        help="build.py's work folder, with the icons (default: build/)")
    parser.add_argument("--iscc", help="Inno Setup's compiler (default: found on PATH or in "
                                       "the usual folders)")
    args = parser.parse_args(argv)
    values = defines(args.dist_dir.resolve(), args.build_dir.resolve())
    exe = Path(values["SourceDir"]) / values["AppExe"]
    if not exe.is_file():
        print(f"make_installer: {exe} is missing: run packaging/build.py first", file=sys.stderr)
        return 1
    iscc = args.iscc or find_iscc()
    if iscc is None:
        print("make_installer: Inno Setup 6 is not installed (choco install innosetup, or "
              "https://jrsoftware.org/isdl.php)", file=sys.stderr)
        return 1
    status = subprocess.call(iscc_command(iscc, values))
    target = Path(values["OutputDir"]) / f"{values['OutputBase']}.exe"
    if status != 0 or not target.is_file():
        print(f"make_installer: ISCC failed (status {status})", file=sys.stderr)
        return 1
    print(f"make_installer: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
