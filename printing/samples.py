"""Sample stored reports for looking at the documents (``python -m printing.screenshots``) and for the receipt
benchmark. Never used by the kiosk itself.

The samples go through the real report service into a throw-away SQLite file, so they are exactly what
``ReportService.get`` returns for a report a citizen submitted (normalised, with tracking number and history).
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from kiosk.clock import ManualClock
from kiosk.config import Config, config_from_mapping
from kiosk.home import Kiosk
from kiosk.report_document import StoredReport
from kiosk.storage.database import open_store
from kiosk.storage.key import StorageKey
from kiosk.translation import SOURCE_LANGUAGE
from kiosk.vocabulary import Category, ContactPreference, PlaceType, ScreeningQuestion

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # noon in Hartford; the incidents happened in the days before

_NARRATIVE = (
    "Cuando volví a mi taller el domingo por la mañana, la puerta lateral estaba forzada con una herramienta y la "
    "cerradura doblada. El gabinete del cuarto de atrás estaba vacío: faltaban las herramientas eléctricas, la "
    "computadora y la caja de dinero. El panel de la alarma muestra que el sensor de la puerta dejó de responder "
    "a las 11:40 p. m. del sábado, y los vecinos me dijeron que no oyeron nada durante la noche. Revisé cada "
    "cuarto, hice una lista de todo lo que falta con los números de serie de mis facturas y no toqué la puerta "
    "ni el gabinete.\n"
)


def _report(category: Category, language: str, first: str, last: str, location: dict[str, str],
            items: list[dict[str, object]], narrative: str) -> dict[str, object]:
    return {
        "format": "p2c-report/1",
        "category": category,
        "language": language,
        "screening": {ScreeningQuestion.EMERGENCY: False, ScreeningQuestion.IN_CITY: True,
                      ScreeningQuestion.SUSPECT_OR_EVIDENCE: False},
        "reporter": {
            "first_name": first,
            "last_name": last,
            "date_of_birth": "1984-03-09",
            "address": {"line1": "250 Constitution Plaza", "line2": "Apt 12B", "city": "Hartford", "state": "CT",
                        "zip": "06103"},
            "phone": "(860) 555-0177",
            "email": "reporter@example.org",
            "contact_preference": ContactPreference.EMAIL,
        },
        "incident": {
            "occurred_from": "2026-11-21T23:30:00-05:00",
            "occurred_to": "2026-11-22T07:15:00-05:00",
            "location": {"city": "Hartford", "state": "CT", **location},
            "narrative": narrative,
        },
        "items": items,
        "attested": True,
    }


def sample_inputs() -> dict[str, dict[str, object]]:
    """New reports (the input format), by name."""
    tools = [
        {"disposition": "stolen", "description": what, "brand": brand, "model": model,
         "serial_number": f"{brand[:3].upper()}-{1000 + n * 37}-{model.replace(' ', '')}", "quantity": quantity,
         "value": value}
        for n, (what, brand, model, quantity, value) in enumerate([
            ("Taladro inalámbrico con dos baterías", "DeWalt", "DCD791", 1, "189.00"),
            ("Atornillador de impacto", "Makita", "XDT13", 1, "149.99"),
            ("Sierra circular", "Milwaukee", "2730-20", 1, "229.00"),
            ("Computadora portátil de 15 pulgadas, gris", "Lenovo", "ThinkPad E15", 1, "899.00"),
            ("Caja de dinero con las ventas del fin de semana", "Steelmaster", "2216190", 1, "640.00"),
            ("Nivel láser", "Bosch", "GLL 3-80", 1, "379.00"),
            ("Juego de dados de 170 piezas", "Craftsman", "CMMT12034", 1, "99.98"),
            ("Extensiones eléctricas de 50 pies", "Southwire", "2588SW", 3, "104.97"),
            ("Esmeriladora angular", "Metabo", "WEP 15-150", 1, "259.00"),
            ("Lámparas de trabajo LED", "Klein", "56403", 2, "159.98"),
        ], start=1)
    ]
    return {
        "theft-shop-es": _report(
            Category.LARCENY, "es", "María José", "Núñez",
            {"line1": "1875 Park St", "line2": "Taller detrás de la panadería, puerta lateral", "zip": "06106",
             "place_type": PlaceType.BUSINESS},
            tools, (_NARRATIVE * 4).strip()),
        "unicode-long-en": _report(
            Category.VANDALISM, SOURCE_LANGUAGE, "Zoë", "O'Brien-Łukasik",
            {"line1": "Bushnell Park, Elm Street entrance by the Pump House Gallery and the carousel",
             "line2": "Bench beside the pond, under the lamp post with the plaque for Nguyễn Thị Minh",
             "zip": "06106", "place_type": PlaceType.PARK},
            [{"disposition": "damaged", "description": "Bicycle basket and front wheel bent", "quantity": 1,
              "value": "85.00"}],
            "My bicycle was parked by the bench and someone kicked the front wheel and the basket until they bent."),
        "identity-theft-vi": _report(
            Category.IDENTITY_THEFT, SOURCE_LANGUAGE, "Nguyễn Thị", "Minh",
            {"line1": "250 Constitution Plaza", "line2": "Apt 12B", "zip": "06103", "place_type": PlaceType.ONLINE},
            [{"disposition": "fraud", "description": "Card charges I did not make", "institution": "Example Bank",
              "account_last4": "4417", "quantity": 1, "value": "1289.40"}],
            "My bank statement showed card charges I did not make and a new account was opened in my name."),
    }


def sample_reports(config: Config | None = None) -> tuple[dict[str, tuple[StoredReport, str]], Config]:
    """Each sample submitted to a throw-away store: name -> (stored report, access code), and the configuration."""
    config = config or config_from_mapping({})
    with tempfile.TemporaryDirectory(prefix="p2c-samples-") as folder:
        # A key of its own, made here and gone with the folder: the samples need no keyring.
        store = open_store(Path(folder) / "samples.sqlite3", key=StorageKey.generate())
        try:
            service = Kiosk(Path(folder), config, clock=ManualClock(NOW), store=store, receipt_printer=None).reports
            out = {}
            for name, data in sample_inputs().items():
                receipt = service.submit(data)
                out[name] = (service.get(receipt.tracking_number), receipt.access_code)
        finally:
            store.close()
    return out, config
