"""Messages of the lookup part of officer mode, merged into :data:`kiosk.messages.CATALOG` (code -> English text,
translated through the catalogues); the same completeness checks apply.

``lookup.*`` are the refusals of "Check a report"; ``lookup.status.*`` say a report's status in plain words for the
citizen (:func:`kiosk.lookup.explain`), ``lookup.reason.*`` name why a report was not accepted, and
``lookup.officer_words_as_written`` follows an officer's own words shown to a visitor reading another language.
"""

from __future__ import annotations

from kiosk.translation import N_

CATALOG: dict[str, str] = {
    # Refusals. An unknown tracking number and a wrong access code get the same one (lookup.mismatch).
    "lookup.tracking_required": N_("Enter the tracking number from your receipt. It looks like T26-01-00042-1."),
    "lookup.code_required": N_("Enter the access code from your receipt. It looks like K7QM-2XHD."),
    "lookup.code_format": N_("An access code has 8 letters and digits, like K7QM-2XHD. Check it on your receipt."),
    "lookup.mismatch": N_("The tracking number and access code do not match. Check both on your receipt."),
    "lookup.locked": N_("Too many wrong access codes were typed for this tracking number, so checking it is paused "
                        "for {minutes} more minutes. Please try again later, or see the desk officer."),
    "lookup.unavailable": N_("Reports cannot be checked right now. Please see the desk officer."),
    "lookup.cannot_answer": N_("This report is not waiting for an answer from you, so nothing was added. Check its "
                               "status again."),
    "lookup.answer_required": N_("Write your answer to the officer's question: at least {min} characters."),
    "lookup.answer_too_short": N_("Your answer is too short: write at least {min} characters (it has {count})."),
    "lookup.answer_too_long": N_("Your answer is too long: use at most {max} characters (it has {count})."),
    # The status page (server.citizen_status): an answer holding characters that are not text (pasted from another
    # program, such as a NUL or an escape); line breaks and tabs are fine.
    "lookup.answer_control_characters": N_("Your answer contains control characters that are not text (perhaps it "
                                           "was pasted from another program). Remove them and send it again."),
    # The status page: too many wrong access codes from one connection, whatever the tracking numbers.
    "lookup.locked_client": N_("Too many wrong access codes were typed from this connection, so checking reports "
                               "from it is paused for {minutes} more minutes. Please try again later."),
    # The status, in plain words.
    "lookup.status.submitted": N_("Received. An officer has not looked at it yet."),
    "lookup.status.in_review": N_("An officer is reviewing your report. You will hear from us by email or phone."),
    "lookup.status.needs_info": N_("An officer needs more information: “{question}” You can answer here."),
    "lookup.status.needs_info_no_question": N_("An officer needs more information from you. You can answer here, or "
                                               "see the desk officer."),
    "lookup.status.approved": N_("Approved. Your official report number is {official_number}; you can give it to "
                                 "your insurance."),
    "lookup.status.approved_pending": N_("Approved. Your official report number is pending: the police department "
                                         "gives it shortly. Check again later to see it here."),
    "lookup.status.rejected": N_("Not accepted: {reason}. What to do next: {next_steps}"),
    "lookup.status.rejected_no_steps": N_("Not accepted: {reason}. For what to do next, please see the desk officer."),
    # After an officer's own words (a question, a message, next steps they wrote), when the visitor reads the page in
    # another language than the report's: the words are not translated.
    "lookup.officer_words_as_written": N_("The officer's words are not translated."),
    # Why a report was not accepted (kiosk.review.REJECT_REASONS).
    "lookup.reason.duplicate": N_("the same incident was already reported"),
    "lookup.reason.wrong_offense_type": N_("this kind of incident cannot be reported at the kiosk"),
    "lookup.reason.outside_city": N_("it happened outside the city"),
    "lookup.reason.suspect_or_evidence": N_("there is a suspect or evidence, so an officer must take the report"),
    "lookup.reason.not_eligible": N_("this report cannot be taken as an online report"),
    "lookup.reason.other": N_("an officer could not accept it as it is"),
}
