"""What every wizard page may use: the configuration, the report service, the clock, the language, the printer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.receipts import ReceiptPrinter
from ui.i18n import LanguageSwitcher
from ui.theme import Theme
from ui.timings import Timings

if TYPE_CHECKING:
    from kiosk.reports import ReportService


@dataclass(frozen=True)
class WizardContext:
    config: Config
    reports: ReportService
    clock: Clock
    switcher: LanguageSwitcher
    printer: ReceiptPrinter | None
    timings: Timings
    theme: Theme | None = None  # pages whose layout depends on the text size follow its ``changed`` signal

    def large_text(self) -> bool:
        return self.theme is not None and self.theme.large_text

    def local_now(self) -> datetime:
        """Now in the kiosk's time zone, without the zone (what the pickers show)."""
        return self.clock.now().astimezone(self.config.kiosk.zone).replace(tzinfo=None)

    @property
    def language(self) -> str:
        return self.switcher.language
