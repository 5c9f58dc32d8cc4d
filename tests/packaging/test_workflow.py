"""The hosted build workflow (.github/workflows/build.yml), checked here where it cannot run.

Two linters that install from PyPI and run offline read it (check-jsonschema with the workflow
schema it bundles, zizmor's audits); the rest checks its jobs, runners and steps against the
repository: every script it calls exists and accepts the options given (parsed by the script's
own argparse), the Linux job installs what dev.sh installs, the other jobs run what
``./dev.sh test`` runs, and the uploaded patterns match the names build.py gives its files.
"""

from __future__ import annotations

import argparse
import fnmatch
import platform
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers import ROOT, load_script

WORKFLOW = ROOT / ".github" / "workflows" / "build.yml"
ZIZMOR_CONFIG = ROOT / ".github" / "zizmor.yml"
DEV_SH = ROOT / "dev.sh"
# the system each job builds for, as sys.platform and platform.machine() say there
TARGETS = {"linux": [("linux", "x86_64")], "windows": [("win32", "AMD64")],
           "macos": [("darwin", "arm64"), ("darwin", "x86_64")]}


def load(text: str) -> dict[str, Any]:
    data = yaml.safe_load(text)
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return workflow["jobs"][job]["steps"]


def commands(workflow: dict[str, Any], job: str) -> list[list[str]]:
    """Each shell command of a job's run steps, split into words (``&&`` separates them)."""
    found = []
    for step in steps(workflow, job):
        for part in re.split(r"\s*&&\s*", step.get("run", "").strip()):
            if part:
                found.append(shlex.split(part))
    return found


def without_env(words: list[str]) -> list[str]:
    """The command without its leading NAME=value assignments."""
    while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
        words = words[1:]
    return words


def expand(value: str, workflow: dict[str, Any]) -> str:
    return re.sub(r"\$\{\{\s*env\.(\w+)\s*\}\}", lambda m: str(workflow["env"][m.group(1)]), value)


# ------------------------------------------------------------------------------ linters
def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which(tool, path=str(Path(sys.executable).parent)) or shutil.which(tool)
    assert exe, f"{tool} is missing: it is in pyproject's test extras (pip install -e '.[test]')"
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=120, check=False)


def schema_check(path: Path) -> subprocess.CompletedProcess[str]:
    # the schema travels inside the package: no download
    return _run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(path))


def zizmor(path: Path) -> subprocess.CompletedProcess[str]:
    return _run("zizmor", "--offline", "--no-progress", "--persona", "pedantic",
                "--config", str(ZIZMOR_CONFIG), str(path))


def mutated(tmp_path: Path, old: str, new: str) -> Path:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "build.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_workflow_schema_accepts_it():
    proc = schema_check(WORKFLOW)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_workflow_schema_refuses_a_broken_copy(tmp_path):
    proc = schema_check(mutated(tmp_path, "runs-on: ubuntu-22.04", "runs_on: ubuntu-22.04"))
    assert proc.returncode != 0, "the schema check would not see a misspelt key"


def test_zizmor_finds_nothing():
    proc = zizmor(WORKFLOW)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(("old", "new"), [
    # checkout leaves the job's token in .git/config unless told not to
    ("      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n",
     "      - uses: actions/checkout@v4\n"),
    ("permissions:\n  contents: read", "permissions: write-all"),
    ("actions/checkout@v4", "someone/checkout@v4"),  # a third party's action not hash-pinned
])
def test_zizmor_refuses_a_weakened_copy(tmp_path, old, new):
    proc = zizmor(mutated(tmp_path, old, new))
    assert proc.returncode != 0, proc.stdout + proc.stderr


