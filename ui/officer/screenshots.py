"""Render officer mode's screens to PNG, to look at them: ``python -m ui.officer.screenshots OUTDIR [--language es]``.

Offscreen at 1280x800 with the default configuration and a throw-away data folder: about thirty reports (some
decided, one with possible duplicates, a supplement and a long history), an administrator, and the screens an officer
meets: the system-use notice, the login with a refusal, the queue, a report's detail (top and further down), the
reject, approve and request-information dialogs (each also refused beside a field), the reprint dialog and its
outcome card, the officers' list with the add-officer dialog (also refused), and the password dialogs (Change
password refused and done, an administrator's Set password). Then a kiosk that syncs to a department server that
cannot be reached (nothing listens on its port): the sync page with the waiting reports and the error, an approval's
detail with "official number pending", and the approve dialog that says where the number comes from.
"""

from __future__ import annotations

import argparse
import copy
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.vocabulary import Category, ContactPreference, PlaceType, RejectionReason

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from kiosk.clock import ManualClock
    from ui.officer.officer_mode import OfficerMode

SIZE = (1280, 800)
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens there, so the sync fails at once
NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
ADMIN = ("sgt.reyes", "Sgt. Daniela Reyes", "1047", "tulip harbour violet 9047")
OFFICER = ("ofc.baker", "Ofc. Thomas Baker", "2291", "copper lantern meadow 5512")
PEOPLE = (("Dana", "Whitfield"), ("Luis", "Ortiz"), ("Keisha", "Brown"), ("Tomasz", "Kowalski"), ("Priya", "Raman"),
          ("Marcus", "O'Neil"), ("Mei", "Nguyen"), ("Rosa", "Santos"), ("Jamal", "Fitzgerald"), ("Ingrid", "Haddad"))
STREETS = ("41 Farmington Ave", "1200 Park St", "77 Wethersfield Ave", "310 Albany Ave", "15 Main St",
           "902 New Britain Ave", "18 Franklin Ave", "260 Asylum Ave")

log = logging.getLogger(__name__)


def _variant(base: dict[str, Any], index: int) -> dict[str, Any]:
    data = copy.deepcopy(base)
    first, last = PEOPLE[index % len(PEOPLE)]
    data["reporter"].update(first_name=first, last_name=last,
                            email=f"{first}.{last}@example.org".lower().replace("'", "") if index % 4 else "",
                            contact_preference=ContactPreference.EMAIL if index % 4 else ContactPreference.PHONE)
    street = STREETS[index % len(STREETS)]
    data["reporter"]["address"]["line1"] = street
    data["incident"]["location"]["line1"] = STREETS[(index * 3) % len(STREETS)]
    for item in data.get("items", []):
        if item.get("serial_number"):
            item["serial_number"] = f"WTU{index:03d}C{4500 + index}D"
    return data


def _category(base: dict[str, Any], category: Category) -> dict[str, Any]:
    data = copy.deepcopy(base)
    data["category"] = category
    if category == Category.VANDALISM:
        data["items"] = [{"disposition": "damaged", "description": "Driver's side mirror and door paint",
                          "brand": "Honda", "model": "Civic", "quantity": 1, "value": "480.00"}]
        data["incident"]["location"]["place_type"] = PlaceType.STREET
        data["incident"]["narrative"] = ("I parked my car on the street in front of my house. In the morning the "
                                         "driver's side mirror was broken and there was a long scratch on the door.")
    elif category == Category.LOST_PROPERTY:
        data["items"] = [{"disposition": "lost", "description": "Brown leather wallet with ID", "quantity": 1,
                          "value": "40.00"}]
        data["incident"]["location"]["place_type"] = PlaceType.PUBLIC_TRANSIT
        data["incident"]["narrative"] = ("I lost my wallet on the bus between Main St and the hospital. It has my "
                                         "driver's license and two bank cards, which I have cancelled.")
    return data


