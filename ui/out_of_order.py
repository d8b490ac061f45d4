"""A kiosk that cannot start properly says so: "Out of order, please see the desk" on the whole screen, in English and
every language the kiosk has a catalogue for (a visitor cannot choose: nothing on it reacts to a touch), one clear
line in the log at each attempt, and the reason in the service's status line (ui.health).

The causes (:class:`Cause`): a configuration file with mistakes, a data folder the kiosk cannot write, a database it
cannot open, a storage key it cannot have or that does not open the database, and no display (the one cause with no
page: there is nothing to show it on).

The page's words come from the Qt catalogues (resources/translations/p2c_<code>.ts, context ``OutOfOrderPage``),
each language read with a translator of its own, because they are all shown at once. The line for staff at the
bottom is English, like the log and the doctor.
"""

from __future__ import annotations

import enum
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.translation import Catalogues
from ui.i18n import fill
from ui.theme import read_style
from ui.widgets import add_reading_column, text_label

log = logging.getLogger(__name__)

CONTEXT = "OutOfOrderPage"
TITLE = str(QT_TRANSLATE_NOOP("OutOfOrderPage", "Out of order"))
PLEASE = str(QT_TRANSLATE_NOOP("OutOfOrderPage",
                               "This kiosk cannot take reports right now. Please see the desk officer."))
EMERGENCY = str(QT_TRANSLATE_NOOP("OutOfOrderPage", "If this is an emergency, call %1"))
STATUS_LIMIT = 200  # characters of a cause's detail kept in the status line (the log keeps all of it)

# The page's own look, on top of the kiosk's theme: a calm full-screen notice, nothing that looks pressable.
STYLE = """
QWidget#out_of_order_page { background-color: #ffffff; }
QLabel[role="out_of_order_title"] { font-size: 40pt; font-weight: bold; color: #a4000f; }
QLabel[role="out_of_order_text"] { font-size: 24pt; }
QLabel[role="out_of_order_staff"] { font-size: 14pt; color: #383f43; }
QFrame#out_of_order_rule { background-color: #b1b4b6; max-height: 2px; min-height: 2px; }
"""


class Cause(enum.StrEnum):
    """Why the kiosk is out of order; the value is the code the log and the status begin with."""

    CONFIG = "configuration"
    DATA_FOLDER = "data folder"
    DATABASE = "database"
    STORAGE_KEY = "storage key"
    DISPLAY = "display"

    @property
    def says(self) -> str:
        """A few words for the status line."""
        return _SAYS[self]


_SAYS = {
    Cause.CONFIG: "kiosk.toml has mistakes",
    Cause.DATA_FOLDER: "the data folder cannot be used",
    Cause.DATABASE: "the database cannot be opened",
    Cause.STORAGE_KEY: "the database's storage key is missing or wrong",
    Cause.DISPLAY: "no display",
}
TODO = "run `sudo p2c-kiosk doctor`, fix what it says, then `sudo systemctl restart p2c-kiosk`"


@dataclass(frozen=True)
class OutOfOrder:
    """The kiosk cannot take reports: the ``cause``, and ``detail``, what the error said (any length)."""

    cause: Cause
    detail: str

    @property
    def status(self) -> str:
        """The status line's phrase (after ``out of order:``): the cause's words and the start of the detail."""
        detail = first_sentence(self.detail)
        if len(detail) > STATUS_LIMIT:
            detail = detail[:STATUS_LIMIT - 1] + "…"
        return f"{self.cause.says} ({detail})" if detail else self.cause.says

    def log_line(self) -> str:
        """One line for the log and the journal: everything the error said, and what to do."""
        return f"out of order ({self.cause}): {' '.join(self.detail.split())} — {TODO}"


