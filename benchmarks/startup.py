"""Start-up and page-change figures for the kiosk window, beside a bare PySide6 QWizard measured in the same run.

    .venv/bin/python benchmarks/startup.py [--runs 15]

Cold start: wall time from launching ``p2c-kiosk --home DIR run --smoke-test`` (offscreen) until the process
exits after the welcome page has been painted, and the process's peak RSS; the anchor is a script that imports
PySide6, shows a two-page QWizard and exits from the event loop's first turn (before the wizard's first paint event,
as it turns out: a slightly stricter anchor than "shown"). Both are measured alternately, one of each per run.
Both inherit the environment: with PYTHONDONTWRITEBYTECODE set, Python keeps no byte-code caches and every start
compiles the kiosk's modules again (the header line says which); an installed kiosk (pip, or the PyInstaller bundle)
has them.
Page change: in one process, the time from clicking a wizard button until the new page has been painted.
Figures print as median and p95; the goals are start within 1.5x the bare wizard, a page change within one 60 Hz frame
(16.7 ms) and within 3x a bare QWizard's Next / Back measured interleaved in the same process.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAME_MS = 1000 / 60
START_GOAL_X = 1.5  # issue 19 (it was 2)

BARE_WIZARD = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWizard, QWizardPage
    app = QApplication(sys.argv)
    wizard = QWizard()
    for title in ("First", "Second"):
        page = QWizardPage()
        page.setTitle(title)
        QVBoxLayout(page).addWidget(QLabel(title))
        wizard.addPage(page)
    wizard.show()
    QTimer.singleShot(0, app.quit)  # after the first paint
    sys.exit(app.exec())
""")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def timed_process(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process, which must exit 0."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{argv} exited {process.returncode}: {stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def deployed_key(folder: Path) -> dict[str, str]:
    """The environment in which the kiosk finds its storage key as an installed kiosk does: a systemd credential
    (``$CREDENTIALS_DIRECTORY/storage-key``, read by kiosk.credentials_keyring), made here for this run only."""
    from kiosk.credentials_keyring import BACKEND_NAME, CREDENTIALS_ENV
    from kiosk.storage.key import StorageKey

    folder.mkdir(mode=0o700)
    (folder / "storage-key").write_text(StorageKey.generate().as_text(), encoding="utf-8")
    return {"PYTHON_KEYRING_BACKEND": BACKEND_NAME, CREDENTIALS_ENV: str(folder)}


def cold_starts(runs: int, executable: str | None = None, *,
                bytecode_cache: bool = False) -> dict[str, list[tuple[float, float]]]:
    """``bytecode_cache``: both processes keep byte-code caches in a folder of this run's (written by the untimed
    first starts), as an installed kiosk has them; otherwise they inherit the environment."""
    kiosk = [executable or str(Path(sys.executable).parent / "p2c-kiosk")]
    results: dict[str, list[tuple[float, float]]] = {"bare": [], "kiosk": []}
    with tempfile.TemporaryDirectory() as scratch:
        home = str(Path(scratch) / "home")
        # The store is encrypted, as on a kiosk; the key comes the way an installed kiosk's does.
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **deployed_key(Path(scratch) / "credentials")}
        if bytecode_cache:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(scratch) / "pycache")
        # First start creates the data folder and database: not a cold start of an installed kiosk, so untimed.
        timed_process([*kiosk, "--home", home, "run", "--smoke-test"], env)
        timed_process([sys.executable, "-c", BARE_WIZARD], env)
        for _ in range(runs):
            results["bare"].append(timed_process([sys.executable, "-c", BARE_WIZARD], env))
            results["kiosk"].append(timed_process([*kiosk, "--home", home, "run", "--smoke-test"], env))
    return results


def page_changes(runs: int) -> dict[str, list[float]]:
    """Milliseconds from a click on Start / Next to the next page painted, in one warm process: the kiosk's wizard
    and, interleaved, a bare QWizard's Next and Back (benchmarks/page_change.py)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from benchmarks.page_change import measure_page_changes

    return measure_page_changes(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--executable", help="the p2c-kiosk to start (default: the venv's; e.g. the bundle's "
                                             "dist/p2c-kiosk/p2c-kiosk)")
    parser.add_argument("--bytecode-cache", action="store_true",
                        help="both processes keep byte-code caches (in a folder of this run's), as an installed kiosk "
                             "does; by default they inherit the environment (PYTHONDONTWRITEBYTECODE)")
    parser.add_argument("--starts-only", action="store_true", help="no page-change figures")
    args = parser.parse_args()

    import PySide6

    print(f"python {platform.python_version()}, PySide6 {PySide6.__version__}, {os.cpu_count()} cores, "
          f"{platform.platform()}")
    # Other work on this shared machine moves both figures and their ratio: the load says how busy it was.
    print("load average at the start: " + ", ".join(f"{load:.2f}" for load in os.getloadavg()))
    if args.bytecode_cache:
        print("byte-code caches: on (both processes, a folder of this run's filled by the untimed first starts)")
    else:
        print("byte-code caches: " + ("off (PYTHONDONTWRITEBYTECODE is set: every start compiles the modules whose "
                                      "cache is missing or stale)" if os.environ.get("PYTHONDONTWRITEBYTECODE")
                                      else "on"))
    starts = cold_starts(args.runs, args.executable, bytecode_cache=args.bytecode_cache)
    print(f"kiosk: {args.executable or 'the venv console script p2c-kiosk'}")
    bare = [s for s, _ in starts["bare"]]
    kiosk = [s for s, _ in starts["kiosk"]]
    ratio = statistics.median(kiosk) / statistics.median(bare)
    print(f"\nCold start, offscreen, {args.runs} runs each (alternating)")
    print("| what | median s | p95 s | peak RSS MB (median) | x anchor |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, label in (("bare", "anchor: bare PySide6 QWizard"), ("kiosk", "p2c-kiosk run to welcome painted")):
        seconds = [s for s, _ in starts[name]]
        rss = statistics.median(r for _, r in starts[name])
        factor = statistics.median(seconds) / statistics.median(bare)
        print(f"| {label} | {statistics.median(seconds):.3f} | {p95(seconds):.3f} | {rss:.0f} | {factor:.2f} |")

    print("\nGoals (median)")
    print(f"  start within {START_GOAL_X}x the bare wizard: {ratio:.2f}x -> "
          f"{'met' if ratio <= START_GOAL_X else 'NOT met'}")
    if args.starts_only:
        return

    from benchmarks.page_change import GOAL_X_BARE, page_change_table

    times = page_changes(max(args.runs * 4, 40))
    changes = times["kiosk"]
    change_ratio = statistics.median(changes) / statistics.median(times["bare"])
    change = statistics.median(changes)
    print(f"  page change within one 60 Hz frame ({FRAME_MS:.1f} ms): {change:.2f} ms -> "
          f"{'met' if change <= FRAME_MS else 'NOT met'}")
    print(f"  page change within {GOAL_X_BARE:.0f}x the bare wizard's: {change_ratio:.2f}x -> "
          f"{'met' if change_ratio <= GOAL_X_BARE else 'NOT met'}")
    print()
    print(page_change_table(times))

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
