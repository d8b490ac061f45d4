"""How long the kiosk waits before it acts on its own. Built from the configuration; tests hand in short ones."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.config import Config

IDLE_COUNTDOWN_MS = 30_000
DONE_RETURN_MS = 60_000
OFFICER_HOLD_MS = 3_000


@dataclass(frozen=True)
class Timings:
    idle_timeout_ms: int = 90_000  # no touch for this long: "Are you still there?"
    idle_countdown_ms: int = IDLE_COUNTDOWN_MS  # then this long to answer before everything is wiped
    done_return_ms: int = DONE_RETURN_MS  # the Done page goes back to Welcome on its own after this
    officer_hold_ms: int = OFFICER_HOLD_MS  # a press this long on the department name asks for officer mode

    @classmethod
    def from_config(cls, config: Config) -> Timings:
        return cls(idle_timeout_ms=config.kiosk.idle_timeout_seconds * 1000)
