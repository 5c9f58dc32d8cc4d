"""The Windows version resource of hpgjournal.exe, written from the package's version string.

PyInstaller reads a version file: a Python expression built from the classes in
``PyInstaller.utils.win32.versioninfo``. Those classes need ``pefile``, which is installed on
Windows only, so the spec writes the file as text here and PyInstaller evaluates it when it builds
on Windows. Run this file to print the text: ``python packaging/windows/version_info.py``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LANGUAGE_US_ENGLISH = 0x0409
CODEPAGE_UNICODE = 1200


def version_numbers(version: str) -> tuple[int, int, int, int]:
    """Four numbers for Windows: ``"0.1.0"`` gives (0, 1, 0, 0); ``"1.2rc1"`` gives (1, 2, 0, 0)."""
    match = re.match(r"\d+(?:\.\d+)*", version)
    if not match:
        raise ValueError(f"version {version!r} does not start with a number")
    numbers = [int(part) for part in match.group(0).split(".")][:4]
    numbers += [0] * (4 - len(numbers))
    return numbers[0], numbers[1], numbers[2], numbers[3]


def version_file_text(version: str, *, title: str, exe_name: str) -> str:
    numbers = version_numbers(version)
    strings = {
        "CompanyName": "hpgjournal developers",
        "FileDescription": title,
        "FileVersion": version,
        "InternalName": exe_name.removesuffix(".exe"),
        "LegalCopyright": "MIT licence",
        "OriginalFilename": exe_name,
        "ProductName": title,
        "ProductVersion": version,
    }
    table = ",\n".join(f"            StringStruct({k!r}, {v!r})" for k, v in strings.items())
    lang = f"{LANGUAGE_US_ENGLISH:04X}{CODEPAGE_UNICODE:04X}"
    return (
        "VSVersionInfo(\n"
        f"  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}),\n"
        "  kids=[\n"
        f"    StringFileInfo([StringTable({lang!r}, [\n{table}])]),\n"
        f"    VarFileInfo([VarStruct('Translation', [{LANGUAGE_US_ENGLISH}, {CODEPAGE_UNICODE}])]),\n"
        "  ],\n"
        ")\n"
    )


def write_version_file(target: Path, version: str, *, title: str, exe_name: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(version_file_text(version, title=title, exe_name=exe_name), encoding="utf-8")
    return target


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from hpgjournal import APP_NAME, APP_TITLE, __version__

    print(version_file_text(__version__, title=APP_TITLE, exe_name=f"{APP_NAME}.exe"), end="")
