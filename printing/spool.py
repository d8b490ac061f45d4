"""The spool folder: PDFs that did not come out of the printer (receipts, report copies), kept for the desk."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path


def write_spool_file(folder: Path, kind: str, tracking: str, data: bytes, moment: datetime) -> Path:
    """Write ``data`` as ``<kind>-<tracking>-<local time>.pdf`` into ``folder`` (created readable by the kiosk's
    user only), atomically and on disk before returning: it holds personal data and may be the only copy."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    final = folder / f"{kind}-{tracking}-{moment.strftime('%Y%m%dT%H%M%S')}.pdf"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return final
