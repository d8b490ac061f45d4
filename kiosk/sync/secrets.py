"""The kiosk's sync token lives in the system keyring, never in ``kiosk.toml`` or the database.

Key: service ``p2c-kiosk`` (the same as the SMTP password, :mod:`kiosk.notices.secrets`), user name
``sync:<server_url>``. On a machine without a usable keyring reading gives None with a warning in the log (the
engine then reports "no token"), and storing raises :class:`~kiosk.notices.secrets.KeyringUnavailable` whose message
says what to do. The token itself is never logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.config import Config
from kiosk.notices.secrets import KEYRING_SERVICE, KeyringUnavailable

log = logging.getLogger(__name__)

__all__ = ["KEYRING_SERVICE", "WHAT_TO_DO", "KeyringUnavailable", "store_token", "sync_keyring_user",
           "token_from_keyring"]

WHAT_TO_DO = ("The kiosk needs a system keyring for its sync token: on Linux a running, unlocked Secret Service "
              "(gnome-keyring), reached through the session's D-Bus. Start one and run "
              "`p2c-kiosk configure --server URL --token-stdin` again in that session.")


def sync_keyring_user(config: Config) -> str:
    """The keyring user name under which the token for ``config.sync.server_url`` is kept."""
    return f"sync:{config.sync.server_url}"


def token_from_keyring(config: Config) -> Callable[[], str | None]:
    """A function giving the sync token from the keyring, read each time it is called (so a token stored while the
    kiosk runs is picked up), or None when sync is not configured, no token is stored or no keyring is usable."""

    def token() -> str | None:
        if not config.sync.server_url:
            return None
        import keyring
        import keyring.errors

        user = sync_keyring_user(config)
        try:
            found = keyring.get_password(KEYRING_SERVICE, user)
        except (keyring.errors.NoKeyringError, keyring.errors.InitError, keyring.errors.KeyringError) as exc:
            log.warning("sync: no token: the system keyring cannot be used (%s). %s", exc.__class__.__name__,
                        WHAT_TO_DO)
            return None
        if not found:
            log.warning("sync: no token for %s in the system keyring; store it with "
                        "`p2c-kiosk configure --server URL --token-stdin`", user)
            return None
        return found

    return token


def store_token(config: Config, token: str) -> str:
    """Store ``token`` for ``config.sync.server_url`` (the configuration as it will be, with the new address);
    return the keyring user name it is kept under. Raises :class:`KeyringUnavailable` when no keyring can take it,
    ValueError when there is no server address or the token is empty or not one line."""
    if not config.sync.server_url:
        raise ValueError("sync.server_url: set the department server's address first (the token is kept for it)")
    token = token.strip()
    if not token or any(ch.isspace() for ch in token):
        raise ValueError("token: give the token printed by `p2c-server kiosk add` on one line, without spaces")
    import keyring
    import keyring.errors

    user = sync_keyring_user(config)
    try:
        keyring.set_password(KEYRING_SERVICE, user, token)
    except (keyring.errors.NoKeyringError, keyring.errors.InitError, keyring.errors.KeyringError) as exc:
        raise KeyringUnavailable(f"the system keyring cannot be used ({exc.__class__.__name__}). {WHAT_TO_DO}"
                                 ) from exc
    return user
