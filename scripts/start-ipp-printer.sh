#!/usr/bin/env bash
# Starts the virtual IPP printers that the printer-fault tests print to (tests/printing/test_printer_faults.py), and
# adds a CUPS queue for each: real IPP printers (CUPS's ippeveprinter) whose print command reports a fault the way a
# receipt printer's driver does ("STATE: +media-empty-error" on stderr) and then fails. Idempotent; run it after
# scripts/start-cups.sh (`make test` runs both).
#
#   P2C-TEST-IPP-OK      prints every job (its command reads the document and exits 0)
#   P2C-TEST-IPP-EMPTY   out of paper: reports media-empty-error and fails each job
#   P2C-TEST-IPP-JAM     paper jam: reports media-jam-error and fails each job
#   P2C-TEST-IPP-COVER   cover open: reports cover-open-error and fails each job
#   P2C-TEST-IPP-LOW     paper low: reports media-low-warning and prints each job
#
# ippeveprinter cannot start without DNS-SD, even with advertising turned off (-r off: "Unable to initialize
# DNS-SD"), so this also starts the system D-Bus and avahi-daemon when they are not running (nothing starts them
# where there is no systemd: containers, CI). The printers listen on 127.0.0.1 only, at the ports below; their logs,
# pid files and spool folders are in $P2C_IPP_STATE (default /tmp/p2c-test-ipp). `scripts/start-ipp-printer.sh stop`
# stops the printers this script started (the queues stay).
#
# Needs root, or sudo without a password, to start D-Bus and avahi and to add the queues; without them it says so
# and leaves the fault tests to skip (or to fail when CI=true).
set -euo pipefail
export LC_ALL=C

STATE=${P2C_IPP_STATE:-/tmp/p2c-test-ipp}
# queue name, port, what the print command writes to stderr ("" for nothing), its exit status
PRINTERS=(
  "P2C-TEST-IPP-OK     8911 ''                          0"
  "P2C-TEST-IPP-EMPTY  8912 'STATE: +media-empty-error' 1"
  "P2C-TEST-IPP-JAM    8913 'STATE: +media-jam-error'   1"
  "P2C-TEST-IPP-COVER  8914 'STATE: +cover-open-error'  1"
  "P2C-TEST-IPP-LOW    8915 'STATE: +media-low-warning' 0"
)

say() { echo "start-ipp-printer: $*" >&2; }

if [ "${1:-}" = "stop" ]; then
  for pidfile in "$STATE"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "ippeveprinter" ]; then kill "$pid"; fi
    rm -f "$pidfile"
  done
  exit 0
fi

for tool in ippeveprinter avahi-daemon dbus-daemon lpadmin; do
  if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
    say "$tool is missing (scripts/debian-packages/printer-faults.txt lists its package); the fault tests cannot run"
    exit 0
  fi
done
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); else
    say "not root and no password-less sudo: start D-Bus, avahi-daemon and the printers by hand (see this script)"
    exit 0
  fi
fi

# The system D-Bus, then avahi-daemon on it (avahi-daemon -c: exit 0 when it runs).
if [ ! -S /run/dbus/system_bus_socket ] || ! "${sudo[@]}" dbus-send --system --print-reply --dest=org.freedesktop.DBus \
     /org/freedesktop/DBus org.freedesktop.DBus.GetId >/dev/null 2>&1; then
  "${sudo[@]}" rm -f /run/dbus/pid /run/dbus/system_bus_socket
  "${sudo[@]}" mkdir -p /run/dbus
  "${sudo[@]}" dbus-daemon --system --fork
  say "system D-Bus started"
fi
if ! avahi-daemon -c 2>/dev/null; then
  "${sudo[@]}" avahi-daemon -D
  for _ in $(seq 1 25); do avahi-daemon -c 2>/dev/null && break; sleep 0.2; done
  avahi-daemon -c 2>/dev/null || { say "avahi-daemon did not start; see its messages in the system log"; exit 1; }
  say "avahi-daemon started"
fi

mkdir -p "$STATE"
# What the printers say they take: PDF, Letter and A4, and an 80 mm roll cut at any length from 50 mm to 3 m (the
# receipt's media, Custom.80xLENGTHmm); the queue's PPD gets its page sizes from these.
cat >"$STATE/roll.conf" <<'END'
ATTR keyword media-supported "na_letter_8.5x11in","iso_a4_210x297mm","custom_min_50x50mm","custom_max_80x3000mm"
ATTR keyword media-default "na_letter_8.5x11in"
ATTR collection media-size-supported {MEMBER integer x-dimension 21590 MEMBER integer y-dimension 27940},{MEMBER integer x-dimension 21000 MEMBER integer y-dimension 29700},{MEMBER rangeOfInteger x-dimension 5000-8000 MEMBER rangeOfInteger y-dimension 5000-300000}
ATTR mimeMediaType document-format-supported "application/pdf","application/octet-stream"
ATTR text printer-make-and-model "P2C test roll printer"
END
answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }  # the printer listens on its port
for line in "${PRINTERS[@]}"; do
  eval "set -- $line"
  name=$1 port=$2 message=$3 status=$4
  command="$STATE/$name.sh"
  # The print command ippeveprinter runs for each job, with the document's path as its argument.
  {
    echo "#!/bin/sh"
    echo "cat \"\$1\" >/dev/null"
    [ -n "$message" ] && echo "echo '$message' >&2"
    echo "exit $status"
  } >"$command.new"
  chmod 755 "$command.new"
  mv "$command.new" "$command"
  if ! answers "$port"; then
    mkdir -p "$STATE/$name.spool"
    # -r off: no DNS-SD advertising (the printer is for this machine's CUPS only); -a: the attributes above.
    setsid ippeveprinter -r off -n localhost -p "$port" -a "$STATE/roll.conf" -d "$STATE/$name.spool" \
      -c "$command" "$name" >"$STATE/$name.log" 2>&1 </dev/null &
    echo $! >"$STATE/$name.pid"
    for _ in $(seq 1 25); do answers "$port" && break; sleep 0.2; done
    answers "$port" || { say "$name did not start on port $port; see $STATE/$name.log"; exit 1; }
  fi
  # IPP Everywhere: lpadmin asks the printer for its attributes and makes the queue's PPD from them. -E enables the
  # queue and accepts jobs (undoing what a fault left: the default error policy stops a queue whose backend fails).
  if ! out=$("${sudo[@]}" lpadmin -p "$name" -v "ipp://localhost:$port/ipp/print" -m everywhere -E 2>&1); then
    say "lpadmin $name failed: $out"; exit 1
  fi
  "${sudo[@]}" cupsenable "$name"
  "${sudo[@]}" cupsaccept "$name"
  "${sudo[@]}" cancel -a "$name" 2>/dev/null || true  # jobs left by an interrupted run
done
say "printers ready: $(for line in "${PRINTERS[@]}"; do set -- $line; printf '%s ' "$1"; done)"
