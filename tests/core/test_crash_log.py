"""The kiosk's log keeps what nobody expected: the stack of a native crash, and an uncaught exception once per place,
without its message (which may quote what a visitor typed)."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.crash_log import log_uncaught_exceptions

REPO = Path(__file__).resolve().parents[2]


def run_child(code: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), str(home)], cwd=REPO, capture_output=True,
                          text=True, timeout=60)


def test_a_native_crash_leaves_its_python_stack_in_the_kiosk_log(tmp_path: Path) -> None:
    result = run_child("""
        import ctypes, logging, sys
        from pathlib import Path
        from kiosk.home import configure_logging
        configure_logging(Path(sys.argv[1]))
        logging.getLogger("kiosk.test").info("about to crash")
        def deep_inside_the_kiosk():
            ctypes.string_at(0)  # reads address 0: a real segmentation fault
        deep_inside_the_kiosk()
    """, tmp_path)
    assert result.returncode == -11, result.stderr
    text = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "about to crash" in text
    assert "Fatal Python error: Segmentation fault" in text
    assert "deep_inside_the_kiosk" in text


def test_after_the_log_rotates_the_crash_trace_goes_to_the_new_file(tmp_path: Path) -> None:
    result = run_child("""
        import ctypes, logging, sys
        from pathlib import Path
        from kiosk.crash_log import FaultTracingLogHandler
        handler = FaultTracingLogHandler(Path(sys.argv[1]) / "kiosk.log", maxBytes=300, backupCount=2)
        logger = logging.getLogger("rotating")
        logger.addHandler(handler)
        for number in range(40):
            logger.warning("line %02d of enough text to rotate the log file more than once", number)
        ctypes.string_at(0)
    """, tmp_path)
    assert result.returncode == -11, result.stderr
    assert (tmp_path / "kiosk.log.1").exists()
    current = (tmp_path / "kiosk.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in current
    assert "Segmentation fault" not in (tmp_path / "kiosk.log.1").read_text(encoding="utf-8")


def raise_at_one_place(secret: str) -> None:
    raise ValueError(f"could not parse {secret}")


@pytest.fixture
def hook(caplog: pytest.LogCaptureFixture):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.ERROR, logger="kiosk.crash_log")
    previous = log_uncaught_exceptions()
    try:
        yield sys.excepthook
    finally:
        sys.excepthook = previous


def deliver(hook, error_source) -> None:  # type: ignore[no-untyped-def]
    try:
        error_source()
    except Exception as error:  # handed to the hook as the interpreter would
        hook(type(error), error, error.__traceback__)


def test_an_uncaught_exception_is_logged_once_per_place_without_its_message(hook, caplog) -> None:  # type: ignore[no-untyped-def]
    typed = "Marta Díaz"  # what a visitor typed, inside the exception's message
    for _ in range(3):
        deliver(hook, lambda: raise_at_one_place(typed))
    deliver(hook, lambda: {}["missing"])

    records = [r.getMessage() for r in caplog.records]
    assert len(records) == 2, records
    assert records[0].startswith("uncaught ValueError") and "raise_at_one_place" in records[0]
    assert records[1].startswith("uncaught KeyError")
    assert not any("Marta" in text for text in records)


def test_repeats_are_counted_not_logged_again(hook, caplog) -> None:  # type: ignore[no-untyped-def]
    for _ in range(10):
        deliver(hook, lambda: raise_at_one_place("x"))
    assert [r.getMessage().splitlines()[0] for r in caplog.records] == [
        "uncaught ValueError (the kiosk carries on); its message is left out of the log:",
        "uncaught ValueError at the same place again: 10 times so far",
    ]
