"""Every word of the e-mail notices, as English message ids of the translation catalogues, and the shape of each kind.

A notice is a heading and a few blocks (a sentence, a value shown large, the officer's question quoted, a list);
:mod:`kiosk.notices.templates` writes the plain text and the HTML from the same blocks, in the reader's language.
Values go into the sentences as ``{name}`` placeholders (:meth:`str.format`), only those of :data:`PLACEHOLDERS`:
there is none for the access code, the date of birth or an address, so a notice can never carry them.

With ``[sync] status_page_url`` set, the notices carry the status page's link with the tracking number filled in
(``{status_link}``, kiosk.vocabulary.status_page_link; never the access code): a block marked ``status_page=True`` is
written only then, one marked ``False`` only without a status page, and a list's ``status_page_first`` items lead it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.translation import N_
from kiosk.vocabulary import NoticeKind, RejectionReason

# Every value a notice's sentences may name; nothing else is ever handed to them.
PLACEHOLDERS = frozenset({
    "tracking_number", "official_number", "question", "reason", "next_steps", "duplicate_of", "department_name",
    "department_phone", "emergency_number", "phone", "button", "status_link",
})


class Look(StrEnum):
    """How a block looks: the HTML's inline style, and its plain-text form (kiosk.notices.templates)."""

    PARAGRAPH = "paragraph"
    LEAD_IN = "lead_in"  # a sentence that introduces the value or the list right after it
    LARGE = "large"  # a value to copy: large and bold on a tinted band; indented in the text
    QUOTE = "quote"  # what the officer wrote, with a bar on its left; as written in the text
    BOXED = "boxed"  # a paragraph on a tinted band


@dataclass(frozen=True)
class Sentence:
    """A translated sentence; ``label`` (translated too) is shown in bold before it."""

    text: str = ""
    label: str = ""
    look: Look = Look.PARAGRAPH
    status_page: bool | None = None  # None: always; True: only with a status page; False: only without one


@dataclass(frozen=True)
class Value:
    """One of the notice's values as it is (a number, the officer's question), after an optional bold label."""

    name: str
    label: str = ""
    look: Look = Look.PARAGRAPH


@dataclass(frozen=True)
class Items:
    """A bulleted list of translated sentences."""

    texts: tuple[str, ...]
    status_page_first: tuple[str, ...] = ()  # listed first when there is a status page


Block = Sentence | Value | Items


@dataclass(frozen=True)
class NoticeText:
    subject: str
    heading: str
    blocks: tuple[Block, ...]


# Why a report was rejected, in plain words (the {reason} of a rejection).
REASONS: dict[str, str] = {
    RejectionReason.DUPLICATE: N_("Your report repeats one that we already have on file."),
    RejectionReason.WRONG_OFFENSE_TYPE: N_("The kind of incident chosen does not match what happened, so a new "
                                           "report of the right kind is needed."),
    RejectionReason.OUTSIDE_CITY: N_("The incident happened outside the city, so another police department handles "
                                     "it."),
    RejectionReason.SUSPECT_OR_EVIDENCE: N_("There is information about a suspect, or there is evidence, so an "
                                            "officer needs to take this report in person."),
    RejectionReason.NOT_ELIGIBLE: N_("This kind of incident cannot be reported at the kiosk."),
    RejectionReason.OTHER: N_("Your report could not be accepted as it is."),
}
# The duplicate reason when the officer named the original report.
DUPLICATE_OF = N_("Your report repeats report {duplicate_of}, which we already have on file.")

# How to follow a report at the kiosk (the access code itself is never in an e-mail).
KIOSK_HINT = N_("To see how your report is doing, use \"Check a report\" on the kiosk in the police lobby: type your "
                "tracking number and the access code from your receipt. For your safety, e-mails never contain the "
                "access code.")
# The same with a status page: its link ({status_link}) holds the tracking number, never the access code.
WEB_HINT = N_("To see how your report is doing, open {status_link} on your phone or computer and type the access "
              "code from your receipt, or use {button} on the kiosk in the police lobby. For your safety, e-mails "
              "never contain the access code.")
