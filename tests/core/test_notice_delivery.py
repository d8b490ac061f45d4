"""Delivering notices to a real SMTP server (aiosmtpd on 127.0.0.1): the right words in the right language, nothing
private, retries with back-off while the server is down, each notice exactly once when it returns, a permanent
refusal ends in "failed", and STARTTLS with a login whose password comes from the keyring."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from collections import Counter
from datetime import timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from helpers import NOW, edited, load_sample
from notices_support import (
    Authenticator,
    MemoryKeyring,
    SmtpServer,
    client_tls_context,
    free_port,
    keyring_in_use,
    make_certificate,
    running_smtp_server,
    server_tls_context,
)

from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.notices import NoticeSender, smtp_password_from_keyring
from kiosk.notices.sender import retry_delay
from kiosk.notices.templates import reason_sentence
from kiosk.storage.database import open_store

TESTS = Path(__file__).resolve().parent.parent
MIDDLE = 0.5  # the injected random source's value: no jitter


@pytest.fixture
def smtp_server():
    with running_smtp_server() as server:
        yield server


@pytest.fixture
def memory_keyring():
    with keyring_in_use(MemoryKeyring()) as backend:
        yield backend


def mail_config(port: int, **notices):
    return config_from_mapping({"notices": {"smtp_host": "127.0.0.1", "smtp_port": port, "security": "none",
                                            "timeout_seconds": 5, **notices}})


class Desk:
    """A kiosk's core against one mail configuration: reports, outbox, sender and audit on one real database."""

    def __init__(self, store, config, clock, password=lambda: None, **sender_options) -> None:
        self.store, self.config, self.clock = store, config, clock
        kiosk = Kiosk(store.path.parent, config, clock=clock, store=store, receipt_printer=None)
        self.reports, self.outbox, self.audit = kiosk.reports, kiosk.outbox, kiosk.audit
        # The sender under test, with this test's password and options (the container's reads the keyring).
        sender_options.setdefault("random", lambda: MIDDLE)
        self.sender = NoticeSender(self.outbox, config, clock, password, audit=self.audit, **sender_options)

    def submit(self, report):
        return self.reports.submit(report)

    def add(self, tracking_number, kind, **values):
        Report = self.store.models.Report
        report_id = Report.get(Report.tracking_number == tracking_number).id
        with self.store.db.atomic():
            self.outbox.add(report_id, kind, self.reports.get(tracking_number), **values)

    def notices(self, tracking_number):
        return self.outbox.for_report(tracking_number)


def desk_for(store, clock, port, **notices):
    return Desk(store, mail_config(port, **notices), clock)


def flat(part):
    """A body part's words with any line breaks made single spaces (the text bodies are wrapped)."""
    return " ".join(part.get_content().split())


def parts(message):
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return text, html


def spanish_with_email():
    return edited(load_sample("vandalism-car-es"), "reporter.email", "maria.nunez@example.net")


DECISIONS = [
    ("needs_info", {"question": "¿De qué color era el espejo? / What colour was the mirror?"}),
    ("approved", {"official_number": "HPD-2026-000042"}),
    ("rejected", {"reason_code": "duplicate", "duplicate_of": "T26-01-00007-3",
                  "next_steps": "Use the tracking number T26-01-00007-3 for your insurance."}),
]


