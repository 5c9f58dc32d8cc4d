"""The oldest GNU C library a Linux bundle runs on: the newest GLIBC_x.y symbol version any of
its ELF files asks for.

The build writes it into the bundle as ``glibc-floor.txt``; the app reads it at start
(``hpgjournal.platform_check``) and says in one line when the system's C library is older.

Reads the ELF files' version-requirement sections directly (no objdump), so it also works on a
machine without binutils.
"""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from hpgjournal.bundle import FLOOR_FILE  # noqa: E402  (the app reads the file this writes)

_GLIBC = re.compile(rb"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?")
_SHT_GNU_VERNEED = 0x6FFFFFFE


def _verneed_names(data: bytes) -> list[bytes]:
    """The symbol version names an ELF file requires (its .gnu.version_r section)."""
    if data[:4] != b"\x7fELF" or data[4] not in (1, 2):
        return []
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if is64:
        shoff, = struct.unpack_from(end + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(end + "HH", data, 0x3A)
    else:
        shoff, = struct.unpack_from(end + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(end + "HH", data, 0x2E)
    sections = []
    for i in range(shnum):
        base = shoff + i * shentsize
        if is64:
            _, sh_type, _, _, off, size, link, info = struct.unpack_from(end + "IIQQQQII", data, base)
        else:
            _, sh_type, _, _, off, size, link, info = struct.unpack_from(end + "IIIIIIII", data, base)
        sections.append((sh_type, off, size, link, info))
    names: list[bytes] = []
    for sh_type, off, _size, link, count in sections:
        if sh_type != _SHT_GNU_VERNEED or link >= len(sections):
            continue
        strtab = sections[link][1]
        entry = off
        for _ in range(count):
            _, cnt, _, aux, nxt = struct.unpack_from(end + "HHIII", data, entry)
            at = entry + aux
            for _ in range(cnt):
                _, _, _, name, anext = struct.unpack_from(end + "IHHII", data, at)
                start = strtab + name
                names.append(data[start:data.index(b"\0", start)])
                if not anext:
                    break
                at += anext
            if not nxt:
                break
            entry += nxt
    return names


def required_glibc(path: Path) -> tuple[int, ...] | None:
    """The newest GLIBC version ``path`` requires, or None (not ELF, or no such requirement)."""
    try:
        data = path.read_bytes()
        names = _verneed_names(data)
    except (OSError, struct.error, ValueError, IndexError):
        return None
    versions = [tuple(int(g) for g in m.groups() if g is not None)
                for m in map(_GLIBC.fullmatch, names) if m]
    return max(versions) if versions else None


def bundle_floor(bundle: Path) -> tuple[tuple[int, ...], list[str]]:
    """The bundle's floor and the files that need it (paths relative to the bundle)."""
    found: dict[Path, tuple[int, ...]] = {}
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            version = required_glibc(path)
            if version is not None:
                found[path] = version
    if not found:
        return (), []
    floor = max(found.values())
    return floor, sorted(str(p.relative_to(bundle)) for p, v in found.items() if v == floor)


def write_floor(bundle: Path, internal: Path) -> str:
    """Write ``glibc-floor.txt`` into the bundle's internal folder; return the version text."""
    floor, _ = bundle_floor(bundle)
    text = ".".join(map(str, floor))
    (internal / FLOOR_FILE).write_text(text + "\n", encoding="ascii")
    return text


if __name__ == "__main__":  # python packaging/glibc_floor.py dist/hpgjournal
    floor, needing = bundle_floor(Path(sys.argv[1]))
    print(".".join(map(str, floor)) or "no GLIBC requirement")
    for name in needing:
        print(f"  {name}")
