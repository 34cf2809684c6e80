"""The moment a command runs. Its own module, so that reading it costs `status` no domain imports."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Clock:
    """The moment a command runs: business date and recorded timestamp."""

    today: date
    now: datetime

    @property
    def recorded(self) -> str:
        return self.now.isoformat(timespec="microseconds")
