"""``p2c-kiosk submit`` given JSON that Python's parser chokes on or reads loosely: every case exits 2 with one clear
line and stores nothing (issue 16, part 3: JSON nested 100,000 deep, an integer over 4,300 digits, duplicate keys)."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from helpers import load_sample

from p2c_kiosk import main


def cli(home, *args, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--home", str(home), *args], stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def with_attested_twice() -> str:
    text = json.dumps({**load_sample("lost-wallet"), "attested": False})
    assert text.endswith('"attested": false}')
    return text[:-1] + ', "attested": true}'


HOSTILE = {
    "nested 100,000 deep": ("[" * 100_000 + "]" * 100_000, "nested more than 64 levels deep"),
    "nested objects": ('{"a":' * 100_000 + "1" + "}" * 100_000, "nested more than 64 levels deep"),
    "an integer of 5,000 digits": ('{"items": [{"value": ' + "9" * 5000 + "}]}", "more than 4300 digits"),
    "a duplicate key": (with_attested_twice(), 'the key "attested" appears twice'),
    "NaN": ('{"items": [{"value": NaN}]}', "NaN is not a JSON value"),
    "a number too large for a float": ('{"items": [{"value": 1e999}]}', "a number is too large"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_json_gets_exit_2_and_one_clear_line(tmp_path, name):
    text, detail = HOSTILE[name]
    code, out, err = cli(tmp_path, "submit", "-", stdin=text)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("report: The report is not valid JSON: ") and detail in err
    assert "Traceback" not in err
    assert cli(tmp_path, "list")[1] == ""  # nothing stored


def test_a_real_process_given_json_nested_100000_deep(tmp_path):
    result = subprocess.run([sys.executable, "-m", "p2c_kiosk", "--home", str(tmp_path), "submit", "-"],
                            input="[" * 100_000, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "report: The report is not valid JSON: it is nested more than 64 levels deep. Check the file."]


def test_a_report_with_each_key_once_still_goes_in(tmp_path):
    code, _, err = cli(tmp_path, "submit", "-", stdin=json.dumps(load_sample("lost-wallet")))
    assert code == 0, err
