"""The Linux desktop files and install.sh: valid, consistent with the package, reversible."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hpgjournal import APP_ID, APP_TITLE, __version__
from hpgjournal.paths import JOURNAL_SUFFIX

from .helpers import LINUX, ROOT, load_script

DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME = LINUX / f"{APP_ID}.mime.xml"
INSTALL = LINUX / "install.sh"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def desktop_entry(path: Path = DESKTOP) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_desktop_entry_opens_files_from_the_file_manager():
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_TITLE
    assert entry["GenericName"] and entry["Comment"]
    assert entry["Exec"].split() == ["hpgjournal", "%f"]
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    assert set(entry["MimeType"].rstrip(";").split(";")) == {"text/csv", "application/x-hpgjournal"}


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (apt-get install desktop-file-utils)")
def test_desktop_entry_passes_desktop_file_validate():
    proc = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


def test_metainfo_names_the_app_and_this_version():
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == APP_TITLE
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("summary")
    assert root.find("description/p") is not None
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == __version__, \
        "add a <release> for the package's version to the metainfo file"
    assert root.find("content_rating") is not None


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli is not installed")
def test_metainfo_passes_appstreamcli_validate():
    proc = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mime_type_is_the_journal_suffix_and_in_the_desktop_entry():
    root = ET.parse(MIME).getroot()
    (mime_type,) = root.findall(f"{MIME_NS}mime-type")
    assert mime_type.get("type") == "application/x-hpgjournal"
    assert [g.get("pattern") for g in mime_type.findall(f"{MIME_NS}glob")] == [f"*{JOURNAL_SUFFIX}"]
    icon = mime_type.find(f"{MIME_NS}icon")
    assert icon is not None and icon.get("name") == APP_ID
    assert "application/x-hpgjournal" in desktop_entry()["MimeType"]


@pytest.mark.skipif(shutil.which("update-mime-database") is None,
                    reason="update-mime-database is not installed")
def test_mime_type_compiles(tmp_path):
    (tmp_path / "mime" / "packages").mkdir(parents=True)
    shutil.copy(MIME, tmp_path / "mime" / "packages" / f"{APP_ID}.xml")
    proc = subprocess.run(["update-mime-database", str(tmp_path / "mime")], capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    globs = (tmp_path / "mime" / "globs2").read_text(encoding="utf-8")
    assert f"application/x-hpgjournal:*{JOURNAL_SUFFIX}" in globs


def test_install_script_sizes_match_make_icons():
    sizes = re.search(r'^SIZES="([\d ]+)"$', INSTALL.read_text(encoding="utf-8"), re.MULTILINE)
    assert sizes is not None
    make_icons = load_script("make_icons.py")
    assert tuple(int(s) for s in sizes.group(1).split()) == make_icons.SIZES


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "hpgjournal").exists(),
                    reason="install.sh --checkout needs the checkout's .venv (./dev.sh sets it up)")
def test_install_script_installs_and_uninstalls_a_checkout_launcher(tmp_path):
    prefix = tmp_path / "local"
    proc = subprocess.run(["bash", str(INSTALL), "--checkout", "--prefix", str(prefix)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    share = prefix / "share"
    launcher = prefix / "bin" / "hpgjournal"
    entry = desktop_entry(share / "applications" / f"{APP_ID}.desktop")
    assert entry["Exec"] == f'"{launcher}" %f' and entry["TryExec"] == str(launcher)
    expected = [share / "metainfo" / f"{APP_ID}.metainfo.xml",
                share / "mime" / "packages" / f"{APP_ID}.xml",
                share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
                *(share / "icons" / "hicolor" / f"{s}x{s}" / "apps" / f"{APP_ID}.png"
                  for s in load_script("make_icons.py").SIZES)]
    assert [p for p in expected if not p.is_file()] == []
    version = subprocess.run([str(launcher), "--version"], capture_output=True, text=True,
                             timeout=60, check=False)
    assert version.stdout.strip() == f"hpgjournal {__version__}"

    proc = subprocess.run(["bash", str(INSTALL), "--uninstall", "--prefix", str(prefix)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not launcher.exists()
    assert [p for p in expected if p.exists()] == []
    assert not (share / "applications" / f"{APP_ID}.desktop").exists()


def test_install_script_leaves_a_foreign_program_alone(tmp_path):
    prefix = tmp_path / "local"
    (prefix / "bin").mkdir(parents=True)
    foreign = prefix / "bin" / "hpgjournal"
    foreign.write_text("#!/bin/sh\necho mine\n", encoding="utf-8")
    proc = subprocess.run(["bash", str(INSTALL), "--uninstall", "--prefix", str(prefix)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert foreign.read_text(encoding="utf-8") == "#!/bin/sh\necho mine\n"
    assert "did not write it" in proc.stdout
