"""Input errors that name the file, line, column, value and what was expected."""

from __future__ import annotations

import re
from dataclasses import dataclass

# what a terminal may take as a command rather than text: C0 and C1 control characters (ESC
# starts colour, cursor and title sequences), DEL, line and paragraph separators, and the
# bidirectional controls that reorder what is shown
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e"
                          "\u2066-\u2069]")


def printable(text: object, keep: str = "") -> str:
    """Text from received files as it may be printed to a terminal: each control character
    shown escaped, as Python writes it (`\\x1b`), so a file name, a header or a cell cannot
    colour, move or retitle the analyst's terminal. keep: characters left as they are (the
    newlines between the lines of a message)."""
    return _UNPRINTABLE.sub(lambda m: m.group() if m.group() in keep
                            else repr(m.group())[1:-1], str(text))


@dataclass(frozen=True)
class Defect:
    """One problem in the input, located as precisely as the input allows."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None
    cell: str | None = None  # `C4`, for a table read from a workbook sheet

    def __str__(self) -> str:
        where = self.file
        if self.cell:
            where += f", sel {self.cell} (kolom '{self.column}')"
        else:
            if self.line is not None:
                where += f", baris {self.line}"
            if self.column:
                where += f", kolom '{self.column}'"
        text = f"{where}: {self.message}"
        if self.value is not None:
            text += f" (nilai: {self.value!r})"
        if self.expected:
            text += f"; yang diharapkan: {self.expected}"
        return printable(text)  # one line, whatever the names and values in it hold


class InputError(Exception):
    """Raised with every independent defect found, so one run reports them all."""

    HEAD = "Data masukan tidak valid"

    def __init__(self, defects: list[Defect]):
        self.defects = list(defects)
        super().__init__(str(self))

    def __str__(self) -> str:
        n = len(self.defects)
        head = f"{self.HEAD} ({n} masalah):"
        return "\n".join([head] + [f"  - {d}" for d in self.defects])


class ParameterError(InputError):
    """A value given to the command (YEAR=, TW=) that it does not take: what to fix is the
    command line, not the data, and the message says so."""

    HEAD = "Parameter perintah tidak sah"


def parameter(name: str, message: str, value: str, expected: str) -> ParameterError:
    """The error for one command-line value: `TW: triwulan tidak sah (nilai: '5'); …`."""
    return ParameterError([Defect(name, message, value=value, expected=expected)])


class DefectCollector:
    """Gathers defects while a stage keeps checking, then raises them together.

    A table read from a workbook sheet is `placed`: its defects then name the sheet and the
    cell (`lkip_2025.xlsx, sheet target_pk, sel C4`) instead of the CSV file, line and column.
    """

    def __init__(self) -> None:
        self.defects: list[Defect] = []
        self.places: dict[str, tuple[str, list[str]]] = {}

    def place(self, file: str, label: str, header: list[str]) -> None:
        self.places[file] = (label, header)

    def add(self, file, message, line=None, column=None, value=None, expected=None) -> None:
        cell = None
        if file in self.places:
            file, header = self.places[file]
            if line is not None and column in header:
                cell = f"{column_letter(header.index(column))}{line}"
        self.defects.append(Defect(file, message, line, column, value, expected, cell))

    def raise_if_any(self) -> None:
        if self.defects:
            raise InputError(self.defects)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, as spreadsheets name columns."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name
