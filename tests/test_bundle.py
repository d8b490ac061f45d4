"""The PyInstaller bundle (build.spec), built fresh and started headless: it must show the welcome page and take a
report with no Python installation behind it. It stays a kiosk image (at most 250 MiB, the unused parts of Qt left
out) that still carries the on-screen keyboard, shown for real under Xvfb."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import FIXTURES, tool_or_skip
from storage_keyring import credentials_env

from ui.keyboard_driver import virtual_display

ROOT = Path(__file__).resolve().parent.parent
MAX_BUNDLE_MIB = 265  # 250 until issue 20: CJK glyphs (5 MiB) and CLDR for four languages (3 MiB)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    assert pyinstaller.exists(), "PyInstaller is part of the test install (pip install -e '.[test,bundle]')"
    assert list((ROOT / "resources" / "locale").glob("*/LC_MESSAGES/p2c.mo")), "run `make translations` first"
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


def qt_dir(bundle: Path) -> Path:
    return bundle.parent / "_internal" / "PySide6" / "Qt"


def bundle_env() -> dict[str, str]:
    # No venv on the path: the bundle must carry everything it needs.
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env | credentials_env()  # the storage key, as a deployed kiosk reads it (a systemd credential)


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
    # `print` takes the kiosk's receipt printer from its container, which finds it through the
    # p2c_kiosk.receipt_printer entry point: the bundle carries the kiosk's metadata. With no printer to reach here,
    # the receipt is kept in the spool folder and the exit code says it did not come out.
    printed = subprocess.run([str(bundle), "--home", str(home), "print", tracking_number],
                             env=bundle_env(), capture_output=True, text=True, timeout=120)
    assert printed.returncode == 3, printed.stderr
    assert list((home / "spool").glob("*.pdf.sealed"))  # sealed with the storage key


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


# -- a kiosk image: what it carries, and no more ---------------------------------------------------------------------


@pytest.mark.slow
def test_the_bundle_stays_a_kiosk_image(bundle):
    """build.spec leaves out what the kiosk never loads (WebEngine, Qt 3D, Charts, the server, the test tools...):
    ≈556 MiB before, ≈216 MiB after. `benchmarks/bundle_size.py` lists the largest parts when this fails."""
    du = subprocess.run(["du", "-s", "--block-size=1M", str(bundle.parent)], capture_output=True, text=True,
                        check=True)
    size_mib = int(du.stdout.split()[0])
    assert size_mib <= MAX_BUNDLE_MIB, f"the bundle takes {size_mib} MiB (at most {MAX_BUNDLE_MIB})"


QML_IMPORT = re.compile(r"^\s*(?:import|depends)\s+([A-Za-z][\w.]*)", re.MULTILINE)
QML_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)  # an import in a comment is documentation
BUILTIN_QML_MODULES = {"QML"}  # part of the QML engine itself, no folder


@pytest.mark.slow
def test_the_bundle_carries_the_keyboard_and_every_qml_module_it_imports(bundle):
    """The trimmed qml/ folder still holds Qt Virtual Keyboard and, transitively, every module its qmldir files and
    QML files name; its input-context plugin; its layouts for US English and Spain's Spanish; the platforms."""
    qt = qt_dir(bundle)
    qml = qt / "qml"
    missing: list[str] = []
    seen: set[str] = set()
    todo = ["QtQuick.VirtualKeyboard"]
    while todo:
        module = todo.pop()
        if module in seen or module in BUILTIN_QML_MODULES:
            continue
        seen.add(module)
        folder = qml.joinpath(*module.split("."))
        if not (folder / "qmldir").is_file():
            missing.append(module)
            continue
        sources = [folder / "qmldir", *sorted(folder.glob("*.qml"))]
        for source in sources:
            todo += QML_IMPORT.findall(QML_COMMENT.sub("", source.read_text(encoding="utf-8")))
    assert not missing, f"QML modules the keyboard imports but the bundle lacks: {sorted(missing)}"
    assert {"QtQuick.VirtualKeyboard.Components", "QtQuick.VirtualKeyboard.Layouts", "QtQuick.VirtualKeyboard.Styles",
            "QtQuick.VirtualKeyboard.Settings", "QtQuick.Layouts", "QtQml", "QtMultimedia"} <= seen
    assert (qt / "plugins" / "platforminputcontexts" / "libqtvirtualkeyboardplugin.so").is_file()
    layouts = (qml / "QtQuick" / "VirtualKeyboard" / "Layouts" / "libqtvkblayoutsplugin.so").read_bytes()
    for locale in ("en_US", "es_ES"):  # the layouts' folder names in the plugin's resources (UTF-16)
        assert locale.encode("utf-16-be") in layouts, locale
    for platform in ("libqxcb.so", "libqwayland.so", "libqoffscreen.so"):
        assert (qt / "plugins" / "platforms" / platform).is_file(), platform
    assert not (qt / "qml" / "QtWebEngine").exists() and not list(qt.glob("lib/libQt6WebEngine*"))
    shipped = {path.parent.parent.name for path in (ROOT / "resources" / "locale").glob("*/LC_MESSAGES/p2c.mo")}
    assert "es" in shipped
    for code in shipped:
        assert any((qt / "translations" / f"qtbase_{name}.qm").is_file() for name in (code, code.split("_")[0])), code
        assert (bundle.parent / "_internal" / "resources" / "locale" / code / "LC_MESSAGES" / "p2c.mo").is_file(), code
    # Babel's CLDR data for the shipped languages (every territory) and root only: ~30 MB of other locales stay out.
    cldr = bundle.parent / "_internal" / "babel" / "locale-data"
    kept = {path.stem for path in cldr.glob("*.dat")}
    assert {"root", "en_US", "es_US", "pt_BR", "zh_Hans_CN"} <= kept
    assert not {"fr", "de_DE", "ja"} & kept


