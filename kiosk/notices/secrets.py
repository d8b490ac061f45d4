"""The SMTP password lives in the system keyring (:mod:`kiosk.keyring_secrets`), never in ``kiosk.toml``: service
``p2c-kiosk``, user name ``smtp:USERNAME@HOST``."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.config import Config
from kiosk.keyring_secrets import KEYRING_SERVICE, KeyringUnavailable, read_secret, write_secret

__all__ = ["KEYRING_SERVICE", "KeyringUnavailable", "smtp_keyring_user", "smtp_password_from_keyring",
           "store_smtp_password"]

_WHAT, _COMMAND = "SMTP password", "p2c-kiosk configure --smtp-password-stdin"


def smtp_keyring_user(config: Config) -> str:
    """The keyring user name under which the SMTP password of ``config.notices`` is kept."""
    return f"smtp:{config.notices.smtp_username}@{config.notices.smtp_host}"


def smtp_password_from_keyring(config: Config) -> Callable[[], str | None]:
    """A function giving the SMTP password from the keyring, read each time it is called (so a password stored
    while the kiosk runs is picked up), or None when there is no username, no password or no usable keyring."""

    def password() -> str | None:
        if not config.notices.smtp_username:
            return None
        return read_secret(smtp_keyring_user(config), _WHAT, _COMMAND)

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
    user = smtp_keyring_user(config)
    write_secret(user, secret, _WHAT, _COMMAND)
    return user
