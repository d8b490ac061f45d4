"""``p2c-kiosk`` driven as a user or a script would: real data folders, real processes, real exit codes."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from helpers import FIXTURES, VALID_SAMPLES, edited, load_sample

from kiosk.cli import build_parser, requested_command
from kiosk.cli import main as core_main
from kiosk.storage.database import open_store
from kiosk.tracking import TrackingNumber
from p2c_kiosk import DEFAULT_COMMAND, FACE_COMMANDS, main


def cli(home, *args, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--home", str(home), *args], stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_submit_prints_the_tracking_number_last(tmp_path):
    code, out, err = cli(tmp_path, "submit", str(FIXTURES / "larceny-bicycle.json"))
    assert code == 0, err
    last = out.strip().splitlines()[-1]
    assert TrackingNumber.parse(last) == TrackingNumber(TrackingNumber.parse(last).year, 1, 1)
    assert str(TrackingNumber.parse(last)) == last


def test_submit_json_from_stdin(tmp_path):
    code, out, _ = cli(tmp_path, "submit", "-", "--json", stdin=json.dumps(load_sample("lost-wallet")))
    assert code == 0
    answer = json.loads(out)
    assert set(answer) == {"tracking_number", "access_code"}
    assert TrackingNumber.parse(answer["tracking_number"])


def test_invalid_input_exits_2_and_lists_every_problem(tmp_path):
    code, out, err = cli(tmp_path, "submit", str(FIXTURES / "invalid" / "many-problems.json"))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    fields = [line.split(":", 1)[0] for line in lines]
    assert len(lines) >= 15
    assert "reporter.email" in fields and "items[0].value" in fields and "attested" in fields
    assert "reporter.email: This is not a valid email address." in err
    code, out, _ = cli(tmp_path, "list")
    assert out == ""  # nothing stored


def test_errors_come_in_the_report_language_or_the_one_asked_for(tmp_path):
    spanish = edited(load_sample("vandalism-car-es"), "reporter.phone", "12")
    code, _, err = cli(tmp_path, "submit", "-", stdin=json.dumps(spanish))
    assert code == 2
    assert err.startswith("reporter.phone: Este número de teléfono no es válido.")
    code, _, err = cli(tmp_path, "submit", "-", "--lang", "en", stdin=json.dumps(spanish))
    assert err.startswith("reporter.phone: This is not a valid phone number.")


@pytest.mark.parametrize(("text", "expected"), [
    ("{not json", "report: The report is not valid JSON: line 1, column 2"),
    ("[1, 2]", "report: The report must be a group of fields"),
])
def test_not_a_report_at_all(tmp_path, text, expected):
    code, _, err = cli(tmp_path, "submit", "-", stdin=text)
    assert code == 2 and err.startswith(expected)


def test_missing_file(tmp_path):
    code, _, err = cli(tmp_path, "submit", str(tmp_path / "nope.json"))
    assert code == 2 and "cannot read" in err


def test_show_list_and_export(tmp_path):
    numbers = []
    for name in VALID_SAMPLES:
        code, out, _ = cli(tmp_path, "submit", str(FIXTURES / f"{name}.json"))
        numbers.append(out.strip().splitlines()[-1])
    code, out, _ = cli(tmp_path, "show", numbers[0].lower().replace("-", ""))
    assert code == 0 and numbers[0] in out and "Dana Whitfield" in out and "Bicycle, blue hybrid" in out
    code, out, _ = cli(tmp_path, "show", numbers[1], "--json")
    assert json.loads(out)["reporter"]["first_name"] == "María José"
    code, out, _ = cli(tmp_path, "list", "--status", "submitted")
    assert [line.split()[0] for line in out.splitlines()] == numbers[::-1]
    code, out, _ = cli(tmp_path, "list", "--json", "--limit", "2")
    assert [json.loads(line)["tracking_number"] for line in out.splitlines()] == numbers[:1:-1]
    code, out, _ = cli(tmp_path, "list", "--status", "approved")
    assert code == 0 and out == ""
    code, out, _ = cli(tmp_path, "export")
    exported = [json.loads(line) for line in out.splitlines()]
    assert [r["tracking_number"] for r in exported] == numbers
    assert exported[2]["items"][0]["value"] == "60.00"


def test_show_unknown_and_malformed_numbers(tmp_path, capsys):
    code, _, err = cli(tmp_path, "show", str(TrackingNumber(26, 1, 5)))
    assert code == 1 and "No report has this tracking number" in err
    with pytest.raises(SystemExit) as refused:  # argparse's refusal, with the kiosk's words for it
        cli(tmp_path, "show", "T26-01-00005-0")
    assert refused.value.code == 2
    assert "argument tracking_number: This tracking number has a typing mistake" in capsys.readouterr().err


def test_a_bad_configuration_is_named(tmp_path):
    (tmp_path / "kiosk.toml").write_text("[kiosk]\nnumber = 100\n")
    code, _, err = cli(tmp_path, "list")
    assert code == 2 and "kiosk.number" in err


def test_home_from_the_environment(tmp_path):
    env = {**os.environ, "P2C_KIOSK_HOME": str(tmp_path / "from-env")}
    result = subprocess.run([sys.executable, "-m", "kiosk", "submit", str(FIXTURES / "lost-wallet.json")],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-env" / "kiosk.sqlite3").exists()
    assert (tmp_path / "from-env" / "kiosk.toml").exists()


def test_no_personal_data_in_the_log(tmp_path):
    cli(tmp_path, "submit", str(FIXTURES / "larceny-bicycle.json"))
    cli(tmp_path, "submit", str(FIXTURES / "invalid" / "many-problems.json"))
    log = (tmp_path / "logs" / "kiosk.log").read_text()
    assert "submitted (larceny)" in log
    for secret in ("Whitfield", "Dana", "Farmington", "5550142", "555-0142", "example.org", "1979-06-14", "icycle"):
        assert secret not in log


KILL_AFTER_PRINT = textwrap.dedent("""
    import sys, time
    from kiosk import home
    # Hold the process here, database still open, right after the tracking number was printed: the test kills it
    # with SIGKILL now, as a power cut would.
    home.Kiosk.close = lambda self: time.sleep(120)
    from kiosk.cli import main
    main(sys.argv[1:])
