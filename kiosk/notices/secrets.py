"""The SMTP password lives in the system keyring (Secret Service on the kiosk), never in ``kiosk.toml``.

Key: service ``p2c-kiosk``, user name ``smtp:USERNAME@HOST``. On a machine without a usable keyring (headless, or a
keyring that cannot be unlocked) reading gives None with a warning in the log, and storing raises
:class:`KeyringUnavailable` whose message says what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kiosk.config import Config

log = logging.getLogger(__name__)

KEYRING_SERVICE = "p2c-kiosk"

WHAT_TO_DO = ("The kiosk needs a system keyring for the SMTP password: on Linux a running, unlocked Secret Service "
              "(gnome-keyring), reached through the session's D-Bus. Start one and run "
              "`p2c-kiosk configure --smtp-password-stdin` again in that session.")


class KeyringUnavailable(Exception):
    """No usable system keyring; the message names the problem and what to do."""


def smtp_keyring_user(config: Config) -> str:
    """The keyring user name under which the SMTP password of ``config.notices`` is kept."""
    return f"smtp:{config.notices.smtp_username}@{config.notices.smtp_host}"


def smtp_password_from_keyring(config: Config) -> Callable[[], str | None]:
    """A function giving the SMTP password from the keyring, read each time it is called (so a password stored
    while the kiosk runs is picked up), or None when there is no username, no password or no usable keyring."""

    def password() -> str | None:
        if not config.notices.smtp_username:
            return None
        import keyring
        import keyring.errors

        user = smtp_keyring_user(config)
        try:
            found = keyring.get_password(KEYRING_SERVICE, user)
        except (keyring.errors.NoKeyringError, keyring.errors.InitError, keyring.errors.KeyringError) as exc:
            log.warning("notices: no SMTP password: the system keyring cannot be used (%s: %s). %s",
                        exc.__class__.__name__, exc, WHAT_TO_DO)
            return None
        if found is None:
            log.warning("notices: no SMTP password for %s in the system keyring; store it with "
                        "`p2c-kiosk configure --smtp-password-stdin`", user)
        return found

    return password


def store_smtp_password(config: Config, secret: str) -> str:
    """Store ``secret`` as the SMTP password of ``config.notices``; return the keyring user name it is kept under.
    Raises :class:`KeyringUnavailable` when no keyring can take it, ValueError when the configuration lacks the
    server or the user name the key is made of."""
    if not config.notices.smtp_host:
        raise ValueError("notices.smtp_host: set the mail server in kiosk.toml first (the password is kept for it)")
    if not config.notices.smtp_username:
        raise ValueError("notices.smtp_username: set the mail server's user name in kiosk.toml first "
                         "(a server without login needs no password)")
    import keyring
    import keyring.errors

    user = smtp_keyring_user(config)
    try:
        keyring.set_password(KEYRING_SERVICE, user, secret)
    except (keyring.errors.NoKeyringError, keyring.errors.InitError, keyring.errors.KeyringError) as exc:
        raise KeyringUnavailable(f"the system keyring cannot be used ({exc.__class__.__name__}: {exc}). "
                                 f"{WHAT_TO_DO}") from exc
    return user
