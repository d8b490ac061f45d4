"""A visitor's answers shown back to them (the item list, the Review page) the way the kiosk writes them elsewhere.

- A phone number as the kiosk's core reads it (:func:`kiosk.rules.fields.phone_number`) and shows it
  (:func:`kiosk.rules.fields.display_phone`): ``8605550142`` → ``(860) 555-0142``, as the officer's screen shows it.
  A number the core cannot read is shown as typed (the page says what is wrong with it).
- An amount in US dollars as CLDR writes it in the visitor's language (``$1,240.50`` in US English and Spanish,
  ``US$ 1.240,50`` in Brazilian Portuguese), as the printed report copy writes it (``printing.texts.format_amount``).
  An amount the core cannot read is shown as typed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from kiosk.rules.fields import display_phone, phone_number
from ui.i18n import amount_text

DOLLAR = "$"
_TYPED_MONEY_MARKS = str.maketrans("", "", "$, ")  # what the core's rules accept around an amount


def phone_shown(typed: str) -> str:
    problems: list = []
    e164 = phone_number(typed, "phone", problems)
    return typed.strip() if problems or not e164 else display_phone(e164)


def amount_shown(typed: str, language: str) -> str:
    try:
        amount = Decimal(typed.translate(_TYPED_MONEY_MARKS))
    except InvalidOperation:
        return typed.strip()
    if not amount.is_finite():
        return typed.strip()
    return amount_text(amount, language)
