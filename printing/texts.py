"""Every text printed on a receipt or a report copy, in English and Spanish, and how dates and amounts are written.

Field labels and the names of categories and dispositions come from :mod:`kiosk.messages` (the words the citizen
saw on screen); everything else a document says is here, once. ``tests/printing/test_texts.py`` fails when a text
is missing in one language or the two use different placeholders.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from kiosk.messages import label, term
from kiosk.vocabulary import ContactPreference, EventAction, Language, PlaceType, Status

# The order of the languages is the order of each table's pair of texts: (English, Spanish).
LANGUAGES: tuple[Language, ...] = (Language.EN, Language.ES)
_NBSP = "\u00a0"

# key -> (English, Spanish). Placeholders in braces are filled by :func:`text`.
TEXTS: dict[str, tuple[str, str]] = {
    # -- the receipt ---------------------------------------------------------------------------------------------
    "receipt.title": ("Report receipt", "Comprobante de su informe"),
    "receipt.non_emergency": ("Non-emergency: {phone}", "Línea sin emergencia: {phone}"),
    "receipt.emergency": ("Emergency: call {number}", "Emergencia: llame al {number}"),
    "receipt.tracking": ("Your tracking number", "Su número de seguimiento"),
    "receipt.access_code": ("Access code", "Código de acceso"),
    "receipt.access_hint": ("To check the status of your report at the kiosk, type the tracking number and this "
                            "code, or scan the square code.",
                            "Para consultar el estado de su informe en el quiosco, escriba el número de seguimiento "
                            "y este código, o escanee el código cuadrado."),
    "receipt.reprinted": ("Printed again on {date}. The access code of any earlier receipt no longer works.",
                          "Impreso de nuevo el {date}. El código de acceso de un comprobante anterior ya no sirve."),
    "receipt.submitted": ("Submitted", "Enviado"),
    "receipt.at_home": ("At your home address (not printed here)", "En su domicilio (no se imprime aquí)"),
    "receipt.not_official": ("This is not an official police report until an officer approves it.",
                             "Esto no es un informe policial oficial hasta que un oficial lo apruebe."),
    "receipt.next": ("What happens next", "Qué pasa ahora"),
    "receipt.next_review": ("An officer reviews your report.", "Un oficial revisa su informe."),
    "receipt.next_watch": ("Watch your email and phone: that is how we will contact you.",
                           "Esté atento a su correo electrónico y a su teléfono: así nos comunicaremos con usted."),
    "receipt.next_more_info": ("You may be asked for more information.", "Es posible que le pidamos más información."),
    "receipt.next_approved": ("When it is approved, your report gets an official report number.",
                              "Cuando se apruebe, su informe recibirá un número de informe oficial."),
    "receipt.next_rejected": ("If it is rejected, you get an email with the reason and what to do.",
                              "Si se rechaza, recibirá un correo electrónico con el motivo y lo que debe hacer."),
    "receipt.questions": ("Keep this receipt. Questions? Call {phone} and give your tracking number.",
                          "Guarde este comprobante. ¿Preguntas? Llame al {phone} y dé su número de seguimiento."),
    # -- the full report copy ------------------------------------------------------------------------------------
    "copy.title": ("Self-report: full copy", "Autoinforme: copia completa"),
    "copy.approved": ("Approved by the department. Official report number: {number}.",
                      "Aprobado por el departamento. Número de informe oficial: {number}."),
    "copy.footer": ("Tracking number {tracking}  ·  Printed {printed}  ·  Page {page} of {pages}",
                    "Número de seguimiento {tracking}  ·  Impreso {printed}  ·  Página {page} de {pages}"),
    "copy.section_report": ("The report", "El informe"),
    "copy.section_screening": ("Before the report", "Antes del informe"),
    "copy.section_reporter": ("The person reporting", "La persona que reporta"),
    "copy.section_incident": ("The incident", "El incidente"),
    "copy.section_items": ("Items", "Objetos"),
    "copy.section_narrative": ("What happened, in the citizen's words", "Qué pasó, en palabras de la persona"),
    "copy.section_attestation": ("Confirmation", "Confirmación"),
    "copy.section_history": ("History", "Historial"),
    "copy.tracking": ("Tracking number", "Número de seguimiento"),
    "copy.status": ("Status", "Estado"),
    "copy.official_number": ("Official report number", "Número de informe oficial"),
    "copy.none_yet": ("none yet", "todavía no"),
    "copy.submitted": ("Submitted", "Enviado"),
    "copy.language": ("Language", "Idioma"),
    "copy.name": ("Name", "Nombre"),
    "copy.yes": ("Yes", "Sí"),
    "copy.no": ("No", "No"),
    "copy.not_given": ("not given", "no indicado"),
    "copy.emergency": ("Anyone hurt or in danger right now", "Alguien herido o en peligro en este momento"),
    "copy.in_city": ("Happened in the city", "Ocurrió en la ciudad"),
    "copy.suspect": ("Known suspect, or evidence such as video or a witness",
                     "Sospechoso conocido, o evidencia como video o un testigo"),
    "copy.items_none": ("No items were listed.", "No se indicó ningún objeto."),
    "copy.item_number": ("#", "N.º"),
    "copy.item_what": ("What happened", "Qué pasó"),
    "copy.item_details": ("Details", "Detalles"),
    "copy.item_quantity": ("Qty", "Cant."),
    "copy.item_value": ("Value", "Valor"),
    "copy.items_total": ("Total of the values given", "Total de los valores indicados"),
    "copy.attestation": ("I confirm that the information in this report is true to the best of my knowledge. I "
                         "understand that knowingly making a false report to the police is a crime.",
                         "Confirmo que la información de este informe es verdadera según mi leal saber y entender. "
                         "Entiendo que hacer a sabiendas una denuncia falsa a la policía es un delito."),
    "copy.attested": ("Confirmed by the person reporting when the report was submitted: {answer}.",
                      "Confirmado por la persona que reporta al enviar el informe: {answer}."),
    "copy.history_when": ("When", "Cuándo"),
    "copy.history_who": ("Who", "Quién"),
    "copy.history_what": ("What", "Qué"),
    "copy.history_status": ("Status after", "Estado después"),
    "copy.history_reason": ("Reason and message", "Motivo y mensaje"),
}

# The names of the vocabulary's codes, keyed by its members (a stored report's plain strings find them too).
STATUS_NAMES: dict[str, tuple[str, str]] = {
    Status.SUBMITTED: ("Submitted, waiting for review", "Enviado, en espera de revisión"),
    Status.IN_REVIEW: ("In review", "En revisión"),
    Status.NEEDS_INFO: ("More information needed", "Se necesita más información"),
    Status.APPROVED: ("Approved", "Aprobado"),
    Status.REJECTED: ("Rejected", "Rechazado"),
}

ACTION_NAMES: dict[str, tuple[str, str]] = {
    EventAction.SUBMITTED: ("Submitted at the kiosk", "Enviado en el quiosco"),
    EventAction.RECEIPT_REPRINTED: ("Receipt printed again (new access code)",
                                    "Comprobante reimpreso (nuevo código de acceso)"),
}

ACTOR_NAMES: dict[str, tuple[str, str]] = {
    "citizen": ("The person reporting", "La persona que reporta"),
}

PLACE_TYPES: dict[str, tuple[str, str]] = {
    PlaceType.RESIDENCE: ("Home", "Vivienda"),
    PlaceType.STREET: ("Street", "Calle"),
    PlaceType.PARKING_LOT: ("Parking lot", "Estacionamiento"),
    PlaceType.BUSINESS: ("Business or store", "Negocio o tienda"),
    PlaceType.PARK: ("Park", "Parque"),
    PlaceType.SCHOOL: ("School", "Escuela"),
    PlaceType.PUBLIC_TRANSIT: ("Bus, train or station", "Autobús, tren o estación"),
    PlaceType.VEHICLE: ("Vehicle", "Vehículo"),
    PlaceType.ONLINE: ("Online or by phone", "En línea o por teléfono"),
    PlaceType.OTHER: ("Other place", "Otro lugar"),
}

CONTACT_PREFERENCES: dict[str, tuple[str, str]] = {
    ContactPreference.EMAIL: ("Email", "Correo electrónico"),
    ContactPreference.PHONE: ("Phone", "Teléfono"),
}

LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    Language.EN: ("English", "Inglés"),
    Language.ES: ("Spanish", "Español"),
}

_MONTHS = (
    ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
     "December"),
    ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre",
     "diciembre"),
)


def _index(language: str) -> int:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    return LANGUAGES.index(language)


def text(key: str, language: str, **params: object) -> str:
    """The text ``key`` in ``language`` with its placeholders filled."""
    template = TEXTS[key][_index(language)]
    return template.format(**params) if params else template


def name_of(table: dict[str, tuple[str, str]], code: str | None, language: str) -> str:
    """A code's name from one of the tables above; an unknown code is shown as it is."""
    if code is None:
        return ""
    names = table.get(code)
    return code if names is None else names[_index(language)]


