"""Sealed files: the receipts and report copies waiting in the spool folder, encrypted with the storage key
(:mod:`kiosk.storage.key`) by AES-256-GCM (``cryptography``), and decrypted in memory only.

A sealed file is ``MAGIC`` (8 bytes), the id of the key that sealed it (8 bytes), a random nonce (12 bytes), then
the ciphertext with GCM's 16-byte tag. The header is authenticated with the content (GCM's associated data), so a
changed byte anywhere makes :meth:`Sealer.unseal` refuse the file. The AES key is derived from the storage key with
HKDF-SHA256 (info ``p2c-kiosk sealed file v1``), so the same 32 bytes are never used directly by two ciphers (SQLCipher
uses the storage key for the database).

Also here, for the core's own use: :func:`reseal_folder` (``p2c-kiosk rekey``: every sealed file of a folder moved to
a new key, one file at a time, each replaced atomically) and :func:`seal_plaintext_pdfs` (a spool folder from a
version that did not encrypt: each PDF sealed, then overwritten and removed).
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.storage.key import StorageKey

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger(__name__)

MAGIC = b"P2CSEAL1"
SEALED_SUFFIX = ".sealed"
_ID_BYTES = 8
_NONCE_BYTES = 12
_HEADER_BYTES = len(MAGIC) + _ID_BYTES + _NONCE_BYTES


class SealError(Exception):
    """A sealed file that cannot be opened: not sealed, sealed under another key, or changed since."""


def _file_key(key: StorageKey) -> AESGCM:
    # cryptography is imported on first use (~10 ms), by the first document spooled, never at the kiosk's start.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"p2c-kiosk sealed file v1").derive(key.raw)
    return AESGCM(derived)


class Sealer:
    """Seals and opens files' contents with one storage key (and opens, too, what ``also`` keys sealed: a rotation
    that was interrupted leaves files under both)."""

    def __init__(self, key: StorageKey, also: Sequence[StorageKey] = ()) -> None:
        self.key = key
        self._keys = {k.key_id: k for k in (*also, key)}
        self._ciphers: dict[str, AESGCM] = {}

    def _cipher(self, key: StorageKey) -> AESGCM:
        if key.key_id not in self._ciphers:
            self._ciphers[key.key_id] = _file_key(key)
        return self._ciphers[key.key_id]

    def seal(self, data: bytes) -> bytes:
        header = MAGIC + bytes.fromhex(self.key.key_id) + secrets.token_bytes(_NONCE_BYTES)
        return header + self._cipher(self.key).encrypt(header[-_NONCE_BYTES:], data, header)

    def unseal(self, blob: bytes) -> bytes:
        key_id = sealed_key_id(blob)
        key = self._keys.get(key_id)
        if key is None:
            raise SealError(f"sealed with another storage key (id {key_id})")
        from cryptography.exceptions import InvalidTag

        header = blob[:_HEADER_BYTES]
        try:
            return self._cipher(key).decrypt(header[-_NONCE_BYTES:], blob[_HEADER_BYTES:], header)
        except InvalidTag:
            raise SealError("the sealed file was changed or damaged") from None

    def unseal_file(self, path: Path) -> bytes:
        """The content of the sealed file at ``path``, in memory."""
        return self.unseal(path.read_bytes())


def sealed_key_id(blob: bytes) -> str:
    """The id of the key that sealed ``blob``; SealError when it is not a sealed file."""
    if len(blob) < _HEADER_BYTES + 16 or not blob.startswith(MAGIC):
        raise SealError("not a sealed file")
    return blob[len(MAGIC):len(MAGIC) + _ID_BYTES].hex()


def write_atomically(path: Path, data: bytes, temp_prefix: str, temp_suffix: str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder (named ``temp_prefix``...``temp_suffix``,
    readable by the kiosk's user only), flushed to disk before it replaces ``path``."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix, suffix=temp_suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _temp_names(name: str) -> tuple[str, str]:
    """A temporary's prefix and suffix for a file named ``name`` in the spool (``<kind>-...pdf.sealed``): the names
    the spool's clean-up knows as an interrupted write's (printing.spool)."""
    kind = name.split("-", 1)[0]
    return f".{kind}-", ".pdf" + SEALED_SUFFIX


def reseal_folder(folder: Path, old: Sealer, new: Sealer) -> int:
    """Every sealed file directly in ``folder`` that is not under ``new``'s key yet, opened with ``old`` and sealed
    again with ``new``, each replaced atomically (an interrupted run leaves each file under one key or the other;
    running it again finishes). Returns how many files were sealed again. A file neither key opens is left as it is,
    with a warning."""
    count = 0
    try:
        entries = sorted(folder.iterdir())
    except FileNotFoundError:
        return 0
    for path in entries:
        if path.name.startswith(".") or not path.name.endswith(SEALED_SUFFIX) or not path.is_file():
            continue
        blob = path.read_bytes()
        try:
            if sealed_key_id(blob) == new.key.key_id:
                continue
            data = old.unseal(blob)
        except SealError as exc:
            log.warning("a sealed file in %s cannot be opened with the old key (%s); left as it is", folder.name, exc)
            continue
        write_atomically(path, new.seal(data), *_temp_names(path.name))
        count += 1
    return count


def seal_plaintext_pdfs(folder: Path, sealer: Sealer) -> int:
    """Each plaintext PDF directly in ``folder`` (a spool folder from a version that did not encrypt) sealed as
    ``<name>.sealed`` with its time kept, then overwritten with zeros and removed; an interrupted write's temporary
    (``.<kind>-....pdf``) is only overwritten and removed. Returns how many files were handled."""
    from kiosk.storage.encrypt import shred

    count = 0
    try:
        entries = sorted(folder.iterdir())
    except FileNotFoundError:
        return 0
    for path in entries:
        if not path.name.endswith(".pdf") or path.is_symlink() or not path.is_file():
            continue
        if path.name.startswith("."):  # an interrupted write's temporary: never a whole document
            shred(path)
            count += 1
            continue
        data = path.read_bytes()
        if not data.startswith(b"%PDF"):
            continue
        target = path.with_name(path.name + SEALED_SUFFIX)
        write_atomically(target, sealer.seal(data), *_temp_names(path.name))
        info = path.stat()
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))  # the spool's clean-up goes by the time
        shred(path)
        count += 1
    if count:
        log.warning("sealed %d plaintext PDF(s) left in %s by an earlier version", count, folder.name)
    return count
