"""Input errors that name the file, line, column, value and what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Defect:
    """One problem in the input, located as precisely as the input allows."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", baris {self.line}"
        if self.column:
            where += f", kolom '{self.column}'"
        text = f"{where}: {self.message}"
        if self.value is not None:
            text += f" (nilai: {self.value!r})"
        if self.expected:
            text += f"; yang diharapkan: {self.expected}"
        return text


class InputError(Exception):
    """Raised with every independent defect found, so one run reports them all."""

    def __init__(self, defects: list[Defect]):
        self.defects = list(defects)
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.defects)
        head = f"Data masukan tidak valid ({n} masalah):"
        return "\n".join([head] + [f"  - {d}" for d in self.defects])


class DefectCollector:
    """Gathers defects while a stage keeps checking, then raises them together."""

    def __init__(self) -> None:
        self.defects: list[Defect] = []

    def add(self, *args, **kwargs) -> None:
        self.defects.append(Defect(*args, **kwargs))

    def raise_if_any(self) -> None:
        if self.defects:
            raise InputError(self.defects)