def field_label(path: str, language: str) -> str:
    """A field's label as the wizard shows it (from :mod:`kiosk.messages`)."""
    return label(path, language)


def category_name(category: str, language: str) -> str:
    """The category as a heading: "Theft", "Robo de identidad o fraude"."""
    return _capitalise(term(category, language))


def disposition_name(disposition: str, language: str) -> str:
    return _capitalise(term(disposition, language))


def format_date(day: date, language: str) -> str:
    """``November 24, 2026`` or ``24 de noviembre de 2026``."""
    month = _MONTHS[_index(language)][day.month - 1]
    if language == Language.ES:
        return f"{day.day} de {month} de {day.year}"
    return f"{month} {day.day}, {day.year}"


def format_datetime(moment: datetime, language: str) -> str:
    """``November 24, 2026, 12:00 PM EST`` or ``24 de noviembre de 2026, 12:00 p. m. EST``: in the time zone
    ``moment`` carries (the caller converts to the kiosk's zone first), with its abbreviation. The time is held
    together by no-break spaces so that it never wraps in the middle."""
    hour = moment.hour % 12 or 12
    if language == Language.ES:
        half = f"a.{_NBSP}m." if moment.hour < 12 else f"p.{_NBSP}m."
    else:
        half = "AM" if moment.hour < 12 else "PM"
    time = f"{hour}:{moment.minute:02d}{_NBSP}{half}"
    zone = moment.tzname()
    if zone:
        time += f"{_NBSP}{zone}"
    return f"{format_date(moment.date(), language)}, {time}"


def format_amount(amount: Decimal) -> str:
    """US dollars with thousands separators: ``$1,289.40`` (the same in both languages, as US forms write it)."""
    return f"${amount:,.2f}"


def _capitalise(words: str) -> str:
    return words[:1].upper() + words[1:]
