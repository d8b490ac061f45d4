"""Render every kiosk page to PNG, to look at them: ``python -m ui.screenshots OUTDIR``.

Runs offscreen at 1280x800 on a throw-away data folder with the default configuration but for encryption at rest,
which is off there (:func:`open_sample_kiosk`), so neither a data folder nor a keyring is needed. A simulated visitor
(``ui.walkthrough``) fills in a realistic report. Every page is saved in English, Spanish and the pseudo-locale (every
text ~40 % longer), in normal and large text, plus English in high contrast:
``<page>_<language>_<text size>[_contrast].png``. "Check a report" is visited too (``check_report_*`` and
``report_status_*``), with reports an officer decided through the real review service. The Spanish pages need the
built translation (``make translations``); without it this stops with exit code 1 rather than save English pages
under Spanish names.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.translation import PSEUDO_LANGUAGE, PSEUDO_LANGUAGES, PSEUDO_RTL_LANGUAGE, SOURCE_LANGUAGE, catalogues
from kiosk.vocabulary import (
    Category,
    ContactPreference,
    PlaceType,
    RejectionReason,
    ScreeningQuestion,
    Status,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from kiosk.clock import Clock
    from kiosk.home import Kiosk
    from kiosk.receipts import PrintOutcome, ReceiptPrinter
    from ui.shell import KioskWindow
    from ui.walkthrough import Visitor

SIZE = (1280, 800)
# The report is filled in as if it were this moment (the fixtures' incidents are in the days before).
NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
# (language, large text, high contrast): every installed language and the two pseudo-locales, in normal and large text,
# and the source language in high contrast.
def variants() -> list[tuple[str, bool, bool]]:
    languages = [*catalogues().installed(), PSEUDO_LANGUAGE, PSEUDO_RTL_LANGUAGE]
    return [*((code, large, False) for large in (False, True) for code in languages), (SOURCE_LANGUAGE, False, True)]

log = logging.getLogger(__name__)

# A report as a visitor types it in (the report format's input, plain JSON: not yet kiosk.report_document's
# normalised ReportDocument).
SAMPLE: dict[str, Any] = {
    "format": "p2c-report/1", "category": Category.LARCENY, "language": SOURCE_LANGUAGE,
    "screening": {ScreeningQuestion.EMERGENCY: False, ScreeningQuestion.IN_CITY: True,
                  ScreeningQuestion.SUSPECT_OR_EVIDENCE: False},
    "reporter": {"first_name": "Dana", "last_name": "Whitfield", "date_of_birth": "1979-06-14",
                 "address": {"line1": "41 Farmington Ave", "line2": "Apt 3", "city": "Hartford", "state": "CT",
                             "zip": "06105"},
                 "phone": "(860) 555-0142", "email": "dana.whitfield@example.org",
                 "contact_preference": ContactPreference.EMAIL},
    "incident": {"occurred_from": "2026-11-18T22:00:00-05:00", "occurred_to": "2026-11-19T06:45:00-05:00",
                 "location": {"line1": "41 Farmington Ave", "line2": "bike rack behind the building",
                              "city": "Hartford", "state": "CT", "zip": "06105", "place_type": PlaceType.RESIDENCE},
                 "narrative": "I locked my bicycle to the rack behind my building around 10 pm. When I came down at "
                              "6:45 am the lock had been cut and the bicycle was gone. Nobody saw anything."},
    "items": [{"disposition": "stolen", "description": "Bicycle, blue hybrid", "brand": "Trek", "model": "FX 2",
               "serial_number": "WTU321C4567D", "quantity": 1, "value": "650.00"},
              {"disposition": "damaged", "description": "Cable lock, cut", "brand": "Kryptonite", "quantity": 1,
               "value": "35.00"}],
    "attested": True,
}


class _NoPrinter:
    """Answers "not printed" so the done page shows its fallback (the printed variant is saved too)."""

    def print_receipt(self, tracking_number: str, access_code: str) -> PrintOutcome:
        from kiosk.receipts import PrintOutcome

        return PrintOutcome(printed=False, reason="no_printer")


def open_sample_kiosk(home: Path, clock: Clock, receipt_printer: ReceiptPrinter | None) -> Kiosk:
    """The kiosk the screenshot and keyboard tools visit, on the throw-away data folder ``home``: the default
    configuration with encryption at rest off (kiosk.config_file's development file), so that they run on a machine
    without a keyring. Only the tools' made-up people are ever stored there, and the folder goes when they end."""
    from kiosk.config_file import development_file_text
    from kiosk.home import open_kiosk

    (home / "kiosk.toml").write_text(development_file_text(), encoding="utf-8")
    return open_kiosk(home, clock, receipt_printer=receipt_printer)


def render(out_dir: Path, translations_dir: Path | None = None,
           chosen: Sequence[tuple[str, bool, bool]] | None = None) -> list[Path]:
    """Save every page in every variant (default: :func:`variants`); returns the files written."""
    # Imported here so QT_QPA_PLATFORM is set before Qt loads.
    from kiosk.clock import ManualClock
    from kiosk.receipts import PrintOutcome
    from ui.app import build_window, ensure_application
    from ui.walkthrough import Visitor, settle, tour
    from ui.wizard.page_ids import PageId

    app = ensure_application(["p2c-screenshots"])
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    clock = ManualClock(NOW)
    with tempfile.TemporaryDirectory() as scratch:
        kiosk = open_sample_kiosk(Path(scratch), clock, _NoPrinter())
        config = kiosk.config
        for language, large, contrast in (chosen if chosen is not None else variants()):
            window = build_window(kiosk, kiosk_mode=False, translations_dir=translations_dir)
            window.resize(*SIZE)
            window.present()
            settle()
            visitor = Visitor(window)

            def dress(window: KioskWindow = window, language: str = language, large: bool = large,
                      contrast: bool = contrast) -> None:
                """The variant's language and text; again after each wipe (which puts the defaults back)."""
                if language in PSEUDO_LANGUAGES:
                    window.switcher.set_pseudo_locale(right_to_left=language == PSEUDO_RTL_LANGUAGE)
                else:
                    window.switcher.set_language(language)
                window.header.large_text_button.setChecked(large)
                window.header.high_contrast_button.setChecked(contrast)
                settle()

            dress()
            suffix = f"{language}_{'large' if large else 'normal'}{'_contrast' if contrast else ''}"
            try:
                for stop in tour(visitor, SAMPLE, config.kiosk.zone):
                    written.append(_save(window, out_dir / f"{stop}_{suffix}.png", settle))
                    if stop == "done":
                        done = window.wizard.page(PageId.DONE)
                        done._printed(done.tracking_label.text(), PrintOutcome(printed=True))
                        written.append(_save(window, out_dir / f"done_printed_{suffix}.png", settle))
                for stop in _check_report_tour(visitor, kiosk, dress):
                    written.append(_save(window, out_dir / f"{stop}_{suffix}.png", settle))
            finally:
                window.allow_close()
                window.close()
                window.deleteLater()
                settle()
        kiosk.close()
    del app
    return written


OFFICER = ("screens", "Screenshot Officer", "0000", "tulip harbour violet 9047")
QUESTION = "Does the bicycle have any stickers or marks that would help us recognise it?"


def _decided(kiosk: Kiosk, decision: Status) -> tuple[str, str]:
    """A new report (the sample) decided by an officer through the review service: its tracking number and code."""
    receipt = kiosk.reports.submit(SAMPLE)
    username, name, badge, password = OFFICER
    if not any(account.username == username for account in kiosk.officers.list_officers()):
        kiosk.officers.add(username, name, badge, password, role="admin", by="cli:screenshots")
    session = kiosk.officers.login(username, password)
    detail = kiosk.review.open_report(receipt.tracking_number, session)
    if decision is Status.NEEDS_INFO:
        kiosk.review.request_info(receipt.tracking_number, session, question=QUESTION,
                                  expected_version=detail.version)
    elif decision is Status.REJECTED:
        kiosk.review.reject(receipt.tracking_number, session, reason=RejectionReason.OUTSIDE_CITY,
                            expected_version=detail.version)
    elif decision is Status.APPROVED:
        kiosk.review.approve(receipt.tracking_number, session, nibrs_code=detail.nibrs.code,
                             expected_version=detail.version)
    kiosk.officers.logout(session)
    return receipt.tracking_number, receipt.access_code


def _check_report_tour(visitor: Visitor, kiosk: Kiosk, dress: Callable[[], None]) -> Iterator[str]:
    """"Check a report": the empty page, a wrong code, a question to answer (typed in part), the answer sent, and a
    rejected and an approved report. Ends on a wiped welcome page."""
    window = visitor.window
    for decision in (Status.NEEDS_INFO, Status.REJECTED, Status.APPROVED):
        tracking, code = _decided(kiosk, decision)
        dress()
        visitor.tap(window.welcome_page.check_button)
        if decision is Status.NEEDS_INFO:
            yield "check_report_empty"
            visitor.type("tracking_number_input", tracking)
            visitor.type("access_code_input", "ZZZZ-ZZZZ")
            visitor.tap("check_report_check_button")
            yield "check_report_wrong_code"
            visitor.type("access_code_input", code, replace=True)
        else:
            visitor.type("tracking_number_input", tracking)
            visitor.type("access_code_input", code)
        visitor.tap("check_report_check_button")
        if decision is Status.NEEDS_INFO:
            yield "report_status_needs_info"
            visitor.type("answer_input", "Yes: a red sticker")
            yield "report_status_answer_typed"
            visitor.type("answer_input", " on the frame, and a scratch on the bell.")
            visitor.tap("answer_send_button")
            yield "report_status_answered"
        else:
            yield f"report_status_{decision}"
        visitor.tap("report_status_finish_button")


def _save(window: QWidget, path: Path, settle: Callable[[], None]) -> Path:
    settle()
    if not window.grab().save(str(path)):
        raise RuntimeError(f"cannot write {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder for the PNG files (created if missing)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        written = render(args.out_dir)
    except RuntimeError as exc:
        log.error("%s", exc)
        return 1
    print(f"wrote {len(written)} screenshots to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
