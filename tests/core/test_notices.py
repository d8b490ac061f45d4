"""The e-mail outbox without a mail server: what each notice says (in the report's language, without private data),
where its layout is found, and that a notice is written in the very transaction of the action it tells about."""

from __future__ import annotations

import html
import shutil
import sys

import pytest
from helpers import NOW, edited, load_sample

from kiosk.home import open_kiosk
from kiosk.notices.templates import KINDS, REASON_CODES, reason_sentence, render_notice
from kiosk.resources import resources_root
from kiosk.storage import StoreError
from kiosk.tracking import TrackingNumber

# What each kind needs, and a word of the rendered notice per language that shows it is that kind.
VALUES = {
    "submitted": {},
    "needs_info": {"question": "What colour was the bicycle's seat?"},
    "approved": {"official_number": "HPD-2026-000042"},
    "rejected": {"reason_code": "outside_city", "next_steps": "Call the West Hartford police at (860) 523-5203."},
}
SUBJECT_WORDS = {
    ("submitted", "en"): "We received your report", ("submitted", "es"): "Recibimos su informe",
    ("needs_info", "en"): "More information needed", ("needs_info", "es"): "Se necesita más información",
    ("approved", "en"): "approved", ("approved", "es"): "aprobado",
    ("rejected", "en"): "could not be accepted", ("rejected", "es"): "No pudimos aceptar",
}


@pytest.fixture
def outbox(container):
    return container.outbox


@pytest.fixture
def hooked(container):
    """The report service, with the outbox's submit hook as the container wires it."""
    return container.reports


def private_bits(report: dict, access_code: str) -> list[str]:
    reporter = report["reporter"]
    address = reporter["address"]
    return [access_code, reporter["date_of_birth"], address["line1"], reporter["first_name"], reporter["last_name"],
            reporter["phone"], report["incident"]["location"]["line1"], report["incident"]["narrative"][:30]]


def flat(text: str) -> str:
    """``text`` with its line breaks made single spaces (the plain-text bodies are wrapped)."""
    return " ".join(text.split())


def spanish_with_email() -> dict:
    return edited(load_sample("vandalism-car-es"), "reporter.email", "maria.nunez@example.net")


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_says_its_part_in_the_reports_language_and_nothing_private(hooked, outbox, store, kind, language):
    report = load_sample("larceny-bicycle") if language == "en" else spanish_with_email()
    receipt = hooked.submit(report)
    row_id = store.models.Report.get(store.models.Report.tracking_number == receipt.tracking_number).id
    with store.db.atomic():
        outbox.add(row_id, kind, hooked.get(receipt.tracking_number), **VALUES[kind])

    Notice = store.models.Notice
    notice = Notice.select().where(Notice.kind == kind).order_by(Notice.id.desc()).get()
    assert notice.language == language
    assert SUBJECT_WORDS[(kind, language)] in notice.subject
    assert receipt.tracking_number in notice.subject
    for body, as_written in ((notice.body_text, str), (notice.body_html, html.escape)):
        assert receipt.tracking_number in body
        assert "$" not in body and "{" not in body and "}" not in body  # every placeholder was filled
        for value in VALUES[kind].values():
            if value != "outside_city":
                assert as_written(value) in body
        for bit in private_bits(report, receipt.access_code):
            assert bit not in body
    assert "Hartford Police Department" in notice.body_text and "(860) 757-4000" in notice.body_text
    assert f'<html lang="{language}" dir="ltr">' in notice.body_html
    if kind == "rejected":
        assert reason_sentence("outside_city", language) in flat(notice.body_text)
    if kind == "submitted":
        hint = "Check a report" if language == "en" else "Consultar un informe"
        assert hint in flat(notice.body_text)


def test_the_html_body_escapes_what_an_officer_typed_and_keeps_line_breaks(config):
    question = 'Was the lock a "Kryptonite" <U-lock> & cable?\nWhere was the rack?'
    rendered = render_notice("needs_info", "en", "T26-01-00001-8", config.department, {"question": question})
    assert question in rendered.text
    assert "&quot;Kryptonite&quot; &lt;U-lock&gt; &amp; cable?<br>\nWhere was the rack?" in rendered.html
    assert "<U-lock>" not in rendered.html


def test_the_html_is_one_column_with_inline_styles_and_nothing_fetched(config):
    rendered = render_notice("approved", "es", "T26-01-00001-8", config.department,
                             {"official_number": "HPD-2026-000001"})
    page = rendered.html.lower()
    for outside in ("<link", "<img", "<script", "<style", "http://", "https://", "src="):
        assert outside not in page
    assert 'name="viewport"' in page and "max-width:600px" in page and "font-size:18px" in page


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_rejection_reason_has_its_own_plain_sentence(language):
    sentences = {code: reason_sentence(code, language) for code in REASON_CODES}
    assert len(set(sentences.values())) == len(REASON_CODES)
    assert all(sentence.endswith(".") and "_" not in sentence for sentence in sentences.values())
    assert "T26-01-00007-3" in reason_sentence("duplicate", language, duplicate_of="T26-01-00007-3")


def test_a_rejection_without_next_steps_tells_the_citizen_to_call_the_desk(config):
    for language, words in (("en", "Call the front desk at (860) 757-4000"), ("es", "Llame a la recepción")):
        rendered = render_notice("rejected", language, "T26-01-00001-8", config.department,
                                 {"reason_code": "not_eligible"})
        assert words in flat(rendered.text)


