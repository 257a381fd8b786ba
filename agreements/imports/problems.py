"""A problem found in an uploaded file: where it is and what to do, in Swedish."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # the header text, e.g. "Belopp (kr)"
    letter: str = ""  # the column letter, e.g. "F"

    @property
    def place(self) -> str:
        """Where, as a person reads it: ``Projekt, rad 12, kolumn Åtgärd (E)``."""
        parts = [self.sheet] if self.sheet else []
        if self.row is not None:
            parts.append(f"rad {self.row}")
        if self.column:
            letter = f" ({self.letter})" if self.letter else ""
            parts.append(f"kolumn {self.column}{letter}")
        return ", ".join(parts)

    def __str__(self):
        return f"{self.place}: {self.message}" if self.place else self.message
