"""Problems found in framework files, each naming the file, the line and the key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class FrameworkIssue:
    path: Path
    line: int  # 1-based; 0 when the problem is with the file as a whole
    key: str  # dotted key path inside the file, "" for the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        if self.key:
            return f"{where}: {self.key}: {self.message}"
        return f"{where}: {self.message}"


class FrameworkError(Exception):
    """A framework could not be loaded; ``issues`` lists every problem found."""

    def __init__(self, issues: list[FrameworkIssue]) -> None:
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues
