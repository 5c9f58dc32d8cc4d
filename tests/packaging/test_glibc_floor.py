"""packaging/glibc_floor.py reads the GLIBC versions an ELF file needs, as objdump shows them."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import load_script

glibc_floor = load_script("glibc_floor.py")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF files: Linux")


def _objdump_max(path: Path) -> tuple[int, ...] | None:
    out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True,
                         check=True).stdout
    found = [tuple(int(x) for x in m.split(".")) for m in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", out)]
    return max(found) if found else None


@pytest.mark.skipif(shutil.which("objdump") is None, reason="./dev.sh test installs binutils")
def test_agrees_with_objdump_on_this_pythons_libraries():
    import _ctypes  # a compiled module of the standard library

    candidates = [Path(sys.executable).resolve(), Path(_ctypes.__file__)]
    candidates += sorted(Path(_ctypes.__file__).parent.glob("*.so"))[:15]
    checked = 0
    for path in candidates:
        expected = _objdump_max(path)
        assert glibc_floor.required_glibc(path) == expected, path
        checked += expected is not None
    assert checked >= 5


def test_files_that_are_not_elf_need_nothing(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("GLIBC_2.99 is only text here\n")
    assert glibc_floor.required_glibc(text) is None
    truncated = tmp_path / "broken.so"
    truncated.write_bytes(b"\x7fELF\x02\x01\x01" + b"\0" * 20)
    assert glibc_floor.required_glibc(truncated) is None


def test_bundle_floor_names_the_files_that_set_it(tmp_path):
    import _ctypes

    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    lib = Path(_ctypes.__file__)
    shutil.copy2(lib, bundle / "_internal" / lib.name)
    (bundle / "_internal" / "data.toml").write_text("x = 1\n")
    floor, needing = glibc_floor.bundle_floor(bundle)
    assert floor == glibc_floor.required_glibc(lib)
    assert needing == [f"_internal/{lib.name}"]
    assert glibc_floor.write_floor(bundle, bundle / "_internal") == ".".join(map(str, floor))
    assert (bundle / "_internal" / "glibc-floor.txt").read_text().strip() == ".".join(map(str, floor))
