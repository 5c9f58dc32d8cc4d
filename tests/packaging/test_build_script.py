"""packaging/build.py's parts that need no PyInstaller run: smoke-test verdicts, size, archive."""

from __future__ import annotations

import sys
import tarfile
from pathlib import Path

import pytest

from hpgjournal import __version__

from .helpers import load_script

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the stand-in app is a sh script")


@pytest.fixture(scope="module")
def build():
    return load_script("build.py")


def stand_in_app(tmp_path: Path, body: str) -> Path:
    exe = tmp_path / "hpgjournal"
    exe.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    exe.chmod(0o755)
    return exe


def test_smoke_test_fails_on_an_exit_status(build, tmp_path):
    exe = stand_in_app(tmp_path, 'echo "startup: first paint after 0.1 s"; exit 3')
    with pytest.raises(build.BuildError, match="exited with status 3"):
        build.smoke_test(exe)


def test_smoke_test_fails_when_the_startup_line_is_missing(build, tmp_path):
    exe = stand_in_app(tmp_path, "exit 0")
    with pytest.raises(build.BuildError, match="did not print 'startup: first paint after'"):
        build.smoke_test(exe)


def test_smoke_test_fails_when_a_file_is_not_written(build, tmp_path):
    # prints what every command is asked for, but writes nothing
    exe = stand_in_app(tmp_path, 'echo "startup: first paint after 0.1 s"; '
                                 'echo "demo journal written to x"')
    with pytest.raises(build.BuildError, match=r"did not write demo\.hpgjournal"):
        build.smoke_test(exe)


def test_bundle_report_opens_up_the_big_folders(build, tmp_path):
    bundle = tmp_path / "hpgjournal"
    qt_lib = bundle / "_internal" / "PySide6" / "Qt" / "lib"
    qt_lib.mkdir(parents=True)
    (qt_lib / "libbig.so").write_bytes(b"x" * 5000)
    (bundle / "_internal" / "numpy").mkdir()
    (bundle / "_internal" / "numpy" / "a.so").write_bytes(b"x" * 3000)
    (bundle / "_internal" / "numpy" / "b.so").write_bytes(b"x" * 1000)
    (bundle / "hpgjournal").write_bytes(b"x" * 10)
    total, count, biggest = build.bundle_report(bundle, top=2)
    assert (total, count) == (9010, 4)
    assert biggest == [("_internal/PySide6/Qt/lib/libbig.so", 5000), ("_internal/numpy", 4000)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux packs a .tar.gz")
def test_archive_keeps_the_folder_and_the_executable_bit(build, tmp_path):
    bundle = tmp_path / "dist" / "hpgjournal"
    (bundle / "_internal").mkdir(parents=True)
    stand_in_app(bundle, "exit 0")
    archive = build.make_archive(bundle)
    assert archive.parent == bundle.parent
    assert archive.name.startswith(f"hpgjournal-{__version__}-linux-")
    assert archive.name.endswith(".tar.gz")
    with tarfile.open(archive) as tar:
        member = tar.getmember("hpgjournal/hpgjournal")
        assert member.mode & 0o111
        assert "hpgjournal/_internal" in tar.getnames()
