"""Render the kiosk pages to PNG, in every language, to look at them: ``python -m ui.screenshots OUTDIR``.

Runs offscreen at 1280x800 with the default configuration built in memory, so no data folder is needed. The
Spanish pages need the built translation (``make translations``); without it this stops with exit code 1 rather
than save English pages under Spanish names.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

SIZE = (1280, 800)
SETTLE_ROUNDS = 5

log = logging.getLogger(__name__)


def render(out_dir: Path, translations_dir: Path | None = None) -> list[Path]:
    """Save ``<page>_<language>.png`` for each page and configured language; returns the files written."""
    # Imported here so QT_QPA_PLATFORM is set before Qt loads.
    from PySide6.QtWidgets import QApplication

    from kiosk.config import config_from_mapping
    from ui.app import build_window, ensure_application

    app = ensure_application(["p2c-screenshots"])
    config = config_from_mapping({})
    window = build_window(config, kiosk_mode=False, translations_dir=translations_dir)
    window.resize(*SIZE)
    window.present()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pages = {"welcome": window.welcome_page, "unavailable": window.unavailable_page}
    try:
        for language in config.kiosk.languages:
            if not window.switcher.set_language(language):
                raise RuntimeError(f"the {language!r} translation is missing: run `make translations` first")
            for name, page in pages.items():
                window.show_page(page)
                _settle(QApplication)
                path = out_dir / f"{name}_{language}.png"
                if not window.grab().save(str(path)):
                    raise RuntimeError(f"cannot write {path}")
                written.append(path)
    finally:
        window.allow_close()
        window.close()
        window.deleteLater()
        app.processEvents()
    return written


def _settle(app_class: type) -> None:
    """Let the layouts finish: a text change reaches the page layout over a few rounds of posted events."""
    for _ in range(SETTLE_ROUNDS):
        app_class.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder for the PNG files (created if missing)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        written = render(args.out_dir)
    except RuntimeError as exc:
        log.error("%s", exc)
        return 1
    for path in written:
        log.info("wrote %s", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
