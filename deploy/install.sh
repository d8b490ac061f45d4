#!/usr/bin/env bash
# Install, update or remove the P2C lobby kiosk on a Debian 12 machine (docs/deployment.md says why each step).
#
#   sudo deploy/install.sh --bundle DIR                 from the PyInstaller one-folder bundle (make bundle: dist/p2c-kiosk)
#   sudo deploy/install.sh --wheel FILE [--wheelhouse DIR]   from a wheel, into a virtual environment
#   sudo deploy/install.sh --uninstall [--purge]        remove the program; the data, the configuration, the secrets
#                                                       and the user stay unless --purge is given
# Options:
#   --root DIR      work on the file system under DIR instead of / (an image being prepared, a test's scratch root);
#                   also taken from $DESTDIR. Nothing is started or reloaded there, and --no-packages is required.
#   --no-packages   do not install the Debian packages of deploy/debian-packages.txt (a kiosk needs them: install
#                   them another way)
#
# Running it again with the same program changes nothing. Running it with a new bundle or wheel is the update: the
# new release is put beside the old one, switched to, and the kiosk restarted; the data folder is never touched.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
NAME=p2c-kiosk
root=${DESTDIR:-/}
mode=install
bundle=
wheel=
wheelhouse=
packages=1
purge=0

die() { echo "install.sh: $*" >&2; exit 2; }
say() { echo "install.sh: $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) bundle=${2:?--bundle needs a folder}; shift 2 ;;
    --wheel) wheel=${2:?--wheel needs a file}; shift 2 ;;
    --wheelhouse) wheelhouse=${2:?--wheelhouse needs a folder}; shift 2 ;;
    --root) root=${2:?--root needs a folder}; shift 2 ;;
    --no-packages) packages=0; shift ;;
    --uninstall) mode=uninstall; shift ;;
    --purge) purge=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

[ "$(id -u)" -eq 0 ] || die "run it as root (sudo $0 ...)"
[ -d "$root" ] || die "--root $root: no such folder"
R=$(cd "$root" && pwd)
[ "$R" = / ] && R=
live=0; [ -z "$R" ] && live=1
[ $purge -eq 0 ] || [ $mode = uninstall ] || die "--purge goes with --uninstall"

# Where everything goes (always written with $R in front).
OPT=/opt/$NAME
DATA=/var/lib/$NAME
ETC=/etc/$NAME
CREDSTORE=/etc/credstore.encrypted
UNIT=/etc/systemd/system/$NAME.service
WRAPPER=/usr/local/bin/$NAME
DOC=/usr/local/share/doc/$NAME
# Source in deploy/ -> installed path, with its mode.
FILES=(
  "p2c-kiosk.service:$UNIT:0644"
  "pam.d/p2c-kiosk:/etc/pam.d/$NAME:0644"
  "sysusers.d/p2c-kiosk.conf:/etc/sysusers.d/$NAME.conf:0644"
  "tmpfiles.d/p2c-kiosk.conf:/etc/tmpfiles.d/$NAME.conf:0644"
  "lockdown/logind.conf:/etc/systemd/logind.conf.d/$NAME.conf:0644"
  "lockdown/system.conf:/etc/systemd/system.conf.d/$NAME.conf:0644"
  "lockdown/sysctl.conf:/etc/sysctl.d/90-$NAME.conf:0644"
  "p2c-kiosk.sh:$WRAPPER:0755"
)
MASKED=(getty@tty1.service ctrl-alt-del.target)
# The secrets the unit loads (LoadCredentialEncrypted=); the storage key is made here, the others by
# `p2c-kiosk configure`.
STORAGE_KEY=storage-key

systemctl_() { if [ $live -eq 1 ]; then systemctl "$@"; else systemctl --root="$R" "$@"; fi; }

# -- the Debian packages -----------------------------------------------------------------------------------------

