"""The on-screen keyboard's own keys under a real X server (Xvfb): what each kind of field gets, and what its ↵ and a
full box do.

- the money field gets the digit pad: digits and a decimal key, no calculator keys (no √ ^ ÷ %); in Spanish its
  decimal key is a comma, which the field writes as the kiosk's decimal point;
- names start in upper case, e-mail, usernames and passwords in lower case;
- ↵ moves on to the next field, and on the item form's last field saves the item;
- full date-of-birth boxes hand over to the next box in reading order;
- the keyboard's layouts are checked once it has loaded them: no "no layout for" warning for the kiosk's two
  languages, and still one for a language it really has no layout for.

This pytest process stays offscreen; a child Python process runs the kiosk on its own Xvfb, taps the keyboard's keys
with real X pointer events (ui/keyboard_driver.py) and prints ``KEY=value`` lines, which the tests check.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from xvfb_support import ChildRun, run_child, xvfb_display

from kiosk.translation import catalogues
from ui.keyboard import keyboard_layout

pytestmark = pytest.mark.gui

CHILD_TIMEOUT_S = 150
CALCULATOR_KEYS = {"√", "^", "÷", "×", "%", "(", ")"}

CHILD = r'''
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlEngine
from PySide6.QtWidgets import QApplication

from ui.keyboard import KeyboardLanguage
from ui.keyboard_driver import BACKSPACE_KIND, ENTER_KIND, pause, wait_until
from ui.keyboard_tour import OFFICER, build_stage

translations, shots, sample = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(Path(sys.argv[3]).read_text())


class Remember(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.messages = []

    def emit(self, record):
        self.messages.append(f"{record.levelname} {record.getMessage()}")


log = Remember()
logging.getLogger().addHandler(log)
logging.getLogger().setLevel(logging.INFO)


def say(key, value):
    print(f"{key}={value}", flush=True)


def focused():
    widget = QApplication.focusWidget()
    return widget.objectName() if widget is not None else ""


def shot(name):
    pause(0.3)
    QGuiApplication.primaryScreen().grabWindow(0).save(str(shots / f"{name}.png"))


# The kiosk (kiosk mode, covering the screen) with officer mode, on a fresh data folder.
stage = build_stage(Path(tempfile.mkdtemp()), translations)
window, controller, visitor, keyboard = stage.window, stage.controller, stage.visitor, stage.keyboard


def show_for(name):
    """Tap the field ``name``; the keyboard shows its layout for it."""
    visitor.tap(name)
    shown = keyboard.wait_shown(10)
    pause(0.5)  # the layout for the new field's hints
    return shown


def keys():
    return [key.label or key.text for key in keyboard.keys() if key.kind == "Key"]


def first_letter_upper():
    letters = [key for key in keyboard.keys() if key.kind == "Key" and key.text.isalpha()]
    return letters[0].uppercased if letters else None


def tap(char):
    key = next((key for key in keyboard.keys() if key.kind == "Key" and key.text == char), None)
    if key is None:
        return False
    keyboard.tap(key)
    pause(0.1)
    return True


visitor.start()
visitor.screening()
visitor.category(sample["category"])
reporter = sample["reporter"]

# Names: a capital letter first. The keyboard's Enter moves on to the last name.
say("NAME_SHOWN", show_for("first_name_input"))
say("NAME_UPPER", first_letter_upper())
shot("first_name")
say("ENTER_PRESSED", keyboard.press(ENTER_KIND))
wait_until(lambda: focused() != "first_name_input", 3)
say("AFTER_ENTER", focused())
visitor.type("first_name_input", reporter["first_name"])
visitor.type("last_name_input", reporter["last_name"])

# The date of birth on the digit pad, key by key: each full box hands over to the next.
year, month, day = reporter["date_of_birth"].split("-")
say("DOB_SHOWN", show_for("date_of_birth_month_input"))
for part, digits in (("MONTH", month), ("DAY", day), ("YEAR", year)):
    say(f"{part}_TAPPED", all(tap(digit) for digit in digits))
    pause(0.2)
    say(f"AFTER_{part}", focused())
say("DOB_VALUE", window.current_page().date_of_birth.value())

# E-mail: lower case first.
say("EMAIL_SHOWN", show_for("email_input"))
say("EMAIL_UPPER", first_letter_upper())

visitor.address("home", reporter["address"])
visitor.type("phone_input", reporter["phone"])
visitor.type("email_input", reporter["email"])
visitor.tap(f"contact_preference_{reporter['contact_preference']}_button")
visitor.next()
visitor.next()  # When: the time frame it starts with
visitor.place(sample["incident"]["location"], reporter["address"])
visitor.next()
say("PAGE", window.wizard.currentId())
visitor.tap("add_item_button")
visitor.type("item_description_input", sample["items"][0]["description"])

# Money: the digit pad in English ...
say("MONEY_SHOWN", show_for("item_value_input"))
say("MONEY_KEYS_EN", json.dumps(keys()))
shot("money_en")
say("MONEY_TAPPED_EN", all(tap(char) for char in "12.5"))
value = window.current_page().editor.inputs["value"].input
say("MONEY_TEXT_EN", value.text())

# ... and in Spanish, where its decimal key is a comma.
visitor.choose_language("es")
say("MONEY_SHOWN_ES", show_for("item_value_input"))
say("KEYBOARD_LOCALE_ES", QGuiApplication.inputMethod().locale().name())
say("MONEY_KEYS_ES", json.dumps(keys()))
shot("money_es")
for _ in value.text():
    keyboard.press(BACKSPACE_KIND)
pause(0.2)
say("MONEY_CLEARED", value.text() == "")
say("MONEY_TAPPED_ES", all(tap(char) for char in "8,25"))
say("MONEY_TEXT_ES", value.text())

# Enter on the item form's last field saves the item.
say("SAVE_ENTER_PRESSED", keyboard.press(ENTER_KIND))
wait_until(lambda: not window.current_page().editor.isVisible(), 3)
say("ITEM_SAVED", not window.current_page().editor.isVisible())
say("ITEMS", json.dumps(window.current_page().items))

# Officer mode's login (the officer gesture, then the notice): username and password start in lower case; typed on
# the keyboard's keys, its ↵ goes from the username to the password, and from the password logs in.
window.officer_requested.emit()
login = controller.login
visitor.tap(login.notice.accept_button)
form = login.form
username, password = OFFICER[0], OFFICER[3]
for name, edit, text in (("USERNAME", form.username, username), ("PASSWORD", form.password, password)):
    edit_name = edit.objectName()  # the login form is thrown away once the officer is in
    visitor.tap(edit)  # a tap shows the keyboard (the focus alone, given by the form, does not)
    say(f"{name}_SHOWN", keyboard.wait_shown(10))
    pause(0.5)
    say(f"{name}_UPPER", first_letter_upper())
    if name == "PASSWORD":
        shot("password")
    say(f"{name}_TYPED", keyboard.type_text(text))
    say(f"{name}_ENTER_PRESSED", keyboard.press(ENTER_KIND))
    wait_until(lambda: focused() != edit_name, 3)  # noqa: B023 - called here, in this round
    say(f"AFTER_{name}_ENTER", focused())
say("LOGGED_IN", wait_until(lambda: controller.mode is not None, 10))
say("KIOSK_LOG", json.dumps(log.messages))
engine = QQmlEngine()
settings = engine.singletonInstance("QtQuick.VirtualKeyboard.Settings", "VirtualKeyboardSettings")
say("ACTIVE_LOCALES", json.dumps(list(settings.property("activeLocales") or [])))

# A language the keyboard has no layout for is still reported (the keyboard has loaded its layouts by now).
before = len(log.messages)
KeyboardLanguage(("en", "tlh"), layouts={"en": "en_US", "tlh": "tlh_QO"})
say("MISSING_LOG", json.dumps(log.messages[before:]))

keyboard.method.hide()
say("DONE", True)
sys.stdout.flush()
os._exit(0)  # skip Qt's teardown: the keyboard's QML may crash the process on exit (docs/ui.md, known limits)
'''


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory, translations_dir: Path) -> dict[str, str]:
    """One run of the child for every test here (the keyboard takes seconds to load on each start)."""
    tmp_path = tmp_path_factory.mktemp("keyboard_keys")
    script = tmp_path / "keyboard_keys_child.py"
    script.write_text(CHILD, encoding="utf-8")
    sample = Path(__file__).resolve().parents[1] / "fixtures" / "reports" / "lost-wallet.json"
    shots = Path(tmp_path / "shots")
    shots.mkdir()
    with xvfb_display() as display:
        run: ChildRun = run_child([str(script), str(translations_dir), str(shots), str(sample)], display, tmp_path,
                                  CHILD_TIMEOUT_S)
    values = {line.split("=", 1)[0]: line.split("=", 1)[1] for line in run.stdout.splitlines() if "=" in line}
    assert run.returncode == 0 and values.get("DONE") == "True", (
        f"child: {run.how_it_ended()}\nstdout:\n{run.stdout}\nstderr:\n{run.stderr[-4000:]}")
    assert not run.tracebacks(), run.tracebacks()
    values["SHOTS"] = str(shots)
    return values


def test_the_money_field_gets_digits_and_a_decimal_key_and_no_calculator_keys(seen: dict[str, str]) -> None:
    assert seen["MONEY_SHOWN"] == "True"
    keys = set(json.loads(seen["MONEY_KEYS_EN"]))
    assert set("0123456789") <= keys
    assert "." in keys
    assert not keys & CALCULATOR_KEYS, f"calculator keys: {sorted(keys & CALCULATOR_KEYS)}"
    assert seen["MONEY_TAPPED_EN"] == "True"
    assert seen["MONEY_TEXT_EN"] == "12.5"


def test_in_spanish_the_money_fields_decimal_comma_is_written_as_a_point(seen: dict[str, str]) -> None:
    assert seen["KEYBOARD_LOCALE_ES"] == "es_ES"
    keys = set(json.loads(seen["MONEY_KEYS_ES"]))
    assert set("0123456789") <= keys and "," in keys
    assert not keys & CALCULATOR_KEYS
    assert seen["MONEY_CLEARED"] == "True" and seen["MONEY_TAPPED_ES"] == "True"
    assert seen["MONEY_TEXT_ES"] == "8.25", "a comma here would be read as 825 dollars"


def test_enter_on_the_last_field_of_the_item_form_saves_the_item(seen: dict[str, str]) -> None:
    assert seen["SAVE_ENTER_PRESSED"] == "True"
    assert seen["ITEM_SAVED"] == "True"
    items = json.loads(seen["ITEMS"])
    assert len(items) == 1 and items[0]["value"] == "8.25"


def test_the_keyboards_enter_moves_to_the_next_field(seen: dict[str, str]) -> None:
    assert seen["NAME_SHOWN"] == "True" and seen["ENTER_PRESSED"] == "True"
    assert seen["AFTER_ENTER"] == "last_name_input"


def test_full_date_of_birth_boxes_move_on_by_themselves(seen: dict[str, str]) -> None:
    assert seen["DOB_SHOWN"] == "True"
    assert all(seen[f"{part}_TAPPED"] == "True" for part in ("MONTH", "DAY", "YEAR"))
    assert (seen["AFTER_MONTH"], seen["AFTER_DAY"], seen["AFTER_YEAR"]) == (
        "date_of_birth_day_input", "date_of_birth_year_input", "home_line1_input")
    assert seen["DOB_VALUE"] == "1995-11-02"


def test_names_start_in_upper_case_email_username_and_password_in_lower_case(seen: dict[str, str]) -> None:
    assert seen["NAME_UPPER"] == "True"
    assert seen["EMAIL_SHOWN"] == "True" and seen["EMAIL_UPPER"] == "False"
    assert seen["USERNAME_SHOWN"] == "True" and seen["USERNAME_UPPER"] == "False"
    assert seen["PASSWORD_SHOWN"] == "True" and seen["PASSWORD_UPPER"] == "False"


def test_the_officer_logs_in_on_the_keyboards_keys_with_its_enter(seen: dict[str, str]) -> None:
    assert seen["USERNAME_TYPED"] == "True" and seen["USERNAME_ENTER_PRESSED"] == "True"
    assert seen["AFTER_USERNAME_ENTER"] == "password_edit"
    assert seen["PASSWORD_TYPED"] == "True" and seen["PASSWORD_ENTER_PRESSED"] == "True"
    assert seen["LOGGED_IN"] == "True"


def test_no_false_layout_warning_and_a_real_one_still_warns(seen: dict[str, str]) -> None:
    kiosk_log = json.loads(seen["KIOSK_LOG"])
    assert not [line for line in kiosk_log if "no layout for" in line], kiosk_log
    # The layouts were checked (once the keyboard had loaded them), not just never looked at.
    layouts = [keyboard_layout(code) for code in catalogues().installed()]  # en_US, es_ES, pt_BR, zh_CN (Pinyin)
    assert f"INFO on-screen keyboard layouts: {', '.join(layouts)}" in kiosk_log
    assert json.loads(seen["ACTIVE_LOCALES"]) == layouts  # the globe key offers the kiosk's languages only
    missing_log = json.loads(seen["MISSING_LOG"])
    assert "WARNING on-screen keyboard: no layout for tlh_QO" in missing_log, missing_log