@pytest.mark.parametrize(("sample", "language"), [("larceny-bicycle", "en"), ("vandalism-car-es", "es")])
def test_every_kind_arrives_in_the_reports_language_with_its_content_and_nothing_private(
        store, clock, smtp_server, sample, language):
    desk = desk_for(store, clock, smtp_server.port)
    report = load_sample(sample) if language == "en" else spanish_with_email()
    receipt = desk.submit(report)
    for kind, values in DECISIONS:
        desk.add(receipt.tracking_number, kind, **values)

    run = desk.sender.deliver_due()

    assert (run.sent, run.failed, run.retried, run.waiting) == (4, 0, 0, 0)
    received = smtp_server.handler.received
    assert [item.rcpt_tos for item in received] == [[report["reporter"]["email"]]] * 4
    assert {item.mail_from for item in received} == {"no-reply@hartfordct.gov"}
    by_kind = dict(zip(["submitted", "needs_info", "approved", "rejected"], smtp_server.messages, strict=True))
    stored = {n.kind: n for n in desk.notices(receipt.tracking_number)}
    reporter = report["reporter"]
    private = [receipt.access_code, reporter["date_of_birth"], reporter["address"]["line1"], reporter["last_name"],
               reporter["first_name"], reporter["phone"]]
    for kind, message in by_kind.items():
        assert stored[kind].status == "sent" and stored[kind].sent_at == NOW and stored[kind].attempts == 1
        assert message["To"] == reporter["email"]
        assert message["From"] == "Hartford Police Department <no-reply@hartfordct.gov>"
        assert message["Content-Language"] == language
        assert parsedate_to_datetime(message["Date"]) == NOW
        assert re.fullmatch(rf"<p2c-notice-\d+\.{kind.replace('_', '-')}\.{receipt.tracking_number}\.kiosk01"
                            r"@hartfordct\.gov>", message["Message-ID"])
        assert receipt.tracking_number in message["Subject"]
        text, html = parts(message)
        assert text.get_content_charset() == "utf-8" and html.get_content_charset() == "utf-8"
        for body in (text.get_content(), html.get_content()):
            assert receipt.tracking_number in body
            for bit in private:
                assert bit not in body, (kind, bit)
        assert f'lang="{language}"' in html.get_content()
    words = {"en": ("We received your report", "needs more information", "official police report number",
                    "We could not accept your report"),
             "es": ("Recibimos su informe", "necesita más información", "número oficial de informe policial",
                    "No pudimos aceptar su informe")}[language]
    for (kind, message), phrase in zip(by_kind.items(), words, strict=True):
        assert phrase in flat(parts(message)[0]), kind
    assert DECISIONS[0][1]["question"] in flat(parts(by_kind["needs_info"])[0])
    assert "HPD-2026-000042" in by_kind["approved"]["Subject"]
    assert "HPD-2026-000042" in flat(parts(by_kind["approved"])[1])
    rejected_text = flat(parts(by_kind["rejected"])[0])
    assert reason_sentence("duplicate", language, "T26-01-00007-3") in rejected_text
    assert DECISIONS[2][1]["next_steps"] in rejected_text
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 4
    assert [(e.action, e.subject, e.details["kind"]) for e in reversed(desk.audit.entries())] == [
        ("notice_sent", receipt.tracking_number, kind) for kind in by_kind]


def test_a_report_without_email_sends_nothing(store, clock, smtp_server):
    desk = desk_for(store, clock, smtp_server.port)
    receipt = desk.submit(load_sample("vandalism-car-es"))
    desk.add(receipt.tracking_number, "approved", official_number="HPD-2026-000001")

    run = desk.sender.deliver_due()

    assert (run.sent, run.failed, run.waiting) == (0, 0, 0)
    assert smtp_server.messages == []
    assert [n.status for n in desk.notices(receipt.tracking_number)] == ["no_email", "no_email"]


def test_without_a_mail_server_configured_nothing_is_attempted(store, clock):
    desk = Desk(store, config_from_mapping({}), clock)
    receipt = desk.submit(load_sample("larceny-bicycle"))

    run = desk.sender.deliver_due()

    assert (run.configured, run.sent, run.retried, run.waiting) == (False, 0, 0, 1)
    assert "notices.smtp_host" in run.problem
    [notice] = desk.notices(receipt.tracking_number)
    assert (notice.status, notice.attempts, notice.last_error, notice.next_attempt_at) == ("pending", 0, None, NOW)


