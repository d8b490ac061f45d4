"""Touch for real (issue 14): every text field of the kiosk, tapped and typed into through the on-screen keyboard's own
keys on a real X server, at three screen sizes.

This pytest process stays offscreen. For each size a child process (``python -m ui.keyboard_tour all``) runs the
kiosk in kiosk mode on its own Xvfb, taps each field of the citizen's pages, "Check a report" and officer mode's
login, queue and dialogs with real X pointer events (xdotool), types three keys on the keyboard, and checks that the
keys reached the field, that the field is not under the keyboard and that the page's Next/Back (a dialog's
cancel/confirm) are not either. It prints one ``FAIL=`` line per failed check and goes on, so one run lists them all.

Here each size's run must end normally (a native crash names the field it happened at; the tour then runs again
without that field, to find the rest), print no Python traceback, visit every field listed below, and fail no check.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from xvfb_support import ChildRun, run_child, xdotool_or_skip, xvfb_display

pytestmark = [pytest.mark.gui, pytest.mark.slow]

SIZES = [(1920, 1080), (1280, 800), (1080, 1920)]
# (size, large text): the three sizes in normal text, and the tightest one in large text too.
VARIANTS = [(size, False) for size in SIZES] + [((1280, 800), True)]
CHILD_TIMEOUT_S = 240
MAX_CRASHES = 3

# Every field the tour must reach (it finds the fields on each page itself, so a new one is checked too).
EXPECTED_FIELDS = {
    "who": ("first_name_input", "last_name_input", "date_of_birth_month_input", "date_of_birth_day_input",
            "date_of_birth_year_input", "home_line1_input", "home_line2_input", "home_city_input",
            "home_state_input", "home_zip_input", "phone_input", "email_input"),
    "where": ("place_line1_input", "place_line2_input", "place_city_input", "place_state_input", "place_zip_input"),
    "what_item": ("item_description_input", "item_brand_input", "item_model_input", "item_serial_number_input",
                  "item_value_input"),
    "what_fraud_item": ("item_description_input", "item_institution_input", "item_account_last4_input",
                        "item_value_input"),
    "how": ("narrative_input",),
    "check_report": ("tracking_number_input", "access_code_input"),
    "report_status": ("answer_input",),
    "login": ("username_edit", "password_edit"),
    "queue": ("queue_search_edit", "submitted_from_edit", "submitted_to_edit"),
    "approve": ("approve_message_edit",),
    "request_info": ("question_edit", "phone_note_edit"),
    "reject_duplicate": ("duplicate_of_edit", "next_steps_edit"),
    "reject_other": ("other_reason_edit", "next_steps_edit"),
    "change_password": ("current_password_edit", "change_new_password_edit", "change_new_password_again_edit"),
    "add_officer": ("new_username_edit", "new_display_name_edit", "new_badge_edit", "new_password_edit",
                    "new_password_again_edit"),
    "set_password": ("set_new_password_edit", "set_new_password_again_edit"),
}


def unfinished_field(run: ChildRun) -> str | None:
    """The field the child was at when it died: the last one started and not finished."""
    started, finished = run.lines("FIELD"), set(run.lines("VISITED"))
    return started[-1] if started and started[-1] not in finished else None


def tour(size: tuple[int, int], tmp_path: Path, large_text: bool = False) -> tuple[list[str], set[str], list[ChildRun]]:
    """Run the tour on a screen of ``size``; after a crash run it again without the field it died at. Returns the
    failures (``page/field|check|detail``), the fields tapped, and the runs."""
    failures: list[str] = []
    tapped: set[str] = set()
    runs: list[ChildRun] = []
    skip: list[str] = []
    with xvfb_display(size) as display:
        for _attempt in range(MAX_CRASHES + 1):
            args = ["-m", "ui.keyboard_tour", "all", *(["--large-text"] if large_text else []),
                    *(f"--skip={where}" for where in skip)]
            run = run_child(args, display, tmp_path, CHILD_TIMEOUT_S)
            runs.append(run)
            tapped |= set(run.lines("FIELD"))
            failures += [line for line in run.lines("FAIL") if line not in failures]
            for text in run.tracebacks():
                failures.append(f"{unfinished_field(run) or 'stderr'}|traceback|{text}")
            if run.returncode == 0 and run.value("DONE") == "True":
                assert run.value("FAILURES") == str(len(run.lines("FAIL"))), run.stdout[-2000:]
                break
            where = unfinished_field(run)
            failures.append(f"{where or 'outside any field'}|alive|the kiosk process ended: {run.how_it_ended()}; "
                            f"stderr ends with:\n{run.stderr[-1500:]}")
            if where is None:
                break
            skip.append(where)
            tapped.add(where)
    return failures, tapped, runs


@pytest.mark.parametrize(("size", "large_text"), VARIANTS,
                         ids=[f"{w}x{h}{'-large' if large else ''}" for (w, h), large in VARIANTS])
def test_every_text_field_takes_the_on_screen_keyboards_keys_and_stays_in_view(size, large_text, tmp_path):
    xdotool_or_skip()
    failures, tapped, runs = tour(size, tmp_path, large_text)
    first = runs[0]
    width, height = size
    label = f"{width}x{height}"
    assert first.value("LARGE_TEXT") == str(large_text)

    assert first.value("SCREEN") == label
    assert first.value("WINDOW") == f"0,0 {label}", "the kiosk window covers the screen"
    assert first.value("TAPS") == "xdotool"
    missing = sorted(f"{page}/{name}" for page, names in EXPECTED_FIELDS.items() for name in names
                     if f"{page}/{name}" not in tapped)
    assert missing == [], f"{label}: fields the tour never reached: {missing}"
    label += " large text" if large_text else ""
    assert failures == [], f"{label}: {len(failures)} failed check(s):\n" + "\n".join(
        f"{label} {line}" for line in failures)