@pytest.mark.parametrize(("kind", "values", "words"), [
    ("approved", {}, "official_number"),
    ("needs_info", {"question": "  "}, "question"),
    ("rejected", {"next_steps": "x"}, "reason_code"),
    ("rejected", {"reason_code": "too_late"}, "unknown rejection reason"),
    ("submitted", {"access_code": "123456"}, "unknown notice value"),
    ("thanks", {}, "unknown notice kind"),
])
def test_a_notice_without_what_its_kind_needs_is_refused(config, kind, values, words):
    with pytest.raises(ValueError, match=words):
        render_notice(kind, "en", "T26-01-00001-8", config.department, values)


def test_the_layout_is_read_from_the_bundle_when_frozen(tmp_path, monkeypatch, config):
    bundle_resources = tmp_path / "bundle" / "resources"
    shutil.copytree(resources_root() / "notices", bundle_resources / "notices")
    layout = bundle_resources / "notices" / "layout.html"
    layout.write_text("<!-- from the bundle -->\n" + layout.read_text(encoding="utf-8"), encoding="utf-8")
    assert "from the bundle" not in render_notice("submitted", "en", "T26-01-00001-8", config.department, {}).html
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "bundle"), raising=False)
    rendered = render_notice("submitted", "en", "T26-01-00001-8", config.department, {})
    assert rendered.html.startswith("<!-- from the bundle -->")
    assert "We received your report" in rendered.html  # the words still come from the catalogue


# -- the outbox ---------------------------------------------------------------------------------------------------

def test_submitting_writes_one_pending_submitted_notice_due_at_once(hooked, outbox, store):
    receipt = hooked.submit(load_sample("larceny-bicycle"))
    notices = outbox.for_report(receipt.tracking_number)
    assert [(n.kind, n.status, n.recipient, n.attempts) for n in notices] == [
        ("submitted", "pending", "dana.whitfield@example.org", 0)]
    assert notices[0].created_at == NOW and notices[0].next_attempt_at == NOW and notices[0].sent_at is None
    assert store.models.Notice.select().count() == 1
    assert outbox.counts() == {"pending": 1, "sent": 0, "no_email": 0, "failed": 0}


def test_a_report_without_email_gets_a_no_email_notice_for_the_officer_to_call(hooked, outbox):
    receipt = hooked.submit(load_sample("vandalism-car-es"))
    [notice] = outbox.for_report(receipt.tracking_number)
    assert (notice.kind, notice.status, notice.recipient, notice.next_attempt_at) == (
        "submitted", "no_email", None, None)
    assert outbox.counts()["no_email"] == 1


def test_a_failing_hook_after_the_outbox_rolls_the_report_and_its_notice_back(hooked, store):
    def broken(report_id, report):
        raise RuntimeError("the next hook failed")

    hooked.add_submit_hook(broken)
    with pytest.raises(RuntimeError):
        hooked.submit(load_sample("larceny-bicycle"))
    assert store.models.Report.select().count() == 0
    assert store.models.Notice.select().count() == 0


def test_a_notice_that_cannot_be_written_rolls_the_report_back(container, store):
    """An approval notice without its official number is refused: the action it belongs to is not stored."""
    service, outbox = container.reports, container.outbox
    service.add_submit_hook(lambda report_id, report: outbox.add(report_id, "approved", report))
    with pytest.raises((ValueError, StoreError)):
        service.submit(load_sample("larceny-bicycle"))
    assert store.models.Report.select().count() == 0
    assert store.models.Notice.select().count() == 0


def test_add_joins_the_callers_transaction(hooked, outbox, store):
    receipt = hooked.submit(load_sample("larceny-bicycle"))
    report = hooked.get(receipt.tracking_number)
    report_id = store.models.Report.get().id
    with pytest.raises(RuntimeError), store.db.atomic():
        outbox.add(report_id, "approved", report, official_number="HPD-2026-000001")
        raise RuntimeError("the approval failed after the notice was written")
    assert [n.kind for n in outbox.for_report(receipt.tracking_number)] == ["submitted"]


def test_listing_and_counting_the_outbox(hooked, outbox, store, clock):
    first = hooked.submit(load_sample("larceny-bicycle"))
    clock.advance(minutes=1)
    second = hooked.submit(load_sample("vandalism-car-es"))
    report_id = store.models.Report.get(store.models.Report.tracking_number == first.tracking_number).id
    with store.db.atomic():
        outbox.add(report_id, "needs_info", hooked.get(first.tracking_number), question="Which rack?")

    assert [(n.tracking_number, n.kind) for n in outbox.for_report(first.tracking_number)] == [
        (first.tracking_number, "submitted"), (first.tracking_number, "needs_info")]
    assert [(n.tracking_number, n.kind) for n in outbox.list_notices()] == [
        (first.tracking_number, "needs_info"), (second.tracking_number, "submitted"),
        (first.tracking_number, "submitted")]
    assert [n.tracking_number for n in outbox.list_notices(status="no_email")] == [second.tracking_number]
    assert outbox.counts() == {"pending": 2, "sent": 0, "no_email": 1, "failed": 0}
    assert outbox.for_report(TrackingNumber(26, 1, 99999)) == []
    with pytest.raises(ValueError, match="unknown notice status"):
        outbox.list_notices(status="queued")


def test_the_kiosk_bundle_registers_the_submit_hook(tmp_path, clock):
    kiosk = open_kiosk(tmp_path, clock)
    try:
        receipt = kiosk.reports.submit(load_sample("lost-wallet"))
        assert [n.kind for n in kiosk.outbox.for_report(receipt.tracking_number)] == ["submitted"]
    finally:
        kiosk.close()
