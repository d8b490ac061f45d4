"""The server's settings file: the department's configuration (the kiosk's declaration) and the server's own [server]
table, both strict, with every mistake reported at once."""

from __future__ import annotations

import io

import pytest

from kiosk.config import Config, ConfigError
from server.cli import main
from server.settings import load_department_config


def test_no_file_is_the_declared_defaults():
    assert load_department_config(None) == Config()


def test_a_department_file_is_read(tmp_path):
    path = tmp_path / "department.toml"
    path.write_text('[department]\nshort_name = "SPD"\n[kiosk]\ntime_zone = "America/Chicago"\n', encoding="utf-8")
    config = load_department_config(path)
    assert config.department.short_name == "SPD" and config.kiosk.time_zone == "America/Chicago"


def test_every_mistake_is_refused_at_once_and_p2c_server_lists_them(tmp_path):
    path = tmp_path / "department.toml"
    path.write_text('[review]\nduplicate_window_days = "30"\n[rules]\nminimum_age = true\nmaximum_age = 99\n',
                    encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_department_config(path)
    keys = ["review.duplicate_window_days", "rules.minimum_age", "rules.maximum_age"]
    assert [problem.key for problem in refused.value.problems] == ["rules.minimum_age", "rules.maximum_age",
                                                                    "review.duplicate_window_days"]
    err = io.StringIO()
    code = main(["--db", f"sqlite:///{tmp_path / 's.sqlite3'}", "--config", str(path), "reports"],
                stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert all(key in err.getvalue() for key in keys) and len(err.getvalue().splitlines()) == 3


def test_the_servers_own_table_is_declared_checked_strictly_and_kept_apart(tmp_path):
    from server.settings import ServerSettings, load_settings

    assert load_settings(None).server == ServerSettings() and ServerSettings().silent_after_minutes == 15
    path = tmp_path / "server.toml"
    path.write_text('[department]\nshort_name = "SPD"\n[server]\nsilent_after_minutes = 30\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.server.silent_after_minutes == 30 and settings.department.department.short_name == "SPD"
    assert load_department_config(path).department.short_name == "SPD"

    path.write_text('[rules]\nminimum_age = true\n[server]\nsilent_after_minutes = "15"\nsilence = 3\n',
                    encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings(path)
    assert [str(problem) for problem in refused.value.problems][1:] == [
        'server.silent_after_minutes: must be a whole number of minutes from 2 to 10080 (got "15")',
        "server.silence: unknown key; [server] has silent_after_minutes, header_timeout_seconds, "
        "body_timeout_seconds, pool_size"]
    assert refused.value.problems[0].key == "rules.minimum_age"
    for value in ("1", "10081", "true", "15.0"):
        path.write_text(f"[server]\nsilent_after_minutes = {value}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=r"server\.silent_after_minutes: must be a whole number"):
            load_settings(path)
    path.write_text("server = 15\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"server: must be a table"):
        load_settings(path)
    err = io.StringIO()
    assert main(["--db", f"sqlite:///{tmp_path / 's.sqlite3'}", "--config", str(path), "kiosks"],
                stdout=io.StringIO(), stderr=err) == 2
    assert "server: must be a table" in err.getvalue()
