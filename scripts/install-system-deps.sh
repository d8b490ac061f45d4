#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the kiosk and its tests need, only those that are missing.
# Run by `make run` and `make test`; needs root (or sudo) only when something is missing.
#   python3, python3-venv          the interpreter and `python3 -m venv`
#   libgl1 ... libxkbcommon0        what Qt (PySide6) loads even when it draws offscreen
#   fonts-dejavu-core               the font the screens use
set -euo pipefail

packages=(python3 python3-venv libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libxkbcommon0
          fonts-dejavu-core)
# Debian 13 / Ubuntu 24.04 renamed GLib's runtime package.
glib=libglib2.0-0
if ! dpkg-query -W -f='${Status}' "$glib" 2>/dev/null | grep -q "ok installed"; then
  if dpkg-query -W -f='${Status}' libglib2.0-0t64 2>/dev/null | grep -q "ok installed"; then
    glib=libglib2.0-0t64
  fi
fi
packages+=("$glib")

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian-like system; install the equivalents of: ${packages[*]}" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
# A Python built outside Debian (pyenv, python.org) brings its own venv; then python3-venv is not needed.
if [[ " ${missing[*]} " == *" python3-venv "* ]] && python3 -c "import ensurepip, venv" 2>/dev/null; then
  missing=("${missing[@]/python3-venv}")
fi
if [[ " ${missing[*]} " == *" python3 "* ]] && command -v python3 >/dev/null 2>&1; then
  missing=("${missing[@]/python3}")
fi
read -r -a missing <<< "${missing[*]}"
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-system-deps: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "install-system-deps: run as root, or install: ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
  # libglib2.0-0 may exist only under its t64 name on newer releases.
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]/libglib2.0-0/libglib2.0-0t64}"
fi
