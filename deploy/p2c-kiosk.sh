#!/bin/sh
# The deployed kiosk's command, installed by deploy/install.sh as /usr/local/bin/p2c-kiosk: the program of the
# installed release, with the kiosk's data folder and its secrets backend (systemd credentials).
# As the kiosk's own user:  sudo -u p2c-kiosk p2c-kiosk doctor
P2C_KIOSK_HOME=${P2C_KIOSK_HOME:-/var/lib/p2c-kiosk}
PYTHON_KEYRING_BACKEND=${PYTHON_KEYRING_BACKEND:-kiosk.credentials_keyring.SystemdCredentialsKeyring}
export P2C_KIOSK_HOME PYTHON_KEYRING_BACKEND
exec /opt/p2c-kiosk/current/p2c-kiosk "$@"
