#!/usr/bin/env bash
# Put HPG Journal into your desktop's menu (for your user only, under ~/.local):
#   packaging/linux/install.sh               install
#   packaging/linux/install.sh --uninstall   remove what install put there (never your journal)
# Options: --prefix DIR (default ~/.local); --checkout: from a checkout, install a launcher that
# runs the checkout's .venv even when a built bundle exists in dist/.
#
# What it installs: the built app (dist/hpgjournal, or the unpacked folder this script sits in)
# as DIR/lib/hpgjournal with DIR/bin/hpgjournal pointing to it; without a built app, a launcher
# for the checkout's .venv. Then the menu entry (share/applications), the icons
# (share/icons/hicolor), the AppStream metadata (share/metainfo) and the .hpgjournal file type
# (share/mime), so that the file manager offers "Open with HPG Journal" for CSV and journal files.
set -euo pipefail

APP_ID=io.github.hpgjournal.HPGJournal
SIZES="16 24 32 48 64 128 256 512"
LAUNCHER_MARK="# hpgjournal launcher written by install.sh"

say() { printf 'install.sh: %s\n' "$*"; }
die() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }

prefix="$HOME/.local"
action=install
force_checkout=0
while [ $# -gt 0 ]; do
  case "$1" in
    --uninstall) action=uninstall ;;
    --checkout) force_checkout=1 ;;
    --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; prefix=$2; shift ;;
    --prefix=*) prefix=${1#--prefix=} ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (try --help)" ;;
  esac
  shift
done
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
here=$(cd "$(dirname "$0")" && pwd)

bin="$prefix/bin/hpgjournal"
lib="$prefix/lib/hpgjournal"
share="$prefix/share"
desktop="$share/applications/$APP_ID.desktop"
metainfo="$share/metainfo/$APP_ID.metainfo.xml"
mime="$share/mime/packages/$APP_ID.xml"

refresh_caches() {  # each tool is optional: desktops that lack one do not need it
  if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$share/applications" || true
  fi
  if command -v update-mime-database >/dev/null && [ -d "$share/mime/packages" ]; then
    update-mime-database "$share/mime" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null && [ -d "$share/icons/hicolor" ]; then
    gtk-update-icon-cache -q -f -t "$share/icons/hicolor" || true
  fi
}

uninstall() {
  if [ -L "$bin" ] || { [ -f "$bin" ] && grep -q "$LAUNCHER_MARK" "$bin"; }; then
    rm -f "$bin"
  elif [ -e "$bin" ]; then
    say "left $bin alone: install.sh did not write it"
  fi
  rm -rf "$lib"
  rm -f "$desktop" "$metainfo" "$mime" "$share/icons/hicolor/scalable/apps/$APP_ID.svg"
  for size in $SIZES; do rm -f "$share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"; done
  refresh_caches
  say "removed HPG Journal from $prefix (your journals and backups are untouched)"
}

if [ "$action" = uninstall ]; then uninstall; exit 0; fi

# ---------------------------------------------------------------- where the app comes from
if [ -x "$here/../hpgjournal" ] && [ -d "$here/../_internal" ]; then
  mode=bundle; bundle=$(cd "$here/.." && pwd)      # the unpacked app, with this script in linux/
  icons="$here/icons"; svg="$here/icons/hpgjournal.svg"; files="$here"
else
  root=$(cd "$here/../.." && pwd)                    # a checkout: packaging/linux/install.sh
  files="$here"; svg="$root/hpgjournal/resources/icons/hpgjournal.svg"; icons="$root/build/icons"
  if [ "$force_checkout" = 0 ] && [ -x "$root/dist/hpgjournal/hpgjournal" ]; then
    mode=bundle; bundle="$root/dist/hpgjournal"
  elif [ -x "$root/.venv/bin/hpgjournal" ]; then
    mode=checkout
  else
    die "nothing to install: build the app first (.venv/bin/python packaging/build.py) or set up the checkout (./dev.sh run)"
  fi
  if [ -x "$root/.venv/bin/python" ]; then
    "$root/.venv/bin/python" "$root/packaging/make_icons.py" --out "$icons" >/dev/null
  fi
fi
if [ "$mode" = bundle ] && [ -f "$bundle/_internal/glibc-floor.txt" ]; then
  # the oldest GNU C library the built app loads on (written by the build)
  need=$(tr -d '[:space:]' < "$bundle/_internal/glibc-floor.txt")
  have=$(getconf GNU_LIBC_VERSION 2>/dev/null | sed -n 's/^glibc //p')
  if [ -n "$need" ] && [ -n "$have" ] && \
     [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | sed -n 1p)" != "$need" ]; then
    die "this build needs the GNU C library $need or newer and this system has $have: install hpgjournal with pip instead (see the README), or use a newer system"
  fi
fi
for size in $SIZES; do
  [ -f "$icons/hpgjournal-$size.png" ] || die "the icon $icons/hpgjournal-$size.png is missing: run packaging/make_icons.py"
done

# ---------------------------------------------------------------- the program
mkdir -p "$prefix/bin"
if [ -e "$bin" ] && [ ! -L "$bin" ] && ! grep -q "$LAUNCHER_MARK" "$bin"; then
  die "$bin exists and was not written by install.sh: move it away first"
fi
rm -f "$bin"
if [ "$mode" = bundle ]; then
  if [ "$bundle" != "$lib" ]; then
    rm -rf "$lib"
    mkdir -p "$(dirname "$lib")"
    cp -a "$bundle" "$lib"
  fi
  ln -s "$lib/hpgjournal" "$bin"
  say "installed the app in $lib"
else
  rm -rf "$lib"
  printf '#!/bin/sh\n%s\nexec "%s" "$@"\n' "$LAUNCHER_MARK" "$root/.venv/bin/hpgjournal" > "$bin"
  chmod 755 "$bin"
  say "installed a launcher for the checkout in $root"
fi

# ---------------------------------------------------------------- desktop integration
install -d "$share/applications" "$share/metainfo" "$share/mime/packages" \
  "$share/icons/hicolor/scalable/apps"
# The menu may not search ~/.local/bin, so the entry names the program by its full path.
sed -e "s|^Exec=hpgjournal |Exec=\"$bin\" |" -e "s|^TryExec=hpgjournal\$|TryExec=$bin|" \
  "$files/$APP_ID.desktop" > "$desktop"
install -m 644 "$files/$APP_ID.metainfo.xml" "$metainfo"
install -m 644 "$files/$APP_ID.mime.xml" "$mime"
install -m 644 "$svg" "$share/icons/hicolor/scalable/apps/$APP_ID.svg"
for size in $SIZES; do
  install -D -m 644 "$icons/hpgjournal-$size.png" "$share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
refresh_caches
say "added HPG Journal to the menu ($desktop)"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) say "to run 'hpgjournal' from a terminal, add $prefix/bin to your PATH" ;;
esac