LDD_LINE = re.compile(r"^\s*(\S+) => (.+?)(?: \(0x[0-9a-f]+\))?$")


@pytest.mark.slow
def test_every_library_in_the_bundle_finds_what_it_links_to_inside_it(bundle):
    """The trimming drops a library only when nothing kept links to it: whatever a shared object left in the bundle
    links to is in the bundle too, unless PyInstaller always leaves it to the system (libc, the graphics stack:
    libGL, libEGL, libwayland-*...). A library found only on this machine would be missing on the kiosk."""
    from PyInstaller.depend.dylib import include_library

    internal = bundle.parent / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": str(internal)}  # what the bundle's launcher sets
    outside: dict[str, set[str]] = {}
    for library in sorted(path for path in internal.rglob("*.so*") if path.is_file() and not path.is_symlink()):
        ldd = subprocess.run(["ldd", str(library)], env=env, capture_output=True, text=True, timeout=60)
        for line in ldd.stdout.splitlines():
            found = LDD_LINE.match(line)
            if found is None:
                continue
            name, where = found.groups()
            if not where.startswith(str(internal)) and include_library(name):
                outside.setdefault(name, set()).add(str(library.relative_to(internal)))
    assert not outside, {name: sorted(users)[:3] for name, users in outside.items()}


# -- the on-screen keyboard, shown by the bundle under a real X server -----------------------------------------------

SCREEN = (1280, 800)
# resources/style/officer.qss: the filled primary button, and a text field with the focus
OFFICER_PRIMARY = "#0b3d91"
FOCUSED_FIELD = "#fff7bf"
# Messages Qt prints when a QML module, a plugin or a library is missing from the bundle.
LOAD_FAILURES = ("is not installed", "Component is not ready", "Cannot load library", "Could not load the Qt platform",
                 "No module named", "Traceback")
GRAB = """import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
sys.exit(0 if app.primaryScreen().grabWindow(0).save(sys.argv[1]) else 1)
"""


@contextlib.contextmanager
def xvfb_display() -> Iterator[str]:
    """A fresh Xvfb of the kiosk's size (ui.keyboard_driver: it picks its own display number); ended afterwards."""
    tool_or_skip("Xvfb")
    with virtual_display(SCREEN) as display:
        yield display


