"""Every message the core can give a person, in English, translated through the catalogues (:mod:`kiosk.translation`).

The core never returns finished sentences: it returns a :class:`Problem` (a field path, a message code and
parameters) and the face that shows it (the wizard, the CLI, the server) renders it in the visitor's language with
:func:`render`. Field labels and the names of categories and dispositions are translated the same way, so a
Spanish-speaking visitor never sees an English word in a Spanish sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field  # Problem has a field named "field"

from kiosk.translation import N_, SOURCE_LANGUAGE, translation
from kiosk.vocabulary import Category

# code -> English text (the catalogue's message id). Placeholders: {label} is the field's label; others come from
# Problem.params.
CATALOG: dict[str, str] = {
    "shape.not_object": N_("{label} must be a group of fields (a JSON object)."),
    "shape.not_list": N_("{label} must be a list."),
    "shape.not_json": N_("The report is not valid JSON: {detail}. Check the file."),
    "shape.unknown_key": N_("“{key}” is not a field of the p2c-report/1 format. Remove it or check its spelling."),
    "shape.output_only": N_("“{key}” is added by the kiosk when a report is stored. Remove it from a new report."),
    "shape.required": N_("{label} is required."),
    "shape.type_string": N_("{label} must be text."),
    "shape.type_bool": N_("{label} must be yes or no (true or false)."),
    "shape.type_int": N_("{label} must be a whole number."),
    "text.too_long": N_("{label} is too long: use at most {max} characters."),
    "format.unknown": N_("The format must be “p2c-report/1”."),
    "category.unknown": N_("Choose the kind of incident: vandalism or property damage, theft (larceny), lost "
                           "property, or identity theft or fraud. Anything else must be reported to an officer."),
    "language.unknown": N_("The language must be one of the kiosk's languages: {languages}."),
    "screening.emergency": N_("This kiosk cannot take emergencies. If anyone is hurt or in danger, call {emergency} "
                              "now."),
    "screening.outside_city": N_("The {department} can only take reports of incidents that happened in {city}. "
                                 "Please report it to the police of the town where it happened."),
    "screening.suspect": N_("Because you know who did it, or there is evidence such as video, a witness or a "
                            "suspect, an officer needs to take this report. Please speak to the desk officer or call "
                            "{phone}."),
    "name.chars": N_("{label} may contain only letters, spaces, hyphens, apostrophes and periods."),
    "date.format": N_("Enter {label} as year-month-day, for example 1980-04-25."),
    "dob.future": N_("{label} cannot be today or in the future. Check the year."),
    "dob.too_young": N_("You must be at least {age} years old to report at this kiosk. Please see the desk officer."),
    "dob.too_old": N_("{label} is more than 120 years ago. Check the year."),
    "state.invalid": N_("Enter the 2-letter state code, for example CT."),
    "zip.invalid": N_("Enter a 5-digit ZIP code, for example 06103 (ZIP+4 such as 06103-1234 is fine too)."),
    "contact.none": N_("Give a phone number or an email address so an officer can reach you."),
    "contact.preference_unknown": N_("Choose how we should reach you: email or phone."),
    "contact.preference_email_missing": N_("You chose email as the way to reach you: enter an email address, or "
                                           "choose phone."),
    "contact.preference_phone_missing": N_("You chose phone as the way to reach you: enter a phone number, or choose "
                                           "email."),
    "phone.invalid": N_("This is not a valid phone number. Enter 10 digits with the area code, for example "
                        "860-555-0142."),
    "email.invalid": N_("This is not a valid email address. Check it; it looks like name@example.com."),
    "time.format": N_("Enter {label} as a date and time with its time zone, for example 2026-11-20T14:30:00-05:00."),
    "time.order": N_("The time frame ends before it starts. Check both times."),
    "time.future": N_("{label} is in the future. Enter a time that has already passed."),
    "time.too_old": N_("The incident started more than {days} days ago. Please speak to the desk officer."),
    "location.outside": N_("This place is not in {city}. This kiosk only takes reports of incidents in {city}; "
                           "please report it to the police of the town where it happened."),
    "location.street_unknown": N_("This street is not on {city}'s street list. Check the spelling, or speak to the "
                                  "desk officer."),
    "place_type.unknown": N_("Choose the kind of place where it happened."),
    "narrative.too_short": N_("Tell what happened in at least {min} characters: where it was, when you noticed, what "
                              "you saw."),
    "narrative.too_long": N_("The story is too long: use at most {max} characters (it has {count})."),
    "items.too_many": N_("List at most {max} items. Put similar things together on one line."),
    "items.needs_stolen": N_("A theft report needs at least one stolen item."),
    "items.needs_damaged": N_("A vandalism report needs at least one damaged item."),
    "items.needs_lost": N_("A lost property report needs at least one lost item."),
    "item.disposition_unknown": N_("Choose whether the item was stolen, damaged, lost, or a fraud loss."),
    "item.disposition_wrong": N_("A “{disposition}” item does not belong in a {category} report. If that is what "
                                 "happened, go back and choose another kind of incident."),
    "item.quantity_range": N_("Enter a quantity from 1 to {max}."),
    "item.value_format": N_("Enter an amount in dollars, for example 125.00."),
    "item.value_range": N_("Enter an amount from 0 to {max} dollars."),
    "item.account_last4": N_("Enter exactly the last 4 digits of the account, or leave it empty."),
    "attested.required": N_("Confirm that the report is true before it can be submitted."),
    "tracking.format": N_("This is not a tracking number. It looks like T26-01-00042-1."),
    "tracking.check_digit": N_("This tracking number has a typing mistake (its last digit does not match). Check "
                               "each digit."),
    "tracking.not_found": N_("No report has this tracking number."),
    # What happened to a receipt (kiosk.receipts.PrintOutcome.reason). The report itself is saved in every case.
    "print.printed": N_("The receipt was printed."),
    "print.no_printer": N_("The receipt was not printed: this kiosk has no printer set up."),
    "print.printer_missing": N_("The receipt was not printed: the receipt printer could not be found."),
    "print.printer_stopped": N_("The receipt was not printed: the printer is stopped, offline or out of paper."),
    "print.job_failed": N_("The receipt was not printed: the printer did not finish it."),
    "print.spooled": N_("The report is saved. The receipt was kept as {path}; it can be printed again later."),
    "store.failed": N_("The report could not be saved. Nothing was stored. Please see the desk officer."),
}

# Field labels by path pattern (list indexes replaced by [*]).
LABELS: dict[str, str] = {
    "": N_("The report"),
    "format": N_("Format"),
    "category": N_("Kind of incident"),
    "language": N_("Language"),
    "screening": N_("Screening answers"),
    "screening.emergency": N_("Emergency"),
    "screening.in_city": N_("Happened in the city"),
    "screening.suspect_or_evidence": N_("Suspect or evidence"),
    "attested": N_("Confirmation"),
    "reporter": N_("About you"),
    "reporter.first_name": N_("First name"),
    "reporter.last_name": N_("Last name"),
    "reporter.date_of_birth": N_("Date of birth"),
    "reporter.address": N_("Home address"),
    "reporter.address.line1": N_("Street address"),
    "reporter.address.line2": N_("Apartment, unit or floor"),
    "reporter.address.city": N_("City"),
    "reporter.address.state": N_("State"),
    "reporter.address.zip": N_("ZIP code"),
    "reporter.phone": N_("Phone"),
    "reporter.email": N_("Email"),
    "reporter.contact_preference": N_("How to reach you"),
    "incident": N_("The incident"),
    "incident.occurred_from": N_("Start of the time frame"),
    "incident.occurred_to": N_("End of the time frame"),
    "incident.location": N_("Where it happened"),
    "incident.location.line1": N_("Street address where it happened"),
    "incident.location.line2": N_("More about the place"),
    "incident.location.city": N_("City where it happened"),
    "incident.location.state": N_("State where it happened"),
    "incident.location.zip": N_("ZIP code where it happened"),
    "incident.location.place_type": N_("Kind of place"),
    "incident.narrative": N_("What happened"),
    "items": N_("Items"),
    "items[*]": N_("Item"),
    "items[*].disposition": N_("What happened to the item"),
    "items[*].description": N_("Description"),
    "items[*].brand": N_("Brand"),
    "items[*].model": N_("Model"),
    "items[*].serial_number": N_("Serial number"),
    "items[*].institution": N_("Bank or company"),
    "items[*].account_last4": N_("Last 4 digits of the account"),
    "items[*].quantity": N_("Quantity"),
    "items[*].value": N_("Value"),
}

# Names of codes that appear inside sentences.
TERMS: dict[str, str] = {
    Category.VANDALISM: N_("vandalism or property damage"),
    Category.LARCENY: N_("theft"),
    Category.LOST_PROPERTY: N_("lost property"),
    Category.IDENTITY_THEFT: N_("identity theft or fraud"),
    "stolen": N_("stolen"),
    "damaged": N_("damaged"),
    "lost": N_("lost"),
    "fraud": N_("fraud loss"),
}

def _merge_parts() -> None:
    """Officer mode keeps its messages in modules of their own (one per part); they join the one catalog here."""
    from kiosk import messages_lookup, messages_officers, messages_review

    for part in (messages_officers, messages_review, messages_lookup):
        clash = CATALOG.keys() & part.CATALOG.keys()
        if clash:
            raise RuntimeError(f"message codes defined twice: {sorted(clash)}")
        CATALOG.update(part.CATALOG)


_merge_parts()

_INDEX = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (a field path such as ``items[0].value``), what (a message code) and
    the values the message needs. Terms listed in ``term_params`` are translated when rendered."""

    field: str
    code: str
    params: Mapping[str, object] = dataclass_field(default_factory=dict)
    term_params: tuple[str, ...] = ()

    def render(self, language: str = SOURCE_LANGUAGE) -> str:
        return render(self, language)

    def __str__(self) -> str:
        return f"{self.field}: {self.render(SOURCE_LANGUAGE)}"


def label(path: str, language: str = SOURCE_LANGUAGE) -> str:
    pattern = _INDEX.sub("[*]", path)
    text = LABELS.get(pattern)
    return path if text is None else translation(language).gettext(text)


def term(code: str, language: str = SOURCE_LANGUAGE) -> str:
    text = TERMS.get(code)
    return code if text is None else translation(language).gettext(text)


def render(problem: Problem, language: str = SOURCE_LANGUAGE) -> str:
    template = translation(language).gettext(CATALOG[problem.code])
    values: dict[str, object] = {"label": label(problem.field, language)}
    for key, value in problem.params.items():
        values[key] = term(str(value), language) if key in problem.term_params else value
    return template.format(**values)
