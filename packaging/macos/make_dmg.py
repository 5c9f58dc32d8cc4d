"""Pack the built macOS app into a disk image: dist/hpgjournal-VERSION-macos-MACHINE.dmg.

    python packaging/macos/make_dmg.py [--dist-dir DIR]

Run it on a Mac after ``packaging/build.py`` (which leaves ``dist/HPG Journal.app``). The image
holds the app and a link to /Applications to drag it onto; it is compressed (UDZO) and
unsigned, so the first start needs right-click > Open (README, "Install").
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# hdiutil on a busy machine now and then fails with "Resource busy"; a second try works
ATTEMPTS = 3


def download_name() -> str:
    spec = importlib.util.spec_from_file_location("hpgjournal_packaging_build",
                                                  ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    name: str = module.download_name()
    return name


def stage(app: Path, folder: Path) -> Path:
    """Lay out the image's content in ``folder``: the .app (links kept) and /Applications."""
    shutil.copytree(app, folder / app.name, symlinks=True)
    (folder / "Applications").symlink_to("/Applications")
    return folder


def hdiutil_command(staging: Path, volume: str, target: Path) -> list[str]:
    return ["hdiutil", "create", "-volname", volume, "-srcfolder", str(staging),
            "-fs", "HFS+", "-format", "UDZO", "-ov", str(target)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Pack the macOS app into a .dmg.")
    parser.add_argument("--dist-dir", type=Path, default=ROOT / "dist", metavar="DIR",
                        help="where build.py put the app (default: dist/)")
    args = parser.parse_args(argv)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from hpgjournal import APP_TITLE

    dist = args.dist_dir.resolve()
    app = dist / f"{APP_TITLE}.app"
    if not app.is_dir():
        print(f"make_dmg: {app} is missing: run packaging/build.py first", file=sys.stderr)
        return 1
    if sys.platform != "darwin":
        print("make_dmg: hdiutil is macOS's: run this on a Mac", file=sys.stderr)
        return 1
    target = dist / f"{download_name()}.dmg"
    with tempfile.TemporaryDirectory(prefix="hpgjournal-dmg-") as tmp:
        command = hdiutil_command(stage(app, Path(tmp)), APP_TITLE, target)
        for attempt in range(1, ATTEMPTS + 1):
            status = subprocess.call(command)
            if status == 0 or attempt == ATTEMPTS:
                break
            print(f"make_dmg: hdiutil failed (status {status}), trying again", file=sys.stderr)
            time.sleep(5)
    if status != 0 or not target.is_file():
        print(f"make_dmg: hdiutil failed (status {status})", file=sys.stderr)
        return 1
    print(f"make_dmg: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