def wait_for(predicate: Callable[[], object], seconds: float) -> object:
    """The first truthy value of ``predicate()`` within ``seconds``, else None."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value or None
        time.sleep(0.2)


def screenshot(display: str, path: Path):
    """The whole X screen, grabbed by a child Python on Qt's xcb platform (this process is offscreen)."""
    from PySide6.QtGui import QImage

    env = {key: value for key, value in os.environ.items() if key not in ("QT_IM_MODULE", "WAYLAND_DISPLAY")}
    env |= {"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    grab = subprocess.run([sys.executable, "-c", GRAB, str(path)], env=env, capture_output=True, text=True, timeout=60)
    assert grab.returncode == 0, grab.stderr
    return QImage(str(path))


def solid_box_centre(image, colour: str, shortest: int) -> tuple[int, int] | None:
    """The centre of the largest box filled with exactly ``colour`` (a filled button, a focused field): the rows
    where the same span of at least ``shortest`` pixels has that colour most often. A frame drawn in the colour
    has only a row or two per span. None when no span shows on at least 8 rows."""
    from PySide6.QtGui import QColor, QImage

    rgb = image.convertToFormat(QImage.Format.Format_RGB32)
    pixel = QColor(colour).rgb().to_bytes(4, "little")
    data = bytes(rgb.constBits())
    runs = re.compile(b"(?:" + re.escape(pixel) + b")+")
    rows_of_span: dict[tuple[int, int], list[int]] = {}
    for y in range(rgb.height()):
        row = data[y * rgb.bytesPerLine(): y * rgb.bytesPerLine() + rgb.width() * 4]
        for run in runs.finditer(row):
            if run.start() % 4 == 0 and (run.end() - run.start()) // 4 >= shortest:
                rows_of_span.setdefault((run.start() // 4, run.end() // 4 - 1), []).append(y)
    if not rows_of_span:
        return None
    (left, right), rows = max(rows_of_span.items(), key=lambda item: len(item[1]))
    if len(rows) < 8:
        return None
    return (left + right) // 2, (min(rows) + max(rows)) // 2


def keyboard_drawn(image) -> bool:
    """Whether the bottom quarter of the screen is the keyboard: mostly dark keys and their grey frame, with light
    letters on them (the officer login under it is dark text on white)."""
    band = [image.pixelColor(x, y).lightness() for x in range(0, image.width(), 4)
            for y in range(image.height() * 3 // 4, image.height(), 4)]
    dark = sum(value < 128 for value in band) / len(band)
    light = sum(value > 200 for value in band) / len(band)
    return dark > 0.6 and light > 0.005


@pytest.mark.slow
@pytest.mark.gui
def test_the_bundle_shows_the_on_screen_keyboard_under_xvfb(bundle, tmp_path):
    """The bundled kiosk, on a real X server with QT_IM_MODULE=qtvirtualkeyboard, shows Qt Virtual Keyboard for the
    officer login's username (opened with Ctrl+Alt+O, the notice accepted, the field tapped), and prints no missing
    QML module, plugin or library."""
    xdotool = tool_or_skip("xdotool")
    home = tmp_path / "home"
    log = home / "logs" / "kiosk.log"
    errors = tmp_path / "stderr.txt"
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)

    def logged(text: str) -> bool:
        return log.exists() and text in log.read_text(encoding="utf-8", errors="replace")

    with xvfb_display() as display:
        env = {key: value for key, value in bundle_env().items() if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
        env |= {"DISPLAY": display, "QT_IM_MODULE": "qtvirtualkeyboard", "XDG_RUNTIME_DIR": str(runtime)}

        def xdo(*args: object) -> None:
            subprocess.run([xdotool, *map(str, args)], env=env, check=True, capture_output=True, timeout=15)

        def find_on_screen(what: str, find: Callable[[object], object], seconds: float = 15) -> object:
            shot = tmp_path / f"{what}.png"
            found = wait_for(lambda: find(screenshot(display, shot)), seconds)
            assert found, f"no {what} on the screen within {seconds} s (last screenshot: {shot})\n" \
                          + errors.read_text(encoding="utf-8", errors="replace")
            return found

        with errors.open("w", encoding="utf-8") as stderr:
            kiosk = subprocess.Popen([str(bundle), "--home", str(home), "run", "--windowed"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            assert wait_for(lambda: logged("Kiosk window shown"), 90), errors.read_text(encoding="utf-8")
            xdo("key", "ctrl+alt+o")
            assert wait_for(lambda: logged("officer login opened"), 30), errors.read_text(encoding="utf-8")
            accept = find_on_screen("notice_accept_button",
                                    lambda image: solid_box_centre(image, OFFICER_PRIMARY, 80))
            xdo("mousemove", *accept, "click", 1)
            username = find_on_screen("focused_username", lambda image: solid_box_centre(image, FOCUSED_FIELD, 80))
            xdo("mousemove", *username, "click", 1)
            find_on_screen("keyboard", keyboard_drawn)
        finally:
            kiosk.terminate()
            try:
                kiosk.wait(15)
            except subprocess.TimeoutExpired:
                kiosk.kill()
                kiosk.wait()
    printed = errors.read_text(encoding="utf-8", errors="replace")
    failures = [line for line in printed.splitlines() if any(failure in line for failure in LOAD_FAILURES)]
    assert not failures, printed
