"""Sample stored reports for looking at the documents (``python -m printing.screenshots``) and for the receipt
benchmark. Never used by the kiosk itself (the bundle does not carry ``resources/samples``).

The samples go through the real report service into a throw-away SQLite file, so they are exactly what
``ReportService.get`` returns for a report a citizen submitted (normalised, with tracking number and history).
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from kiosk.clock import ManualClock
from kiosk.config import Config, config_from_mapping
from kiosk.home import Kiosk
from kiosk.report_document import StoredReport
from kiosk.resources import resource_path
from kiosk.storage.database import open_store
from kiosk.storage.key import StorageKey

NOW = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # noon in Hartford; the incidents happened in the days before

SAMPLES_FOLDER = "samples"  # resources/samples: one new report (the input format) per JSON file


def sample_inputs() -> dict[str, dict[str, object]]:
    """New reports (the input format), by name: the JSON files of ``resources/samples``, in the order of their names.
    Data, not code: the samples name the languages they are written in, which no Python module may do (issue 20)."""
    folder = resource_path(SAMPLES_FOLDER)
    samples = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}
    if not samples:
        raise FileNotFoundError(f"no sample reports in {folder}")
    return samples


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
