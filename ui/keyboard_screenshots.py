"""Screen grabs with the on-screen keyboard up, at three screen sizes: ``python -m ui.keyboard_screenshots OUTDIR``.

For each size (1920x1080, 1280x800, 1080x1920) it starts its own Xvfb and runs the kiosk on it in kiosk mode (the
window covers the screen) with the Qt Virtual Keyboard, in a child process. A finger (``ui.keyboard_driver``: real X
taps through xdotool) taps a field and types on the keyboard's own keys, and the whole screen is saved:

- ``keyboard-who-WxH.png``: About you, the first name being typed;
- ``keyboard-how-WxH.png``: What happened, the narrative being typed;
- ``keyboard-request-info-WxH.png``: officer mode, Request more information, the question being typed.

Needs Xvfb (and xdotool; without it the taps are Qt Test clicks): scripts/debian-packages/gui.txt.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

SIZES = ((1920, 1080), (1280, 800), (1080, 1920))
CHILD_TIMEOUT_S = 180

log = logging.getLogger(__name__)


def render_here(out_dir: Path) -> list[Path]:
    """In the child, on the X server of ``DISPLAY``: the three screens, saved in ``out_dir``."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest

    from kiosk.vocabulary import Category
    from ui.keyboard_driver import pause, screen_rect
    from ui.keyboard_tour import OFFICER, build_stage, log_in, tap_field, walk_to_how

    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="p2c-keyboard-shots-") as home:
        stage = build_stage(Path(home))
        screen = screen_rect()
        size = f"{screen.width()}x{screen.height()}"
        visitor, keyboard = stage.visitor, stage.keyboard

        def grab(name: str) -> None:
            pause(0.6)  # the keyboard and the page settle
            path = out_dir / f"keyboard-{name}-{size}.png"
            if not QGuiApplication.primaryScreen().grabWindow(0).save(str(path)):
                raise RuntimeError(f"could not write {path}")
            written.append(path)

        visitor.start()
        visitor.screening()
        visitor.category(Category.LARCENY)
        tap_field(stage, visitor.find("first_name_input"))
        keyboard.type_text("Dana")
        grab("who")
        keyboard.hide()
        stage.window.reset_to_welcome()
        pause(0.3)

        walk_to_how(stage)
        tap_field(stage, visitor.find("narrative_input"))
        keyboard.type_text("The lock was cut")
        grab("how")
        keyboard.hide()
        stage.window.reset_to_welcome()
        pause(0.3)

        mode = log_in(stage, None, OFFICER[0], OFFICER[3])
        keyboard.hide()
        mode.open_report(stage.reports["decide"][0])
        pause(0.2)
        QTest.mouseClick(mode.detail.request_info_button, Qt.MouseButton.LeftButton)
        pause(0.2)
        tap_field(stage, mode.detail.request_info_dialog.question)
        keyboard.type_text("Which door was open")
        grab("request-info")
    return written


def child_main(out_dir: Path) -> int:
    from ui.app import ensure_application

    ensure_application(["p2c-keyboard-screenshots"], virtual_keyboard=True)
    for path in render_here(out_dir):
        print(path, flush=True)
    sys.stdout.flush()
    os._exit(0)  # skip Qt's teardown: the keyboard's QML may crash the process on exit (docs/ui.md, known limits)


def render(out_dir: Path, sizes: Sequence[tuple[int, int]] = SIZES) -> list[Path]:
    """Each size on its own Xvfb, in a child process; returns the files written."""
    from ui.keyboard_driver import virtual_display

    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for size in sizes:
        with virtual_display(size) as display, tempfile.TemporaryDirectory(prefix="p2c-xdg-") as runtime:
            env = {key: value for key, value in os.environ.items() if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
            env.update(DISPLAY=display, QT_IM_MODULE="qtvirtualkeyboard", XDG_RUNTIME_DIR=runtime)
            result = subprocess.run([sys.executable, "-m", "ui.keyboard_screenshots", "--child", str(out_dir)],
                                    env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S)
            if result.returncode != 0:
                raise RuntimeError(f"{size[0]}x{size[1]}: the kiosk process ended with {result.returncode}:\n"
                                   f"{result.stderr[-3000:]}")
            written += [Path(line) for line in result.stdout.splitlines() if line.endswith(".png")]
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.keyboard_screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder for the PNG files (created if missing)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.child:
        return child_main(args.out_dir)
    try:
        written = render(args.out_dir)
    except (FileNotFoundError, RuntimeError) as exc:
        log.error("%s", exc)
        return 1
    for path in written:
        print(path)
    print(f"wrote {len(written)} keyboard screenshots to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
