"""packaging/build.py's Windows and macOS branches, run here with the system faked.

The executable's name, the archive's name and format, the objdump check that only Linux needs,
and the smoke test of a windowed Windows app that prints nothing.
"""

from __future__ import annotations

import platform
import subprocess
import sys
import zipfile

import pytest

from hpgjournal import APP_TITLE, __version__

from .helpers import load_script


@pytest.fixture
def build():
    return load_script("build.py")


@pytest.mark.parametrize(("system", "machine", "name"), [
    ("linux", "x86_64", f"hpgjournal-{__version__}-linux-x86_64"),
    ("win32", "AMD64", f"hpgjournal-{__version__}-windows-amd64"),
    ("darwin", "arm64", f"hpgjournal-{__version__}-macos-arm64"),
    ("darwin", "x86_64", f"hpgjournal-{__version__}-macos-x86_64"),
])
def test_download_name(build, monkeypatch, system, machine, name):
    monkeypatch.setattr(sys, "platform", system)
    monkeypatch.setattr(platform, "machine", lambda: machine)
    assert build.download_name() == name


def test_windows_archive_is_a_zip_of_the_folder(build, tmp_path, monkeypatch):
    bundle = tmp_path / "dist" / "hpgjournal"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "hpgjournal.exe").write_bytes(b"MZ")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(platform, "machine", lambda: "AMD64")
    archive = build.make_archive(bundle)
    assert archive == bundle.parent / f"hpgjournal-{__version__}-windows-amd64.zip"
    with zipfile.ZipFile(archive) as z:
        assert "hpgjournal/hpgjournal.exe" in z.namelist()


def test_macos_archive_zips_the_app_with_ditto(build, tmp_path, monkeypatch):
    bundle = tmp_path / "dist" / "hpgjournal"
    bundle.mkdir(parents=True)
    ran = []
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(platform, "machine", lambda: "arm64")
    monkeypatch.setattr(build.subprocess, "run", lambda command, check: ran.append(command))
    archive = build.make_archive(bundle)
    assert archive.name == f"hpgjournal-{__version__}-macos-arm64.zip"
    # ditto keeps the .app's symbolic links (a zip made by shutil would copy the frameworks)
    assert ran == [["ditto", "-c", "-k", "--keepParent", str(bundle.parent / f"{APP_TITLE}.app"),
                    str(archive)]]


@pytest.mark.parametrize(("system", "exe_name"), [("win32", "hpgjournal.exe"),
                                                  ("darwin", "hpgjournal"), ("linux", "hpgjournal")])
def test_the_built_executable_is_looked_for_under_its_systems_name(build, tmp_path, monkeypatch,
                                                                   system, exe_name):
    dist = tmp_path / "dist"
    monkeypatch.setattr(build.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, "", ""))
    monkeypatch.setattr(sys, "platform", system)
    with pytest.raises(build.BuildError, match=f"{exe_name} is missing"):
        build.run_pyinstaller(tmp_path / "build", dist, clean=False)
    (dist / "hpgjournal").mkdir(parents=True)
    (dist / "hpgjournal" / exe_name).write_bytes(b"")
    assert build.run_pyinstaller(tmp_path / "build", dist, clean=False) == dist / "hpgjournal" / exe_name


@pytest.mark.parametrize(("system", "refused"), [("linux", True), ("win32", False), ("darwin", False)])
def test_only_linux_needs_objdump(build, monkeypatch, system, refused):
    monkeypatch.setattr(build.shutil, "which", lambda name: None)
    monkeypatch.setattr(sys, "platform", system)
    if refused:
        with pytest.raises(build.BuildError, match="objdump"):
            build.ensure_pyinstaller()
    else:
        build.ensure_pyinstaller()


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in app is a sh script")
def test_a_windowed_windows_app_is_judged_by_status_and_files(build, tmp_path, monkeypatch):
    """It prints nothing (no console): the smoke test must not ask for its startup line."""
    exe = tmp_path / "hpgjournal"
    # writes what is asked for (-o FILE, demo --journal FILE), prints nothing
    exe.write_text('#!/bin/sh\nprev=""; cmd="$1"\nfor a in "$@"; do\n'
                   '  if [ "$prev" = "-o" ] || { [ "$cmd" = demo ] && [ "$prev" = "--journal" ]; }; '
                   'then echo x > "$a"; fi\n  prev="$a"\ndone\nexit 0\n', encoding="utf-8")
    exe.chmod(0o755)
    # the workbook is written by pandas, which cannot be imported with the system faked
    monkeypatch.setattr(build, "_write_workbook", lambda path: path.write_bytes(b"PK"))
    monkeypatch.setattr(sys, "platform", "win32")
    assert build.smoke_test(exe)  # passes on exit status and written files alone
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(build.BuildError, match="did not print 'startup: first paint after'"):
        build.smoke_test(exe)  # elsewhere the same silence fails
    (tmp_path / "hpgjournal").write_text("#!/bin/sh\nexit 2\n", encoding="utf-8")
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(build.BuildError, match="exited with status 2"):
        build.smoke_test(exe)


def test_only_linux_gets_the_desktop_files_and_glibc_line(build, tmp_path, monkeypatch):
    """main() adds the menu entry and reads the glibc floor on Linux alone."""
    exe = tmp_path / "dist" / "hpgjournal" / "hpgjournal.exe"
    done = []
    monkeypatch.setattr(build, "ensure_pyinstaller", lambda: None)
    monkeypatch.setattr(build, "make_icons", lambda b: tmp_path / "icons")
    monkeypatch.setattr(build, "run_pyinstaller", lambda b, d, clean: exe)
    monkeypatch.setattr(build, "add_linux_integration", lambda *a: done.append("linux"))
    monkeypatch.setattr(build, "glibc_line", lambda b: done.append("glibc") or "glibc")
    monkeypatch.setattr(build, "smoke_test", lambda e: [])
    monkeypatch.setattr(build, "bundle_report", lambda b: (1, 1, []))
    monkeypatch.setattr(sys, "platform", "win32")
    assert build.main(["--build-dir", str(tmp_path / "b"), "--dist-dir", str(tmp_path / "d")]) == 0
    assert done == []
    monkeypatch.setattr(sys, "platform", "linux")
    assert build.main(["--build-dir", str(tmp_path / "b"), "--dist-dir", str(tmp_path / "d")]) == 0
    assert done == ["linux", "glibc"]

