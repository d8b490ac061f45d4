"""What loading a language's catalogue costs (issue 20: "loading a catalogue adds <= 20 ms").

For each installed language: a fresh ``kiosk.translation.Catalogues`` loads its compiled ``p2c.mo`` and the language
is switched on in a ``LanguageSwitcher`` (the ``QTranslator`` installed on the application, and Qt's own qtbase
catalogue), the way a visitor's tap on a language button does it the first time. The anchor, in the same run: Qt
loading its own ``qtbase_<code>.qm`` (a binary catalogue Qt reads with one mmap).

    .venv/bin/python benchmarks/catalogue.py [--repeats 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QLibraryInfo, QTranslator
from PySide6.QtWidgets import QApplication

from kiosk.translation import SOURCE_LANGUAGE, Catalogues
from ui.i18n import LanguageSwitcher


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def figure(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:6.2f} ms, p95 {p95(values) * 1000:6.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(["catalogue-benchmark"])
    languages = [code for code in Catalogues().installed() if code != SOURCE_LANGUAGE]
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    print(f"{len(languages)} catalogues: {', '.join(languages)}; {args.repeats} repeats each")
    for code in languages:
        mo = Catalogues().directory / code / "LC_MESSAGES" / "p2c.mo"
        load, switch, anchor = [], [], []
        for _ in range(args.repeats):
            catalogues = Catalogues()
            start = time.perf_counter()
            catalogues.get(code)
            load.append(time.perf_counter() - start)

            switcher = LanguageSwitcher(app, (SOURCE_LANGUAGE, code), catalogues=Catalogues())
            start = time.perf_counter()
            switcher.set_language(code)
            switch.append(time.perf_counter() - start)
            switcher.release()
            switcher.deleteLater()

            qm = next((qt_dir / f"qtbase_{name}.qm" for name in (code, code.split("_")[0])
                       if (qt_dir / f"qtbase_{name}.qm").is_file()), None)
            if qm is not None:
                translator = QTranslator()
                start = time.perf_counter()
                translator.load(str(qm))
                anchor.append(time.perf_counter() - start)
        app.processEvents()
        print(f"{code:6} p2c.mo {mo.stat().st_size / 1024:5.0f} KiB  load: {figure(load)}  "
              f"first switch (load + install + LanguageChange): {figure(switch)}")
        if anchor:
            print(f"{'':6} anchor, Qt loading its qtbase .qm: {figure(anchor)}; "
                  f"load = {statistics.median(load) / statistics.median(anchor):.1f}x the anchor")


if __name__ == "__main__":
    main()