def test_while_the_server_is_down_notices_wait_then_each_goes_out_exactly_once(store, clock):
    port = free_port()  # nobody listens here yet
    desk = desk_for(store, clock, port)
    first = desk.submit(load_sample("larceny-bicycle"))
    second = desk.submit(load_sample("lost-wallet"))
    desk.add(first.tracking_number, "approved", official_number="HPD-2026-000001")

    run = desk.sender.deliver_due()
    assert (run.sent, run.retried, run.waiting) == (0, 3, 3)
    for notice in desk.notices(first.tracking_number) + desk.notices(second.tracking_number):
        assert (notice.status, notice.attempts) == ("pending", 1)
        assert notice.next_attempt_at == NOW + timedelta(seconds=30)
        assert "cannot connect to the mail server 127.0.0.1" in notice.last_error
        assert "@" not in notice.last_error

    # Not due yet: nothing is tried, nothing counted.
    clock.advance(seconds=29)
    assert desk.sender.deliver_due().retried == 0
    assert desk.notices(first.tracking_number)[0].attempts == 1

    clock.advance(seconds=2)
    assert desk.sender.deliver_due().retried == 3
    [again, _] = desk.notices(first.tracking_number)
    assert again.attempts == 2 and again.next_attempt_at == clock.now() + timedelta(seconds=60)

    server = SmtpServer(port).start()
    try:
        assert desk.sender.deliver_due().sent == 0  # still backing off
        clock.advance(seconds=61)
        run = desk.sender.deliver_due()
        assert (run.sent, run.retried, run.waiting) == (3, 0, 0)
        clock.advance(hours=5)
        assert desk.sender.deliver_due().sent == 0
        assert desk.sender.deliver_due().sent == 0
    finally:
        server.stop()

    copies = Counter(message["Message-ID"] for message in server.messages)
    assert len(copies) == 3 and set(copies.values()) == {1}
    statuses = [(n.status, n.attempts, n.last_error) for n in
                desk.notices(first.tracking_number) + desk.notices(second.tracking_number)]
    assert statuses == [("sent", 3, None)] * 3


def test_the_back_off_doubles_up_to_an_hour_with_jitter():
    assert [retry_delay(n, lambda: MIDDLE).total_seconds() for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]
    assert retry_delay(1, lambda: 0.0).total_seconds() == pytest.approx(24)
    assert retry_delay(1, lambda: 0.999999).total_seconds() == pytest.approx(36, abs=0.001)
    assert retry_delay(30, lambda: 0.0).total_seconds() == pytest.approx(2880)


def test_a_permanent_refusal_of_the_recipient_ends_in_failed(store, clock, smtp_server):
    smtp_server.handler.refuse["gone@example.org"] = "550 5.1.1 <gone@example.org>: Recipient address rejected"
    desk = desk_for(store, clock, smtp_server.port)
    gone = desk.submit(edited(load_sample("larceny-bicycle"), "reporter.email", "gone@example.org"))
    fine = desk.submit(load_sample("lost-wallet"))

    run = desk.sender.deliver_due()

    assert (run.sent, run.failed, run.waiting) == (1, 1, 0)
    [notice] = desk.notices(gone.tracking_number)
    assert (notice.status, notice.attempts, notice.next_attempt_at) == ("failed", 1, None)
    assert "SMTP 550" in notice.last_error and "gone@" not in notice.last_error and "@" not in notice.last_error
    assert desk.notices(fine.tracking_number)[0].status == "sent"
    clock.advance(days=1)
    assert desk.sender.deliver_due().sent == 0
    assert len(smtp_server.messages) == 1
    assert [(e.action, e.subject) for e in desk.audit.entries()] == [  # newest first
        ("notice_sent", fine.tracking_number), ("notice_failed", gone.tracking_number)]


