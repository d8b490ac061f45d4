"""Deployment chores from the command line (docs/server.md): rotating a kiosk's token, and the database URL read
from a file (a systemd credential or a container secret) so its password is in neither the environment nor the
command line."""

from __future__ import annotations

import io

import httpx
import pytest

from server.cli import main
from server.db import DB_FILE_ENV, DatabaseUrlError, default_database_url


def _whoami(url: str, token: str) -> int:
    return httpx.get(url + "/api/v1/whoami", headers={"Authorization": f"Bearer {token}"}).status_code


def test_a_rotated_token_works_at_once_and_the_old_one_no_longer(world):
    kiosk = world.new_kiosk("Lobby West")
    number, old = kiosk.number, kiosk.token
    assert _whoami(world.url, old) == 200
    out = io.StringIO()
    assert main(["--db", world.db_url, "kiosk", "rotate", str(number)], stdout=out) == 0
    new = out.getvalue().splitlines()[1]
    assert "new token" in out.getvalue() and new != old
    assert _whoami(world.url, old) == 401
    assert _whoami(world.url, new) == 200
    listing = io.StringIO()
    main(["--db", world.db_url, "kiosk", "list"], stdout=listing)
    assert f"{number:>2}  Lobby West {number}  active" in listing.getvalue()


def test_only_an_active_kiosk_is_rotated(world):
    kiosk = world.new_kiosk()
    assert main(["--db", world.db_url, "kiosk", "revoke", str(kiosk.number)], stdout=io.StringIO()) == 0
    err = io.StringIO()
    assert main(["--db", world.db_url, "kiosk", "rotate", str(kiosk.number)], stdout=io.StringIO(), stderr=err) == 2
    assert f"there is no active kiosk {kiosk.number}" in err.getvalue()
    assert _whoami(world.url, kiosk.token) == 401


def test_the_database_url_can_come_from_a_file(tmp_path):
    secret = tmp_path / "db-url"
    secret.write_text("postgresql://p2c:s3cret@db:5432/p2c\n", encoding="utf-8")
    assert default_database_url({DB_FILE_ENV: str(secret)}) == "postgresql://p2c:s3cret@db:5432/p2c"
    assert default_database_url({DB_FILE_ENV: str(secret), "P2C_SERVER_DB": "sqlite:///x.sqlite3"}) == \
        "sqlite:///x.sqlite3"
    with pytest.raises(DatabaseUrlError, match="cannot read"):
        default_database_url({DB_FILE_ENV: str(tmp_path / "missing")})
    secret.write_text("\n", encoding="utf-8")
    with pytest.raises(DatabaseUrlError, match="is empty"):
        default_database_url({DB_FILE_ENV: str(secret)})