def say_out_of_order(problem: OutOfOrder, stream: TextIO | None = None, *, to_log: bool = True) -> None:
    """The one line of an attempt that ends out of order: in the kiosk's log (``to_log``; False when the log could
    not be opened) and on ``stream`` (standard error), which systemd keeps in the journal (``journalctl -u
    p2c-kiosk``)."""
    line = problem.log_line()
    if to_log:
        log.error("%s", line)
    print(f"p2c-kiosk: {line}", file=stream or sys.stderr, flush=True)


def first_sentence(text: str) -> str:
    """``text`` on one line, up to the end of its first sentence."""
    flat = " ".join(text.split())
    end = flat.find(". ")
    return flat if end < 0 else flat[:end]


class OutOfOrderPage(QWidget):
    """"Out of order, please see the desk", in English and then each catalogue's language, over the whole of its
    parent (or the whole screen as a window of its own). Nothing on it can be pressed, and while it covers a kiosk
    window nothing of the window beneath takes a touch or a key either (:meth:`cover`).

    ``emergency_number``: shown ("If this is an emergency, call 911") when the configuration could be read; None when
    it could not (the page never guesses a number)."""

    def __init__(self, problem: OutOfOrder, *, emergency_number: str | None = None,
                 translations_dir: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("out_of_order_page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setAccessibleName("Out of order")
        self.setStyleSheet(read_style("kiosk.qss") + STYLE)
        self.problem = problem
        self._covered: QWidget | None = None
        self._disabled: list[QWidget] = []  # what cover() disabled, enabled again by uncover()
        catalogues = Catalogues(translations_dir)
        self.languages = list(catalogues.installed())  # the source language first

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addStretch(1)
        column = add_reading_column(layout)
        self.texts: list[str] = []
        for index, code in enumerate(self.languages):
            tr = catalogues.get(code).gettext

            if index:
                rule = QFrame()
                rule.setObjectName("out_of_order_rule")
                column.addSpacing(24)
                column.addWidget(rule)
                column.addSpacing(24)
            title = text_label(f"out_of_order_title_{code}_label", "out_of_order_title")
            please = text_label(f"out_of_order_text_{code}_label", "out_of_order_text")
            title.setText(tr(TITLE))
            please.setText(tr(PLEASE))
            column.addWidget(title)
            column.addSpacing(12)
            column.addWidget(please)
            self.texts += [title.text(), please.text()]
            if emergency_number:
                emergency = text_label(f"out_of_order_emergency_{code}_label", "out_of_order_text")
                emergency.setText(fill(tr(EMERGENCY), emergency_number))
                column.addSpacing(8)
                column.addWidget(emergency)
                self.texts.append(emergency.text())
        layout.addStretch(1)
        footer = add_reading_column(layout)
        self.staff_label = text_label("out_of_order_staff_label", "out_of_order_staff")
        self.staff_label.setText(f"For staff: out of order ({problem.cause}): {problem.cause.says}. Run "
                                 "sudo p2c-kiosk doctor; the log says more.")
        footer.addWidget(self.staff_label)

    def cover(self, window: QWidget) -> None:
        """Lie over the whole of ``window`` (a child of it, kept at its size), and disable what it covers: no touch,
        key or shortcut reaches the pages beneath."""
        self._covered = window
        self.setParent(window)
        for child in window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if child is not self and child.isEnabled():
                child.setEnabled(False)
                self._disabled.append(child)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.show()
        self.raise_()

    def uncover(self) -> None:
        """Go away, and give the window beneath its touch back."""
        window = self._covered
        if window is None:
            return
        window.removeEventFilter(self)
        for child in self._disabled:
            child.setEnabled(True)
        self._disabled.clear()
        self.hide()
        self.setParent(None)
        self.deleteLater()
        self._covered = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._covered and event.type() == QEvent.Type.Resize and self._covered is not None:
            self.setGeometry(self._covered.rect())
        return False

    # A touch or a click on the page does nothing, and goes nowhere else.
    def mousePressEvent(self, event) -> None:
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        event.accept()
