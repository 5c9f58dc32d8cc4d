"""The Windows installer script (Inno Setup) and the macOS disk image, checked without building.

The .iss must name the files the spec really produces and take the app's id and version from
the package (passed by make_installer.py), never from a second copy; the uninstaller must leave
the data folder alone. The disk image holds the .app with its links and a link to /Applications.
"""

from __future__ import annotations

import platform
import re
import sys
from pathlib import Path

import pytest

import hpgjournal
from hpgjournal import APP_ID, APP_NAME, APP_TITLE
from hpgjournal.paths import JOURNAL_SUFFIX

from .helpers import PACKAGING, load_script
from .test_spec import run_spec

ISS = PACKAGING / "windows" / "hpgjournal.iss"


@pytest.fixture(scope="module")
def iss() -> str:
    return ISS.read_text(encoding="utf-8")


def sections(text: str) -> dict[str, list[str]]:
    """The .iss's lines by [Section], without comments and blank lines."""
    found: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(";"):
            continue
        if re.fullmatch(r"\[\w+\]", line):
            current = line[1:-1]
            found[current] = []
        elif current:
            found[current].append(line)
    return found


def setup_values(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in sections(text)["Setup"])


@pytest.fixture
def installer(monkeypatch):
    """make_installer.py as it runs on Windows x64."""
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(platform, "machine", lambda: "AMD64")
    return load_script("windows/make_installer.py")


def test_defines_come_from_the_package(installer, tmp_path, monkeypatch):
    monkeypatch.setattr(hpgjournal, "__version__", "9.8.7rc1")  # proves it is read, not copied
    values = installer.defines(tmp_path / "dist", tmp_path / "build")
    assert values["AppId"] == APP_ID and values["AppTitle"] == APP_TITLE
    assert values["AppVersion"] == "9.8.7rc1" and values["NumericVersion"] == "9.8.7.0"
    assert values["OutputBase"] == "hpgjournal-9.8.7rc1-windows-amd64-setup"
    assert values["IconFile"] == str(tmp_path / "build" / "icons" / "hpgjournal.ico")


def test_the_script_holds_no_copy_of_the_metadata(iss):
    assert hpgjournal.__version__ not in iss and APP_ID not in iss
    setup = setup_values(iss)
    assert setup["AppId"] == "{#AppId}" and setup["AppVersion"] == "{#AppVersion}"
    assert setup["AppName"] == "{#AppTitle}"
    assert "#error" in iss  # compiled without make_installer.py's defines, it stops


def test_every_define_the_script_reads_is_passed_and_used(installer, iss, tmp_path):
    passed = set(installer.defines(tmp_path, tmp_path))
    local = set(re.findall(r"^#define (\w+)", iss, flags=re.M))
    read = set(re.findall(r"\{#(\w+)\}", iss)) | set(re.findall(r"#define \w+ (\w+) \+", iss))
    assert read - local <= passed, f"not passed: {sorted(read - local - passed)}"
    assert passed <= read, f"passed but unused: {sorted(passed - read)}"


def test_it_installs_what_the_spec_builds(installer, iss, tmp_path, monkeypatch):
    calls = run_spec("win32", tmp_path / "work" / "hpgjournal", monkeypatch)
    exe_name, folder = calls["EXE"][0].kwargs["name"], calls["COLLECT"][0].kwargs["name"]
    values = installer.defines(tmp_path / "dist", tmp_path / "build")
    # build.py expects dist/<COLLECT name>/<EXE name>.exe on Windows: the same two files
    assert values["SourceDir"] == str(tmp_path / "dist" / folder)
    assert values["AppExe"] == f"{exe_name}.exe"
    files = sections(iss)["Files"]
    assert files == ['Source: "{#SourceDir}\\*"; DestDir: "{app}"; '
                     "Flags: ignoreversion recursesubdirs createallsubdirs"]


def test_per_user_install_with_a_start_menu_entry(iss):
    setup = setup_values(iss)
    assert setup["PrivilegesRequired"] == "lowest"  # no administrator needed
    assert setup["DefaultDirName"] == "{autopf}\\{#AppTitle}"
    assert setup["MinVersion"] == "10.0.17763"  # Windows 10 1809, Qt 6's oldest
    icons = sections(iss)["Icons"]
    assert 'Name: "{autoprograms}\\{#AppTitle}"; Filename: "{app}\\{#AppExe}"' in icons


def test_journal_files_open_in_the_app_and_csv_only_offers_it(iss):
    registry = sections(iss)["Registry"]
    assert setup_values(iss)["ChangesAssociations"] == "yes"
    suffix = f"Software\\Classes\\{JOURNAL_SUFFIX}"
    assert any(f'Subkey: "{suffix}"; ValueType: string; ValueName: ""; ValueData: "{{#ProgId}}"' in line
               for line in registry)
    opened = [line for line in registry if "shell\\open\\command" in line]
    assert opened and all('ValueData: """{app}\\{#AppExe}"" ""%1"""' in line for line in opened)
    csv = [line for line in registry if "\\.csv" in line]
    # under "Open with" only: the .csv key's own default value (its default program) is not set
    assert csv and all("OpenWithProgids" in line for line in csv)
    assert all(line.startswith("Root: HKA;") for line in registry)  # the user's, or all users'


def test_the_uninstaller_leaves_the_journal_folder(iss, monkeypatch, tmp_path):
    assert "UninstallDelete" not in sections(iss)
    assert "{localappdata}" not in iss and "{userappdata}" not in iss
    # where the app keeps the journal on Windows, against where the installer puts the app
    from hpgjournal.paths import data_dir
    from tests.test_platform_branches import as_windows

    local = tmp_path / "AppData" / "Local"
    as_windows(monkeypatch, local)
    journal_folder = data_dir()
    app_folder = local / "Programs" / APP_TITLE  # {autopf} of a per-user install
    assert journal_folder == local / APP_NAME
    assert not journal_folder.is_relative_to(app_folder)


