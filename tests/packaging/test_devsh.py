"""dev.sh's own logic: the system-library check, run as the README's commands run it.

The check used to pipe ``ldconfig -p`` into ``grep -q`` under ``pipefail``: grep stopped at its
match, ldconfig died of SIGPIPE, and a library that was there was reported missing. These
tests source dev.sh (it runs nothing when sourced) and call its functions in bash.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .helpers import ROOT

DEV_SH = ROOT / "dev.sh"


def _bash(script: str, path_first: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if path_first is not None:
        env["PATH"] = f"{path_first}:{env['PATH']}"
    return subprocess.run(["bash", "-c", f"source {DEV_SH!s}\n{script}"], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


@pytest.fixture
def long_ldconfig(tmp_path: Path) -> Path:
    """An ldconfig that lists libc first, then far more than a pipe buffer (64 KB) of others,
    as on a desktop with a few thousand libraries."""
    fake = tmp_path / "bin"
    fake.mkdir()
    script = fake / "ldconfig"
    script.write_text(
        "#!/bin/bash\n"
        "printf '4000 libs found in cache `/etc/ld.so.cache'\"'\"'\\n'\n"
        "printf '\\tlibc.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libc.so.6\\n'\n"
        "for i in $(seq 4000); do\n"
        "  printf '\\tlibfake%d.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libfake%d.so.1\\n' $i $i\n"
        "done\n")
    script.chmod(0o755)
    return fake


def test_a_present_library_is_never_reported_missing(long_ldconfig):
    proc = _bash('for i in $(seq 50); do\n'
                 '  out=$(missing_packages "libc.so.6 libc6" "libfake3999.so.1 fake")\n'
                 '  [ -z "$out" ] || { echo "run $i: $out"; exit 1; }\n'
                 'done; echo clean', long_ldconfig)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "clean"


def test_a_missing_library_is_reported_by_its_package(long_ldconfig):
    proc = _bash('missing_packages "libc.so.6 libc6" "libnothere.so.7 nothere-pkg" '
                 '"libfake1.so nope"', long_ldconfig)
    assert proc.returncode == 0, proc.stderr
    # libfake1.so is only a prefix of libfake1.so.1: a name must match whole
    assert proc.stdout.split() == ["nothere-pkg", "nope"]


def test_the_real_ldconfig_finds_libc_every_time():
    proc = _bash('for i in $(seq 100); do\n'
                 '  [ -z "$(missing_packages "libc.so.6 libc6")" ] || { echo "run $i"; exit 1; }\n'
                 'done')
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_build_needs_names_nothing_once_the_build_can_run():
    """On this machine the build test runs, so its needs are met (dev.sh test installed them)."""
    proc = _bash(f'VENV={ROOT / ".venv"!s}; build_needs')
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == []


def test_build_needs_names_libpython_when_the_shared_library_is_missing(tmp_path, long_ldconfig):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    fake_python = venv / "bin" / "python"
    fake_python.write_text(  # a Debian python3.11 without its libpython3.11 package
        "#!/bin/bash\n"
        'case "$2" in *INSTSONAME*) echo libpython3.11.so.1.0 ;; *LIBDIR*) echo /nonexistent ;;\n'
        "  *) echo libpython3.11 ;; esac\n")
    fake_python.chmod(0o755)
    proc = _bash(f"VENV={venv!s}; build_needs", long_ldconfig)
    assert proc.returncode == 0, proc.stderr
    needs = proc.stdout.split()
    assert "libpython3.11" in needs


def test_sourcing_dev_sh_runs_no_command():
    proc = _bash("echo sourced")
    assert proc.returncode == 0 and proc.stdout.strip() == "sourced", proc.stderr