wanted_packages() {
  local line
  while read -r line; do
    line=${line%%#*}; line=${line//[[:space:]]/}
    [ -n "$line" ] && echo "$line"
  done < "$here/debian-packages.txt"
  if [ -n "$wheel" ]; then echo python3; echo python3-venv; fi
}

install_packages() {
  local missing=() name
  for name in $(wanted_packages); do
    dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q "ok installed" || missing+=("$name")
  done
  if [ $packages -eq 0 ]; then
    say "not installing Debian packages (--no-packages)${missing:+; missing: ${missing[*]}}"
    return
  fi
  [ ${#missing[@]} -eq 0 ] && return
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# -- the program: one folder per release under /opt/p2c-kiosk/releases, `current` names the one that runs ----------

tree_hash() {  # a fingerprint of a folder's files, links and modes
  (cd "$1" && find . -printf '%y %m %p %l\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z \
    | xargs -0 -r sha256sum) | sha256sum | cut -c1-12
}

install_release() {
  local id new
  if [ -n "$bundle" ]; then
    [ -x "$bundle/$NAME" ] || die "--bundle $bundle: no executable $NAME in it (make bundle builds dist/$NAME)"
    id=bundle-$(tree_hash "$bundle")
  else
    id=wheel-$( (sha256sum "$wheel"; [ -z "$wheelhouse" ] || tree_hash "$wheelhouse") | sha256sum | cut -c1-12)
  fi
  new=$R$OPT/releases/$id
  # A release is complete once its marker is written, last; an interrupted one is made again.
  if [ ! -e "$new/.complete" ]; then
    say "installing release $id"
    rm -rf "$new"
    mkdir -p "$new"
    if [ -n "$bundle" ]; then
      cp -a "$bundle/." "$new/"
    else
      # A virtual environment knows its own path: it is made where it stays.
      python3 -m venv "$new"
      "$new/bin/python" -m pip install --quiet ${wheelhouse:+--no-index --find-links "$wheelhouse"} "$wheel"
      ln -s bin/$NAME "$new/$NAME"
    fi
    chown -R 0:0 "$new"
    chmod -R u+rwX,go+rX,go-w "$new"
    touch "$new/.complete"
  fi
  local current
  current=$(readlink "$R$OPT/current" 2>/dev/null || true)
  if [ "$current" != "releases/$id" ]; then
    [ -z "$current" ] || ln -sfn "$current" "$R$OPT/previous"
    ln -sfn "releases/$id" "$R$OPT/current.new"
    mv -T "$R$OPT/current.new" "$R$OPT/current"
    say "the kiosk now runs release $id"
  fi
  # Keep the running release and the one before it (to go back to); remove older ones.
  local keep_current keep_previous release
  keep_current=$(readlink "$R$OPT/current")
  keep_previous=$(readlink "$R$OPT/previous" 2>/dev/null || true)
  for release in "$R$OPT"/releases/*; do
    case "releases/${release##*/}" in
      "$keep_current"|"$keep_previous") ;;
      *) say "removing old release ${release##*/}"; rm -rf "$release" ;;
    esac
  done
}

default_config() {  # the documented default kiosk.toml, from the program being installed
  if [ -n "$bundle" ] && [ -f "$bundle/_internal/kiosk/default_config.toml" ]; then
    cat "$bundle/_internal/kiosk/default_config.toml"
  elif [ -n "$wheel" ]; then
    python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("kiosk/default_config.toml"))' "$wheel"
  elif [ -f "$here/../kiosk/default_config.toml" ]; then
    cat "$here/../kiosk/default_config.toml"
  else
    die "cannot find kiosk/default_config.toml in the bundle, the wheel or beside deploy/"
  fi
}

gid_of() { awk -F: -v name="$1" '$1 == name { print $3 }' "$R/etc/group"; }

# -- install -----------------------------------------------------------------------------------------------------

do_install() {
  [ -n "$bundle" ] || [ -n "$wheel" ] || die "say what to install: --bundle DIR or --wheel FILE (see --help)"
  [ -z "$bundle" ] || [ -z "$wheel" ] || die "--bundle or --wheel, not both"
  [ -z "$wheel" ] || [ -f "$wheel" ] || die "--wheel $wheel: no such file"
  [ -z "$wheel" ] || [ $live -eq 1 ] || die "--wheel with --root: a virtual environment cannot be moved into another root; use --bundle"
  [ $live -eq 1 ] || [ $packages -eq 0 ] || \
    die "--root $root: Debian packages cannot be installed into another root; pass --no-packages (and install deploy/debian-packages.txt there another way)"
  install_packages

  local entry source target mode_
  for entry in "${FILES[@]}"; do
    IFS=: read -r source target mode_ <<< "$entry"
    install -D -C -o 0 -g 0 -m "$mode_" "$here/$source" "$R$target"
  done

  # The guide the unit names (Documentation=), when it came with the installer.
  [ ! -f "$here/../docs/deployment.md" ] || \
    install -D -C -o 0 -g 0 -m 0644 "$here/../docs/deployment.md" "$R$DOC/deployment.md"

  # The user and the folders; both tools change nothing when all is in place.
  systemd-sysusers --root="${R:-/}" "$R/etc/sysusers.d/$NAME.conf"
  systemd-tmpfiles --root="${R:-/}" --create "$R/etc/tmpfiles.d/$NAME.conf"

  if [ ! -e "$R$ETC/kiosk.toml" ]; then
    default_config > "$R$ETC/kiosk.toml.new"
    chown "0:$(gid_of $NAME)" "$R$ETC/kiosk.toml.new"
    chmod 0660 "$R$ETC/kiosk.toml.new"
    mv "$R$ETC/kiosk.toml.new" "$R$ETC/kiosk.toml"
    say "wrote the default configuration $ETC/kiosk.toml: edit it, then check it with \`p2c-kiosk config check\`"
  fi

  make_storage_key
  install_release

  local unit
  [ $live -eq 0 ] || systemctl daemon-reload
  for unit in "${MASKED[@]}"; do
    [ "$(readlink "$R/etc/systemd/system/$unit" 2>/dev/null)" = /dev/null ] || systemctl_ mask --quiet "$unit"
  done
  systemctl_ is-enabled --quiet $NAME.service 2>/dev/null || systemctl_ enable --quiet $NAME.service

  if [ $live -eq 1 ]; then
    sysctl --quiet --load "/etc/sysctl.d/90-$NAME.conf" >/dev/null
    if systemctl is-active --quiet $NAME.service; then
      say "restarting the kiosk on the installed release"
      systemctl restart $NAME.service
    else
      say "installed. Set the secrets (docs/deployment.md), then reboot: the kiosk starts on tty1."
    fi
  fi
}

make_storage_key() {
  # The database's key (256 random bits, as 64 hex digits), made once and kept as an encrypted credential: bound to
  # the TPM2 and the host key where there is a TPM2, to the host key alone where not. It goes from the random
  # source to systemd-creds through a pipe: never an argument, a variable or a file in clear.
  local out=$R$CREDSTORE/$NAME.$STORAGE_KEY
  [ -e "$out" ] && return
  local with_key=auto
  if [ $live -eq 0 ]; then
    # The host key of the root being prepared, not this machine's.
    with_key=host
    export SYSTEMD_CREDENTIAL_SECRET=$R/var/lib/systemd/credential.secret
    mkdir -p "$R/var/lib/systemd"
  fi
  od -An -vtx1 -N32 /dev/urandom | tr -d ' \n' \
    | systemd-creds encrypt --quiet --name=$STORAGE_KEY --with-key=$with_key - "$out.new"
  chmod 0600 "$out.new"
  mv "$out.new" "$out"
  say "made the database key ($CREDSTORE/$NAME.$STORAGE_KEY)"
}

# -- uninstall ---------------------------------------------------------------------------------------------------

do_uninstall() {
  local unit entry source target mode_
  if [ $live -eq 1 ]; then
    systemctl disable --now --quiet $NAME.service 2>/dev/null || true
  elif [ -e "$R$UNIT" ]; then
    systemctl_ disable --quiet $NAME.service
  fi
  for unit in "${MASKED[@]}"; do
    [ "$(readlink "$R/etc/systemd/system/$unit" 2>/dev/null)" != /dev/null ] || systemctl_ unmask --quiet "$unit"
  done
  for entry in "${FILES[@]}"; do
    IFS=: read -r source target mode_ <<< "$entry"
    rm -f "$R$target"
  done
  rm -rf "${R:?}$OPT" "${R:?}$DOC"
  [ $live -eq 0 ] || systemctl daemon-reload
  if [ $purge -eq 1 ]; then
    rm -rf "${R:?}$DATA" "${R:?}$ETC"
    rm -f "$R$CREDSTORE/$NAME".*
    if grep -q "^$NAME:" "$R/etc/passwd"; then userdel --prefix "${R:-/}" $NAME; fi
    if grep -q "^$NAME:" "$R/etc/group"; then groupdel --prefix "${R:-/}" $NAME; fi
    say "removed the kiosk, its data, its configuration, its secrets and its user"
  else
    say "removed the kiosk; kept $DATA (the data), $ETC (the configuration), $CREDSTORE/$NAME.* (the secrets," \
        "among them the database's key) and the user $NAME. --uninstall --purge removes them too."
  fi
}

case $mode in
  install) do_install ;;
  uninstall) do_uninstall ;;
esac
