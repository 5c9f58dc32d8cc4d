"""The PyInstaller spec, run with stand-ins for PyInstaller's classes (no build, a second or so)."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import Any

import pytest

import hpgjournal
from hpgjournal import APP_ID, APP_NAME

from .helpers import PACKAGING, ROOT, load_script

SPEC = PACKAGING / "hpgjournal.spec"


class Recorder:
    """Stands in for one PyInstaller class: keeps what the spec passed to it."""

    calls: list[Recorder]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs
        self.calls.append(self)


def run_spec(platform: str, workpath: Path, monkeypatch: pytest.MonkeyPatch,
             collected: list[tuple[str, str, str]] | None = None) -> dict[str, list[Recorder]]:
    """Execute the spec as PyInstaller would on ``platform``; return the calls by class name."""
    calls: dict[str, list[Recorder]] = {}

    def fake(name: str) -> type[Recorder]:
        calls[name] = []
        return type(name, (Recorder,), {"calls": calls[name]})

    class Analysis(fake("Analysis")):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.binaries = [e for e in (collected or []) if e[2] == "BINARY"]
            self.datas = [e for e in (collected or []) if e[2] == "DATA"]
            self.pure, self.scripts = [], []

    namespace = {"Analysis": Analysis, "PYZ": fake("PYZ"), "EXE": fake("EXE"),
                 "COLLECT": fake("COLLECT"), "BUNDLE": fake("BUNDLE"),
                 "SPECPATH": str(PACKAGING), "SPEC": str(SPEC), "workpath": str(workpath),
                 "DISTPATH": str(workpath.parent / "dist"), "__name__": "__main__"}
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the spec prepends the checkout
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    return calls


@pytest.fixture(scope="module")
def workpath(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """build/hpgjournal as PyInstaller names it; icons go to build/icons beside it."""
    return tmp_path_factory.mktemp("build") / "hpgjournal"


def test_spec_is_python() -> None:
    ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def test_linux_build_bundles_entry_point_resources_and_excludes(workpath, monkeypatch):
    calls = run_spec("linux", workpath, monkeypatch)
    (analysis,) = calls["Analysis"]
    assert analysis.args[0] == [str(ROOT / "hpgjournal" / "__main__.py")]
    assert (str(ROOT / "hpgjournal" / "resources"), "hpgjournal/resources") in analysis.kwargs["datas"]
    excludes = set(analysis.kwargs["excludes"])
    assert {"PyQt5", "PyQt6", "PySide2", "tkinter", "PySide6.QtWebEngineCore",
            "PySide6.QtWebEngineWidgets", "PySide6.QtQml", "PySide6.QtQuick"} <= excludes
    (exe,) = calls["EXE"]
    assert exe.kwargs["name"] == APP_NAME and exe.kwargs["console"] is False
    assert exe.kwargs["exclude_binaries"] is True  # one-folder
    assert exe.kwargs["icon"] is None and exe.kwargs["version"] is None
    (collect,) = calls["COLLECT"]
    assert collect.kwargs["name"] == APP_NAME
    assert calls["BUNDLE"] == []


def test_no_module_the_app_imports_is_excluded(workpath, monkeypatch):
    """A Qt module used anywhere in hpgjournal must not be on the spec's exclude list."""
    used = set()
    for source in (ROOT / "hpgjournal").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        used |= {f"PySide6.{m}" for m in re.findall(r"PySide6\.(Qt\w+)", text)}
        used |= {f"PySide6.{m}" for m in re.findall(r"from PySide6 import (Qt\w+)", text)}
    excludes = set(run_spec("linux", workpath, monkeypatch)["Analysis"][0].kwargs["excludes"])
    assert {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"} <= used
    assert not used & excludes, f"the app imports {sorted(used & excludes)}: remove from the spec"


def test_files_no_desktop_app_loads_are_dropped(workpath, monkeypatch):
    collected = [
        ("PySide6/Qt/translations/qtbase_de.qm", "/x/qtbase_de.qm", "DATA"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/x/libqxcb.so", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", "/x/libqeglfs.so", "BINARY"),
        ("hpgjournal/resources/demo/recipe.toml", "/x/recipe.toml", "DATA"),
    ]
    calls = run_spec("linux", workpath, monkeypatch, collected)
    (collect,) = calls["COLLECT"]
    kept = {entry[0] for group in collect.args[1:] for entry in group}
    assert kept == {"PySide6/Qt/lib/libQt6Core.so.6", "PySide6/Qt/plugins/platforms/libqxcb.so",
                    "hpgjournal/resources/demo/recipe.toml"}


def test_windows_build_has_ico_and_version_resource(workpath, monkeypatch):
    calls = run_spec("win32", workpath, monkeypatch)
    (exe,) = calls["EXE"]
    icon = Path(exe.kwargs["icon"])
    assert icon.suffix == ".ico" and icon.is_file()  # rendered by the spec when missing
    version_file = Path(exe.kwargs["version"])
    text = version_file.read_text(encoding="utf-8")
    ast.parse(text, mode="eval")
    numbers = load_script("windows/version_info.py").version_numbers(hpgjournal.__version__)
    assert f"filevers={numbers}" in text
    assert f"'ProductVersion', '{hpgjournal.__version__}'" in text
    assert "'OriginalFilename', 'hpgjournal.exe'" in text
    assert calls["BUNDLE"] == []


def test_macos_bundle_takes_id_and_version_from_the_package(workpath, monkeypatch):
    monkeypatch.setattr(hpgjournal, "__version__", "9.8.7")  # proves it is read, not copied
    calls = run_spec("darwin", workpath, monkeypatch)
    (bundle,) = calls["BUNDLE"]
    assert bundle.kwargs["bundle_identifier"] == APP_ID
    assert bundle.kwargs["version"] == "9.8.7"
    assert bundle.kwargs["info_plist"]["CFBundleShortVersionString"] == "9.8.7"
    assert bundle.kwargs["icon"].endswith(".icns") and Path(bundle.kwargs["icon"]).is_file()
    assert calls["EXE"][0].kwargs["icon"] == bundle.kwargs["icon"]


@pytest.mark.parametrize(("version", "numbers"), [
    ("0.1.0", (0, 1, 0, 0)), ("1.2", (1, 2, 0, 0)), ("2.0.1rc1", (2, 0, 1, 0)),
    ("1.2.3.4.5", (1, 2, 3, 4)),
])
def test_windows_version_numbers(version, numbers):
    assert load_script("windows/version_info.py").version_numbers(version) == numbers


def test_windows_version_needs_a_number():
    with pytest.raises(ValueError, match="does not start with a number"):
        load_script("windows/version_info.py").version_numbers("dev")


def test_macos_bundle_opens_journals_and_offers_itself_for_csv(workpath, monkeypatch):
    import plistlib

    from hpgjournal.paths import JOURNAL_SUFFIX

    calls = run_spec("darwin", workpath, monkeypatch)
    plist = calls["BUNDLE"][0].kwargs["info_plist"]
    plistlib.dumps(plist)  # every value is one a property list can hold
    (exported,) = plist["UTExportedTypeDeclarations"]
    assert exported["UTTypeIdentifier"] == f"{APP_ID}.journal"
    assert exported["UTTypeTagSpecification"]["public.filename-extension"] == [JOURNAL_SUFFIX[1:]]
    documents = {d["LSItemContentTypes"][0]: d for d in plist["CFBundleDocumentTypes"]}
    assert set(documents) == {f"{APP_ID}.journal", "public.comma-separated-values-text"}
    assert documents[f"{APP_ID}.journal"]["LSHandlerRank"] == "Owner"
    assert documents[f"{APP_ID}.journal"]["CFBundleTypeRole"] == "Editor"
    # CSV: under "Open With", never taking over the user's default for CSV files
    assert documents["public.comma-separated-values-text"]["LSHandlerRank"] == "Alternate"
    assert plist["LSMinimumSystemVersion"] == "13.0"  # Qt 6.10/6.11's oldest macOS (README)


@pytest.mark.parametrize(("platform", "emulated"), [("darwin", True), ("win32", False),
                                                    ("linux", False)])
def test_files_opened_from_finder_reach_the_command_line(workpath, monkeypatch, platform, emulated):
    """macOS hands a double-clicked file over as an Apple event; PyInstaller turns it into argv."""
    (exe,) = run_spec(platform, workpath, monkeypatch)["EXE"]
    assert exe.kwargs["argv_emulation"] is emulated
