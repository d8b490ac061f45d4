"""The [sync] section of kiosk.toml (docs/sync.md): defaults, ranges, and which server addresses are accepted."""

from __future__ import annotations

import pytest

from kiosk.config import ConfigError, SyncConfig, config_from_mapping, load_config


def sync(**values):
    return config_from_mapping({"sync": values}).sync


def test_the_defaults_are_a_standalone_kiosk():
    assert config_from_mapping({}).sync == SyncConfig(
        server_url="", interval_seconds=60, batch_size=100, timeout_seconds=20, max_backoff_seconds=3600,
        purge_after_days=30, purge_rejected_after_days=7)
    assert not config_from_mapping({}).sync.configured


def test_the_documented_default_file_has_the_section(tmp_path):
    config = load_config(tmp_path)
    assert config.sync == SyncConfig()
    text = (tmp_path / "kiosk.toml").read_text(encoding="utf-8")
    assert "[sync]" in text and "--token-stdin" in text  # the file says where the token goes


@pytest.mark.parametrize("url", [
    "https://records.example.gov/p2c", "https://records.example.gov:8443", "https://10.0.0.5/api/",
    "http://127.0.0.1:8765", "http://127.8.9.10", "http://localhost:8000/p2c", "http://[::1]:8000",
])
def test_accepted_server_addresses(url):
    config = sync(server_url=url)
    assert config.configured and config.server_url == url.rstrip("/")


def test_the_address_is_kept_without_spaces_or_a_trailing_slash():
    assert sync(server_url="  https://records.example.gov/p2c/ ").server_url == "https://records.example.gov/p2c"


@pytest.mark.parametrize(("url", "words"), [
    ("http://records.example.gov", "https://"),
    ("http://10.0.0.5:8000", "https://"),
    ("http://localhost.example.gov", "https://"),
    ("ftp://records.example.gov", "https://"),
    ("records.example.gov", "https://"),
    ("https://", "name a host"),
    ("https://records.example.gov:99999", "port"),
    ("https://records.example.gov:0", "port"),
    ("https://kiosk:secret@records.example.gov", "password"),
    ("https://records.example.gov/p2c?token=x", "query"),
    ("https://records.example.gov/p2c#x", "fragment"),
    ("https://records example.gov", "spaces"),
])
def test_refused_server_addresses_name_the_key_and_say_why(url, words):
    with pytest.raises(ConfigError) as refused:
        sync(server_url=url)
    assert str(refused.value).startswith("sync.server_url: ") and words in str(refused.value)


def test_the_address_must_be_text():
    with pytest.raises(ConfigError, match=r"^sync\.server_url: must be text"):
        sync(server_url=5)


@pytest.mark.parametrize(("key", "low", "high"), [
    ("interval_seconds", 10, 3600), ("batch_size", 1, 200), ("timeout_seconds", 1, 300),
    ("max_backoff_seconds", 60, 86400), ("purge_after_days", 0, 36500), ("purge_rejected_after_days", 0, 36500),
])
def test_numbers_are_checked_against_their_range(key, low, high):
    assert getattr(sync(**{key: low}), key) == low
    assert getattr(sync(**{key: high}), key) == high
    for bad in (low - 1, high + 1, True, "60", 1.5):
        with pytest.raises(ConfigError) as refused:
            sync(**{key: bad})
        assert str(refused.value).startswith(f"sync.{key}: must be a whole number") and f"from {low} to {high}" in str(
            refused.value)


def test_an_unknown_sync_key_is_refused():
    with pytest.raises(ConfigError, match=r"^sync\.token: unknown key"):
        sync(token="never here")