def render(out_dir: Path, language: str = "en") -> list[Path]:
    """The screens as PNG files in ``out_dir``, officer mode shown in ``language`` (an installed catalogue's code)."""
    from kiosk.clock import ManualClock
    from kiosk.home import open_kiosk
    from ui.app import ensure_application
    from ui.officer.login_dialog import LoginDialog
    from ui.officer.officer_mode import OfficerMode
    from ui.officer.queue_view import ALL
    from ui.screenshots import SAMPLE
    from ui.walkthrough import settle

    app = ensure_application(["p2c-officer-screenshots"])
    from kiosk.translation import catalogues
    from ui.i18n import LanguageSwitcher

    switcher = LanguageSwitcher(app, catalogues().installed(), catalogues=catalogues(), parent=app)
    switcher.set_language(language)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    clock = ManualClock(NOW)
    with tempfile.TemporaryDirectory() as scratch:
        kiosk = open_kiosk(Path(scratch), clock)
        for username, name, badge, password in (ADMIN, OFFICER):
            kiosk.officers.add(username, name, badge, password, role="admin" if username == ADMIN[0] else "officer",
                               by="cli:screenshots")
        officer = kiosk.officers.login(OFFICER[0], OFFICER[3])
        numbers = []
        categories = (Category.LARCENY, Category.LARCENY, Category.VANDALISM, Category.LOST_PROPERTY)
        for index in range(30):
            data = _variant(_category(SAMPLE, categories[index % 4]), index)
            numbers.append(kiosk.reports.submit(data).tracking_number)
            clock.advance(hours=2, minutes=17)
        # Some decided, as a working queue looks.
        for index, number in enumerate(numbers[:12]):
            detail = kiosk.review.open_report(number, officer)
            if index % 3 == 0:
                kiosk.review.approve(number, officer, nibrs_code=detail.nibrs.code, expected_version=detail.version)
            elif index % 3 == 1:
                kiosk.review.reject(number, officer, reason=RejectionReason.OUTSIDE_CITY,
                                    expected_version=detail.version)
            else:
                kiosk.review.request_info(number, officer, question="Which door of the building was open?",
                                          expected_version=detail.version)
        # The one to look at: the same person and bicycle as an earlier report, asked a question and answered.
        shown = kiosk.reports.submit(_variant(SAMPLE, 8))
        detail = kiosk.review.open_report(shown.tracking_number, officer)
        kiosk.review.request_info(shown.tracking_number, officer,
                                  question="Does the bicycle have any stickers or marks that would help us "
                                           "recognise it?", phone_note="Called at 10:05, left a voicemail.",
                                  expected_version=detail.version)
        clock.advance(hours=3)
        kiosk.lookup.answer(shown.tracking_number, shown.access_code,
                            "Yes: a red Hartford Bike Co-op sticker under the seat and a scratch on the top tube.")
        kiosk.officers.logout(officer)

        login = LoginDialog(kiosk.officers, kiosk.config.department.name)
        login.resize(*SIZE)
        login.show()
        settle()
        written.append(_save(login, out_dir / "officer_login_notice.png"))
        login.notice.accept_button.click()
        login.form.username.setText(OFFICER[0])
        login.form.password.setText("not the password")
        login.form.login_button.click()
        written.append(_save(login, out_dir / "officer_login_refused.png"))
        login.close()

        session = kiosk.officers.login(ADMIN[0], ADMIN[3])
        mode = OfficerMode(session, officers=kiosk.officers, review=kiosk.review, config=kiosk.config,
                           idle_lock_ms=3_600_000)
        mode.resize(*SIZE)
        mode.show()
        settle()
        mode.queue.status_combo.setCurrentIndex(mode.queue.status_combo.findData(ALL))
        mode.queue.apply_filter()
        written.append(_save(mode, out_dir / "officer_queue.png"))
        mode.open_report(shown.tracking_number)
        written.append(_save(mode, out_dir / "officer_detail_top.png"))
        bar = mode.detail.scroll_area.verticalScrollBar()
        bar.setValue(bar.maximum() // 2)
        written.append(_save(mode, out_dir / "officer_detail_middle.png"))
        bar.setValue(bar.maximum())
        written.append(_save(mode, out_dir / "officer_detail_history.png"))
        written += _render_decisions(mode, out_dir)
        mode.show_admin()
        written.append(_save(mode, out_dir / "officer_admin.png"))
        admin = mode.admin
        assert admin is not None, "an administrator is logged in"
        admin.add_button.click()
        admin.add_dialog.password.setText("short")
        admin.add_dialog._check_password()
        written.append(_save(mode, out_dir / "officer_add_officer.png"))
        admin.add_dialog.username.setText("jsmith")
        admin.add_dialog.password.setText("copper kettle 7 meadow")
        admin.add_dialog.password_again.setText("copper kettle 7 meadows")
        admin.add_dialog.confirm_button.click()
        written.append(_save(mode, out_dir / "officer_add_officer_refused.png"))
        admin.add_dialog.close_dialog()
        written += _render_passwords(mode, out_dir)
        mode.leave()
        mode.close()
        settle()
        kiosk.close()
    with tempfile.TemporaryDirectory() as scratch:
        written += _render_sync(Path(scratch), out_dir, clock)
    del app
    return written


def _render_decisions(mode: OfficerMode, out_dir: Path) -> list[Path]:
    """The decision dialogs over the report on screen, each also refused beside a field, and the reprint dialog with
    its outcome (no printer: the new code is shown)."""
    written: list[Path] = []
    detail = mode.detail
    detail.reject_button.click()
    detail.reject_dialog.choose(RejectionReason.DUPLICATE)
    written.append(_save(mode, out_dir / "officer_reject_dialog.png"))
    detail.reject_dialog.choose(RejectionReason.OTHER)
    detail.reject_dialog.confirm_button.click()
    written.append(_save(mode, out_dir / "officer_reject_refused.png"))
    detail.reject_dialog.close_dialog()
    detail.approve_button.click()
    written.append(_save(mode, out_dir / "officer_approve_dialog.png"))
    detail.approve_dialog.close_dialog()
    code_edit = detail.nibrs_combo.lineEdit() if detail.nibrs_combo is not None else None
    assert code_edit is not None, "a report is shown, its NIBRS code editable"
    code_edit.setText("99Z")
    detail.approve_button.click()
    detail.approve_dialog.confirm_button.click()
    written.append(_save(mode, out_dir / "officer_approve_refused.png"))
    detail.approve_dialog.close_dialog()
    detail.request_info_button.click()
    written.append(_save(mode, out_dir / "officer_request_info_dialog.png"))
    detail.request_info_dialog.confirm_button.click()
    written.append(_save(mode, out_dir / "officer_request_info_refused.png"))
    detail.request_info_dialog.close_dialog()
    detail.reprint_button.click()
    written.append(_save(mode, out_dir / "officer_reprint_dialog.png"))
    detail.reprint_dialog.confirm_button.click()
    written.append(_save(mode, out_dir / "officer_reprint_not_printed.png"))
    detail.message_card.ok_button.click()
    return written


def _render_passwords(mode: OfficerMode, out_dir: Path) -> list[Path]:
    """Change password (refused: a wrong current password and a common new one), the confirmation, and the
    administrator's Set password for another officer (the two inputs differ)."""
    written: list[Path] = []
    mode.password_button.click()
    dialog = mode.password_dialog
    written.append(_save(mode, out_dir / "officer_change_password.png"))
    dialog.current.setText("not my password")
    dialog.password.setText("password123")
    dialog.password_again.setText("password123")
    dialog.confirm_button.click()
    written.append(_save(mode, out_dir / "officer_change_password_refused.png"))
    dialog.current.setText(ADMIN[3])
    for edit in (dialog.password, dialog.password_again):
        edit.setText("copper kettle 7 meadow")
    dialog.confirm_button.click()
    written.append(_save(mode, out_dir / "officer_password_changed.png"))
    mode.password_changed_card.ok_button.click()
    admin = mode.admin
    assert admin is not None, "an administrator is logged in"
    admin.select(OFFICER[0])
    admin.set_password_button.click()
    admin.set_password_dialog.password.setText("river stone 4 lamp")
    admin.set_password_dialog._check_password()
    admin.set_password_dialog.password_again.setText("river stone 4 lamps")
    admin.set_password_dialog.confirm_button.click()
    written.append(_save(mode, out_dir / "officer_set_password.png"))
    admin.set_password_dialog.close_dialog()
    return written


def _render_sync(home: Path, out_dir: Path, clock: ManualClock) -> list[Path]:
    """The sync page, a pending official number and the approve dialog on a kiosk whose server is unreachable."""
    from kiosk.home import open_kiosk
    from kiosk.sync import SyncEngine
    from ui.kiosk_services import SyncWorker
    from ui.officer.officer_mode import OfficerMode
    from ui.screenshots import SAMPLE
    from ui.walkthrough import settle

    written: list[Path] = []
    (home / "kiosk.toml").write_text(f'[sync]\nserver_url = "{UNREACHABLE}"\n', encoding="utf-8")
    kiosk = open_kiosk(home, clock)
    username, name, badge, password = OFFICER
    kiosk.officers.add(username, name, badge, password, by="cli:screenshots")
    session = kiosk.officers.login(username, password)
    numbers = [kiosk.reports.submit(_variant(SAMPLE, index)).tracking_number for index in range(4)]
    detail = kiosk.review.open_report(numbers[0], session)
    kiosk.review.approve(numbers[0], session, nibrs_code=detail.nibrs.code, expected_version=detail.version)
    engine = SyncEngine(kiosk.store, kiosk.config, clock, token="screenshots", outbox=kiosk.outbox,
                        audit=kiosk.audit)
    worker = SyncWorker(lambda: engine)
    mode = OfficerMode(session, officers=kiosk.officers, review=kiosk.review, config=kiosk.config,
                       idle_lock_ms=3_600_000, sync=worker)
    mode.resize(*SIZE)
    mode.show()
    mode.show_sync()
    mode.sync_panel.sync_button.click()
    _wait(lambda: not worker.busy)
    written.append(_save(mode, out_dir / "officer_sync_failing.png"))
    mode.open_report(numbers[0])
    written.append(_save(mode, out_dir / "officer_detail_number_pending.png"))
    mode.open_report(numbers[1])
    mode.detail.approve_button.click()
    written.append(_save(mode, out_dir / "officer_approve_dialog_sync.png"))
    mode.detail.approve_dialog.close_dialog()
    _wait(lambda: not worker.busy)
    mode.leave()
    mode.close()
    settle()
    kiosk.close()
    return written


def _wait(done: Callable[[], bool], seconds: float = 30.0) -> None:
    import time

    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def _save(widget: QWidget, path: Path) -> Path:
    from ui.walkthrough import settle

    settle()
    if not widget.grab().save(str(path)):
        raise RuntimeError(f"could not write {path}")
    log.info("wrote %s", path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out_dir", type=Path, help="folder for the PNG files (created if missing)")
    parser.add_argument("--language", default="en", help="officer mode's language (an installed catalogue's code)")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for path in render(args.out_dir, args.language):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
