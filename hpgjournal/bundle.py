"""Checks that only a built bundle (PyInstaller) needs, run first at start (no Qt).

A Linux bundle carries the C library's symbol versions it was built against: its
``glibc-floor.txt`` (written by ``packaging/glibc_floor.py``) names the oldest GNU C library
that all of its libraries load on. On an older system, Qt would fail later with a loader error;
this says so in one line instead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

FLOOR_FILE = "glibc-floor.txt"


def _version(text: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(part) for part in text.strip().split("."))
    except ValueError:
        return None


def system_glibc() -> tuple[int, ...] | None:
    """This system's GNU C library version, or None (another C library, or not Linux)."""
    try:
        name = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (AttributeError, ValueError, OSError):
        return None
    lib, _, version = name.partition(" ")
    return _version(version) if lib == "glibc" else None


def glibc_problem() -> str | None:
    """Why this bundle cannot run here, or None when it can (or is not a Linux bundle)."""
    root = getattr(sys, "_MEIPASS", None)
    if not getattr(sys, "frozen", False) or not root or not sys.platform.startswith("linux"):
        return None
    try:
        floor = _version((Path(root) / FLOOR_FILE).read_text(encoding="ascii"))
    except OSError:
        return None
    have = system_glibc()
    if floor is None or have is None or have >= floor:
        return None
    need, got = ".".join(map(str, floor)), ".".join(map(str, have))
    systems = _FIRST_SYSTEMS.get(floor[:2])
    return (f"this build of hpgjournal needs the GNU C library {need} or newer"
            f"{f' ({systems} or later)' if systems else ''} and this system has {got}: install "
            "hpgjournal with pip instead (see the README), or use a newer system")


# The first releases of the common desktop systems that have a C library, for the message: the
# Debian 12 builds need 2.36, the hosted ubuntu-22.04 builds (.github/workflows/build.yml) 2.35.
_FIRST_SYSTEMS: dict[tuple[int, ...], str] = {
    (2, 35): "Ubuntu 22.04, Debian 12, Fedora 36",
    (2, 36): "Debian 12, Ubuntu 22.10, Fedora 37",
}
