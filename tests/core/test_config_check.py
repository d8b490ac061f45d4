"""``p2c-kiosk config check`` run as an administrator would, and every other command refusing a file with mistakes."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from kiosk.cli import main
from kiosk.config import CONFIG_FILE_NAME

FIVE_MISTAKES = """\
[kiosk]
number = true                  # a bool for a whole number
idle_timeout_seconds = "80"    # text for a whole number
time_zone = "America/Hartford" # no such time zone

[printer]
queue = "Lobby"                # no such key

[sync]
interval_seconds = 5           # below the smallest (10)
"""
EXPECTED_KEYS = ["kiosk.number", "kiosk.time_zone", "kiosk.idle_timeout_seconds", "printer.queue",
                 "sync.interval_seconds"]


def check(home):
    return subprocess.run([sys.executable, "-m", "kiosk", "--home", str(home), "config", "check"],
                          capture_output=True, text=True, timeout=60)


def test_five_planted_mistakes_give_five_lines_and_exit_2(tmp_path):
    (tmp_path / CONFIG_FILE_NAME).write_text(FIVE_MISTAKES, encoding="utf-8")
    result = check(tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == EXPECTED_KEYS
    assert lines[0] == "kiosk.number: must be a whole number from 1 to 99 (got true)"
    assert lines[1] == 'kiosk.time_zone: must be a time zone name such as "America/New_York" (got "America/Hartford")'
    assert lines[2] == 'kiosk.idle_timeout_seconds: must be a whole number of seconds from 15 to 3600 (got "80")'
    assert lines[3].startswith("printer.queue: unknown key; [printer] has name, paper, media, ")
    assert lines[4] == "sync.interval_seconds: must be a whole number of seconds from 10 to 3600 (got 5)"
    assert result.stdout == ""
    assert not (tmp_path / "kiosk.sqlite3").exists()  # checking opens nothing


def test_a_bad_language_and_an_unknown_section(tmp_path):
    (tmp_path / CONFIG_FILE_NAME).write_text('[kiosk]\nlanguages = ["en", "fr"]\n[printers]\nname = "x"\n')
    result = check(tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        'kiosk.languages: there is no catalogue for “fr”: add resources/locale/fr/LC_MESSAGES/p2c.po and run `make '
            'translations`, or remove it from the list (got ["en", "fr"])',
        "printers: unknown section; kiosk.toml has [department], [jurisdiction], [kiosk], [rules], [printer], "
        "[officer], [review], [notices], [sync], [storage], [speech], [keypad]"]


def test_a_good_file_has_no_problems(tmp_path):
    assert main(["--home", str(tmp_path), "list"], stdout=io.StringIO(), stderr=io.StringIO()) == 0  # first start
    result = check(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("kiosk.toml: no problems") and result.stderr == ""


def test_no_file_yet_is_no_problem_and_writes_nothing(tmp_path):
    result = check(tmp_path / "new")
    assert result.returncode == 0 and "not written yet" in result.stdout
    assert not (tmp_path / "new").exists()


def test_an_unreadable_file_is_one_problem(tmp_path):
    (tmp_path / CONFIG_FILE_NAME).write_text("[kiosk\nnumber = ")
    result = check(tmp_path)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"{tmp_path / CONFIG_FILE_NAME}: cannot read the configuration: ")


@pytest.mark.parametrize("command", [["list"], ["export"], ["sync", "status"], ["officer", "list"]])
def test_every_other_command_refuses_to_start_with_the_same_list(tmp_path, command):
    (tmp_path / CONFIG_FILE_NAME).write_text(FIVE_MISTAKES, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert main(["--home", str(tmp_path), *command], stdout=out, stderr=err) == 2
    first, *problems = err.getvalue().splitlines()
    assert first.startswith("p2c-kiosk: kiosk.toml has 5 problems; nothing was done")
    assert problems == check(tmp_path).stderr.splitlines()
    assert out.getvalue() == ""
