"""server.citizen_status: the status page's look-up and answer at the department server, with the kiosk's rules
(kiosk/lookup.py) and the rate limits counted in the database. The reports arrive the real way (a kiosk pushing over
HTTP to the shared server process); the service is called as the page calls it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from server_support import decide, server_events, writers_lock_held

from kiosk.access_codes import hash_access_code
from kiosk.lookup import FAILURE_WINDOW, LOCK_AFTER_FAILURES, explain
from kiosk.messages import Problem, render
from kiosk.storage.timestamps import utc_text
from kiosk.sync.protocol import WEB_ANSWER_ACTOR
from server.citizen_status import (
    CLIENT_LOCK_AFTER,
    StatusLocked,
    StatusRefused,
    answer,
    check,
    client_key,
    report_language,
    server_secret,
)
from server.db import ServerDatabase, open_database
from server.settings import load_department_config

CODE = "K7QM-2XHD"
QUESTION = "What colour was the bicycle?"
CONFIG = load_department_config(None)
START = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def database(world) -> Iterator[ServerDatabase]:
    opened = open_database(world.db_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def client(request) -> str:
    """An address of the test's own, so no other test's failures count against it."""
    return f"192.0.2.{abs(hash(request.node.name)) % 250}-{request.node.name}"


def _with_code(kiosk, sequence: int, code: str = CODE) -> str:
    tracking = kiosk.stored(sequence)
    response = kiosk.http.post("/access-codes", json={"access_codes": [
        {"tracking_number": tracking, "verifier": hash_access_code(code)}]})
    assert response.status_code == 200, response.text
    return tracking


def _failures(database: ServerDatabase, tracking: str) -> int:
    with database.db.connection_context():
        LookupFailure = database.models.LookupFailure
        return LookupFailure.select().where(LookupFailure.tracking_number == tracking).count()


def _refusal(call) -> tuple[str, str]:
    with pytest.raises(StatusRefused) as caught:
        call()
    return caught.value.problem.field, caught.value.problem.code


def test_the_right_code_shows_the_status_and_the_officers_question(world, kiosk, database, client):
    tracking = _with_code(kiosk, 1)
    status = check(database, CONFIG, tracking, CODE.lower().replace("-", " "), client=client, now=START)
    assert (str(status.tracking_number), status.status, status.can_answer) == (tracking, "submitted", False)
    decide(world.db_url, tracking, "request-info", question=QUESTION)
    status = check(database, CONFIG, tracking, CODE, client=client, now=START)
    assert (status.status, status.question, status.can_answer) == ("needs_info", QUESTION, True)
    assert QUESTION in explain(status, "en")
    assert report_language(database, tracking) == "en"
    approved = _with_code(kiosk, 2)
    decide(world.db_url, approved, "approve", nibrs="23F")
    status = check(database, CONFIG, approved, CODE, client=client, now=START)
    assert status.status == "approved" and status.official_number and not status.official_number_pending
    assert status.official_number in explain(status, "es")
    assert _failures(database, tracking) == 0


def test_malformed_input_is_refused_on_its_field_and_not_counted(kiosk, database, client):
    tracking = _with_code(kiosk, 1)
    cases = [("", CODE, ("tracking_number", "lookup.tracking_required")),
             ("T26-01-00001-0", CODE, ("tracking_number", "tracking.check_digit")),
             ("nonsense", CODE, ("tracking_number", None)),
             ("x" * 100_000, CODE, ("tracking_number", None)),
             (tracking, "", ("access_code", "lookup.code_required")),
             (tracking, "K7QM-2XH", ("access_code", "lookup.code_format")),
             (tracking, "K7QM-2XH\x00", ("access_code", "lookup.code_format")),
             (tracking, "1" * 100_000, ("access_code", "lookup.code_format"))]
    for number, code, (field, expected) in cases:
        got = _refusal(lambda n=number, c=code: check(database, CONFIG, n, c, client=client, now=START))
        assert got[0] == field and (expected is None or got[1] == expected), (number[:20], code[:20], got)
        assert render(Problem(*got), "es")  # a message in the visitor's language
    assert _failures(database, tracking) == 0


def test_an_unknown_number_a_wrong_code_and_a_missing_verifier_are_the_same_refusal(kiosk, database, client):
    known = _with_code(kiosk, 1)
    without = kiosk.stored(2)  # pushed, but its verifier not yet
    unknown = kiosk.tracking(3)
    for number, code in ((known, "ABCD-EFGH"), (unknown, CODE), (without, CODE)):
        assert _refusal(lambda n=number, c=code: check(database, CONFIG, n, c, client=client, now=START)) == (
            "access_code", "lookup.mismatch")
        assert _failures(database, number) == 1
    assert report_language(database, unknown) is None


def test_five_wrong_codes_lock_the_number_for_an_hour_and_tries_meanwhile_are_not_stored(kiosk, database, client):
    tracking = _with_code(kiosk, 1)
    moments = [START + timedelta(minutes=10 * i) for i in range(LOCK_AFTER_FAILURES)]
    for moment in moments[:-1]:
        assert _refusal(lambda m=moment: check(database, CONFIG, tracking, "ABCD-EFGH", client=client, now=m))[1] \
            == "lookup.mismatch"
    with pytest.raises(StatusLocked) as locked:
        check(database, CONFIG, tracking, "ABCD-EFGH", client=client, now=moments[-1])
    assert locked.value.minutes == 60 and locked.value.problem.code == "lookup.locked"
    # Locked for everybody, the right code too, and these tries are not stored.
    with pytest.raises(StatusLocked) as still:
        check(database, CONFIG, tracking, CODE, client="198.51.100.7",
              now=moments[-1] + timedelta(minutes=59, seconds=1))
    assert still.value.minutes == 1
    assert _failures(database, tracking) == LOCK_AFTER_FAILURES
    assert check(database, CONFIG, tracking, CODE, client=client, now=moments[-1] + timedelta(hours=1)).status


def test_one_client_is_paused_after_its_limit_of_wrong_codes_whatever_the_numbers(kiosk, database, client):
    mine = _with_code(kiosk, 1)
    for i in range(CLIENT_LOCK_AFTER - 1):
        number = kiosk.tracking(100 + i)  # unknown numbers, none of them locked on its own
        assert _refusal(lambda n=number, i=i: check(database, CONFIG, n, CODE, client=client,
                                                    now=START + timedelta(seconds=i)))[1] == "lookup.mismatch"
    with pytest.raises(StatusLocked) as locked:
        check(database, CONFIG, kiosk.tracking(200), CODE, client=client, now=START + timedelta(minutes=1))
    assert locked.value.problem.code == "lookup.locked_client" and locked.value.minutes == 60
    with pytest.raises(StatusLocked):  # its own report too, with the right code
        check(database, CONFIG, mine, CODE, client=client, now=START + timedelta(minutes=2))
    assert check(database, CONFIG, mine, CODE, client=client + "-other", now=START + timedelta(minutes=2)).status
    assert check(database, CONFIG, mine, CODE, client=client, now=START + timedelta(minutes=61)).status
    # The address is never stored; its key is an HMAC with the server's secret.
    key = client_key(server_secret(database), client)
    with database.db.connection_context():
        LookupFailure = database.models.LookupFailure
        keys = {row.client_key for row in LookupFailure.select().where(LookupFailure.at >= START.isoformat())}
    assert key in keys and not any(client in k for k in keys) and len(key) == 64


def test_failures_from_many_workers_at_once_are_all_counted(kiosk, database, client):
    tracking = _with_code(kiosk, 1)
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def guess(i: int) -> None:
        barrier.wait()
        try:
            check(database, CONFIG, tracking, "ABCD-EFGH", client=f"{client}-{i}", now=START + timedelta(seconds=i))
        except StatusRefused as exc:
            outcomes.append(exc.problem.code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Exactly five were counted; the fifth locked; the three after it were refused without being stored.
    assert sorted(outcomes) == ["lookup.locked"] * 4 + ["lookup.mismatch"] * 4
    assert _failures(database, tracking) == LOCK_AFTER_FAILURES


def test_an_answer_is_a_supplemented_event_made_at_the_server_with_the_next_version(world, kiosk, database, client):
    tracking = _with_code(kiosk, 1)
    asked = decide(world.db_url, tracking, "request-info", question=QUESTION)
    text = "  It was red,\r\nwith a basket.  "
    status = answer(database, CONFIG, tracking, CODE, text, client=client, now=START)
    assert (status.status, status.can_answer) == ("in_review", False)
    event = server_events(world.db_url)[-1]
    assert event == {**event, "event_id": f"S-{event['cursor']}", "tracking_number": tracking, "origin": None,
                     "actor": WEB_ANSWER_ACTOR, "action": "supplemented", "status": "in_review",
                     "message": "It was red,\nwith a basket.", "version": asked["version"] + 1}
    # One answer per question.
    assert _refusal(lambda: answer(database, CONFIG, tracking, CODE, "Another answer here", client=client,
                                   now=START)) == ("answer", "lookup.cannot_answer")


def test_an_answer_that_does_not_fit_is_refused_with_its_reason_and_nothing_stored(world, kiosk, database, client):
    tracking = _with_code(kiosk, 1)
    decide(world.db_url, tracking, "request-info", question=QUESTION)
    limit = CONFIG.rules.narrative_max_chars
    cases = [("", "lookup.answer_required"), ("too short", "lookup.answer_too_short"),
             ("x" * (limit + 1), "lookup.answer_too_long"), ("x" * (limit * 100), "lookup.answer_too_long"),
             ("It was red\x00 and blue", "lookup.answer_control_characters"),
             ("It was red\x1b[31m and blue", "lookup.answer_control_characters")]
    before = len(server_events(world.db_url))
    for text, code in cases:
        field, got = _refusal(lambda t=text: answer(database, CONFIG, tracking, CODE, t, client=client, now=START))
        assert (field, got) == ("answer", code), text[:30]
    # A wrong code comes first: the text is not looked at.
    assert _refusal(lambda: answer(database, CONFIG, tracking, "ABCD-EFGH", "It was red\x00", client=client,
                                   now=START)) == ("access_code", "lookup.mismatch")
    assert len(server_events(world.db_url)) == before
    assert check(database, CONFIG, tracking, CODE, client=client, now=START).status == "needs_info"
    # Tabs and line breaks are text.
    assert answer(database, CONFIG, tracking, CODE, "Red\tand\nblue, with a basket", client=client,
                  now=START).status == "in_review"


def test_the_window_is_the_kiosks(kiosk, database, client):
    """Four wrong codes, then one more just after the hour: no lock (the first has left the window)."""
    tracking = _with_code(kiosk, 1)
    for minutes in (0, 1, 2, 3):
        _refusal(lambda m=minutes: check(database, CONFIG, tracking, "ABCD-EFGH", client=client,
                                         now=START + timedelta(minutes=m)))
    later = START + FAILURE_WINDOW + timedelta(minutes=1)
    assert _refusal(lambda: check(database, CONFIG, tracking, "ABCD-EFGH", client=client, now=later))[1] == \
        "lookup.mismatch"


def test_failures_older_than_both_windows_are_deleted_by_the_next_wrong_code(kiosk, database, client):
    tracking = _with_code(kiosk, 1)
    old = START - timedelta(days=400)  # older than any other test's failures, so none of theirs is deleted
    with database.db.connection_context():
        database.models.LookupFailure.create(tracking_number=tracking, client_key="k" * 64, at=utc_text(old))
    assert _failures(database, tracking) == 1
    _refusal(lambda: check(database, CONFIG, tracking, "ABCD-EFGH", client=client, now=START))
    with database.db.connection_context():
        LookupFailure = database.models.LookupFailure
        ats = [row.at for row in LookupFailure.select().where(LookupFailure.tracking_number == tracking)]
    assert [datetime.fromisoformat(at) for at in ats] == [START]


@pytest.mark.postgres_only  # SQLite has one writer at a time: a look-up that counts a failure waits for it there
def test_a_look_up_does_not_wait_for_the_servers_writers_lock_on_postgres(world, kiosk, database, client):
    """A kiosk's push holds the writers' lock (server.db.write_transaction): a citizen's look-up, right or wrong,
    goes ahead meanwhile; an answer (it writes an event) waits for it."""
    assert world.kind == "postgres"
    tracking = _with_code(kiosk, 1)
    decide(world.db_url, tracking, "request-info", question=QUESTION)
    with writers_lock_held(database):
        started = time.monotonic()
        assert check(database, CONFIG, tracking, CODE, client=client, now=START).status == "needs_info"
        _refusal(lambda: check(database, CONFIG, tracking, "ABCD-EFGH", client=client, now=START))
        assert time.monotonic() - started < 5
        answered: list[str] = []
        answering = threading.Thread(target=lambda: answered.append(answer(
            database, CONFIG, tracking, CODE, "It was a red bicycle.", client=client, now=START).status))
        answering.start()
        answering.join(1)
        assert answering.is_alive() and not answered  # waits for the writers' lock
    answering.join(30)
    assert answered == ["in_review"]
