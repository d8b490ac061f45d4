"""E-mail notices in every installed language (issue 20): each kind, for a report in each language with a catalogue,
goes through a real SMTP server (aiosmtpd on 127.0.0.1) with its words from that language's catalogue, every
placeholder filled and the language named as BCP 47. A language without a catalogue is never silently English in
render_notice; the outbox's choice for such a report is English, and it says so in the log."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import edited, load_sample
from notices_support import running_smtp_server
from translations import extract  # scripts/, on the path through tests/conftest.py

from kiosk.config import config_from_mapping
from kiosk.home import Kiosk
from kiosk.notices import NoticeSender
from kiosk.notices.templates import KINDS, language_tag, notice_language, render_notice
from kiosk.notices.texts import NOTICES, PLACEHOLDERS, Items, Sentence, Value, message_ids
from kiosk.translation import PSEUDO_RTL_LANGUAGE, Catalogues, catalogues, translation, use_catalogues
from kiosk.vocabulary import NoticeKind

VALUES = {
    NoticeKind.SUBMITTED: {},
    NoticeKind.NEEDS_INFO: {"question": "Which rack was it locked to?\nWas the lock cut or opened?"},
    NoticeKind.APPROVED: {"official_number": "HPD-2026-000042"},
    NoticeKind.REJECTED: {"reason_code": "duplicate", "duplicate_of": "T26-01-00007-3"},
}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@pytest.fixture
def installed(translations_dir: Path) -> Iterator[tuple[str, ...]]:
    before = catalogues()
    use_catalogues(Catalogues(translations_dir))
    yield catalogues().installed()
    use_catalogues(before)


def flat(text: str) -> str:
    return " ".join(text.split())


def words_of(message: str, language: str) -> list[str]:
    """The translated message's words between its placeholders (what the notice must hold around the values)."""
    return [part.strip() for part in PLACEHOLDER.split(translation(language).gettext(message)) if part.strip()]


def sentences_of(kind: NoticeKind) -> list[str]:
    """The sentences of a notice written without a status page ([sync] status_page_url unset)."""
    notice = NOTICES[kind]
    found = [notice.heading]
    for block in notice.blocks:
        if isinstance(block, Items):
            found += block.texts
        elif isinstance(block, Sentence) and block.text and block.status_page is not True:
            found.append(block.text)
        if isinstance(block, Sentence | Value) and block.label:
            found.append(block.label)
    return found


def test_every_notice_text_is_in_the_catalogue_template_and_names_only_allowed_values():
    template = {message.id for message in extract() if message.id}
    for message in message_ids():
        assert message in template, message
        names = {name.strip("{}") for name in PLACEHOLDER.findall(message)}
        assert names <= PLACEHOLDERS, message
    assert not {name for name in PLACEHOLDERS if re.search("access|birth|address", name)}


def test_every_kind_goes_out_in_every_installed_language_with_its_words_from_the_catalogue(tmp_path, store, clock,
                                                                                       installed):
    assert len(installed) >= 2
    with running_smtp_server() as server:
        config = config_from_mapping({
            "kiosk": {"languages": list(installed)},
            "notices": {"smtp_host": "127.0.0.1", "smtp_port": server.port, "security": "none",
                        "timeout_seconds": 5},
        })
        kiosk = Kiosk(tmp_path, config, clock=clock, store=store, receipt_printer=None)
        Report = store.models.Report
        sent: list[tuple[str, NoticeKind, str]] = []
        for number, language in enumerate(installed):
            report = edited(load_sample("larceny-bicycle"), "language", language)
            report = edited(report, "reporter.email", f"visitor{number}@example.org")
            receipt = kiosk.reports.submit(report)  # the "submitted" notice, through the submit hook
            report_id = Report.get(Report.tracking_number == receipt.tracking_number).id
            for kind in KINDS:
                if kind != NoticeKind.SUBMITTED:
                    with store.db.atomic():
                        kiosk.outbox.add(report_id, kind, kiosk.reports.get(receipt.tracking_number), **VALUES[kind])
                sent.append((language, kind, str(receipt.tracking_number)))
        sender = NoticeSender(kiosk.outbox, config, clock, lambda: None, random=lambda: 0.5)
        while sender.deliver_due().sent:
            pass
        messages = server.messages

    assert len(messages) == len(installed) * len(KINDS)
    department = config.department
    for message, (language, kind, tracking) in zip(messages, sent, strict=True):
        where = (language, kind)
        values = {**VALUES[kind], "tracking_number": tracking}
        expected_subject = translation(language).gettext(NOTICES[kind].subject).format_map(values)
        assert message["Subject"] == expected_subject, where
        assert message["Content-Language"] == language_tag(language), where
        # As the mail reader shows them: the wire's CRLF line ends made \n.
        text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
        page = message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")
        assert f'<html lang="{language_tag(language)}" dir="ltr">' in page, where
        for body in (message["Subject"], text, page):
            assert not re.search(r"[${}]", body), (where, body)
        for sentence in sentences_of(kind):
            for words in words_of(sentence, language):
                assert words in flat(text), (where, words)
                assert html.escape(words) in page, (where, words)
        for footer in (department.desk_phone, department.emergency_number, tracking):
            assert footer in text and footer in page, where
        for value in (v for name, v in VALUES[kind].items() if name != "reason_code"):
            assert all(line in text for line in value.splitlines()), where
            assert html.escape(value).replace("\n", "<br>\n") in page, where


def test_language_tags_are_bcp47():
    assert [language_tag(code) for code in ("en", "es", "pt_BR", "zh_CN", "zh_Hans_CN")] == [
        "en", "es", "pt-BR", "zh-CN", "zh-Hans-CN"]


def test_a_right_to_left_language_gets_a_right_to_left_page(config):
    rendered = render_notice(NoticeKind.SUBMITTED, PSEUDO_RTL_LANGUAGE, "T26-01-00001-8", config.department, {})
    assert f'<html lang="{language_tag(PSEUDO_RTL_LANGUAGE)}" dir="rtl">' in rendered.html
    assert "T26-01-00001-8" in rendered.subject and "T26-01-00001-8" in rendered.text


def test_a_language_without_a_catalogue_is_refused_by_render_notice(config, installed):
    with pytest.raises(ValueError, match="no translation catalogue"):
        render_notice(NoticeKind.SUBMITTED, "tlh", "T26-01-00001-8", config.department, {})


def test_a_report_in_a_language_this_kiosk_has_no_catalogue_for_is_told_in_english_and_logged(installed, caplog):
    caplog.set_level(logging.WARNING, logger="kiosk.notices.templates")
    assert notice_language({"language": "tlh", "reporter": {"last_name": "Worf"}}) == "en"
    [record] = caplog.records
    assert "'tlh'" in record.getMessage() and "Worf" not in record.getMessage()
    caplog.clear()
    assert notice_language({"language": installed[-1]}) == installed[-1]
    assert caplog.records == []
