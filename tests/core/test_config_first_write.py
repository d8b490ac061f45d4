"""The default kiosk.toml is written atomically at first start (issue 16, part 3): a first start cut short while
writing it (here: the process may write no more than 4 KiB, as on a disk that fills up) leaves no kiosk.toml, never
half of one, and the next start writes it whole."""

from __future__ import annotations

import resource
import signal
import stat
import subprocess
import sys

from kiosk.config import default_config_text, ensure_config_file

WRITE = ("from pathlib import Path; import sys; from kiosk.config import ensure_config_file; "
         "ensure_config_file(Path(sys.argv[1]))")


def limited_to_4_kib():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_first_start_cut_short_leaves_no_half_written_file(tmp_path):
    home = tmp_path / "home"
    assert len(default_config_text().encode()) > 4096
    result = subprocess.run([sys.executable, "-c", WRITE, str(home)], preexec_fn=limited_to_4_kib,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "File too large" in result.stderr
    assert not (home / "kiosk.toml").exists()
    assert [p.name for p in home.iterdir()] == []  # nor a temporary file left behind
    path = ensure_config_file(home)
    assert path.read_text(encoding="utf-8") == default_config_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_file_already_there_is_never_replaced(tmp_path):
    (tmp_path / "kiosk.toml").write_text("[kiosk]\n", encoding="utf-8")
    ensure_config_file(tmp_path)
    assert (tmp_path / "kiosk.toml").read_text(encoding="utf-8") == "[kiosk]\n"
