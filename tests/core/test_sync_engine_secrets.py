"""The sync token in the system keyring (kiosk.sync.secrets): stored under ``sync:<server_url>``, read at each call,
never anywhere else; a machine without a keyring is said plainly."""

from __future__ import annotations

import logging

import pytest
from notices_support import MemoryKeyring, failing_keyring, keyring_in_use

from kiosk.config import config_from_mapping
from kiosk.notices.secrets import KEYRING_SERVICE, KeyringUnavailable
from kiosk.sync import store_token, token_from_keyring

URL = "https://records.example.gov/p2c"


def sync_config(url=URL):
    return config_from_mapping({"sync": {"server_url": url}})


def test_the_token_is_stored_for_the_server_and_read_back():
    with keyring_in_use(MemoryKeyring()) as backend:
        read = token_from_keyring(sync_config())
        assert read() is None  # none yet
        user = store_token(sync_config(URL + "/"), "  s3cret-token\n")  # as typed: trailing slash, newline
        assert user == f"sync:{URL}"
        assert backend.passwords == {(KEYRING_SERVICE, f"sync:{URL}"): "s3cret-token"}
        assert read() == "s3cret-token"  # read again at each call: a token stored while the kiosk runs counts
        # Another server's token is another entry.
        assert token_from_keyring(sync_config("https://other.example.gov"))() is None


def test_no_server_means_no_token_and_nothing_to_store():
    with keyring_in_use(MemoryKeyring()) as backend:
        backend.passwords[(KEYRING_SERVICE, "sync:")] = "stray"
        assert token_from_keyring(config_from_mapping({}))() is None
        with pytest.raises(ValueError, match=r"^sync\.server_url: "):
            store_token(config_from_mapping({}), "s3cret")


@pytest.mark.parametrize("token", ["", "   ", "two words"])
def test_a_token_must_be_one_word(token):
    with keyring_in_use(MemoryKeyring()) as backend, pytest.raises(ValueError, match=r"^token: "):
        store_token(sync_config(), token)
    assert backend.passwords == {}


def test_without_a_keyring_reading_warns_and_storing_says_what_to_do(caplog):
    with keyring_in_use(failing_keyring()):
        with caplog.at_level(logging.WARNING):
            assert token_from_keyring(sync_config())() is None
        assert "keyring" in caplog.text and "--token-stdin" in caplog.text
        with pytest.raises(KeyringUnavailable) as refused:
            store_token(sync_config(), "s3cret-token")
    assert "--token-stdin" in str(refused.value) and "s3cret-token" not in str(refused.value)
    assert "s3cret-token" not in caplog.text
