"""Adding a language is data, not code (issue 20): a catalogue for a language no module has heard of (Esperanto, made
here from the template), listed in the configuration, is offered on the welcome page by its own name, and a report
walks through it from the first page to the receipt and the e-mail, all in that language."""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import catalogues_in, load_sample, write_made_up_catalogue
from pypdf import PdfReader
from PySide6.QtWidgets import QAbstractButton, QLabel

from kiosk.config import Config, config_from_mapping
from kiosk.notices.templates import render_notice
from kiosk.vocabulary import NoticeKind
from printing.receipt import receipt_content, render_receipt
from ui.wizard.page_ids import PageId

pytestmark = pytest.mark.gui

CODE = "eo"
MARK = "[eo] "
PLACE_MARKER = re.compile(r"\{[a-z_]+\}|\$[a-z_]+|%\d|%n")


def esperanto(message_id: str) -> str:
    """A made-up translation: the English text behind a marker, its place markers untouched."""
    return MARK + message_id


@pytest.fixture
def translations_dir(tmp_path: Path, translations_dir: Path) -> Iterator[Path]:  # the session's folder, plus eo
    folder = tmp_path / "locale"
    shutil.copytree(translations_dir, folder)
    write_made_up_catalogue(folder, CODE, esperanto, own_name="Esperanto")
    with catalogues_in(folder):
        yield folder


@pytest.fixture
def config(translations_dir: Path) -> Config:
    return config_from_mapping({"kiosk": {"languages": ["en", CODE]}})


def test_the_code_has_never_heard_of_the_language():
    for package in ("kiosk", "ui", "printing", "server", "p2c_kiosk"):
        for path in (Path(__file__).resolve().parents[2] / package).rglob("*.py"):
            assert not re.search(rf"[\"']{CODE}(_[A-Z]+)?[\"']", path.read_text(encoding="utf-8")), path


def test_a_report_goes_through_a_language_added_as_data(window, visitor, reports, config, printer, qtbot):
    button = window.header.language_buttons[CODE]
    assert button.text() == "Esperanto"
    visitor.choose_language(CODE)
    shown = [*window.welcome_page.findChildren(QLabel), *window.welcome_page.findChildren(QAbstractButton)]
    texts = [w.text() for w in shown if w.isVisible()]
    assert window.welcome_page.start_button.text() == esperanto("Start")
    assert sum(text.startswith(MARK) for text in texts) >= 3

    report = load_sample("larceny-bicycle")
    visitor.report(report, config.kiosk.zone)
    assert window.wizard.currentId() == PageId.REVIEW
    assert window.wizard.button(window.wizard.WizardButton.NextButton).text().startswith(MARK)
    visitor.attest()
    visitor.submit()
    done = window.wizard.page(PageId.DONE)
    tracking = done.tracking_label.text()
    qtbot.waitUntil(lambda: len(printer.calls) == 1)

    stored = reports.get(tracking)
    assert stored["language"] == CODE
    pdf = render_receipt(receipt_content(stored, done.access_label.text(), config.kiosk.zone), config.department)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert tracking in text and done.access_label.text() in text
    assert MARK.strip() in text

    notice = render_notice(NoticeKind.SUBMITTED, CODE, tracking, config.department, {})
    assert notice.subject.startswith(MARK)
    assert tracking in notice.text and MARK in notice.text
