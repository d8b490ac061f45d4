#!/usr/bin/env bash
# Starts the local CUPS scheduler when it is not running and adds the virtual PDF printers that the printing tests
# use (tests/printing/). Idempotent; `make test` runs it before pytest. Debian does not start cupsd by itself
# where there is no systemd (containers, CI).
#
#   P2C-TEST-PDF      a cups-pdf printer: each job completes and lands as a PDF in ~/PDF of the job's user
#                     (the Out setting of /etc/cups/cups-pdf.conf)
#   P2C-TEST-STOPPED  the same; the tests stop it with cupsdisable and start it again with cupsenable
#   P2C-TEST-HELD     the same, but every job is held and never completes (the job timeout test)
#
# Needs root, or sudo without a password, to start cupsd and add printers; without them it says so and leaves the
# printing tests to skip (or to fail when CI=true).
set -euo pipefail
export LC_ALL=C

CUPSD=/usr/sbin/cupsd
PPD=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd
PRINTERS=(P2C-TEST-PDF P2C-TEST-STOPPED P2C-TEST-HELD)

say() { echo "start-cups: $*" >&2; }

if [ ! -x "$CUPSD" ] || ! command -v lpadmin >/dev/null 2>&1 || ! command -v lpstat >/dev/null 2>&1; then
  say "CUPS is not installed (scripts/debian-packages/printing.txt lists it); the printing tests cannot print"
  exit 0
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); else
    say "not root and no password-less sudo: start CUPS and add ${PRINTERS[*]} by hand (see this script)"
    exit 0
  fi
fi

running() { lpstat -r 2>/dev/null | grep -q "is running"; }
if ! running; then
  "${sudo[@]}" "$CUPSD"  # forks into the background and keeps running after make test
  for _ in $(seq 1 50); do running && break; sleep 0.2; done
  running || { say "cupsd did not start; see /var/log/cups/error_log"; exit 1; }
  say "scheduler started"
fi

[ -f "$PPD" ] || { say "$PPD is missing: install printer-driver-cups-pdf"; exit 1; }
add_printer() {
  local name=$1; shift
  local out
  # -E enables the queue and accepts jobs (undoing a cupsdisable left by an interrupted test run).
  if ! out=$("${sudo[@]}" lpadmin -p "$name" -v cups-pdf:/ -E -P "$PPD" -o printer-error-policy=abort-job "$@" 2>&1)
  then
    say "lpadmin $name failed: $out"; exit 1
  fi
  "${sudo[@]}" cupsenable "$name"
  "${sudo[@]}" cupsaccept "$name"
}
add_printer P2C-TEST-PDF
add_printer P2C-TEST-STOPPED
add_printer P2C-TEST-HELD -o job-hold-until-default=indefinite
"${sudo[@]}" cancel -a P2C-TEST-HELD 2>/dev/null || true  # held jobs left by an interrupted run
