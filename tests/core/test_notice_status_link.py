"""With ``[sync] status_page_url`` set, every e-mail notice carries the status page's link with the tracking number
filled in (never the access code): as a link in the HTML, as the address in the text, in the report's language.
Delivered to a real SMTP server (aiosmtpd on 127.0.0.1). Without the setting the notices are as before."""

from __future__ import annotations

import pytest
from helpers import edited, load_sample
from notices_support import running_smtp_server

from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.notices import NoticeSender
from kiosk.notices.templates import render_notice
from kiosk.notices.texts import KIOSK_HINT
from kiosk.translation import translation

PAGE = "https://police.example.gov/status"
KINDS = ["submitted", "needs_info", "approved", "rejected"]
DECISIONS = [
    ("needs_info", {"question": "What colour was the mirror?"}),
    ("approved", {"official_number": "HPD-2026-000042"}),
    ("rejected", {"reason_code": "duplicate", "duplicate_of": "T26-01-00007-3"}),
]


@pytest.fixture
def smtp_server():
    with running_smtp_server() as server:
        yield server


def desk(store, clock, port, **sync):
    config = config_from_mapping({"notices": {"smtp_host": "127.0.0.1", "smtp_port": port, "security": "none",
                                              "timeout_seconds": 5}, "sync": sync})
    kiosk = Kiosk(store.path.parent, config, clock=clock, store=store, receipt_printer=None)
    return kiosk, NoticeSender(kiosk.outbox, config, clock, lambda: None, audit=kiosk.audit, random=lambda: 0.5)


def send_every_kind(kiosk, sender, report):
    receipt = kiosk.reports.submit(report)
    Report = kiosk.store.models.Report
    report_id = Report.get(Report.tracking_number == receipt.tracking_number).id
    for kind, values in DECISIONS:
        with kiosk.store.db.atomic():
            kiosk.outbox.add(report_id, kind, kiosk.reports.get(receipt.tracking_number), **values)
    assert sender.deliver_due().sent == 4
    return receipt


def bodies(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


@pytest.mark.parametrize(("sample", "language"), [("larceny-bicycle", "en"), ("vandalism-car-es", "es")])
def test_every_notice_links_to_the_status_page_with_the_tracking_number(store, clock, smtp_server, sample,
                                                                        language):
    kiosk, sender = desk(store, clock, smtp_server.port, status_page_url=PAGE)
    report = load_sample(sample)
    if language != "en":
        report = edited(report, "reporter.email", "maria.nunez@example.net")
    receipt = send_every_kind(kiosk, sender, report)
    link = f"{PAGE}?t={receipt.tracking_number}"
    messages = dict(zip(KINDS, smtp_server.messages, strict=True))
    for kind, message in messages.items():
        text, html = bodies(message)
        assert link in text, kind
        assert f'<a href="{link}"' in html, kind
        for body in (text, html):
            assert receipt.access_code not in body and receipt.access_code.replace("-", "") not in body
    said = translation(language)
    needs_info = " ".join(bodies(messages["needs_info"])[0].split())
    answer_online = said.gettext("On your phone or computer: open {status_link}, type the access code from your "
                                 "receipt, and write your answer there.").format(status_link=link)
    assert answer_online in needs_info
    submitted = " ".join(bodies(messages["submitted"])[0].split())
    assert " ".join(said.gettext(KIOSK_HINT).split()) not in submitted  # the kiosk-only hint gives way to the link


def test_without_a_status_page_no_notice_has_a_link(store, clock, smtp_server):
    kiosk, sender = desk(store, clock, smtp_server.port)
    send_every_kind(kiosk, sender, load_sample("larceny-bicycle"))
    for message in smtp_server.messages:
        text, html = bodies(message)
        assert "?t=" not in text and "<a href" not in html
    assert KIOSK_HINT in " ".join(bodies(smtp_server.messages[0])[0].split())


@pytest.mark.parametrize("language", ["en", "es", "pt_BR", "zh_CN"])
def test_each_language_fills_the_link(language):
    department = config_from_mapping({}).department
    for kind, values in [("submitted", {}), *DECISIONS]:
        rendered = render_notice(kind, language, "T26-01-00042-1", department, values, PAGE)
        assert f"{PAGE}?t=T26-01-00042-1" in rendered.text and "{status_link}" not in rendered.text
