"""The real thing: build the bundle with packaging/build.py, smoke-test it, install it.

About 20-45 s on the project's 2-core machine (PyInstaller itself is most of it).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hpgjournal import APP_ID

from .helpers import PACKAGING, load_script


@pytest.mark.slow
def test_build_smoke_test_and_install(tmp_path):
    build, dist = tmp_path / "build", tmp_path / "dist"
    proc = subprocess.run(
        [sys.executable, str(PACKAGING / "build.py"), "--build-dir", str(build),
         "--dist-dir", str(dist)],
        capture_output=True, text=True, timeout=900, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert out.count("startup: first paint after") == 3, out  # plain, a journal, a CSV file
    assert "demo journal written to" in out
    assert "is encrypted" in out and ": ok (" in out  # the bundle carries SQLCipher
    assert f"build: bundle {dist / 'hpgjournal'}:" in out and "biggest:" in out

    bundle = dist / "hpgjournal"
    internal = bundle / "_internal"
    assert (internal / "hpgjournal" / "resources" / "demo" / "recipe.toml").is_file()
    assert (internal / "hpgjournal" / "resources" / "icons" / "hpgjournal.svg").is_file()
    assert sorted((internal / "hpgjournal" / "resources" / "knowledge").glob("*.toml"))
    assert not (internal / "PySide6" / "Qt" / "translations").exists()
    if sys.platform.startswith("linux"):  # the oldest C library it loads on, as the app reads it
        floor = (internal / "glibc-floor.txt").read_text(encoding="ascii").strip()
        assert f"build: runs on GNU C library {floor} or newer" in out
        needed, _ = load_script("glibc_floor.py").bundle_floor(bundle)
        assert floor == ".".join(map(str, needed)) and needed >= (2, 17)
    assert list(internal.rglob("sqlcipher3/_sqlite3*"))
    assert not list(internal.rglob("*QtWebEngine*")) and not list(internal.rglob("*tkinter*"))

    if sys.platform.startswith("linux"):  # the unpacked bundle installs itself into a menu
        prefix = tmp_path / "local"
        proc = subprocess.run(["bash", str(bundle / "linux" / "install.sh"), "--prefix", str(prefix)],
                              capture_output=True, text=True, timeout=300, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert (prefix / "share" / "applications" / f"{APP_ID}.desktop").is_file()
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
               "HPGJOURNAL_DATA_DIR": str(tmp_path / "data")}
        started = subprocess.run([str(prefix / "bin" / "hpgjournal"), "--exit-after-startup"],
                                 capture_output=True, text=True, env=env, timeout=120, check=False)
        assert started.returncode == 0, started.stderr
        assert "startup: first paint after" in started.stdout
