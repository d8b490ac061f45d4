"""Encryption benchmark (issue 17, docs/encryption.md): what SQLCipher costs on a kiosk database of 100,000 reports.

    .venv/bin/python benchmarks/encryption.py [--reports 100000] [--runs 300] [--opens 50] [--seed 2026]

Steps, on one file system and in one run, so that the figures are ratios that hold on another machine:

1. fill a plaintext store to N reports (benchmarks/store.py's ``fill``: rows as ``ReportService.submit`` writes them)
   and make an encrypted twin of it the way a kiosk of an earlier version is migrated on its first start
   (``kiosk.storage.encrypt.encrypt_in_place``: timed);
2. open each store ``--opens`` times (``open_store`` with its key, as the kiosk after a restart: the key check on a
   read-only open, the connection, the pragmas, the schema version);
3. ``ReportService.submit`` on each, interleaved with the anchor (one bare ``synchronous=FULL`` WAL commit into a
   scratch SQLite file) one of each per run, both stores in WAL mode with ``synchronous=FULL``;
4. a key rotation's re-encryption of the whole file (the database part of ``p2c-kiosk rekey``).

Prints median and p95 of each, beside the anchor; goals (judged on the medians): encrypted submit at most 1.3 times the
plaintext submit, opening the encrypted store at most 50 ms. The keys are given directly (``StorageKey``): reading
one from a keyring is the keyring's own cost (a file read for the deployed kiosk's systemd credential).
"""

from __future__ import annotations

import argparse
import gc
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from store import Anchor, fill, machine_info, p95, raw_report  # noqa: E402  (benchmarks/store.py)

from kiosk.clock import SystemClock  # noqa: E402
from kiosk.config import config_from_mapping  # noqa: E402
from kiosk.reports import ReportService  # noqa: E402
from kiosk.storage.database import open_store  # noqa: E402
from kiosk.storage.encrypt import encrypt_in_place  # noqa: E402
from kiosk.storage.key import StorageKey  # noqa: E402

SUBMIT_MAX_RATIO = 1.3
OPEN_MAX_MS = 50.0


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f}"


def line(label: str, samples: list[float], anchor: float | None = None) -> str:
    median = statistics.median(samples)
    text = f"  {label:<44} median {ms(median)} ms   p95 {ms(p95(samples))} ms"
    return text + (f"   {median / anchor:5.1f} x anchor" if anchor else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=300, help="timed submits per store (default 300)")
    parser.add_argument("--opens", type=int, default=50, help="timed opens per store (default 50)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="p2c-bench-encryption-"))
    try:
        run(folder, args.reports, args.runs, args.opens, args.seed)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def run(folder: Path, count: int, runs: int, opens: int, seed: int) -> None:
    rng = random.Random(seed)
    config, clock = config_from_mapping({}), SystemClock()
    key = StorageKey.generate()
    print("P2C encryption benchmark (SQLCipher 4, raw 256-bit key)")
    for text in machine_info(folder):
        print("  " + text)
    probe = open_store(":memory:", key=key)
    print(f"  sqlcipher   {probe.db.execute_sql('PRAGMA cipher_version').fetchone()[0]} on SQLite "
          f"{probe.db.execute_sql('SELECT sqlite_version()').fetchone()[0]} (sqlcipher3; the anchor uses the sqlite "
          "above)")
    probe.close()
    plain_path, secret_path = folder / "plain" / "kiosk.sqlite3", folder / "secret" / "kiosk.sqlite3"

    # 1. Fill, and migrate a copy the way a kiosk's first start does.
    store = open_store(plain_path, key=None)
    started = time.perf_counter()
    fill(store, config, count, clock.now(), rng)
    print(f"\nfill        {count:,} reports in {time.perf_counter() - started:.1f} s")
    store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    secret_path.parent.mkdir()
    shutil.copy2(plain_path, secret_path)
    started = time.perf_counter()
    encrypt_in_place(secret_path, key)
    migrated = time.perf_counter() - started
    size = secret_path.stat().st_size
    print(f"migrate     plaintext -> encrypted in place: {migrated:.2f} s for {size / 1e6:.0f} MB "
          f"(export, check, fsync, swap, overwrite the old file)")

    # 2. Opening.
    open_samples: dict[str, list[float]] = {"plaintext": [], "encrypted": []}
    for _ in range(opens + 3):
        for name, path, given in (("plaintext", plain_path, None), ("encrypted", secret_path, key)):
            gc.collect()
            started = time.perf_counter()
            opened = open_store(path, key=given)
            opened.db.execute_sql("SELECT count(*) FROM schema_version").fetchone()  # first page read
            open_samples[name].append(time.perf_counter() - started)
            opened.close()
    print(f"\nopen_store, {opens} times each (fresh connection, as after a restart)")
    for name, samples in open_samples.items():
        print(line(name, samples[3:]))

    # 3. Submit, interleaved with the anchor.
    plain, secret = open_store(plain_path, key=None), open_store(secret_path, key=key)
    services = {"plaintext": ReportService(lambda: plain, config, clock),
                "encrypted": ReportService(lambda: secret, config, clock)}
    anchor = Anchor(folder / "anchor.sqlite3")
    warmup = max(5, runs // 10)
    reports = [raw_report(rng, clock.now(), config.kiosk.zone) for _ in range(2 * (runs + warmup))]
    samples: dict[str, list[float]] = {"anchor": [], "plaintext": [], "encrypted": []}
    for index in range(runs + warmup):
        if index == warmup:
            gc.collect()
        timings = []
        started = time.perf_counter()
        anchor.commit_once()
        timings.append(("anchor", time.perf_counter() - started))
        order = ("plaintext", "encrypted") if index % 2 else ("encrypted", "plaintext")  # neither always goes first
        for name in order:
            started = time.perf_counter()
            services[name].submit(reports[2 * index + (name == "encrypted")])
            timings.append((name, time.perf_counter() - started))
        if index >= warmup:
            for name, seconds in timings:
                samples[name].append(seconds)
    anchor.close()
    anchor_median = statistics.median(samples["anchor"])
    print(f"\nsubmit on {count:,} reports, {runs} runs each after {warmup} warm-up, WAL + synchronous=FULL")
    print(line("anchor: bare WAL commit (synchronous=FULL)", samples["anchor"]))
    print(line("submit, plaintext store", samples["plaintext"], anchor_median))
    print(line("submit, encrypted store", samples["encrypted"], anchor_median))

    # 4. A rotation's re-encryption of the database.
    plain.close()
    secret.close()
    started = time.perf_counter()
    encrypt_in_place(secret_path, StorageKey.generate(), old_key=key)
    rotated = time.perf_counter() - started
    print(f"\nrekey       re-encrypting the database under a new key: {rotated:.2f} s")

    ratio = statistics.median(samples["encrypted"]) / statistics.median(samples["plaintext"])
    opened_ms = statistics.median(open_samples["encrypted"][3:]) * 1000
    print("\ngoals (medians)")
    print(f"  encrypted submit / plaintext submit   {ratio:.2f} x   (goal <= {SUBMIT_MAX_RATIO}): "
          f"{'met' if ratio <= SUBMIT_MAX_RATIO else 'NOT MET'}")
    print(f"  open the encrypted store              {opened_ms:.1f} ms (goal <= {OPEN_MAX_MS:.0f} ms): "
          f"{'met' if opened_ms <= OPEN_MAX_MS else 'NOT MET'}")


if __name__ == "__main__":
    sys.exit(main())
