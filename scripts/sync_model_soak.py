"""The model-based test of the one order of decisions (tests/decision_model.py), run long: random examples (not the
fixed ones of `make test`) until at least ``--steps`` steps have run, each step checked against the real kiosk store
and the real server on 127.0.0.1. Prints what ran; exits 1 on the first disagreement, with hypothesis's steps to
reproduce it.

    .venv/bin/python scripts/sync_model_soak.py --steps 2000 [--steps-per-example 60] [--seed N]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=2000, help="run at least this many steps in all")
    parser.add_argument("--steps-per-example", type=int, default=60, help="the most steps of one example")
    parser.add_argument("--seed", type=int, default=None, help="run one batch of ten examples from this seed (to "
                                                               "reproduce a failure)")
    args = parser.parse_args(argv)
    sys.path[:0] = [str(TESTS), str(ROOT)]
    logging.basicConfig(level=logging.ERROR)  # the engine's warnings of every refusal and failed run are expected
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="p2c-soak-keyring-") as folder:
        _storage_keyring(Path(folder) / "keys.json")
        from decision_model import run_model

        totals: Counter[str] = Counter()
        started = time.monotonic()
        while totals["steps"] < args.steps:
            # A new seed for every batch of examples (hypothesis would otherwise start each batch from the same
            # state of the random module); printed, so that a failure can be run again with --seed.
            seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
            try:
                totals += run_model(max_examples=10, steps=args.steps_per_example, seed=seed)
            except Exception as exc:  # hypothesis has printed the failing steps
                print(f"FAILED (seed {seed}) after {totals['steps']} steps: {exc.__class__.__name__}: {exc}",
                      file=sys.stderr)
                return 1
            print(f"... seed {seed}: {totals['steps']} steps, {totals['examples']} examples, "
                  f"{time.monotonic() - started:.0f} s", flush=True)
            if args.seed is not None:
                break
    elapsed = time.monotonic() - started
    print(f"passed: {totals['steps']} steps in {totals['examples']} examples, {elapsed:.0f} s; "
          f"{totals['checked syncs']} successful syncs checked")
    for what, count in sorted(totals.items()):
        if what not in ("steps", "examples", "checked syncs"):
            print(f"  {what}: {count}")
    return 0


def _storage_keyring(path: Path) -> None:
    """The storage key's keyring, as tests/conftest.py gives the test run one."""
    from storage_keyring import BACKEND, FILE_ENV, JsonFileKeyring

    from kiosk.storage.key import KeyringKeys

    os.environ[FILE_ENV] = str(path)
    os.environ["PYTHON_KEYRING_BACKEND"] = BACKEND
    KeyringKeys.default_backend = JsonFileKeyring(path)  # type: ignore[assignment]


if __name__ == "__main__":
    sys.exit(main())
