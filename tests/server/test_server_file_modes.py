"""The reference server's SQLite database is owner-only whatever the umask, and a looser one is repaired when the
server opens it, with a log line (issue 16, part 3)."""

from __future__ import annotations

import logging
import os
import stat

from server.db import open_database


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_the_server_database_is_owner_only_under_umask_022(tmp_path):
    path = tmp_path / "new-folder" / "server.sqlite3"
    old = os.umask(0o022)
    try:
        database = open_database(f"sqlite:///{path}")
        try:
            with database.db.connection_context():
                database.db.execute_sql("CREATE TABLE probe (x)")  # a write: the -wal and -shm exist
                files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
                assert [oct(mode(p)) for p in files] == [oct(0o600)] * 3
        finally:
            database.close()
    finally:
        os.umask(old)
    assert mode(path.parent) == 0o700


def test_a_looser_server_database_is_repaired_with_a_log_line(tmp_path, caplog):
    path = tmp_path / "server.sqlite3"
    open_database(f"sqlite:///{path}").close()
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING):
        open_database(f"sqlite:///{path}").close()
    assert mode(path) == 0o600
    assert f"permissions of {path} were 0644, now 0600 (owner only)" in caplog.text
