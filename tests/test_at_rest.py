"""Nothing personal readable at rest (issue 17, docs/encryption.md): a kiosk process with its defaults takes a report
with a marker in every personal field, an officer decides it (the e-mails go to the outbox), its receipt and its full
copy are kept in the spool (no printer), a schema migration's backup is taken, and the process is killed (SIGKILL)
while it writes more reports. Then a byte search over every file in the data folder (the database, its -wal and
-shm, spool, backups, logs, the configuration) finds no marker, in UTF-8 or UTF-16, in any case, no "SQLite format 3"
header and no PDF header. The same search finds them in the decrypted pages, and everywhere on a kiosk with encryption
off: it is not blind."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from helpers import load_sample
from storage_keyring import decrypted_bytes

ROOT = Path(__file__).resolve().parent.parent
TAG = "zxqmark"  # in every marker below; seven letters that no ciphertext of this size holds by chance
PERSONAL = {
    "reporter.first_name": "Zxqmarkfirst",
    "reporter.last_name": "Zxqmarklast",
    "reporter.address.line1": "417 Zxqmarkstreet Ave",
    "reporter.address.line2": "Apt Zxqmarkapt",
    "reporter.email": "zxqmark.citizen@example.org",
    "incident.location.line1": "88 Zxqmarkplace Rd",
    "incident.narrative": "Someone cut the lock of my bicycle behind the Zxqmarkstory building during the night and "
                          "took it; nobody saw anything and there is no camera on that side.",
    "items.0.description": "Bicycle, Zxqmarkitem hybrid",
    "items.0.brand": "Zxqmarkbrand",
    "items.0.model": "Zxqmarkmodel",
    "items.0.serial_number": "ZXQMARK987",
}
PHONE, PHONE_DIGITS, BIRTH = "(860) 555-0177", "8605550177", "1977-03-14"
HEADER, PDF_HEADER = b"SQLite format 3", b"%PDF-"

KIOSK = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from argon2 import PasswordHasher
    from kiosk.home import configure_logging, open_kiosk
    from kiosk.storage.migrations import backup_file

    home, report = Path(sys.argv[1]), json.loads(sys.argv[2])
    configure_logging(home)
    kiosk = open_kiosk(home, password_hasher=PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
    receipt = kiosk.reports.submit(report)
    assert not kiosk.receipt_printer.print_receipt(receipt.tracking_number, receipt.access_code).printed
    kiosk.officers.add("jdoe", "Ofc. Jane Doe", "1234", "violet-harbor-lantern", role="admin", by="cli:test")
    session = kiosk.officers.login("jdoe", "violet-harbor-lantern")
    detail = kiosk.review.open_report(receipt.tracking_number, session)
    kiosk.review.approve(receipt.tracking_number, session, nibrs_code="23H", expected_version=detail.version)
    assert not kiosk.copy_printer.print_copy(kiosk.reports.get(receipt.tracking_number)).printed
    store = kiosk.store
    backup_file(store.db, store.path, 3, kiosk.clock.now(), store.key)  # what a schema migration takes first
    print("writing", flush=True)
    while True:  # until killed, mid-write
        kiosk.reports.submit(report)
""")


def planted_report() -> dict:
    report = load_sample("larceny-bicycle")
    for dotted, value in PERSONAL.items():
        *path, last = dotted.split(".")
        target = report
        for part in path:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    report["reporter"]["phone"], report["reporter"]["date_of_birth"] = PHONE, BIRTH
    return report


def needles() -> list[bytes]:
    words = [TAG, PHONE_DIGITS, BIRTH, "555-0177"]
    return [form for word in words for form in (word.encode(), word.encode("utf-16-le"))]


def found_in(data: bytes) -> list[str]:
    """The markers in ``data``, and the headers of a plaintext database or PDF (a PDF compresses its text, so its
    header is what gives away a copy kept in clear)."""
    lowered = data.lower()
    return [needle.decode("utf-16-le" if b"\0" in needle else "utf-8") for needle in needles() if needle in lowered] \
        + [header.decode() for header in (HEADER, PDF_HEADER) if header in data]


def run_killed_mid_write(home: Path) -> dict[str, Path]:
    """Run the kiosk above on ``home``, kill it while it writes, and give every file it left, by relative name."""
    child = subprocess.Popen([sys.executable, "-c", KIOSK, str(home), json.dumps(planted_report())], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "writing\n", child.communicate()
        time.sleep(0.3)  # some reports into the -wal
    finally:
        child.send_signal(signal.SIGKILL)
        _, errors = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, errors
    return {str(p.relative_to(home)): p for p in sorted(home.rglob("*")) if p.is_file()}


def test_nothing_personal_is_readable_in_the_data_folder_after_a_kill_mid_write(tmp_path):
    home = tmp_path / "kiosk"
    files = run_killed_mid_write(home)
    for expected in ("kiosk.sqlite3", "kiosk.sqlite3-wal", "kiosk.sqlite3-shm", "logs/kiosk.log", "kiosk.toml"):
        assert expected in files, sorted(files)
    assert [name for name in files if name.startswith("spool/")] and all(
        name.endswith(".pdf.sealed") for name in files if name.startswith("spool/"))
    assert [name for name in files if name.startswith("backups/")]
    assert {name: found for name, path in files.items() if (found := found_in(path.read_bytes()))} == {}

    # The search looks where the data is: with the key, the database's pages hold every marker.
    pages = decrypted_bytes(files["kiosk.sqlite3-wal"]) + decrypted_bytes(files["kiosk.sqlite3"])
    assert TAG.encode() in pages.lower() and PHONE_DIGITS.encode() in pages and BIRTH.encode() in pages


def test_the_same_search_on_a_kiosk_without_encryption_finds_everything(tmp_path):
    """What the test above would see if anything were left in clear: the search is not blind."""
    home = tmp_path / "kiosk"
    home.mkdir()
    (home / "kiosk.toml").write_text('[storage]\nencryption = "off"\n', encoding="utf-8")
    files = run_killed_mid_write(home)
    leaks = {name for name, path in files.items() if found_in(path.read_bytes())}
    assert {"kiosk.sqlite3", "kiosk.sqlite3-wal"} <= leaks
    assert any(name.startswith("spool/") for name in leaks) and any(name.startswith("backups/") for name in leaks)
