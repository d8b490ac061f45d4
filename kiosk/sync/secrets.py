"""The kiosk's sync token lives in the system keyring (:mod:`kiosk.keyring_secrets`), never in ``kiosk.toml`` or the
database: service ``p2c-kiosk``, user name ``sync:<server_url>``. Without a usable keyring reading gives None (the
engine then reports "no token") and storing raises :class:`KeyringUnavailable` saying what to do. The token itself is
never logged."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.config import Config
from kiosk.keyring_secrets import KEYRING_SERVICE, KeyringUnavailable, read_secret, write_secret

__all__ = ["KEYRING_SERVICE", "KeyringUnavailable", "store_token", "sync_keyring_user", "token_from_keyring"]

_WHAT, _COMMAND = "sync token", "p2c-kiosk configure --server URL --token-stdin"


def sync_keyring_user(config: Config) -> str:
    """The keyring user name under which the token for ``config.sync.server_url`` is kept."""
    return f"sync:{config.sync.server_url}"


def token_from_keyring(config: Config) -> Callable[[], str | None]:
    """A function giving the sync token from the keyring, read each time it is called (so a token stored while the
    kiosk runs is picked up), or None when sync is not configured, no token is stored or no keyring is usable."""

    def token() -> str | None:
        if not config.sync.server_url:
            return None
        return read_secret(sync_keyring_user(config), _WHAT, _COMMAND)

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
    user = sync_keyring_user(config)
    write_secret(user, token, _WHAT, _COMMAND)
    return user
