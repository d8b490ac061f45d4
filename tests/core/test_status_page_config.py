"""``[sync] status_page_url`` (docs/sync.md): empty by default; an https:// address (http:// only on this machine) is
taken as written; anything else is refused by the configuration check, naming the key and saying why."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiosk.config import CONFIG_FILE_NAME, ConfigError, config_from_mapping, load_config


def sync(**values):
    return config_from_mapping({"sync": values}).sync


def test_empty_by_default_and_in_the_documented_file(tmp_path):
    assert sync().status_page_url == ""
    assert load_config(tmp_path).sync.status_page_url == ""
    assert 'status_page_url = ""' in (tmp_path / CONFIG_FILE_NAME).read_text(encoding="utf-8")


@pytest.mark.parametrize("url", ["https://police.example.gov/status", "https://police.example.gov:8443/p2c/status",
                                 "http://127.0.0.1:8765/status", "http://127.9.9.9/status",
                                 "http://localhost:8000/status", "http://[::1]:8000/status"])
def test_accepted_addresses_are_kept_as_written(url):
    assert sync(status_page_url=f"  {url} ").status_page_url == url


@pytest.mark.parametrize(("url", "words"), [
    ("http://police.example.gov/status", "https://"),
    ("http://10.0.0.5/status", "https://"),
    ("ftp://police.example.gov/status", "https://"),
    ("police.example.gov/status", "https://"),
    ("https://police.example.gov/status?t=", "query"),
    ("https://police.example.gov/status#top", "fragment"),
    ("https://user:pw@police.example.gov/status", "password"),
    ("https://police example.gov/status", "spaces"),
])
def test_refused_addresses_name_the_key_and_say_why(url, words):
    with pytest.raises(ConfigError) as refused:
        sync(status_page_url=url)
    message = str(refused.value)
    assert message.startswith("sync.status_page_url: ") and words in message
    assert "records.example.gov" not in message  # the example shown is the page's, not the sync server's


def test_the_configuration_check_refuses_a_plain_http_page(tmp_path):
    (tmp_path / CONFIG_FILE_NAME).write_text('[sync]\nstatus_page_url = "http://police.example.gov/status"\n',
                                             encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kiosk", "--home", str(tmp_path), "config", "check"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        "sync.status_page_url: must use https:// (plain http:// only for an address on this machine: 127.0.0.1, "
        'localhost or ::1) (got "http://police.example.gov/status")']