def test_iscc_command_and_where_iscc_is_found(installer, tmp_path, monkeypatch):
    command = installer.iscc_command("ISCC.exe", {"AppVersion": "1.0", "AppTitle": APP_TITLE})
    assert command == ["ISCC.exe", "/Q", "/DAppVersion=1.0", f"/DAppTitle={APP_TITLE}", str(ISS)]
    monkeypatch.setattr(installer.shutil, "which", lambda name: None)
    for var in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        monkeypatch.delenv(var, raising=False)
    assert installer.find_iscc() is None
    iscc = tmp_path / "pf86" / "Inno Setup 6" / "ISCC.exe"
    iscc.parent.mkdir(parents=True)
    iscc.write_bytes(b"")
    monkeypatch.setenv("ProgramFiles(x86)", str(tmp_path / "pf86"))
    assert installer.find_iscc() == str(iscc)


def test_make_installer_needs_the_built_app(installer, tmp_path, capsys):
    assert installer.main(["--dist-dir", str(tmp_path)]) == 1
    assert "hpgjournal.exe is missing: run packaging/build.py first" in capsys.readouterr().err


def test_make_installer_runs_iscc_and_finds_its_output(installer, tmp_path, monkeypatch, capsys):
    exe = tmp_path / "dist" / APP_NAME / f"{APP_NAME}.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"MZ")
    ran = []

    def fake_iscc(command):
        ran.append(command)
        base = next(a for a in command if a.startswith("/DOutputBase=")).split("=", 1)[1]
        (tmp_path / "dist" / f"{base}.exe").write_bytes(b"MZ")
        return 0

    monkeypatch.setattr(installer.subprocess, "call", fake_iscc)
    assert installer.main(["--dist-dir", str(tmp_path / "dist"), "--iscc", "ISCC.exe"]) == 0
    assert ran[0][0] == "ISCC.exe" and ran[0][-1] == str(ISS)
    assert f"hpgjournal-{hpgjournal.__version__}-windows-amd64-setup.exe" in capsys.readouterr().out


# ------------------------------------------------------------------------------ macOS
@pytest.fixture
def dmg(monkeypatch):
    monkeypatch.setattr(platform, "machine", lambda: "arm64")
    return load_script("macos/make_dmg.py")


def fake_app(dist: Path) -> Path:
    app = dist / f"{APP_TITLE}.app"
    macos = app / "Contents" / "MacOS"
    macos.mkdir(parents=True)
    (macos / APP_NAME).write_bytes(b"\xcf\xfa\xed\xfe")
    (app / "Contents" / "Frameworks").symlink_to("MacOS")  # bundles are full of these
    return app


def test_the_image_holds_the_app_with_its_links_and_applications(dmg, tmp_path):
    app = fake_app(tmp_path / "dist")
    staged = dmg.stage(app, tmp_path / "stage")
    copied = staged / app.name
    assert (copied / "Contents" / "MacOS" / APP_NAME).is_file()
    assert (copied / "Contents" / "Frameworks").is_symlink()
    assert (staged / "Applications").is_symlink()
    assert str((staged / "Applications").readlink()) == "/Applications"


def test_hdiutil_makes_a_compressed_image_named_for_the_app(dmg, tmp_path):
    command = dmg.hdiutil_command(tmp_path / "stage", APP_TITLE, tmp_path / "x.dmg")
    assert command[:2] == ["hdiutil", "create"]
    assert command[command.index("-volname") + 1] == APP_TITLE
    assert command[command.index("-format") + 1] == "UDZO"
    assert command[command.index("-srcfolder") + 1] == str(tmp_path / "stage")
    assert command[-1] == str(tmp_path / "x.dmg")


def test_make_dmg_outside_a_mac_says_so(dmg, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "linux")
    fake_app(tmp_path)
    assert dmg.main(["--dist-dir", str(tmp_path)]) == 1
    assert "run this on a Mac" in capsys.readouterr().err
    assert dmg.main(["--dist-dir", str(tmp_path / "none")]) == 1
    assert "is missing: run packaging/build.py first" in capsys.readouterr().err


def test_make_dmg_on_a_mac(dmg, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "darwin")
    fake_app(tmp_path)
    seen = []

    def fake_hdiutil(command):
        staging = Path(command[command.index("-srcfolder") + 1])
        seen.append(sorted(p.name for p in staging.iterdir()))
        Path(command[-1]).write_bytes(b"koly")
        return 0

    monkeypatch.setattr(dmg.subprocess, "call", fake_hdiutil)
    assert dmg.main(["--dist-dir", str(tmp_path)]) == 0
    assert seen == [["Applications", f"{APP_TITLE}.app"]]
    name = f"hpgjournal-{hpgjournal.__version__}-macos-arm64.dmg"
    assert (tmp_path / name).is_file() and name in capsys.readouterr().out


def test_make_dmg_tries_hdiutil_again_and_then_gives_up(dmg, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(dmg.time, "sleep", lambda s: None)
    fake_app(tmp_path)
    statuses = iter([1, 0])  # busy once, then made

    def flaky_hdiutil(command):
        status = next(statuses)
        if status == 0:
            Path(command[-1]).write_bytes(b"koly")
        return status

    monkeypatch.setattr(dmg.subprocess, "call", flaky_hdiutil)
    assert dmg.main(["--dist-dir", str(tmp_path)]) == 0
    monkeypatch.setattr(dmg.subprocess, "call", lambda command: 1)
    assert dmg.main(["--dist-dir", str(tmp_path / ".")]) == 1
    assert "hdiutil failed (status 1)" in capsys.readouterr().err