# ------------------------------------------------------------------------------ jobs and runners
def test_jobs_run_on_windows_both_macs_and_the_oldest_ubuntu(workflow):
    jobs = workflow["jobs"]
    assert set(jobs) == {"linux", "windows", "macos"}
    assert jobs["linux"]["runs-on"] == "ubuntu-22.04"  # glibc 2.35: the Linux bundle's floor
    assert re.fullmatch(r"windows-20\d\d", jobs["windows"]["runs-on"])
    matrix = jobs["macos"]["strategy"]["matrix"]["include"]
    assert {(m["runner"], m["arch"]) for m in matrix} == {("macos-14", "arm64"),
                                                          ("macos-15-intel", "x86_64")}
    assert jobs["macos"]["runs-on"] == "${{ matrix.runner }}"
    assert jobs["macos"]["strategy"]["fail-fast"] is False  # one Mac failing keeps the other


def test_triggers_and_read_only_token(workflow):
    assert {"push", "pull_request", "workflow_dispatch"} <= set(workflow["on"])
    assert workflow["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("job", sorted(TARGETS))
def test_each_job_checks_out_and_sets_up_python_311_or_newer(workflow, job):
    uses = [s["uses"] for s in steps(workflow, job) if "uses" in s]
    for name in uses:  # pinned by major version at least (or a commit)
        assert re.fullmatch(r"[\w-]+/[\w-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", name), name
    assert uses[0].startswith("actions/checkout@")
    assert uses[1].startswith("actions/setup-python@")
    (setup,) = [s for s in steps(workflow, job) if s.get("uses", "").startswith("actions/setup-python@")]
    version = expand(setup["with"]["python-version"], workflow)
    assert tuple(int(n) for n in version.split(".")[:2]) >= (3, 11)


def test_tests_run_offscreen(workflow):
    assert workflow["env"]["QT_QPA_PLATFORM"] == "offscreen"
    for job in TARGETS:
        assert workflow["jobs"][job].get("env", {}).get("QT_QPA_PLATFORM", "offscreen") == "offscreen"


def _dev_sh_test_commands() -> set[str]:
    """What ``./dev.sh test`` runs after setting up: ruff, lint-imports, mypy, pytest."""
    text = DEV_SH.read_text(encoding="utf-8")
    block = text[text.index("\n  test)"):]
    block = block[:block.index(";;")]
    found = set()
    for line in block.splitlines():
        match = re.search(r'"\$VENV/bin/([\w-]+)"(.*?)(?:#.*)?$', line)
        if match:
            words = [w for w in shlex.split(match.group(2)) if w != "$@"]  # the caller's own
            found.add(" ".join([match.group(1), *words]))
    return found


def test_dev_sh_test_is_what_the_other_jobs_run(workflow):
    expected = _dev_sh_test_commands()
    assert {"ruff check .", "lint-imports --no-cache", "mypy", "python -m pytest"} <= expected
    linux = [without_env(c) for c in commands(workflow, "linux")]
    assert ["./dev.sh", "test"] in linux
    for job in ("windows", "macos"):
        ran = {" ".join(c) for c in commands(workflow, job)}
        assert expected <= ran, f"{job} does not run {sorted(expected - ran)}"


def _dev_sh_packages() -> set[str]:
    """The Debian packages dev.sh installs for the tests: Qt's offscreen libraries and the tools."""
    text = DEV_SH.read_text(encoding="utf-8")
    qt_libs = text[text.index("QT_LIBS=("):]
    qt_libs = qt_libs[:qt_libs.index(")")]
    packages = {pkg for _soname, pkg in re.findall(r'"(\S+) (\S+)"', qt_libs)}
    packages |= set(re.findall(r"(?:pkgs|needs)\+=\(([\w.-]+)\)", text))
    packages |= set(re.findall(r"\|\| echo ([\w.-]+)", text))
    packages.discard("python3-venv")  # the job's Python comes from setup-python, with venv
    return packages


def test_the_linux_job_installs_what_dev_sh_installs(workflow):
    wanted = _dev_sh_packages()
    assert {"libegl1", "libxkbcommon0", "fonts-dejavu-core", "poppler-utils", "binutils"} <= wanted
    (apt,) = [s["run"] for s in steps(workflow, "linux") if "apt-get install" in s.get("run", "")]
    installed = set(apt.split()[apt.split().index("--no-install-recommends") + 1:])
    assert wanted <= installed, f"missing: {sorted(wanted - installed)}"


# ------------------------------------------------------------------------------ commands
class _Parsed(Exception):
    pass


def parsed_options(script: Path, argv: list[str], monkeypatch: pytest.MonkeyPatch) -> argparse.Namespace:
    """Parse ``argv`` with the script's own argparse parser, stopping before it does anything."""
    module = load_script(str(script.relative_to(ROOT / "packaging")))
    real = argparse.ArgumentParser.parse_args

    def stop(self, args=None, namespace=None):
        raise _Parsed(real(self, args, namespace))

    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", stop)
    with pytest.raises(_Parsed) as caught:
        module.main(argv)
    monkeypatch.undo()
    return caught.value.args[0]


def python_scripts(workflow: dict[str, Any], job: str) -> list[tuple[Path, list[str]]]:
    found = []
    for words in map(without_env, commands(workflow, job)):
        if words and Path(words[0]).name.startswith("python") and words[1:2] != ["-m"]:
            found.append((ROOT / words[1], words[2:]))
    return found


@pytest.mark.parametrize("job", sorted(TARGETS))
def test_every_path_a_step_names_exists(workflow, job):
    for words in map(without_env, commands(workflow, job)):
        for word in words:
            if "/" in word and not word.startswith(("-", ".venv/", "$")) and "*" not in word:
                assert (ROOT / word).exists(), f"{job}: {word} is not in the repository"
        if words[0].startswith("./"):
            assert (ROOT / words[0]).stat().st_mode & 0o111, f"{words[0]} is not executable"


@pytest.mark.parametrize("job", sorted(TARGETS))
def test_each_job_builds_an_archive_with_options_build_py_accepts(workflow, job, monkeypatch):
    scripts = python_scripts(workflow, job)
    assert (ROOT / "packaging" / "build.py", ["--archive"]) in scripts
    for script, argv in scripts:
        options = parsed_options(script, argv, monkeypatch)  # SystemExit on an unknown option
        if script.name == "build.py":
            assert options.archive is True


def test_the_windows_job_makes_the_installer_and_the_macos_jobs_a_disk_image(workflow):
    assert [s.name for s, _ in python_scripts(workflow, "windows")] == ["build.py", "make_installer.py"]
    assert [s.name for s, _ in python_scripts(workflow, "macos")] == ["build.py", "make_dmg.py"]
    # ISCC comes from Inno Setup, installed before the installer is made
    windows = [" ".join(c) for c in commands(workflow, "windows")]
    assert windows.index("choco install innosetup --no-progress -y") < \
        windows.index("python packaging/windows/make_installer.py")


def _download_names(system: str, machine: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files build.py and the installer scripts write for ``system``, as they name them."""
    monkeypatch.setattr(sys, "platform", system)
    monkeypatch.setattr(platform, "machine", lambda: machine)
    base = load_script("build.py").download_name()
    monkeypatch.undo()
    return {"linux": [f"{base}.tar.gz"], "win32": [f"{base}.zip", f"{base}-setup.exe"],
            "darwin": [f"{base}.zip", f"{base}.dmg"]}[system]


@pytest.mark.parametrize("job", sorted(TARGETS))
def test_the_uploaded_patterns_match_what_the_build_writes(workflow, job, monkeypatch):
    (upload,) = [s for s in steps(workflow, job) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["if-no-files-found"] == "error"
    patterns = upload["with"]["path"].split()
    for system, machine in TARGETS[job]:
        names = [f"dist/{n}" for n in _download_names(system, machine, monkeypatch)]
        for name in names:  # everything made is uploaded...
            assert any(fnmatch.fnmatch(name, p) for p in patterns), (name, patterns)
        for pattern in patterns:  # ...and every pattern finds something
            assert any(fnmatch.fnmatch(n, pattern) for n in names), (pattern, names)
    if job == "macos":
        assert upload["with"]["name"].endswith("${{ matrix.arch }}")  # two Macs, two names