def test_a_temporary_refusal_is_tried_again(store, clock, smtp_server):
    smtp_server.handler.refuse["busy@example.org"] = "451 4.3.0 mailbox busy, try later"
    desk = desk_for(store, clock, smtp_server.port)
    receipt = desk.submit(edited(load_sample("larceny-bicycle"), "reporter.email", "busy@example.org"))

    assert desk.sender.deliver_due().retried == 1
    [notice] = desk.notices(receipt.tracking_number)
    assert (notice.status, notice.attempts) == ("pending", 1) and "SMTP 451" in notice.last_error

    del smtp_server.handler.refuse["busy@example.org"]
    clock.advance(minutes=1)
    assert desk.sender.deliver_due().sent == 1
    assert desk.notices(receipt.tracking_number)[0].status == "sent"
    assert len(smtp_server.messages) == 1


def test_each_notice_is_marked_sent_before_the_next_one_is_sent(store, clock, smtp_server, tmp_path):
    """The status is committed per notice, right after the server accepted it: when the second message reaches the
    server, another connection to the database already sees the first one as sent."""
    desk = desk_for(store, clock, smtp_server.port)
    for name in ("larceny-bicycle", "lost-wallet", "identity-theft"):
        desk.submit(load_sample(name))
    seen = []
    original = smtp_server.handler.handle_DATA

    async def peek(server, session, envelope):
        other = open_store(tmp_path / "kiosk.sqlite3")
        try:
            seen.append(sorted(n.status for n in other.models.Notice.select()))
        finally:
            other.close()
        return await original(server, session, envelope)

    smtp_server.handler.handle_DATA = peek
    assert desk.sender.deliver_due().sent == 3
    assert seen == [["pending", "pending", "pending"], ["pending", "pending", "sent"], ["pending", "sent", "sent"]]


CRASHING_SENDER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from helpers import NOW
    from kiosk.clock import ManualClock
    from kiosk.config import config_from_mapping
    from kiosk.notices import NoticeOutbox, NoticeSender
    from kiosk.storage.database import open_store

    config = config_from_mapping({{"notices": {{"smtp_host": "127.0.0.1", "smtp_port": {port}, "security": "none"}}}})
    clock = ManualClock(NOW)
    store = open_store({database!r})
    outbox = NoticeOutbox(store, config, clock)
    NoticeSender(outbox, config, clock, lambda: None).deliver_due()
