"""Messages of the review part of officer mode, merged into :data:`kiosk.messages.CATALOG` (code -> English text,
translated through the catalogues); the same completeness checks apply."""

from __future__ import annotations

from kiosk.translation import N_

CATALOG: dict[str, str] = {
    # An approval made at a kiosk that syncs, before the department's server gave its number (docs/sync.md).
    "review.official_number_pending": N_("Official number pending (the department's server gives it at the next sync)"),
    "review.call_citizen": N_("No e-mail address: call the citizen at {phone}."),
    "review.text_too_long": N_("This text is too long: use at most {max} characters (it has {count})."),
    "review.question_required": N_("Write the question the citizen should answer."),
    "review.nibrs_required": N_("Choose the NIBRS offense code to approve the report with."),
    "review.nibrs_unknown": N_("“{code}” is not a NIBRS code the kiosk knows. Choose one from the list, for example "
                               "23H or 290."),
    "review.nibrs_lost_property": N_("Lost property is not a crime: approve it with {lost} (non-criminal incident), "
                                     "or reject it as the wrong offense type if something was stolen."),
    "review.nibrs_not_lost": N_("{lost} is only for lost property. Choose an offense code for this {category} report."),
    "review.reason_unknown": N_("Choose a reason: duplicate, wrong offense type, outside the city, suspect or "
                                "evidence, not eligible, or other."),
    "review.duplicate_of_required": N_("Give the tracking number of the report this one repeats."),
    "review.duplicate_of_self": N_("A report cannot be a duplicate of itself. Give the tracking number of the "
                                   "original report."),
    "review.duplicate_of_unknown": N_("No report has the tracking number {tracking}. Check the number of the "
                                      "original report."),
    "review.message_required": N_("Say why the report is rejected: with the reason “other” a message is required."),
    # Another officer (or the citizen) acted first: nothing was stored.
    "review.conflict.approved": N_("{tracking} was already approved by officer {who} at {at}; reload it."),
    "review.conflict.rejected": N_("{tracking} was already rejected by officer {who} at {at}; reload it."),
    "review.conflict.info_requested": N_("{tracking} was already sent back to the citizen with a question by officer "
                                         "{who} at {at}; reload it."),
    "review.conflict.supplemented": N_("The citizen added information to {tracking} at {at}; reload it and read it "
                                       "before deciding."),
    "review.conflict.changed": N_("{tracking} was changed by {who} at {at}; reload it."),
    # The report's status does not allow the action (a decided report is final).
    "review.final.approved": N_("{tracking} was approved by officer {who} at {at}; a decided report cannot be "
                                "changed."),
    "review.final.rejected": N_("{tracking} was rejected by officer {who} at {at}; a decided report cannot be "
                                "changed."),
    # What the citizen should do next, by rejection reason (the officer may edit it before rejecting).
    "review.next_steps.duplicate": N_("This incident is already reported under another tracking number, so you do "
                                      "not need to do anything. Questions: call {phone}."),
    "review.next_steps.wrong_offense_type": N_("What happened needs a different kind of report. Please file a new "
                                               "report at the kiosk and choose the kind of incident that fits, or "
                                               "call {phone}."),
    "review.next_steps.outside_city": N_("The incident happened outside {city}. Please report it to the police of "
                                         "the town where it happened."),
    "review.next_steps.suspect_or_evidence": N_("Because there is a suspect or evidence, an officer needs to take "
                                                "this report. Please call {desk} or come to the front desk."),
    "review.next_steps.not_eligible": N_("This incident cannot be reported at the kiosk. Please call {phone} to "
                                         "speak with an officer. In an emergency, call {emergency}."),
    "review.next_steps.other": N_("If you have questions about this decision, call {phone}."),
}
