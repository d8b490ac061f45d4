"""Messages of the lookup part of officer mode, merged into :data:`kiosk.messages.CATALOG` (code -> (English,
Spanish)); the same completeness checks apply.

``lookup.*`` are the refusals of "Check a report"; ``lookup.status.*`` say a report's status in plain words for the
citizen (:func:`kiosk.lookup.explain`), ``lookup.reason.*`` name why a report was not accepted, and
``lookup.officer_words_as_written`` follows an officer's own words shown to a visitor reading another language.
"""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str]] = {
    # Refusals. An unknown tracking number and a wrong access code get the same one (lookup.mismatch).
    "lookup.tracking_required": ("Enter the tracking number from your receipt. It looks like T26-01-00042-1.",
                                 "Escriba el número de seguimiento de su comprobante. Se escribe como "
                                 "T26-01-00042-1."),
    "lookup.code_required": ("Enter the access code from your receipt. It looks like K7QM-2XHD.",
                             "Escriba el código de acceso de su comprobante. Se escribe como K7QM-2XHD."),
    "lookup.code_format": ("An access code has 8 letters and digits, like K7QM-2XHD. Check it on your receipt.",
                           "Un código de acceso tiene 8 letras y números, como K7QM-2XHD. Revíselo en su "
                           "comprobante."),
    "lookup.mismatch": ("The tracking number and access code do not match. Check both on your receipt.",
                        "El número de seguimiento y el código de acceso no coinciden. Revise los dos en su "
                        "comprobante."),
    "lookup.locked": ("Too many wrong access codes were typed for this tracking number, so checking it is paused for "
                      "{minutes} more minutes. Please try again later, or see the desk officer.",
                      "Se escribieron demasiados códigos de acceso equivocados para este número de seguimiento, así "
                      "que su consulta está en pausa por {minutes} minutos más. Inténtelo más tarde, o hable con el "
                      "oficial de recepción."),
    "lookup.unavailable": ("Reports cannot be checked right now. Please see the desk officer.",
                           "Ahora no se pueden consultar informes. Hable con el oficial de recepción."),
    "lookup.cannot_answer": ("This report is not waiting for an answer from you, so nothing was added. Check its "
                             "status again.",
                             "Este informe no está esperando una respuesta suya, así que no se agregó nada. Consulte "
                             "su estado otra vez."),
    "lookup.answer_required": ("Write your answer to the officer's question: at least {min} characters.",
                               "Escriba su respuesta a la pregunta del oficial: al menos {min} caracteres."),
    "lookup.answer_too_short": ("Your answer is too short: write at least {min} characters (it has {count}).",
                                "Su respuesta es demasiado corta: escriba al menos {min} caracteres (tiene "
                                "{count})."),
    "lookup.answer_too_long": ("Your answer is too long: use at most {max} characters (it has {count}).",
                               "Su respuesta es demasiado larga: use como máximo {max} caracteres (tiene {count})."),
    # The status, in plain words.
    "lookup.status.submitted": ("Received. An officer has not looked at it yet.",
                                "Recibido. Un oficial todavía no lo ha revisado."),
    "lookup.status.in_review": ("An officer is reviewing your report. You will hear from us by email or phone.",
                                "Un oficial está revisando su informe. Le avisaremos por correo electrónico o por "
                                "teléfono."),
    "lookup.status.needs_info": ("An officer needs more information: “{question}” You can answer here.",
                                 "Un oficial necesita más información: «{question}» Puede responder aquí."),
    "lookup.status.needs_info_no_question": ("An officer needs more information from you. You can answer here, or "
                                             "see the desk officer.",
                                             "Un oficial necesita más información de usted. Puede responder aquí, o "
                                             "hablar con el oficial de recepción."),
    "lookup.status.approved": ("Approved. Your official report number is {official_number}; you can give it to your "
                               "insurance.",
                               "Aprobado. Su número oficial de informe es {official_number}; puede dárselo a su "
                               "seguro."),
    "lookup.status.approved_pending": ("Approved. Your official report number is pending: the police department "
                                       "gives it shortly. Check again later to see it here.",
                                       "Aprobado. Su número oficial de informe está pendiente: el departamento de "
                                       "policía lo asigna en breve. Consulte otra vez más tarde para verlo aquí."),
    "lookup.status.rejected": ("Not accepted: {reason}. What to do next: {next_steps}",
                               "No aceptado: {reason}. Qué hacer ahora: {next_steps}"),
    "lookup.status.rejected_no_steps": ("Not accepted: {reason}. For what to do next, please see the desk officer.",
                                        "No aceptado: {reason}. Para saber qué hacer ahora, hable con el oficial de "
                                        "recepción."),
    # After an officer's own words (a question, a message, next steps they wrote), when the visitor reads the page in
    # another language than the report's: the words are not translated.
    "lookup.officer_words_as_written": ("The officer's words are not translated.",
                                        "Las palabras del oficial no están traducidas."),
    # Why a report was not accepted (kiosk.review.REJECT_REASONS).
    "lookup.reason.duplicate": ("the same incident was already reported", "el mismo incidente ya se había reportado"),
    "lookup.reason.wrong_offense_type": ("this kind of incident cannot be reported at the kiosk",
                                         "este tipo de incidente no se puede reportar en el quiosco"),
    "lookup.reason.outside_city": ("it happened outside the city", "ocurrió fuera de la ciudad"),
    "lookup.reason.suspect_or_evidence": ("there is a suspect or evidence, so an officer must take the report",
                                          "hay un sospechoso o evidencia, así que un oficial debe tomar el informe"),
    "lookup.reason.not_eligible": ("this report cannot be taken as an online report",
                                   "este informe no se puede recibir como informe en línea"),
    "lookup.reason.other": ("an officer could not accept it as it is", "un oficial no pudo aceptarlo así como está"),
}
