"""The encrypted store on the kiosk window's worker pool (Qt's pooled threads): a connection a job leaves open is
closed by the next one, never freed while the job's Python thread state is torn down, which aborts the process with
sqlcipher3 0.6.4 (kiosk.storage.database.KioskDatabase). Run in a child process: an abort there fails this test
instead of ending the test run."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

JOBS = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication, QRunnable, QThreadPool
    from kiosk.storage.database import open_store
    from kiosk.storage.key import StorageKey

    store = open_store(Path(sys.argv[1]), key=StorageKey.generate())
    counts = []

    class Job(QRunnable):
        def run(self):
            counts.append(store.db.execute_sql("SELECT count(*) FROM report").fetchone()[0])

    app = QCoreApplication([])
    pool = QThreadPool()
    for _ in range(5):
        pool.start(Job())
        pool.waitForDone()
    print(len(counts), store.db.close_orphans())
    store.close()
""")


def test_jobs_on_qt_pooled_threads_leave_no_connection_to_abort_the_process(tmp_path):
    done = subprocess.run([sys.executable, "-c", JOBS, str(tmp_path / "kiosk.sqlite3")], capture_output=True,
                          text=True, cwd=ROOT, timeout=60, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    jobs, left = done.stdout.split()
    assert jobs == "5" and left == "1"  # each job's connection was closed by the next; the last one here
