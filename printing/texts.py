"""Every text printed on a receipt or a report copy, and how dates and amounts are written in each language.

Field labels and the names of categories and dispositions come from :mod:`kiosk.messages` (the words the citizen
saw on screen); everything else a document says is here, once. ``tests/printing/test_document_texts.py`` fails when
a text is missing in a shipped catalogue or a translation changes its placeholders.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from kiosk.messages import label, term
from kiosk.translation import N_, babel_locale, translation
from kiosk.vocabulary import ContactPreference, EventAction, PlaceType, Status

if TYPE_CHECKING:
    from babel import Locale

_NBSP = "\u00a0"

# key -> English text (the catalogue's message id). Placeholders in braces are filled by :func:`text`.
TEXTS: dict[str, str] = {
    # -- the receipt ---------------------------------------------------------------------------------------------
    "receipt.title": N_("Report receipt"),
    "receipt.non_emergency": N_("Non-emergency: {phone}"),
    "receipt.emergency": N_("Emergency: call {number}"),
    "receipt.tracking": N_("Your tracking number"),
    "receipt.access_code": N_("Access code"),
    "receipt.access_hint": N_("To check the status of your report at the kiosk, type the tracking number and this "
                              "code, or scan the square code."),
    # With a status page ([sync] status_page_url): the square code opens it on a phone; {address} is the page's.
    "receipt.access_hint_web": N_("Scan the square code with your phone to open the status page, then type this "
                                  "code. At the kiosk, type the tracking number and this code, or scan the square "
                                  "code."),
    "receipt.status_page": N_("Status page: {address}"),
    "receipt.reprinted": N_("Printed again on {date}. The access code of any earlier receipt no longer works."),
    "receipt.submitted": N_("Submitted"),
    "receipt.at_home": N_("At your home address (not printed here)"),
    # Translators: the kind of place, then where it is, on the receipt: "Park: Bushnell Park, Hartford, CT 06106".
    "receipt.place": N_("{place}: {where}"),
    "receipt.not_official": N_("This is not an official police report until an officer approves it."),
    "receipt.next": N_("What happens next"),
    "receipt.next_review": N_("An officer reviews your report."),
    "receipt.next_watch": N_("Watch your email and phone: that is how we will contact you."),
    "receipt.next_more_info": N_("You may be asked for more information."),
    "receipt.next_approved": N_("When it is approved, your report gets an official report number."),
    "receipt.next_rejected": N_("If it is rejected, you get an email with the reason and what to do."),
    "receipt.questions": N_("Keep this receipt. Questions? Call {phone} and give your tracking number."),
    # -- the full report copy ------------------------------------------------------------------------------------
    "copy.title": N_("Self-report: full copy"),
    "copy.approved": N_("Approved by the department. Official report number: {number}."),
    "copy.footer": N_("Tracking number {tracking}  ·  Printed {printed}  ·  Page {page} of {pages}"),
    "copy.section_report": N_("The report"),
    "copy.section_screening": N_("Before the report"),
    "copy.section_reporter": N_("The person reporting"),
    "copy.section_incident": N_("The incident"),
    "copy.section_items": N_("Items"),
    "copy.section_narrative": N_("What happened, in the citizen's words"),
    "copy.section_attestation": N_("Confirmation"),
    "copy.section_history": N_("History"),
    "copy.tracking": N_("Tracking number"),
    "copy.status": N_("Status"),
    "copy.official_number": N_("Official report number"),
    "copy.none_yet": N_("none yet"),
    "copy.submitted": N_("Submitted"),
    "copy.language": N_("Language"),
    "copy.name": N_("Name"),
    "copy.yes": N_("Yes"),
    "copy.no": N_("No"),
    "copy.not_given": N_("not given"),
    "copy.emergency": N_("Anyone hurt or in danger right now"),
    "copy.in_city": N_("Happened in the city"),
    "copy.suspect": N_("Known suspect, or evidence such as video or a witness"),
    "copy.items_none": N_("No items were listed."),
    "copy.item_number": N_("#"),
    "copy.item_what": N_("What happened"),
    "copy.item_details": N_("Details"),
    "copy.item_quantity": N_("Qty"),
    "copy.item_value": N_("Value"),
    # Translators: one detail of a stolen or damaged item on the report copy: "Brand: DeWalt", "Serial number: 42".
    "copy.item_detail": N_("{label}: {value}"),
    "copy.items_total": N_("Total of the values given"),
    "copy.attestation": N_("I confirm that the information in this report is true to the best of my knowledge. I "
                           "understand that knowingly making a false report to the police is a crime."),
    "copy.attested": N_("Confirmed by the person reporting when the report was submitted: {answer}."),
    "copy.history_when": N_("When"),
    "copy.history_who": N_("Who"),
    "copy.history_what": N_("What"),
    "copy.history_status": N_("Status after"),
    "copy.history_reason": N_("Reason and message"),
}

# The names of the vocabulary's codes, keyed by its members (a stored report's plain strings find them too).
STATUS_NAMES: dict[str, str] = {
    Status.SUBMITTED: N_("Submitted, waiting for review"),
    Status.IN_REVIEW: N_("In review"),
    Status.NEEDS_INFO: N_("More information needed"),
    Status.APPROVED: N_("Approved"),
    Status.REJECTED: N_("Rejected"),
}

ACTION_NAMES: dict[str, str] = {
    EventAction.SUBMITTED: N_("Submitted at the kiosk"),
    EventAction.RECEIPT_REPRINTED: N_("Receipt printed again (new access code)"),
}

ACTOR_NAMES: dict[str, str] = {
    "citizen": N_("The person reporting"),
}

PLACE_TYPES: dict[str, str] = {
    PlaceType.RESIDENCE: N_("Home"),
    PlaceType.STREET: N_("Street"),
    PlaceType.PARKING_LOT: N_("Parking lot"),
    PlaceType.BUSINESS: N_("Business or store"),
    PlaceType.PARK: N_("Park"),
    PlaceType.SCHOOL: N_("School"),
    PlaceType.PUBLIC_TRANSIT: N_("Bus, train or station"),
    PlaceType.VEHICLE: N_("Vehicle"),
    PlaceType.ONLINE: N_("Online or by phone"),
    PlaceType.OTHER: N_("Other place"),
}

CONTACT_PREFERENCES: dict[str, str] = {
    ContactPreference.EMAIL: N_("Email"),
    ContactPreference.PHONE: N_("Phone"),
}



def _translate(language: str, message: str) -> str:
    return translation(language).gettext(message)


def text(key: str, language: str, **params: object) -> str:
    """The text ``key`` in ``language`` with its placeholders filled."""
    template = _translate(language, TEXTS[key])
    return template.format(**params) if params else template


def name_of(table: dict[str, str], code: str | None, language: str) -> str:
    """A code's name from one of the tables above; an unknown code is shown as it is."""
    if code is None:
        return ""
    name = table.get(code)
    return code if name is None else _translate(language, name)


