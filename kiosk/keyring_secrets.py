"""The kiosk's secrets (the SMTP password, the department server's token) in the system keyring: Secret Service on
the kiosk, never ``kiosk.toml`` or the database. All kept under the service name ``p2c-kiosk``; each part names its
own user key (:mod:`kiosk.notices.secrets`, :mod:`kiosk.sync.secrets`).

Reading on a machine without a usable keyring (headless, or one that cannot be unlocked) gives None with a warning
that says what to do; storing raises :class:`KeyringUnavailable` with that advice. A secret is never logged.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

KEYRING_SERVICE = "p2c-kiosk"

KEYRING_NEEDED = ("The kiosk needs a system keyring for its {what}: on Linux a running, unlocked Secret Service "
                  "(gnome-keyring), reached through the session's D-Bus. Start one and run `{command}` again in "
                  "that session.")


class KeyringUnavailable(Exception):
    """No usable system keyring; the message names the problem and what to do."""


def read_secret(user: str, what: str, command: str) -> str | None:
    """The secret kept under ``user``, or None (with a warning naming ``what`` and the ``command`` that stores it)
    when there is none or no usable keyring."""
    import keyring
    import keyring.errors

    try:
        found = keyring.get_password(KEYRING_SERVICE, user)
    except (keyring.errors.NoKeyringError, keyring.errors.InitError, keyring.errors.KeyringError) as exc:
        log.warning("no %s: the system keyring cannot be used (%s). %s", what, exc.__class__.__name__,
                    KEYRING_NEEDED.format(what=what, command=command))
        return None
    if not found:
        log.warning("no %s for %s in the system keyring; store it with `%s`", what, user, command)
        return None
    return found


def write_secret(user: str, secret: str, what: str, command: str) -> None:
    """Keep ``secret`` under ``user``; raises :class:`KeyringUnavailable` when no keyring can take it."""
    import keyring
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, user, secret)
    except (keyring.errors.NoKeyringError, keyring.errors.InitError, keyring.errors.KeyringError) as exc:
        raise KeyringUnavailable(f"the system keyring cannot be used ({exc.__class__.__name__}). "
                                 + KEYRING_NEEDED.format(what=what, command=command)) from exc
