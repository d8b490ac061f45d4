"""Messages of the review part of officer mode, merged into :data:`kiosk.messages.CATALOG` (code -> (English,
Spanish)); the same completeness checks apply."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str]] = {
    # An approval made at a kiosk that syncs, before the department's server gave its number (docs/sync.md).
    "review.official_number_pending": ("Official number pending (the department's server gives it at the next sync)",
                                       "Número oficial pendiente (el servidor del departamento lo asigna en la "
                                       "próxima sincronización)"),
    "review.call_citizen": ("No e-mail address: call the citizen at {phone}.",
                            "Sin correo electrónico: llame al ciudadano al {phone}."),
    "review.text_too_long": ("This text is too long: use at most {max} characters (it has {count}).",
                             "Este texto es demasiado largo: use como máximo {max} caracteres (tiene {count})."),
    "review.question_required": ("Write the question the citizen should answer.",
                                 "Escriba la pregunta que el ciudadano debe contestar."),
    "review.nibrs_required": ("Choose the NIBRS offense code to approve the report with.",
                              "Elija el código de delito NIBRS con el que se aprueba el informe."),
    "review.nibrs_unknown": ("“{code}” is not a NIBRS code the kiosk knows. Choose one from the list, for example "
                             "23H or 290.",
                             "«{code}» no es un código NIBRS que el quiosco conozca. Elija uno de la lista, por "
                             "ejemplo 23H o 290."),
    "review.nibrs_lost_property": ("Lost property is not a crime: approve it with {lost} (non-criminal incident), or "
                                   "reject it as the wrong offense type if something was stolen.",
                                   "Los objetos perdidos no son un delito: apruébelo con {lost} (incidente no "
                                   "delictivo), o recházelo como tipo de delito equivocado si algo fue robado."),
    "review.nibrs_not_lost": ("{lost} is only for lost property. Choose an offense code for this {category} report.",
                              "{lost} es solo para objetos perdidos. Elija un código de delito para este informe de "
                              "{category}."),
    "review.reason_unknown": ("Choose a reason: duplicate, wrong offense type, outside the city, suspect or evidence, "
                              "not eligible, or other.",
                              "Elija un motivo: duplicado, tipo de delito equivocado, fuera de la ciudad, sospechoso o "
                              "evidencia, no elegible, u otro."),
    "review.duplicate_of_required": ("Give the tracking number of the report this one repeats.",
                                     "Indique el número de seguimiento del informe que este repite."),
    "review.duplicate_of_self": ("A report cannot be a duplicate of itself. Give the tracking number of the original "
                                 "report.",
                                 "Un informe no puede ser duplicado de sí mismo. Indique el número de seguimiento del "
                                 "informe original."),
    "review.duplicate_of_unknown": ("No report has the tracking number {tracking}. Check the number of the original "
                                    "report.",
                                    "Ningún informe tiene el número de seguimiento {tracking}. Revise el número del "
                                    "informe original."),
    "review.message_required": ("Say why the report is rejected: with the reason “other” a message is required.",
                                "Explique por qué se rechaza el informe: con el motivo «otro» el mensaje es "
                                "obligatorio."),
    # Another officer (or the citizen) acted first: nothing was stored.
    "review.conflict.approved": ("{tracking} was already approved by officer {who} at {at}; reload it.",
                                 "{tracking} ya fue aprobado por el oficial {who} a las {at}; vuelva a cargarlo."),
    "review.conflict.rejected": ("{tracking} was already rejected by officer {who} at {at}; reload it.",
                                 "{tracking} ya fue rechazado por el oficial {who} a las {at}; vuelva a cargarlo."),
    "review.conflict.info_requested": ("{tracking} was already sent back to the citizen with a question by officer "
                                       "{who} at {at}; reload it.",
                                       "{tracking} ya fue devuelto al ciudadano con una pregunta por el oficial {who} "
                                       "a las {at}; vuelva a cargarlo."),
    "review.conflict.supplemented": ("The citizen added information to {tracking} at {at}; reload it and read it "
                                     "before deciding.",
                                     "El ciudadano agregó información a {tracking} a las {at}; vuelva a cargarlo y "
                                     "léalo antes de decidir."),
    "review.conflict.changed": ("{tracking} was changed by {who} at {at}; reload it.",
                                "{tracking} fue modificado por {who} a las {at}; vuelva a cargarlo."),
    # The report's status does not allow the action (a decided report is final).
    "review.final.approved": ("{tracking} was approved by officer {who} at {at}; a decided report cannot be changed.",
                              "{tracking} fue aprobado por el oficial {who} a las {at}; un informe decidido no se "
                              "puede cambiar."),
    "review.final.rejected": ("{tracking} was rejected by officer {who} at {at}; a decided report cannot be changed.",
                              "{tracking} fue rechazado por el oficial {who} a las {at}; un informe decidido no se "
                              "puede cambiar."),
    # What the citizen should do next, by rejection reason (the officer may edit it before rejecting).
    "review.next_steps.duplicate": ("This incident is already reported under another tracking number, so you do not "
                                    "need to do anything. Questions: call {phone}.",
                                    "Este incidente ya está reportado con otro número de seguimiento, así que no "
                                    "necesita hacer nada. Preguntas: llame al {phone}."),
    "review.next_steps.wrong_offense_type": ("What happened needs a different kind of report. Please file a new "
                                             "report at the kiosk and choose the kind of incident that fits, or call "
                                             "{phone}.",
                                             "Lo que pasó necesita otro tipo de informe. Presente un informe nuevo en "
                                             "el quiosco y elija el tipo de incidente que corresponda, o llame al "
                                             "{phone}."),
    "review.next_steps.outside_city": ("The incident happened outside {city}. Please report it to the police of the "
                                       "town where it happened.",
                                       "El incidente ocurrió fuera de {city}. Repórtelo a la policía de la ciudad "
                                       "donde ocurrió."),
    "review.next_steps.suspect_or_evidence": ("Because there is a suspect or evidence, an officer needs to take this "
                                              "report. Please call {desk} or come to the front desk.",
                                              "Como hay un sospechoso o evidencia, un oficial debe tomar este "
                                              "informe. Llame al {desk} o venga a la recepción."),
    "review.next_steps.not_eligible": ("This incident cannot be reported at the kiosk. Please call {phone} to speak "
                                       "with an officer. In an emergency, call {emergency}.",
                                       "Este incidente no se puede reportar en el quiosco. Llame al {phone} para "
                                       "hablar con un oficial. En una emergencia, llame al {emergency}."),
    "review.next_steps.other": ("If you have questions about this decision, call {phone}.",
                                "Si tiene preguntas sobre esta decisión, llame al {phone}."),
}