""")


@pytest.mark.slow
def test_a_report_survives_sigkill_right_after_its_number_is_printed(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-c", KILL_AFTER_PRINT, "--home", str(tmp_path), "submit", str(FIXTURES / "lost-wallet.json")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines = [process.stdout.readline(), process.stdout.readline()]
    tracking_number = lines[-1].strip()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert TrackingNumber.parse(tracking_number)
    assert (tmp_path / "kiosk.sqlite3-wal").exists()  # killed before any clean close or checkpoint

    store = open_store(tmp_path / "kiosk.sqlite3")
    row = store.db.execute_sql("SELECT status, data FROM report WHERE tracking_number = ?",
                               (tracking_number,)).fetchone()
    store.close()
    assert row is not None and row[0] == "submitted"
    assert json.loads(row[1])["reporter"]["last_name"] == "Mensah"


def test_run_without_a_display_explains_instead_of_crashing(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "p2c_kiosk", "--home", str(tmp_path), "run", "--windowed"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "No display found" in result.stderr and "xvfb-run" in result.stderr


@pytest.mark.parametrize(("argv", "expected"), [
    ([], "run"), (["run"], "run"), (["--home", "/tmp/x", "run", "--windowed"], "run"), (["--home", "/tmp/x"], "run"),
    (["--home=/tmp/x", "run"], "run"), (["list"], "list"), (["--home", "run", "list"], "list"), (["--help"], None),
    (["--version"], None), (["--home", "/tmp/x", "sync", "--once"], "sync"), (["receipt", "--help"], "receipt"),
])
def test_the_command_asked_for_is_read_before_the_parser_is_built(argv, expected):
    assert requested_command(argv, DEFAULT_COMMAND) == expected
    assert DEFAULT_COMMAND == "run"


def takes(parser, *argv) -> bool:
    try:
        parser.parse_args(argv)
    except SystemExit:
        return False
    return True


def test_a_command_builds_only_the_module_that_adds_it(capsys):
    window = build_parser("run", FACE_COMMANDS)
    assert takes(window, "run", "--windowed") and not takes(window, "list")
    reports = build_parser("list", FACE_COMMANDS)
    assert takes(reports, "list") and takes(reports, "export") and not takes(reports, "officer", "list")
    assert not takes(reports, "run") and not takes(reports, "receipt", "T26-01-00001-8", "-o", "x.pdf")
    everything = build_parser(None, FACE_COMMANDS)
    assert takes(everything, "run") and takes(everything, "print", "T26-01-00001-8") and takes(everything, "list")
    assert takes(build_parser("no-such-command", FACE_COMMANDS), "copy", "T26-01-00001-8", "-o", "x.pdf"), \
        "a word that is no command builds every command, so that argparse lists them all"
    capsys.readouterr()


def test_help_still_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("run", "submit", "officer", "review", "notices", "configure", "sync", "audit"):
        assert command in out, command


def test_the_core_alone_has_only_its_own_commands(tmp_path, capsys):
    """``python -m kiosk`` (kiosk.cli.main without the composition root's faces) knows no window and no printing."""
    with pytest.raises(SystemExit) as exited:
        core_main(["--home", str(tmp_path), "run"])
    assert exited.value.code == 2 and "invalid choice: 'run'" in capsys.readouterr().err
    assert core_main(["--home", str(tmp_path)], stderr=io.StringIO()) == 2, "no command, and no default to run"
