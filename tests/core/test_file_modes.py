"""Owner-only files whatever the umask (issue 16, part 3): a kiosk started with umask 022 makes its data folder and
its folders 0700 and its files (the database, its -wal and -shm, logs, kiosk.toml, backups) 0600; a start repairs
looser modes, with a log line for each."""

from __future__ import annotations

import stat
import subprocess
import sys
import textwrap

from helpers import FIXTURES

from kiosk.file_modes import database_files


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def kiosk(home, *args, hold_open=False):
    """``p2c-kiosk --home home ARGS`` with umask 022; with ``hold_open`` the modes are read while the store is open
    (its -wal and -shm exist then), by a process that opens the kiosk as the CLI does."""
    if hold_open:
        code = textwrap.dedent(f"""
            import json, stat, sys
            from pathlib import Path
            from kiosk.home import configure_logging, open_kiosk
            home = Path({str(home)!r})
            configure_logging(home)
            k = open_kiosk(home)
            k.store.db.execute_sql("CREATE TABLE IF NOT EXISTS probe (x)")  # a write: the -wal exists
            files = [p for p in home.rglob("*")] + [home]
            print(json.dumps({{str(p.relative_to(home.parent)): stat.S_IMODE(p.stat().st_mode) for p in files}}))
            k.close()
        """)
        command = [sys.executable, "-c", code]
    else:
        command = [sys.executable, "-m", "p2c_kiosk", "--home", str(home), *args]
    return subprocess.run(command, capture_output=True, text=True, umask=0o022, timeout=120)


def test_a_new_data_folder_is_owner_only_under_umask_022(tmp_path):
    home = tmp_path / "home"
    result = kiosk(home, "submit", str(FIXTURES / "lost-wallet.json"))
    assert result.returncode == 0, result.stderr
    import json
    result = kiosk(home, hold_open=True)
    assert result.returncode == 0, result.stderr
    modes = json.loads(result.stdout.strip().splitlines()[-1])
    for name in ("home/kiosk.sqlite3", "home/kiosk.sqlite3-wal", "home/kiosk.sqlite3-shm", "home/kiosk.toml",
                 "home/logs/kiosk.log"):
        assert modes[name] == 0o600, (name, oct(modes[name]))
    assert modes["home"] == 0o700 and modes["home/logs"] == 0o700
    assert {name: oct(m) for name, m in modes.items() if m & 0o077} == {}


def test_looser_modes_are_repaired_at_start_with_a_log_line(tmp_path):
    home = tmp_path / "home"
    assert kiosk(home, "submit", str(FIXTURES / "lost-wallet.json")).returncode == 0
    loose = [home, home / "logs", *database_files(home / "kiosk.sqlite3")[:1], home / "kiosk.toml",
             home / "logs" / "kiosk.log"]
    for path in loose:
        path.chmod(0o755 if path.is_dir() else 0o644)
    result = kiosk(home, "list")
    assert result.returncode == 0, result.stderr
    assert [oct(mode(p)) for p in loose] == [oct(0o700 if p.is_dir() else 0o600) for p in loose]
    log = (home / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert f"permissions of {home / 'kiosk.sqlite3'} were 0644, now 0600 (owner only)" in log
    assert f"permissions of {home} were 0755, now 0700 (owner only)" in log


def test_a_migration_backup_is_owner_only(tmp_path):
    from kept_rows import file_at_version

    home = tmp_path / "home"
    home.mkdir()
    file_at_version(home / "kiosk.sqlite3", 2)
    result = kiosk(home, "list")
    assert result.returncode == 0, result.stderr
    (backup,) = (home / "backups").iterdir()
    assert mode(backup) == 0o600 and mode(home / "backups") == 0o700
