"""The storage key (kiosk/storage/key.py, docs/encryption.md): made on the first start and kept in the keyring only;
the database opens with it as SQLCipher 4; without a usable keyring, with the key gone or with a wrong one the kiosk
refuses to start with one clear message and leaves the data folder as it was, byte for byte; ``[storage] encryption
= "off"`` is plaintext, said at every start, and never opens an encrypted file."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, NOW, load_sample
from keyring.backends import fail
from notices_support import MemoryKeyring
from storage_keyring import FILE_ENV

from kiosk.clock import ManualClock
from kiosk.config import config_from_mapping
from kiosk.home import ENCRYPTION_OFF, Kiosk, open_kiosk
from kiosk.storage.database import open_store
from kiosk.storage.encrypt import PLAINTEXT_HEADER, connect, key_opens
from kiosk.storage.key import KEY_USER, KeyringKeys, StorageKey, StorageKeyError

ROOT = Path(__file__).resolve().parents[2]
SERVICE = "p2c-kiosk"


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def submit(store, count: int = 3) -> None:
    service = Kiosk(store.path.parent, config_from_mapping({}), clock=ManualClock(NOW), store=store,
                    receipt_printer=None).reports
    for _ in range(count):
        service.submit(load_sample("lost-wallet"))


def run_cli(home: Path, *args: str, keyring_file: Path | None = None, backend: str | None = None):
    env = dict(os.environ)
    if keyring_file is not None:
        env[FILE_ENV] = str(keyring_file)
    if backend is not None:
        env["PYTHON_KEYRING_BACKEND"] = backend
    return subprocess.run([sys.executable, "-m", "kiosk", "--home", str(home), *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


def test_the_first_start_makes_a_key_keeps_it_in_the_keyring_only_and_opens_with_it_again(tmp_path):
    keys = KeyringKeys(MemoryKeyring())
    store = open_store(tmp_path / "kiosk.sqlite3", key=keys)
    submit(store)
    store.close()
    held = keys.backend.passwords  # type: ignore[union-attr]
    assert list(held) == [(SERVICE, KEY_USER)]
    key = StorageKey.from_text(held[(SERVICE, KEY_USER)])
    assert len(key.raw) == 32 and key == keys.current()
    # Not in any file of the data folder, in clear or as the text the keyring keeps; not in the environment.
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert key.raw not in data and key.as_text().encode() not in data, path.name
    assert not any(key.as_text() in value for value in os.environ.values())
    assert key.as_text() not in repr(key) and key.key_id in repr(key)
    # The file is SQLCipher: no SQLite header, and the key opens it again (the same key, not a new one).
    assert (tmp_path / "kiosk.sqlite3").read_bytes()[:16] != PLAINTEXT_HEADER
    again = open_store(tmp_path / "kiosk.sqlite3", key=keys)
    assert again.key == key and again.db.execute_sql("SELECT count(*) FROM report").fetchone() == (3,)
    again.close()
    assert list(keys.backend.passwords) == [(SERVICE, KEY_USER)]  # type: ignore[union-attr]


def test_the_cipher_settings_are_sqlcipher_4s_and_the_key_is_raw(store):
    """The settings docs/encryption.md promises; a library upgrade that changed them would fail here first."""
    db = store.db
    assert db.execute_sql("PRAGMA cipher_version").fetchone()[0].startswith("4.")
    assert db.execute_sql("PRAGMA cipher_page_size").fetchone() == ("4096",)
    assert db.execute_sql("PRAGMA cipher_hmac_algorithm").fetchone() == ("HMAC_SHA512",)
    assert db.execute_sql("PRAGMA cipher_kdf_algorithm").fetchone() == ("PBKDF2_HMAC_SHA512",)
    assert db.execute_sql("PRAGMA cipher_plaintext_header_size").fetchone() == ("0",)
    assert store.key is not None and store.key.sqlcipher_key() == f"x'{store.key.raw.hex()}'"
    # A passphrase of the same 64 characters is another key: the file was keyed with the raw key.
    wrong = connect(store.path, None)
    wrong.execute(f"PRAGMA key = '{store.key.as_text()}'")
    with pytest.raises(Exception, match="not a database"):
        wrong.execute("SELECT count(*) FROM sqlite_master").fetchone()
    wrong.close()


def test_without_a_usable_keyring_the_kiosk_refuses_to_start_and_writes_no_database(tmp_path):
    keys = KeyringKeys(fail.Keyring())
    with pytest.raises(StorageKeyError) as refused:
        open_store(tmp_path / "kiosk.sqlite3", key=keys)
    message = str(refused.value)
    assert "NoKeyringError" in message and "Secret Service" in message and 'encryption = "off"' in message
    assert not (tmp_path / "kiosk.sqlite3").exists()


def test_without_a_usable_keyring_the_command_line_says_what_to_do_in_one_message(tmp_path):
    done = run_cli(tmp_path / "kiosk", "list", backend="keyring.backends.fail.Keyring")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "NoKeyringError" in lines[0] and "systemd credential" in lines[0]
    assert not (tmp_path / "kiosk" / "kiosk.sqlite3").exists()


@pytest.fixture
def kiosk_with_data(tmp_path):
    """A data folder whose database holds reports and is still open (its -wal and -shm on disk), under key A."""
    key = StorageKey.generate()
    store = open_store(tmp_path / "kiosk.sqlite3", key=key)
    submit(store, 5)
    yield tmp_path, key, store
    store.close()


def test_a_wrong_key_is_refused_clearly_and_nothing_changes_byte_for_byte(kiosk_with_data):
    folder, right, _open = kiosk_with_data
    assert {"kiosk.sqlite3", "kiosk.sqlite3-wal", "kiosk.sqlite3-shm"} <= set(fingerprint(folder))
    before = fingerprint(folder)
    wrong = StorageKey.generate()
    for given in (wrong, KeyringKeys(_memory_with(wrong))):
        with pytest.raises(StorageKeyError) as refused:
            open_store(folder / "kiosk.sqlite3", key=given)
        message = str(refused.value)
        assert "cannot be decrypted with the storage key" in message and wrong.key_id in message
        assert "not a database" not in message and "malformed" not in message
        assert fingerprint(folder) == before
    assert key_opens(folder / "kiosk.sqlite3", right) and not key_opens(folder / "kiosk.sqlite3", wrong)


def test_a_key_gone_from_the_keyring_is_refused_and_never_replaced_by_a_new_empty_database(kiosk_with_data):
    folder, _, _open = kiosk_with_data
    before = fingerprint(folder)
    empty = KeyringKeys(MemoryKeyring())
    with pytest.raises(StorageKeyError) as refused:
        open_store(folder / "kiosk.sqlite3", key=empty)
    assert "holds no storage key" in str(refused.value) and "has not touched the file" in str(refused.value)
    assert fingerprint(folder) == before
    assert empty.backend.passwords == {}  # type: ignore[union-attr]  # no new key was made for it either


def test_a_wrong_key_at_the_command_line_is_one_clear_refusal_and_the_files_stay_as_they_were(tmp_path):
    home = tmp_path / "kiosk"
    assert run_cli(home, "submit", str(FIXTURES / "lost-wallet.json")).returncode == 0
    before = fingerprint(home)
    other = tmp_path / "other-keyring.json"
    other.write_text(json.dumps({f"{SERVICE}\n{KEY_USER}": StorageKey.generate().as_text()}), encoding="utf-8")
    done = run_cli(home, "list", keyring_file=other)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be decrypted with the storage key" in lines[0], done.stderr
    assert "hmac" not in done.stderr.lower() and "not a database" not in done.stderr
    after = fingerprint(home)
    assert {name: after[name] for name in before if not name.startswith("logs/")} == {
        name: digest for name, digest in before.items() if not name.startswith("logs/")}


def test_encryption_off_is_plaintext_and_said_at_every_start(tmp_path, caplog):
    (tmp_path / "kiosk.toml").write_text('[storage]\nencryption = "off"\n', encoding="utf-8")
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="kiosk.home"):
            kiosk = open_kiosk(tmp_path, ManualClock(NOW), receipt_printer=None)
        assert ENCRYPTION_OFF in caplog.text
        assert kiosk.store.key is None and kiosk.spool_sealer() is None
        kiosk.close()
    assert (tmp_path / "kiosk.sqlite3").read_bytes()[:16] == PLAINTEXT_HEADER


def test_encryption_off_never_opens_or_decrypts_an_encrypted_database(kiosk_with_data):
    folder, _, _open = kiosk_with_data
    before = fingerprint(folder)
    with pytest.raises(StorageKeyError, match=re.escape('encrypted, and kiosk.toml says [storage] encryption = "off"')):
        open_store(folder / "kiosk.sqlite3", key=None)
    assert fingerprint(folder) == before


def test_the_setting_is_declared_checked_and_documented():
    assert config_from_mapping({}).storage.encrypted
    assert not config_from_mapping({"storage": {"encryption": "off"}}).storage.encrypted
    with pytest.raises(Exception, match=re.escape("storage.encryption: must be one of on, off")):
        config_from_mapping({"storage": {"encryption": False}})
    text = (ROOT / "kiosk" / "default_config.toml").read_text(encoding="utf-8")
    assert '[storage]\n' in text and '\nencryption = "on"\n' in text


def test_make_runs_development_file_turns_encryption_off_in_so_many_words():
    from kiosk.config import config_from_text
    from kiosk.config_file import development_file_text

    text = development_file_text()
    assert 'encryption = "off"' in text and "make run" in text and "Never in a lobby" in text
    assert not config_from_text(text).storage.encrypted


def _memory_with(key: StorageKey) -> MemoryKeyring:
    backend = MemoryKeyring()
    backend.set_password(SERVICE, KEY_USER, key.as_text())
    return backend
