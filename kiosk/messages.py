"""Every message the core can give a person, in English and Spanish.

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

from kiosk.vocabulary import Category, Language

LANGUAGES: tuple[Language, ...] = tuple(Language)

# code -> (English, Spanish). Placeholders: {label} is the field's label; others come from Problem.params.
CATALOG: dict[str, tuple[str, str]] = {
    "shape.not_object": ("{label} must be a group of fields (a JSON object).",
                         "«{label}» debe ser un grupo de campos (un objeto JSON)."),
    "shape.not_list": ("{label} must be a list.", "«{label}» debe ser una lista."),
    "shape.not_json": ("The report is not valid JSON: {detail}. Check the file.",
                       "El informe no es JSON válido: {detail}. Revise el archivo."),
    "shape.unknown_key": ("“{key}” is not a field of the p2c-report/1 format. Remove it or check its spelling.",
                          "«{key}» no es un campo del formato p2c-report/1. Quítelo o revise cómo está escrito."),
    "shape.output_only": ("“{key}” is added by the kiosk when a report is stored. Remove it from a new report.",
                          "«{key}» lo agrega el quiosco al guardar un informe. Quítelo de un informe nuevo."),
    "shape.required": ("{label} is required.", "El campo «{label}» es obligatorio."),
    "shape.type_string": ("{label} must be text.", "«{label}» debe ser texto."),
    "shape.type_bool": ("{label} must be yes or no (true or false).", "«{label}» debe ser sí o no (true o false)."),
    "shape.type_int": ("{label} must be a whole number.", "«{label}» debe ser un número entero."),
    "text.too_long": ("{label} is too long: use at most {max} characters.",
                      "«{label}» es demasiado largo: use como máximo {max} caracteres."),
    "format.unknown": ("The format must be “p2c-report/1”.", "El formato debe ser «p2c-report/1»."),
    "category.unknown": ("Choose the kind of incident: vandalism or property damage, theft (larceny), lost property, "
                         "or identity theft or fraud. Anything else must be reported to an officer.",
                         "Elija el tipo de incidente: vandalismo o daño a la propiedad, robo (hurto), objetos "
                         "perdidos, o robo de identidad o fraude. Cualquier otra cosa debe reportarse a un oficial."),
    "language.unknown": ("The language must be en (English) or es (Spanish).",
                         "El idioma debe ser en (inglés) o es (español)."),
    "screening.emergency": ("This kiosk cannot take emergencies. If anyone is hurt or in danger, call {emergency} now.",
                            "Este quiosco no atiende emergencias. Si alguien está herido o en peligro, llame al "
                            "{emergency} ahora."),
    "screening.outside_city": ("The {department} can only take reports of incidents that happened in {city}. "
                               "Please report it to the police of the town where it happened.",
                               "El {department} solo puede recibir informes de incidentes ocurridos en {city}. "
                               "Repórtelo a la policía de la ciudad donde ocurrió."),
    "screening.suspect": ("Because you know who did it, or there is evidence such as video, a witness or a suspect, "
                          "an officer needs to take this report. Please speak to the desk officer or call {phone}.",
                          "Como usted sabe quién lo hizo, o hay evidencia como video, un testigo o un sospechoso, un "
                          "oficial debe tomar este informe. Hable con el oficial de recepción o llame al {phone}."),
    "name.chars": ("{label} may contain only letters, spaces, hyphens, apostrophes and periods.",
                   "«{label}» solo puede tener letras, espacios, guiones, apóstrofos y puntos."),
    "date.format": ("Enter {label} as year-month-day, for example 1980-04-25.",
                    "Escriba «{label}» como año-mes-día, por ejemplo 1980-04-25."),
    "dob.future": ("{label} cannot be today or in the future. Check the year.",
                   "«{label}» no puede ser hoy ni en el futuro. Revise el año."),
    "dob.too_young": ("You must be at least {age} years old to report at this kiosk. Please see the desk officer.",
                      "Debe tener al menos {age} años para reportar en este quiosco. Hable con el oficial de "
                      "recepción."),
    "dob.too_old": ("{label} is more than 120 years ago. Check the year.",
                    "«{label}» es de hace más de 120 años. Revise el año."),
    "state.invalid": ("Enter the 2-letter state code, for example CT.",
                      "Escriba el código de 2 letras del estado, por ejemplo CT."),
    "zip.invalid": ("Enter a 5-digit ZIP code, for example 06103 (ZIP+4 such as 06103-1234 is fine too).",
                    "Escriba un código postal de 5 dígitos, por ejemplo 06103 (también sirve 06103-1234)."),
    "contact.none": ("Give a phone number or an email address so an officer can reach you.",
                     "Dé un número de teléfono o un correo electrónico para que un oficial pueda comunicarse con "
                     "usted."),
    "contact.preference_unknown": ("Choose how we should reach you: email or phone.",
                                   "Elija cómo comunicarnos con usted: correo electrónico o teléfono."),
    "contact.preference_email_missing": ("You chose email as the way to reach you: enter an email address, or choose "
                                         "phone.",
                                         "Eligió el correo electrónico para comunicarnos: escriba su correo, o elija "
                                         "teléfono."),
    "contact.preference_phone_missing": ("You chose phone as the way to reach you: enter a phone number, or choose "
                                         "email.",
                                         "Eligió el teléfono para comunicarnos: escriba su número, o elija correo "
                                         "electrónico."),
    "phone.invalid": ("This is not a valid phone number. Enter 10 digits with the area code, for example "
                      "860-555-0142.",
                      "Este número de teléfono no es válido. Escriba 10 dígitos con el código de área, por ejemplo "
                      "860-555-0142."),
    "email.invalid": ("This is not a valid email address. Check it; it looks like name@example.com.",
                      "Este correo electrónico no es válido. Revíselo; se escribe como nombre@ejemplo.com."),
    "time.format": ("Enter {label} as a date and time with its time zone, for example 2026-11-20T14:30:00-05:00.",
                    "Escriba «{label}» como fecha y hora con su zona horaria, por ejemplo 2026-11-20T14:30:00-05:00."),
    "time.order": ("The time frame ends before it starts. Check both times.",
                   "El período termina antes de empezar. Revise las dos horas."),
    "time.future": ("{label} is in the future. Enter a time that has already passed.",
                    "«{label}» está en el futuro. Escriba una hora que ya pasó."),
    "time.too_old": ("The incident started more than {days} days ago. Please speak to the desk officer.",
                     "El incidente empezó hace más de {days} días. Hable con el oficial de recepción."),
    "location.outside": ("This place is not in {city}. This kiosk only takes reports of incidents in {city}; please "
                         "report it to the police of the town where it happened.",
                         "Este lugar no está en {city}. Este quiosco solo recibe informes de incidentes en {city}; "
                         "repórtelo a la policía de la ciudad donde ocurrió."),
    "location.street_unknown": ("This street is not on {city}'s street list. Check the spelling, or speak to the "
                                "desk officer.",
                                "Esta calle no está en la lista de calles de {city}. Revise cómo está escrita, o "
                                "hable con el oficial de recepción."),
    "place_type.unknown": ("Choose the kind of place where it happened.", "Elija el tipo de lugar donde ocurrió."),
    "narrative.too_short": ("Tell what happened in at least {min} characters: where it was, when you noticed, what "
                            "you saw.",
                            "Cuente lo que pasó en al menos {min} caracteres: dónde fue, cuándo se dio cuenta, qué "
                            "vio."),
    "narrative.too_long": ("The story is too long: use at most {max} characters (it has {count}).",
                           "El relato es demasiado largo: use como máximo {max} caracteres (tiene {count})."),
    "items.too_many": ("List at most {max} items. Put similar things together on one line.",
                       "Anote como máximo {max} objetos. Junte cosas parecidas en una línea."),
    "items.needs_stolen": ("A theft report needs at least one stolen item.",
                           "Un informe de robo necesita al menos un objeto robado."),
    "items.needs_damaged": ("A vandalism report needs at least one damaged item.",
                            "Un informe de vandalismo necesita al menos un objeto dañado."),
    "items.needs_lost": ("A lost property report needs at least one lost item.",
                         "Un informe de objetos perdidos necesita al menos un objeto perdido."),
    "item.disposition_unknown": ("Choose whether the item was stolen, damaged, lost, or a fraud loss.",
                                 "Elija si el objeto fue robado, dañado, perdido, o una pérdida por fraude."),
    "item.disposition_wrong": ("A “{disposition}” item does not belong in a {category} report. If that is what "
                               "happened, go back and choose another kind of incident.",
                               "Un objeto «{disposition}» no corresponde a un informe de {category}. Si eso fue lo "
                               "que pasó, vuelva atrás y elija otro tipo de incidente."),
    "item.quantity_range": ("Enter a quantity from 1 to {max}.", "Escriba una cantidad de 1 a {max}."),
    "item.value_format": ("Enter an amount in dollars, for example 125.00.",
                          "Escriba una cantidad en dólares, por ejemplo 125.00."),
    "item.value_range": ("Enter an amount from 0 to {max} dollars.", "Escriba una cantidad de 0 a {max} dólares."),
    "item.account_last4": ("Enter exactly the last 4 digits of the account, or leave it empty.",
                           "Escriba exactamente los últimos 4 dígitos de la cuenta, o déjelo vacío."),
    "attested.required": ("Confirm that the report is true before it can be submitted.",
                          "Confirme que el informe es verdadero antes de enviarlo."),
    "tracking.format": ("This is not a tracking number. It looks like T26-01-00042-1.",
                        "Esto no es un número de seguimiento. Se escribe como T26-01-00042-1."),
    "tracking.check_digit": ("This tracking number has a typing mistake (its last digit does not match). Check each "
                             "digit.",
                             "Este número de seguimiento tiene un error (el último dígito no coincide). Revise cada "
                             "dígito."),
    "tracking.not_found": ("No report has this tracking number.", "Ningún informe tiene este número de seguimiento."),
    # What happened to a receipt (kiosk.receipts.PrintOutcome.reason). The report itself is saved in every case.
    "print.printed": ("The receipt was printed.", "El comprobante se imprimió."),
    "print.no_printer": ("The receipt was not printed: this kiosk has no printer set up.",
                         "El comprobante no se imprimió: este quiosco no tiene una impresora configurada."),
    "print.printer_missing": ("The receipt was not printed: the receipt printer could not be found.",
                              "El comprobante no se imprimió: no se encontró la impresora de comprobantes."),
    "print.printer_stopped": ("The receipt was not printed: the printer is stopped, offline or out of paper.",
                              "El comprobante no se imprimió: la impresora está detenida, desconectada o sin "
                              "papel."),
    "print.job_failed": ("The receipt was not printed: the printer did not finish it.",
                         "El comprobante no se imprimió: la impresora no lo terminó."),
    "print.spooled": ("The report is saved. The receipt was kept as {path}; it can be printed again later.",
                      "El informe está guardado. El comprobante se guardó como {path}; se puede imprimir más tarde."),
    "store.failed": ("The report could not be saved. Nothing was stored. Please see the desk officer.",
                     "No se pudo guardar el informe. No se guardó nada. Hable con el oficial de recepción."),
}

# Field labels by path pattern (list indexes replaced by [*]).
LABELS: dict[str, tuple[str, str]] = {
    "": ("The report", "El informe"),
    "format": ("Format", "Formato"),
    "category": ("Kind of incident", "Tipo de incidente"),
    "language": ("Language", "Idioma"),
    "screening": ("Screening answers", "Respuestas de selección"),
    "screening.emergency": ("Emergency", "Emergencia"),
    "screening.in_city": ("Happened in the city", "Ocurrió en la ciudad"),
    "screening.suspect_or_evidence": ("Suspect or evidence", "Sospechoso o evidencia"),
    "attested": ("Confirmation", "Confirmación"),
    "reporter": ("About you", "Sus datos"),
    "reporter.first_name": ("First name", "Nombre"),
    "reporter.last_name": ("Last name", "Apellido"),
    "reporter.date_of_birth": ("Date of birth", "Fecha de nacimiento"),
    "reporter.address": ("Home address", "Domicilio"),
    "reporter.address.line1": ("Street address", "Dirección"),
    "reporter.address.line2": ("Apartment, unit or floor", "Apartamento, unidad o piso"),
    "reporter.address.city": ("City", "Ciudad"),
    "reporter.address.state": ("State", "Estado"),
    "reporter.address.zip": ("ZIP code", "Código postal"),
    "reporter.phone": ("Phone", "Teléfono"),
    "reporter.email": ("Email", "Correo electrónico"),
    "reporter.contact_preference": ("How to reach you", "Cómo comunicarnos con usted"),
    "incident": ("The incident", "El incidente"),
    "incident.occurred_from": ("Start of the time frame", "Inicio del período"),
    "incident.occurred_to": ("End of the time frame", "Fin del período"),
    "incident.location": ("Where it happened", "Dónde ocurrió"),
    "incident.location.line1": ("Street address where it happened", "Dirección donde ocurrió"),
    "incident.location.line2": ("More about the place", "Más detalles del lugar"),
    "incident.location.city": ("City where it happened", "Ciudad donde ocurrió"),
    "incident.location.state": ("State where it happened", "Estado donde ocurrió"),
    "incident.location.zip": ("ZIP code where it happened", "Código postal donde ocurrió"),
    "incident.location.place_type": ("Kind of place", "Tipo de lugar"),
    "incident.narrative": ("What happened", "Qué pasó"),
    "items": ("Items", "Objetos"),
    "items[*]": ("Item", "Objeto"),
    "items[*].disposition": ("What happened to the item", "Qué le pasó al objeto"),
    "items[*].description": ("Description", "Descripción"),
    "items[*].brand": ("Brand", "Marca"),
    "items[*].model": ("Model", "Modelo"),
    "items[*].serial_number": ("Serial number", "Número de serie"),
    "items[*].institution": ("Bank or company", "Banco o empresa"),
    "items[*].account_last4": ("Last 4 digits of the account", "Últimos 4 dígitos de la cuenta"),
    "items[*].quantity": ("Quantity", "Cantidad"),
    "items[*].value": ("Value", "Valor"),
}

# Names of codes that appear inside sentences.
TERMS: dict[str, tuple[str, str]] = {
    Category.VANDALISM: ("vandalism or property damage", "vandalismo o daño a la propiedad"),
    Category.LARCENY: ("theft", "robo"),
    Category.LOST_PROPERTY: ("lost property", "objetos perdidos"),
    Category.IDENTITY_THEFT: ("identity theft or fraud", "robo de identidad o fraude"),
    "stolen": ("stolen", "robado"),
    "damaged": ("damaged", "dañado"),
    "lost": ("lost", "perdido"),
    "fraud": ("fraud loss", "pérdida por fraude"),
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

    def render(self, language: str = Language.EN) -> str:
        return render(self, language)

    def __str__(self) -> str:
        return f"{self.field}: {self.render(Language.EN)}"


def label(path: str, language: str = Language.EN) -> str:
    pattern = _INDEX.sub("[*]", path)
    texts = LABELS.get(pattern)
    if texts is None:
        return path
    return texts[_lang_index(language)]


def term(code: str, language: str = Language.EN) -> str:
    texts = TERMS.get(code)
    return code if texts is None else texts[_lang_index(language)]


def render(problem: Problem, language: str = Language.EN) -> str:
    template = CATALOG[problem.code][_lang_index(language)]
    values: dict[str, object] = {"label": label(problem.field, language)}
    for key, value in problem.params.items():
        values[key] = term(str(value), language) if key in problem.term_params else value
    return template.format(**values)


def _lang_index(language: str) -> int:
    return 1 if language == Language.ES else 0
