"""Official numbers pending, end to end (docs/sync.md "Official numbers"): an officer approves while the department's
server is away; the citizen's look-up and the officer's detail say the number is pending and no e-mail leaves; the
server comes back, a sync run gets the department's number, and the citizen's e-mail goes out with it. Then a
decision made at the server reaches the kiosk the same way. A real reference server (a subprocess on 127.0.0.1), a
real SMTP server (aiosmtpd), real SQLite files."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import tomlkit
from helpers import load_sample
from notices_support import running_smtp_server
from server_support import ServerProcess, add_kiosk, decide, fresh_database_url, server_events
from sync_support import open_sync_kiosk, sync_keyring, write_sync_home

from kiosk.config import CONFIG_FILE_NAME
from kiosk.lookup import explain
from kiosk.notices import NoticeSender

PASSWORD = "correct horse battery staple"


@pytest.fixture
def smtp_server():
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def server(tmp_path):
    url = fresh_database_url("sqlite", tmp_path)
    token = add_kiosk(url, "Lobby North", 1)
    process = ServerProcess(url)
    yield process, url, token
    process.stop()


@contextmanager
def mailing_kiosk(home, server_url, token, smtp_port):
    """A kiosk syncing to ``server_url`` (its token in an in-memory keyring) that e-mails through ``smtp_port``."""
    write_sync_home(home, server_url)
    path = home / CONFIG_FILE_NAME
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    document["notices"]["smtp_host"] = "127.0.0.1"
    document["notices"]["smtp_port"] = smtp_port
    document["notices"]["security"] = "none"
    path.write_text(tomlkit.dumps(document), encoding="utf-8")
    with sync_keyring(server_url, token):
        kiosk = open_sync_kiosk(home)
        try:
            yield kiosk
        finally:
            kiosk.close()


def officer(kiosk):
    from argon2 import PasswordHasher

    from kiosk.officers import OfficerService

    officers = OfficerService(kiosk.store, kiosk.clock, kiosk.audit,
                              hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    officers.add("jdoe", "Jane Doe", "B-101", PASSWORD, by="cli:test")
    return officers.login("jdoe", PASSWORD)


def deliver(kiosk):
    return NoticeSender(kiosk.outbox, kiosk.config, kiosk.clock, lambda: None, audit=kiosk.audit).deliver_due()


def test_an_offline_approval_gets_the_departments_number_and_its_email_at_the_next_sync(tmp_path, server,
                                                                                         smtp_server):
    process, db_url, token = server
    home = tmp_path / "kiosk"
    with mailing_kiosk(home, process.url, token, smtp_server.port) as kiosk:
        receipt = kiosk.reports.submit(load_sample("larceny-bicycle"))
        tracking = receipt.tracking_number
        process.start()
        assert kiosk.sync.run_once(force=True).error is None  # the report reaches the server
        process.stop()  # ... which then goes away

        session = officer(kiosk)
        detail = kiosk.review.open_report(tracking, session)
        decided = kiosk.review.approve(tracking, session, nibrs_code="23F", expected_version=detail.version)
        assert decided.official_number is None

        # Pending, in the look-up and in the officer's detail; the approved e-mail waits for the number.
        status = kiosk.lookup.check(tracking, receipt.access_code)
        assert (status.status, status.official_number, status.official_number_pending) == ("approved", None, True)
        assert "official report number is pending" in explain(status, "en")
        assert "pendiente" in explain(status, "es")
        again = kiosk.review.open_report(tracking, session)
        assert (again.report["status"], again.report["official_number"]) == ("approved", None)
        assert [n.kind for n in again.notices] == ["submitted"]
        deliver(kiosk)
        assert [m["Subject"] for m in smtp_server.messages] == [f"We received your report {tracking}"]

        failed = kiosk.sync.run_once(force=True)
        assert failed.error is not None  # the server is away: still pending
        assert kiosk.lookup.check(tracking, receipt.access_code).official_number_pending is True

        process.start()
        run = kiosk.sync.run_once(force=True)
        assert run.error is None and run.events_pushed >= 2

        status = kiosk.lookup.check(tracking, receipt.access_code)
        number = status.official_number
        assert number and number.startswith("HPD-") and status.official_number_pending is False
        assert number in explain(status, "en")
        assert kiosk.reports.get(tracking)["official_number"] == number
        [approval] = [e for e in server_events(db_url) if e["action"] == "approved"]
        assert approval["official_number"] == number  # the department's one sequence gave it
        assert ("sync", "official_number_received", tracking) in [
            (e.actor, e.action, e.subject) for e in kiosk.audit.entries(limit=100)]

        assert deliver(kiosk).sent == 1
        mail = smtp_server.messages[-1]
        assert mail["To"] == "dana.whitfield@example.org"
        assert number in mail.get_body(("plain",)).get_content()

        # Nothing more on the next run: the number and its e-mail come once.
        assert kiosk.sync.run_once(force=True).error is None
        assert [n.kind for n in kiosk.outbox.for_report(tracking)] == ["submitted", "approved"]


def test_a_decision_made_at_the_server_reaches_the_citizen(tmp_path, server, smtp_server):
    process, db_url, token = server
    home = tmp_path / "kiosk"
    process.start()
    with mailing_kiosk(home, process.url, token, smtp_server.port) as kiosk:
        receipt = kiosk.reports.submit(load_sample("larceny-bicycle"))
        tracking = receipt.tracking_number
        assert kiosk.sync.run_once(force=True).error is None
        decide(db_url, tracking, "request-info", officer="sgt", question="Which shop sold you the bicycle?")

        run = kiosk.sync.run_once(force=True)
        assert (run.error, run.decisions_pulled) == (None, 1)
        status = kiosk.lookup.check(tracking, receipt.access_code)
        assert (status.status, status.question) == ("needs_info", "Which shop sold you the bicycle?")
        history = kiosk.reports.get(tracking)["history"]
        assert history[-1]["actor"].startswith("server:")
        deliver(kiosk)
        assert "Which shop sold you the bicycle?" in smtp_server.messages[-1].get_body(("plain",)).get_content()

        # The citizen answers at the kiosk; the answer goes to the server, which approves there.
        kiosk.lookup.answer(tracking, receipt.access_code, "Bloom Cycles on Park Street, last spring.")
        assert kiosk.sync.run_once(force=True).error is None
        approved = decide(db_url, tracking, "approve", officer="sgt", nibrs="23F")
        assert kiosk.sync.run_once(force=True).decisions_pulled == 1
        status = kiosk.lookup.check(tracking, receipt.access_code)
        assert (status.status, status.official_number) == ("approved", approved["official_number"])
        assert kiosk.sync.run_once(force=True).decisions_pulled == 0  # applied once

