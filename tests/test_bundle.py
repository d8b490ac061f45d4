"""The PyInstaller bundle (build.spec), built fresh and started headless: it must show the welcome page and take a
report with no Python installation behind it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    assert pyinstaller.exists(), "PyInstaller is part of the test install (pip install -e '.[test,bundle]')"
    assert list((ROOT / "resources" / "translations").glob("*.qm")), "run `make translations` first"
    work = tmp_path_factory.mktemp("bundle")
    subprocess.run(
        [str(pyinstaller), "--noconfirm", "--log-level", "ERROR", "--distpath", str(work / "dist"),
         "--workpath", str(work / "build"), "build.spec"],
        cwd=ROOT, check=True, capture_output=True, timeout=600,
    )
    executable = work / "dist" / "p2c-kiosk" / "p2c-kiosk"
    assert executable.exists()
    yield executable
    shutil.rmtree(work, ignore_errors=True)


def bundle_env() -> dict[str, str]:
    # No venv on the path: the bundle must carry everything it needs.
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@pytest.mark.slow
def test_the_bundle_starts_headless_and_paints_the_welcome_page(bundle, tmp_path):
    shot = tmp_path / "welcome.png"
    result = subprocess.run([str(bundle), "--home", str(tmp_path / "home"), "run", "--smoke-test", str(shot)],
                            env=bundle_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert not image.isNull() and image.width() >= 640 and image.height() >= 480
    # Not a blank page: the welcome page draws dark text and the red emergency banner on white.
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 10
    log = (tmp_path / "home" / "logs" / "kiosk.log").read_text()
    assert "the welcome page was painted" in log


@pytest.mark.slow
def test_the_bundle_takes_a_report_from_the_command_line(bundle, tmp_path):
    home = tmp_path / "home"
    submitted = subprocess.run([str(bundle), "--home", str(home), "submit", str(FIXTURES / "vandalism-car-es.json")],
                               env=bundle_env(), capture_output=True, text=True, timeout=120)
    assert submitted.returncode == 0, submitted.stderr
    tracking_number = submitted.stdout.strip().splitlines()[-1]
    shown = subprocess.run([str(bundle), "--home", str(home), "show", tracking_number, "--json"],
                           env=bundle_env(), capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0 and '"María José"' in shown.stdout
    refused = subprocess.run([str(bundle), "--home", str(home), "submit",
                              str(FIXTURES / "invalid" / "outside-city.json")],
                             env=bundle_env(), capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "incident.location.zip" in refused.stderr
    receipt = subprocess.run([str(bundle), "--home", str(home), "receipt", tracking_number, "-o",
                              str(tmp_path / "receipt.pdf")],
                             env=bundle_env(), capture_output=True, text=True, timeout=120)
    assert receipt.returncode == 0, receipt.stderr
    from pypdf import PdfReader

    text = " ".join(PdfReader(tmp_path / "receipt.pdf").pages[0].extract_text().split())
    assert tracking_number in text and "Núñez" not in text  # the bundled font renders; no name on a receipt
    fonts = PdfReader(tmp_path / "receipt.pdf").pages[0]["/Resources"]["/Font"]
    assert all("DejaVu" in str(font.get_object()["/BaseFont"]) for font in fonts.values())


@pytest.mark.slow
def test_the_bundle_carries_officer_mode_and_the_outbox(bundle, tmp_path):
    """The parts imported on first use (argon2, the audit log, the review, the e-mail templates, the common
    password list) are in the bundle: an officer is added, decides a report, and the e-mail waits in the outbox."""
    home = tmp_path / "home"

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(bundle), "--home", str(home), *args], input=stdin, env=bundle_env(),
                              capture_output=True, text=True, timeout=120)

    submitted = run("submit", str(FIXTURES / "lost-wallet.json"))
    assert submitted.returncode == 0, submitted.stderr
    tracking_number = submitted.stdout.strip().splitlines()[-1]
    weak = run("officer", "add", "dreyes", "--name", "Sgt. Dana Reyes", "--badge", "1047", "--admin",
               "--password-stdin", stdin="password123\n")
    assert weak.returncode == 2 and "password" in weak.stderr.lower()  # the bundled common-password list
    added = run("officer", "add", "dreyes", "--name", "Sgt. Dana Reyes", "--badge", "1047", "--admin",
                "--password-stdin", stdin="violet-harbor-lantern\n")
    assert added.returncode == 0, added.stderr
    approved = run("review", tracking_number, "approve", "--officer", "dreyes", stdin="violet-harbor-lantern\n")
    assert approved.returncode == 0, approved.stderr
    notices = run("notices", "list", "--json")
    assert notices.returncode == 0, notices.stderr
    assert [line for line in notices.stdout.splitlines() if '"approved"' in line]  # rendered from the templates
    verified = run("audit", "verify")
    assert verified.returncode == 0 and "intact" in verified.stdout, verified.stdout + verified.stderr


@pytest.mark.slow
def test_the_bundle_carries_the_sync_engine(bundle, tmp_path):
    """kiosk.sync (imported on first use) and tomlkit are in the bundle: a kiosk pointed at a department server
    counts what it has to send, and without a token (no keyring here) says so plainly instead of failing."""
    home = tmp_path / "home"

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(bundle), "--home", str(home), *args], input=stdin, env=bundle_env(),
                              capture_output=True, text=True, timeout=120)

    assert run("submit", str(FIXTURES / "lost-wallet.json")).returncode == 0
    config = home / "kiosk.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('server_url = ""', 'server_url = "http://127.0.0.1:9"'),
                      encoding="utf-8")
    status = run("sync", "status", "--json")
    assert status.returncode == 0, status.stderr
    assert '"configured": true' in status.stdout and '"pending_reports": 1' in status.stdout
    once = run("sync", "--once")
    assert once.returncode == 2 and "token" in (once.stdout + once.stderr).lower(), once.stdout + once.stderr
    refused = run("configure", "--server", "http://records.example.gov", "--token-stdin", stdin="abc\n")
    assert refused.returncode == 2 and "https" in refused.stderr, refused.stderr  # the bundled config rules