def language_name(code: str, language: str) -> str:
    """The name of the language ``code``, written in ``language`` (CLDR): "Spanish", "espanhol", "西班牙语"."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(code).get_display_name(_locale(language))
    except (ValueError, UnknownLocaleError):
        return code
    return _capitalise(name or code)


def field_label(path: str, language: str) -> str:
    """A field's label as the wizard shows it (from :mod:`kiosk.messages`)."""
    return label(path, language)


def category_name(category: str, language: str) -> str:
    """The category as a heading: "Theft", "Robo de identidad o fraude"."""
    return _capitalise(term(category, language))


def disposition_name(disposition: str, language: str) -> str:
    return _capitalise(term(disposition, language))


def format_date(day: date, language: str) -> str:
    """The date in the language's long CLDR form: ``November 24, 2026``, ``24 de noviembre de 2026``,
    ``2026年11月24日``."""
    from babel.dates import format_date as cldr_date

    return cldr_date(day, format="long", locale=_locale(language))


def format_datetime(moment: datetime, language: str) -> str:
    """The date as :func:`format_date` and the time in the language's short CLDR form with the zone's abbreviation,
    joined the way the language joins a long date and a time (CLDR): ``November 24, 2026, 12:00 PM EST``,
    ``24 de novembro de 2026 12:00 EST``, ``2026年11月24日 12:00 EST``. In the time zone ``moment`` carries (the caller
    converts to the kiosk's zone first). The time is held together by no-break spaces so that it never wraps in the
    middle."""
    from babel.dates import format_time as cldr_time

    locale = _locale(language)
    time = cldr_time(moment, format="short", locale=locale).replace(" ", _NBSP).replace("\u202f", _NBSP)
    zone = moment.tzname()
    if zone:
        time += f"{_NBSP}{zone}"
    pattern = str(locale.datetime_formats.get("long", "{1}, {0}")).replace("'", "")
    return pattern.replace("{0}", time).replace("{1}", format_date(moment.date(), language))


def format_amount(amount: Decimal, language: str) -> str:
    """US dollars as the language writes them (CLDR): ``$1,289.40``, ``US$ 1.289,40``, ``US$1,289.40``."""
    from babel.numbers import format_currency

    return format_currency(amount, "USD", locale=_locale(language)).replace("\xa0", _NBSP)


def _locale(language: str) -> Locale:
    return babel_locale(language)


def _capitalise(words: str) -> str:
    return words[:1].upper() + words[1:]
