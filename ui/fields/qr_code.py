"""A QR code drawn by Qt: shown on the Done page when the receipt could not be printed, large enough to photograph.

The modules come from the receipt's own encoder (``printing.qr``, Qt-free), so the code on screen holds exactly what
the printed one would: ``P2C:<tracking number>:<access code>``, or the status page's link
(``<status_page_url>?t=<tracking number>``) when the kiosk has ``[sync] status_page_url``.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.tracking import TrackingNumber
from printing.qr import QUIET_ZONE, Matrix, qr_matrix, qr_payload

SIDE_PX = 230  # about 7 px a module for a version-2 code: a phone reads it from an arm's length


class QrCodeView(QWidget):
    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setFixedSize(QSize(SIDE_PX, SIDE_PX))
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._matrix: Matrix = ()

    def show_receipt_code(self, tracking_number: TrackingNumber, access_code: str, status_page_url: str = "") -> None:
        self._matrix = qr_matrix(qr_payload(tracking_number, access_code, status_page_url))
        self.update()

    def clear(self) -> None:
        self._matrix = ()
        self.update()

    def has_code(self) -> bool:
        return bool(self._matrix)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))  # the quiet zone must be light in every theme
        if not self._matrix:
            return
        count = len(self._matrix)
        module = self.width() / (count + 2 * QUIET_ZONE)
        path = QPainterPath()
        for row, modules in enumerate(self._matrix):
            for column, dark in enumerate(modules):
                if dark:
                    path.addRect(QRectF((column + QUIET_ZONE) * module, (row + QUIET_ZONE) * module, module, module))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.fillPath(path, QColor("black"))
        painter.end()
