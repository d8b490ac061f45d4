#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages listed in scripts/debian-packages/*.txt, only those that are missing.
# Run by `make run` and `make test`; needs root (or sudo) only when something is missing.
# Each list says what its packages are for. A line "a|b" means a, or b on releases where a was renamed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lists=("$@")
[ ${#lists[@]} -gt 0 ] || lists=("$here"/debian-packages/*.txt)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian-like system; install the equivalents of: ${lists[*]}" >&2
  exit 0
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
available() { apt-cache show "$1" >/dev/null 2>&1; }

wanted=()
while read -r line; do
  line=${line%%#*}; line=${line//[[:space:]]/}
  [ -n "$line" ] && wanted+=("$line")
done < <(cat "${lists[@]}")

missing=()
for choice in "${wanted[@]}"; do
  IFS='|' read -r -a names <<< "$choice"
  found=0
  for name in "${names[@]}"; do installed "$name" && found=1 && break; done
  [ $found -eq 1 ] && continue
  case "${names[0]}" in
    # A Python built outside Debian (pyenv, python.org) brings its own venv and interpreter.
    python3) command -v python3 >/dev/null 2>&1 && continue ;;
    python3-venv) python3 -c "import ensurepip, venv" 2>/dev/null && continue ;;
  esac
  missing+=("$choice")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "install-system-deps: run as root, or install: ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
packages=()
for choice in "${missing[@]}"; do
  IFS='|' read -r -a names <<< "$choice"
  pick=${names[0]}
  for name in "${names[@]}"; do available "$name" && pick=$name && break; done
  packages+=("$pick")
done
echo "install-system-deps: installing ${packages[*]}"
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}"