""")


def test_a_crash_mid_run_sends_again_only_the_notice_in_flight(store, clock, smtp_server, tmp_path):
    """A sender killed while the server takes the second message: the first stays sent, the second is sent again
    (once, with the same Message-ID) after its claim runs out, the third once."""
    desk = desk_for(store, clock, smtp_server.port)
    receipts = [desk.submit(load_sample(name)) for name in ("larceny-bicycle", "lost-wallet", "identity-theft")]
    original = smtp_server.handler.handle_DATA
    process: list[subprocess.Popen] = []

    async def crash_on_second(server, session, envelope):
        answer = await original(server, session, envelope)
        if len(smtp_server.handler.received) == 2 and process:
            process[0].kill()  # the server has the message; the sender never hears "250"
            process[0].wait()
        return answer

    smtp_server.handler.handle_DATA = crash_on_second
    script = CRASHING_SENDER.format(tests=str(TESTS), port=smtp_server.port, database=str(tmp_path / "kiosk.sqlite3"))
    process.append(subprocess.Popen([sys.executable, "-c", script]))
    assert process[0].wait(timeout=60) != 0  # killed

    statuses = [desk.notices(r.tracking_number)[0].status for r in receipts]
    assert statuses == ["sent", "pending", "pending"]
    smtp_server.handler.handle_DATA = original
    run = desk.sender.deliver_due()  # the third is due; the second is still claimed by the dead sender
    assert (run.sent, run.waiting) == (1, 1)
    clock.advance(minutes=5)  # past the claim
    assert desk.sender.deliver_due().sent == 1
    assert [desk.notices(r.tracking_number)[0].status for r in receipts] == ["sent"] * 3

    copies = Counter(message["Message-ID"] for message in smtp_server.messages)
    assert sorted(copies.values()) == [1, 1, 2]
    twice = next(mid for mid, count in copies.items() if count == 2)
    assert receipts[1].tracking_number in twice


# -- TLS and login ------------------------------------------------------------------------------------------------

@pytest.fixture
def tls_files(tmp_path):
    return make_certificate(tmp_path)


@pytest.fixture
def secure_server(tls_files):
    cert, key = tls_files
    authenticator = Authenticator("kiosk01", "s3cret-pass")
    server = SmtpServer(tls_context=server_tls_context(cert, key), require_starttls=True,
                        authenticator=authenticator, auth_require_tls=True).start()
    server.authenticator = authenticator
    yield server
    server.stop()


def secure_desk(store, clock, port, cert):
    config = mail_config(port, security="starttls", smtp_username="kiosk01")
    return Desk(store, config, clock, password=smtp_password_from_keyring(config),
                ssl_context=client_tls_context(cert))


def test_starttls_and_login_with_the_password_from_the_keyring(store, clock, secure_server, tls_files,
                                                                memory_keyring):
    memory_keyring.set_password("p2c-kiosk", "smtp:kiosk01@127.0.0.1", "s3cret-pass")
    desk = secure_desk(store, clock, secure_server.port, tls_files[0])
    receipt = desk.submit(load_sample("larceny-bicycle"))

    assert desk.sender.deliver_due().sent == 1
    assert secure_server.authenticator.logins == ["kiosk01"]
    assert receipt.tracking_number in secure_server.messages[0]["Subject"]


def test_a_wrong_password_keeps_notices_waiting_with_a_clear_error(store, clock, secure_server, tls_files,
                                                                   memory_keyring):
    memory_keyring.set_password("p2c-kiosk", "smtp:kiosk01@127.0.0.1", "wrong")
    desk = secure_desk(store, clock, secure_server.port, tls_files[0])
    receipt = desk.submit(load_sample("larceny-bicycle"))

    assert desk.sender.deliver_due().retried == 1
    [notice] = desk.notices(receipt.tracking_number)
    assert notice.status == "pending" and "refused the login (SMTP 535)" in notice.last_error
    assert "wrong" not in notice.last_error
    assert secure_server.messages == []


def test_no_password_in_the_keyring_says_how_to_store_one(store, clock, secure_server, tls_files, memory_keyring):
    desk = secure_desk(store, clock, secure_server.port, tls_files[0])
    receipt = desk.submit(load_sample("larceny-bicycle"))

    assert desk.sender.deliver_due().retried == 1
    [notice] = desk.notices(receipt.tracking_number)
    assert "p2c-kiosk configure --smtp-password-stdin" in notice.last_error


def test_an_untrusted_certificate_is_not_accepted(store, clock, secure_server, memory_keyring):
    memory_keyring.set_password("p2c-kiosk", "smtp:kiosk01@127.0.0.1", "s3cret-pass")
    config = mail_config(secure_server.port, security="starttls", smtp_username="kiosk01")
    desk = Desk(store, config, clock, password=smtp_password_from_keyring(config))  # the system's trust store
    receipt = desk.submit(load_sample("larceny-bicycle"))

    assert desk.sender.deliver_due().retried == 1
    assert "TLS with the mail server" in desk.notices(receipt.tracking_number)[0].last_error
    assert secure_server.authenticator.logins == [] and secure_server.messages == []


def test_implicit_tls(store, clock, tls_files):
    cert, key = tls_files
    server = SmtpServer(ssl_context=server_tls_context(cert, key)).start()
    try:
        config = mail_config(server.port, security="tls")
        desk = Desk(store, config, clock, ssl_context=client_tls_context(cert))
        desk.submit(load_sample("larceny-bicycle"))
        assert desk.sender.deliver_due().sent == 1
        assert len(server.messages) == 1
    finally:
        server.stop()
