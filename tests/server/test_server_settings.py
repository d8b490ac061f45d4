"""The server's department configuration: the kiosk's declaration, strict, with every mistake reported at once."""

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
