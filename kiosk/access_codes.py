"""Access codes: a short random code given to the citizen with the tracking number, for the status look-up later.

Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), shown as ``ABCD-EFGH``: about 2^39
possibilities. Only a salted SHA-256 hash is stored. A slow password hash is not used on purpose: the code only
guards the kiosk's own status look-up, which is rate-limited there, and whoever holds the database file already
holds the report itself; a fast hash keeps a submit within a few milliseconds on a kiosk's eMMC.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
LENGTH = 8
_SCHEME = "sha256"


def new_access_code() -> str:
    """A fresh code, grouped for reading (``K7QM-2XHD``)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise(code: str) -> str:
    return re.sub(r"[\s\-]+", "", code).upper()


def hash_access_code(code: str) -> str:
    salt = secrets.token_hex(16)
    digest = hashlib.sha256(f"{salt}:{normalise(code)}".encode()).hexdigest()
    return f"{_SCHEME}${salt}${digest}"


def verify_access_code(code: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != _SCHEME:
        return False
    candidate = hashlib.sha256(f"{salt}:{normalise(code)}".encode()).hexdigest()
    return hmac.compare_digest(candidate, digest)