# An approved or rejected report's status, on the status page.
WEB_STATUS = N_("You can also see your report's status at {status_link} with the access code from your receipt.")
# When the officer gave no "what to do next" with a rejection.
DEFAULT_NEXT_STEPS = N_("Call the front desk at {phone} to talk with an officer about what to do next.")

# The welcome page's button, named in the e-mail as the kiosk shows it (the {button} of a sentence).
CHECK_BUTTON = N_("Check a report")
# Translators: a button's name ({button}) quoted in a plain-text e-mail; use your language's quotation marks.
QUOTED_BUTTON = N_("\"{button}\"")

FOOTER: tuple[str, ...] = (
    N_("This message was sent automatically; replies to it are not read."),
    N_("Questions: {department_phone}. In an emergency call {emergency_number}."),
)

NOTICES: dict[NoticeKind, NoticeText] = {
    NoticeKind.SUBMITTED: NoticeText(
        subject=N_("We received your report {tracking_number}"),
        heading=N_("We received your report"),
        blocks=(
            Sentence(N_("Your tracking number is:"), look=Look.LEAD_IN),
            Value("tracking_number", look=Look.LARGE),
            # Translators: follows the bold label "What happens next:".
            Sentence(N_("an officer will review your report. We will write to you again when it is approved, or if "
                        "the officer needs more information from you."), label=N_("What happens next:")),
            Sentence(N_("Keep your receipt: it has your tracking number and your access code.")),
            Sentence(KIOSK_HINT, status_page=False),
            Sentence(WEB_HINT, status_page=True),
        ),
    ),
    NoticeKind.NEEDS_INFO: NoticeText(
        subject=N_("More information needed for report {tracking_number}"),
        heading=N_("We need more information"),
        blocks=(
            Sentence(N_("The officer reviewing your report {tracking_number} needs more information from you. The "
                        "officer asks:")),
            Value("question", look=Look.QUOTE),
            Sentence(label=N_("How to answer:"), look=Look.LEAD_IN),
            Items((
                N_("At the kiosk in the police lobby: choose {button}, type your tracking number and the access code "
                   "from your receipt, and write your answer there."),
                N_("Or call the front desk at {department_phone} and give your tracking number."),
            ), status_page_first=(
                N_("On your phone or computer: open {status_link}, type the access code from your receipt, and "
                   "write your answer there."),
            )),
            Sentence(N_("Your report waits until we hear from you.")),
        ),
    ),
    NoticeKind.APPROVED: NoticeText(
        subject=N_("Report {tracking_number} approved: official number {official_number}"),
        heading=N_("Your report was approved"),
        blocks=(
            Sentence(N_("Your report {tracking_number} was approved. Its official police report number is:"),
                     look=Look.LEAD_IN),
            Value("official_number", look=Look.LARGE),
            Sentence(N_("Give this number to your insurance company, your bank, or anyone else who asks for a police "
                        "report about this incident. To get a copy of the report, call {department_phone}.")),
            Sentence(N_("You do not need to do anything else.")),
            Sentence(WEB_STATUS, status_page=True),
        ),
    ),
    NoticeKind.REJECTED: NoticeText(
        subject=N_("Report {tracking_number} could not be accepted"),
        heading=N_("We could not accept your report"),
        blocks=(
            Sentence(N_("We could not accept your report {tracking_number}.")),
            Value("reason", label=N_("Why:")),
            Value("next_steps", label=N_("What to do next:"), look=Look.BOXED),
            Sentence(N_("If you have questions, call {department_phone} and give your tracking number.")),
            Sentence(WEB_STATUS, status_page=True),
        ),
    ),
}


def message_ids() -> list[str]:
    """Every message id the notices use (for tests: each is in the catalogue, each names only known values)."""
    ids = [*REASONS.values(), DUPLICATE_OF, KIOSK_HINT, WEB_HINT, WEB_STATUS, DEFAULT_NEXT_STEPS, CHECK_BUTTON,
           QUOTED_BUTTON, *FOOTER]
    for notice in NOTICES.values():
        ids += [notice.subject, notice.heading]
        for block in notice.blocks:
            if isinstance(block, Items):
                ids += [*block.status_page_first, *block.texts]
            else:
                ids += [text for text in (getattr(block, "text", ""), block.label) if text]
    return ids
