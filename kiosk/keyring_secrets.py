"""The kiosk's secrets (the SMTP password, the department server's token, the storage key) in the system keyring:
Secret Service on the kiosk, never ``kiosk.toml`` or the database. All kept under the service name ``p2c-kiosk``;
each part names its own user key (:mod:`kiosk.notices.secrets`, :mod:`kiosk.sync.secrets`, :mod:`kiosk.storage.key`).

Reading on a machine without a usable keyring (headless, or one that cannot be unlocked) gives None with a warning
that says what to do; storing raises :class:`KeyringUnavailable` with that advice. A secret is never logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

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


def _backend(given: KeyringBackend | None, what: str, advice: str) -> KeyringBackend:
    """``given``, or the keyring keyring itself chooses; KeyringUnavailable when that cannot even be loaded (a
    ``PYTHON_KEYRING_BACKEND`` naming a module that is not there raises ImportError, not a keyring error)."""
    import os

    import keyring

    if given is not None:
        return given
    try:
        return keyring.get_keyring()
    except Exception as exc:
        named = os.environ.get("PYTHON_KEYRING_BACKEND")
        raise KeyringUnavailable(f"the system keyring cannot be used for the {what}: its backend cannot be loaded "
                                 f"({exc.__class__.__name__}{'; PYTHON_KEYRING_BACKEND=' + named if named else ''})"
                                 f". {advice}") from exc


def get_secret(user: str, what: str, advice: str, backend: KeyringBackend | None = None) -> str | None:
    """The secret kept under ``user``, or None when there is none. Raises :class:`KeyringUnavailable` (naming
    ``what`` and saying ``advice``) when no usable keyring answers: for a secret the kiosk cannot start without (the
    storage key), where "no keyring" and "no secret" call for different actions. ``backend``: the keyring to ask
    (default: keyring's own choice, PYTHON_KEYRING_BACKEND or else the platform's)."""
    import keyring
    import keyring.errors

    chosen = _backend(backend, what, advice)
    try:
        return chosen.get_password(KEYRING_SERVICE, user) or None
    except (keyring.errors.NoKeyringError, keyring.errors.InitError, keyring.errors.KeyringError) as exc:
        raise KeyringUnavailable(f"the system keyring cannot be used for the {what} ({exc.__class__.__name__}). "
                                 + advice) from exc


def delete_secret(user: str, what: str, advice: str, backend: KeyringBackend | None = None) -> None:
    """Remove the secret kept under ``user`` (nothing when there is none). Raises :class:`KeyringUnavailable`."""
    import keyring
    import keyring.errors

    chosen = _backend(backend, what, advice)
    try:
        chosen.delete_password(KEYRING_SERVICE, user)
    except keyring.errors.PasswordDeleteError:
        return
    except (keyring.errors.NoKeyringError, keyring.errors.InitError, keyring.errors.KeyringError) as exc:
        raise KeyringUnavailable(f"the system keyring cannot be used for the {what} ({exc.__class__.__name__}). "
                                 + advice) from exc


def write_secret(user: str, secret: str, what: str, command: str, backend: KeyringBackend | None = None) -> None:
    """Keep ``secret`` under ``user``; raises :class:`KeyringUnavailable` when no keyring can take it."""
    import keyring
    import keyring.errors

    chosen = _backend(backend, what, KEYRING_NEEDED.format(what=what, command=command))
    try:
        chosen.set_password(KEYRING_SERVICE, user, secret)
    except (keyring.errors.NoKeyringError, keyring.errors.InitError, keyring.errors.KeyringError) as exc:
        raise KeyringUnavailable(f"the system keyring cannot be used ({exc.__class__.__name__}). "
                                 + KEYRING_NEEDED.format(what=what, command=command)) from exc
