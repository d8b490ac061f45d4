"""``p2c-kiosk review`` and ``p2c-kiosk queue`` against a real data folder: the officer logs in with the password on
stdin, the same checks, history, audit and notices as the screens follow, and the exit codes say what happened."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from helpers import load_sample
from notices_support import free_port, running_smtp_server

from kiosk.cli import main
from kiosk.home import open_kiosk

PASSWORD = "correct horse battery staple"


def run(home, *args, stdin=PASSWORD + "\n"):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--home", str(home), *args], stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def home(tmp_path):
    folder = tmp_path / "home"
    kiosk = open_kiosk(folder)
    try:
        for name in ("jdoe", "asmith"):
            kiosk.officers.add(name, name.title(), "B-1", PASSWORD, by="cli:test")
    finally:
        kiosk.close()
    return folder


def submit(home, sample="larceny-bicycle", **changes):
    kiosk = open_kiosk(home)
    try:
        document = load_sample(sample)
        document.update(changes)
        return kiosk.reports.submit(document).tracking_number
    finally:
        kiosk.close()


def with_kiosk(home, fn):
    kiosk = open_kiosk(home)
    try:
        return fn(kiosk)
    finally:
        kiosk.close()


def audit_actions(home):
    return with_kiosk(home, lambda k: [(e.actor, e.action, e.subject) for e in reversed(k.audit.entries(limit=500))])


def test_approve_on_a_syncing_kiosk_says_the_official_number_is_pending(home):
    config_file = home / "kiosk.toml"
    config_file.write_text(config_file.read_text(encoding="utf-8")
                           .replace('server_url = ""', 'server_url = "http://127.0.0.1:9"'), encoding="utf-8")
    tracking = submit(home)
    code, out, err = run(home, "review", tracking, "approve", "--officer", "jdoe")
    assert code == 0, err
    assert f"{tracking} approved: official number pending (it comes from the department server" in out
    assert "None" not in out
    code, out, _ = run(home, "show", tracking)
    assert "Official number  pending (from the department server)" in out


def test_approve_confirms_the_suggested_code_and_goes_through_the_same_core(home):
    tracking = submit(home)
    code, out, err = run(home, "review", tracking.lower(), "approve", "--officer", "jdoe")
    assert code == 0, err
    assert f"{tracking} approved: official number HPD-2026-000001, NIBRS 23H" in out
    report = with_kiosk(home, lambda k: k.reports.get(tracking))
    assert report["status"] == "approved" and report["official_number"] == "HPD-2026-000001"
    assert [e["action"] for e in report["history"]] == ["submitted", "review_started", "approved"]
    actions = [(actor, action) for actor, action, _ in audit_actions(home)]
    assert actions[-5:] == [("officer:jdoe", "login"), ("officer:jdoe", "report_opened"),
                            ("officer:jdoe", "review_started"), ("officer:jdoe", "approved"),
                            ("officer:jdoe", "logout")]
    kinds = with_kiosk(home, lambda k: [n.kind for n in k.outbox.for_report(tracking)])
    assert "approved" in kinds
    assert PASSWORD not in json.dumps(with_kiosk(home, lambda k: [e.details for e in k.audit.entries(limit=500)]))


def test_a_wrong_password_is_refused_with_the_one_message_and_counts_toward_the_lockout(home):
    tracking = submit(home)
    code, out, err = run(home, "review", tracking, "approve", "--officer", "jdoe", stdin="wrong password here\n")
    assert code == 2 and out == ""
    assert "did not work" in err
    code, _, err_unknown = run(home, "review", tracking, "approve", "--officer", "nobody")
    assert code == 2 and err_unknown == err  # the message does not reveal whether the username exists
    failures = with_kiosk(home, lambda k: k.store.db.execute_sql("SELECT COUNT(*) FROM login_failure").fetchone())
    assert failures == (2,)
    assert with_kiosk(home, lambda k: k.reports.get(tracking)["status"]) == "submitted"
    assert run(home, "review", tracking, "approve", "--officer", "jdoe", stdin="")[0] == 2


def test_request_info_needs_a_question_and_keeps_the_phone_note(home):
    tracking = submit(home, "identity-theft")
    code, _, err = run(home, "review", tracking, "request-info", "--officer", "jdoe", "--message", "   ")
    assert code == 2 and err.startswith("question: Write the question")
    code, out, err = run(home, "review", tracking, "request-info", "--officer", "jdoe", "--message",
                         "Which bank sent the alert?", "--phone-note", "Called, no answer.")
    assert code == 0, err
    event = with_kiosk(home, lambda k: k.reports.get(tracking)["history"][-1])
    assert event["message"] == "Which bank sent the alert?\n\nPhone note: Called, no answer."
    assert "notice needs_info:" in out


def test_reject_checks_its_reason_and_the_duplicate(home):
    original = submit(home)
    tracking = submit(home)
    code, _, err = run(home, "review", tracking, "reject", "--officer", "jdoe", "--reason", "other")
    assert code == 2 and err.startswith("message:")
    code, _, err = run(home, "review", tracking, "reject", "--officer", "jdoe", "--reason", "duplicate",
                       "--duplicate-of", "T26-01-00077-7")
    assert code == 2 and "No report has the tracking number T26-01-00077-7" in err
    code, _out, err = run(home, "review", tracking, "reject", "--officer", "jdoe", "--reason", "duplicate",
                         "--duplicate-of", original, "--next-steps", "Nothing to do.")
    assert code == 0, err
    event = with_kiosk(home, lambda k: k.reports.get(tracking)["history"][-1])
    assert event["reason_code"] == "duplicate"
    assert event["message"] == f"Duplicate of: {original}\n\nNext steps: Nothing to do."
    with pytest.raises(SystemExit):
        run(home, "review", tracking, "reject", "--officer", "jdoe", "--reason", "because")


def test_a_second_officer_gets_a_conflict_exit_code(home):
    tracking = submit(home)
    assert run(home, "review", tracking, "reject", "--officer", "jdoe", "--reason", "not_eligible")[0] == 0
    code, out, err = run(home, "review", tracking, "approve", "--officer", "asmith", "--nibrs", "23H")
    assert code == 4 and out == ""
    assert f"{tracking} was rejected by officer jdoe at " in err and "cannot be changed" in err
    assert with_kiosk(home, lambda k: k.reports.get(tracking)["status"]) == "rejected"


def test_unknown_and_malformed_numbers(home, tmp_path, capsys):
    submit(home)
    assert run(home, "review", "T26-01-00077-7", "approve", "--officer", "jdoe")[0] == 1
    # A malformed number is refused where it is typed: argparse's refusal (exit code 2) with the kiosk's words for
    # it, before any data folder is opened or a password read.
    fresh = tmp_path / "never-opened"
    for args, words in ((["T26-01-00001-9", "approve", "--officer", "jdoe"],
                         "argument tracking_number: This tracking number has a typing mistake"),
                        (["T26-01-00001-8", "reject", "--officer", "jdoe", "--reason", "duplicate",
                          "--duplicate-of", "T26-01"], "argument --duplicate-of: This is not a tracking number.")):
        with pytest.raises(SystemExit) as refused:
            run(fresh, "review", *args)
        assert refused.value.code == 2 and words in capsys.readouterr().err, args
    assert not fresh.exists()
    code, _, err = run(home, "review", "T26-01-00001-8", "approve", "--officer", "jdoe", "--nibrs", "99Z")
    assert code == 2 and err.startswith("nibrs_code:")


def test_show_gives_the_detail_with_duplicates_and_the_suggestion(home):
    first = submit(home)
    second = submit(home)
    code, out, err = run(home, "review", second, "show", "--officer", "jdoe", "--json")
    assert code == 0, err
    detail = json.loads(out)
    assert detail["report"]["tracking_number"] == second and detail["report"]["status"] == "in_review"
    assert detail["nibrs"]["code"] == "23H" and detail["items_total"] == "685.00"
    assert detail["duplicates"][0]["tracking_number"] == first
    assert detail["duplicates"][0]["reasons"] == ["same_person", "same_home_address", "same_location",
                                                  "same_serial"]
    assert detail["decisions"] == ["approved", "info_requested", "rejected"]
    code, out, _ = run(home, "review", second, "show", "--officer", "jdoe")
    assert code == 0 and "Possible duplicates:" in out and first in out and "NIBRS suggested  23H" in out


def test_queue_lists_filters_and_searches(home):
    bicycle = submit(home)
    wallet = submit(home, "lost-wallet")
    run(home, "review", bicycle, "approve", "--officer", "jdoe")
    code, out, _ = run(home, "queue", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["tracking_number"] for r in rows] == [wallet, bicycle]
    code, out, _ = run(home, "queue", "--json", "--status", "submitted")
    assert [json.loads(line)["tracking_number"] for line in out.splitlines()] == [wallet]
    code, out, _ = run(home, "queue", "--json", "--search", "whitf")
    assert [json.loads(line)["tracking_number"] for line in out.splitlines()] == [bicycle]
    code, out, _ = run(home, "queue", "--search", bicycle.replace("-", "").lower())
    assert code == 0 and out.splitlines()[0].startswith(bicycle)
    assert out.splitlines()[-1] == "submitted 0  in_review 0  needs_info 0  approved 1  rejected 0"
    assert run(home, "queue", "--limit", "0")[0] == 2


def configure_smtp(home, port):
    (home / "kiosk.toml").write_text(
        (home / "kiosk.toml").read_text(encoding="utf-8").replace('smtp_host = ""', 'smtp_host = "127.0.0.1"')
        .replace("smtp_port = 587", f"smtp_port = {port}").replace('security = "starttls"', 'security = "none"'),
        encoding="utf-8")


def test_the_notice_leaves_at_once_and_a_dead_server_does_not_change_the_exit_code(home):
    with running_smtp_server() as server:
        configure_smtp(home, server.port)
        tracking = submit(home)
        code, out, err = run(home, "review", tracking, "approve", "--officer", "jdoe")
        assert code == 0, err
        assert "notice approved: sent" in out
        approved = [m for m in server.messages if "HPD-2026-000001" in m.get_body(("plain",)).get_content()]
        assert len(approved) == 1 and approved[0]["To"] == "dana.whitfield@example.org"

    configure_smtp(home, free_port())  # nobody listens there
    tracking = submit(home, "identity-theft")
    code, out, err = run(home, "review", tracking, "reject", "--officer", "jdoe", "--reason", "not_eligible")
    assert code == 0, err
    statuses = with_kiosk(home, lambda k: [(n.kind, n.status) for n in k.outbox.for_report(tracking)])
    assert ("rejected", "pending") in statuses


def test_a_real_process_reads_the_password_from_stdin(home):
    tracking = submit(home, "lost-wallet")
    result = subprocess.run([sys.executable, "-m", "kiosk", "--home", str(home), "review", tracking, "approve",
                             "--officer", "jdoe"], input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "NIBRS NC-LOST" in result.stdout
    assert PASSWORD not in (home / "logs" / "kiosk.log").read_text(encoding="utf-8")
