#!/usr/bin/env bash
# hpgjournal developer entry point. Two commands do all the set-up on a fresh Debian/Ubuntu clone:
#   ./dev.sh run [ARGS...]   start the app (creates .venv, installs what is missing)
#   ./dev.sh test [ARGS...]  run ruff, the import contracts and every test, headless
# Also: ./dev.sh bench (print the benchmarks), ./dev.sh shot OUT.png (screenshot under Xvfb).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
VENV=.venv
PY=${PYTHON:-python3}

say() { printf 'dev.sh: %s\n' "$*" >&2; }

# Qt's shared libraries (see ../shared/research/env_probe.md): offscreen needs the first list,
# a real X11 window also needs the second. Each entry is "soname package".
QT_LIBS=(
  "libglib-2.0.so.0 libglib2.0-0" "libGL.so.1 libgl1" "libEGL.so.1 libegl1"
  "libxkbcommon.so.0 libxkbcommon0" "libfontconfig.so.1 libfontconfig1"
  "libdbus-1.so.3 libdbus-1-3"
)
X11_LIBS=(
  "libxkbcommon-x11.so.0 libxkbcommon-x11-0" "libxcb-cursor.so.0 libxcb-cursor0"
  "libxcb-icccm.so.4 libxcb-icccm4" "libxcb-image.so.0 libxcb-image0"
  "libxcb-keysyms.so.1 libxcb-keysyms1" "libxcb-render-util.so.0 libxcb-render-util0"
  "libxcb-shape.so.0 libxcb-shape0"
)

missing_packages() {  # prints the Debian packages whose library is not on the system
  # ldconfig's whole list is read into a variable first: a reader that stops at its first match
  # (grep -q) in a pipeline would kill ldconfig with SIGPIPE, and pipefail would then report a
  # library that is there as missing.
  local entry soname pkg cache
  cache=$("$(command -v ldconfig || echo /sbin/ldconfig)" -p 2>/dev/null || true)
  for entry in "$@"; do
    soname=${entry% *}; pkg=${entry#* }
    case "$cache" in
      *[[:space:]]"$soname"[[:space:]]*) ;;
      *) printf '%s\n' "$pkg" ;;
    esac
  done
}

apt_install() {  # installs Debian packages, or says exactly what to run when not root
  [ $# -gt 0 ] || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing system packages: $*"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    say "these system packages are missing: $*"
    say "install them, then run this again:  sudo apt-get install -y --no-install-recommends $*"
    exit 1
  fi
}

ensure_system() {  # $1 = "gui" to include the X11 libraries
  local pkgs=()
  mapfile -t pkgs < <(missing_packages "${QT_LIBS[@]}")
  [ -d /usr/share/fonts/truetype/dejavu ] || pkgs+=(fonts-dejavu-core)
  if [ "${1:-}" = gui ]; then mapfile -t -O "${#pkgs[@]}" pkgs < <(missing_packages "${X11_LIBS[@]}"); fi
  if ! "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1; then pkgs+=(python3-venv); fi
  apt_install "${pkgs[@]}"
}

ensure_venv() {  # creates .venv and installs the project with its test extras when pyproject changed
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    say "Python 3.11 or newer is needed; $PY is $("$PY" --version 2>&1). Set PYTHON=/path/to/python3.11."; exit 1; }
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed" want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing Python packages into $VENV (first time takes about a minute)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]' 2>&1 | grep -v '^WARNING: Location' || true
    "$VENV/bin/python" -c 'import PySide6.QtWidgets, pandas, sqlcipher3, keyring, python_calamine, pdfplumber, fpdf, openpyxl, odf, xlwt, matplotlib, sqlite_utils, pytestqt, PyInstaller, importlinter, mypy, pre_commit, coverage' || {
      say "the Python packages did not install; see the messages above"; exit 1; }
    echo "$want" > "$stamp"
  fi
}

build_needs() {  # what PyInstaller's build test needs: objdump and Python's shared library
  command -v objdump >/dev/null || echo binutils
  local soname libdir
  soname=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_config_var("INSTSONAME") or "")')
  libdir=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR") or "")')
  case "$soname" in *.so*) ;; *) return 0 ;; esac  # not a shared-library build (macOS framework)
  [ -e "$libdir/$soname" ] && return 0
  [ -z "$(missing_packages "$soname x")" ] && return 0
  # Debian and Ubuntu ship it apart from the interpreter, as libpython3.X
  "$VENV/bin/python" -c 'import sys; print(f"libpython{sys.version_info[0]}.{sys.version_info[1]}")'
}

# Sourced (by the tests of these functions), it stops here and runs nothing.
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

cmd=${1:-help}; shift || true
case "$cmd" in
  run)
    ensure_system gui; ensure_venv
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
      say "no display found (DISPLAY is not set). On a desktop, run this from a terminal in your session;"
      say "on a headless machine: apt-get install -y xvfb xauth && xvfb-run -a ./dev.sh run"
      exit 1
    fi
    exec "$VENV/bin/hpgjournal" "$@" ;;
  test)
    ensure_system; ensure_venv
    needs=()
    command -v pdftotext >/dev/null || needs+=(poppler-utils)  # report tests read PDF text
    command -v pdffonts >/dev/null || needs+=(poppler-utils)
    # the Linux desktop files are checked with the desktop's own validators
    command -v desktop-file-validate >/dev/null || needs+=(desktop-file-utils)
    command -v appstreamcli >/dev/null || needs+=(appstream)
    command -v update-mime-database >/dev/null || needs+=(shared-mime-info)
    mapfile -t -O "${#needs[@]}" needs < <(build_needs)  # PyInstaller's build test
    mapfile -t needs < <(printf '%s\n' "${needs[@]}" | sort -u | sed '/^$/d')
    apt_install "${needs[@]}"
    "$VENV/bin/ruff" check .
    "$VENV/bin/lint-imports" --no-cache  # who may import whom: [tool.importlinter] in pyproject.toml
    "$VENV/bin/mypy"  # the types, zero errors: [tool.mypy] in pyproject.toml
    QT_QPA_PLATFORM=offscreen exec "$VENV/bin/python" -m pytest "$@" ;;
  bench)
    ensure_system; ensure_venv
    for b in bench/*.py; do say "$b"; QT_QPA_PLATFORM=offscreen "$VENV/bin/python" "$b"; done ;;
  shot)
    ensure_system gui; ensure_venv
    command -v xvfb-run >/dev/null || apt_install xvfb xauth
    out=${1:-screenshots/main.png}; shift || true
    mkdir -p "$(dirname "$out")"
    # SHOT_SCREEN (e.g. 1920x1080) and SHOT_SCALE (e.g. 2) try other screens and scalings
    xvfb-run -a -s "-screen 0 ${SHOT_SCREEN:-1280x800}x24" \
      env QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR="${SHOT_SCALE:-1}" \
      "$VENV/bin/python" -m hpgjournal.ui.screenshot "$out" "$@" ;;
  *)
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; [ "$cmd" = help ] ;;
esac
