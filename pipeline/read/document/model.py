"""What a received document is read into: its tables and its paragraphs, in reading order.

Every reader (PDF, DOCX, HTML, text) produces the same objects, so what understands and
checks the figures never asks which format a document came in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...errors import printable


class DocumentError(Exception):
    """A received document that cannot be read, or that passes a limit: the message names the
    file, what was found and what was expected, in Indonesian."""

    def __init__(self, file: str, message: str, value: str | None = None,
                 expected: str | None = None):
        self.file, self.message, self.value, self.expected = file, message, value, expected
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.file}: {self.message}"
        if self.value is not None:
            text += f" ({self.value})"
        if self.expected:
            text += f"; yang diharapkan: {self.expected}"
        return printable(text)


@dataclass(frozen=True)
class Cell:
    """One cell as the source lays it out: a merged cell spans columns and rows once."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text, kept for the sentence checks that come later.

    heading: the outline level (1, 2, ...) of a heading, 0 for body text; emphasised: the
    whole paragraph is bold, as table captions usually are."""

    number: int
    text: str
    page: int | None = None
    heading: int = 0
    emphasised: bool = False


@dataclass
class Table:
    """A table as read: header rows with a merged cell's text in every column it spans, body
    rows of cell strings as printed (a merged body cell's text in its first row only)."""

    number: int
    title: str
    header: list[list[str]]
    body: list[list[str]]
    page: int | None = None  # PDF: the page it starts on
    pages: tuple[int, ...] = ()  # PDF: every page it spans
    row_pages: tuple[int, ...] = ()  # PDF: the page of each body row, for a finding's place
    paragraph: int | None = None  # the number of the paragraph just above it
    numbering: list[str] | None = None  # the row of column numbers (1 2 3 …) under the header
    landscape: bool = False

    @property
    def width(self) -> int:
        rows = self.header + self.body
        return max((len(r) for r in rows), default=0)

    def columns(self) -> list[str]:
        """Each column's label: its header texts from top to bottom, repeats dropped, joined
        with ' / ' (`Kinerja / Capaian (%)`)."""
        labels = []
        for c in range(self.width):
            parts: list[str] = []
            for row in self.header:
                text = row[c].strip() if c < len(row) else ""
                if text and text not in parts:
                    parts.append(text)
            labels.append(" / ".join(parts))
        return labels

    def place(self) -> str:
        """Where a reviewer finds it: the page(s) of a PDF, else the table's number and the
        paragraph it follows."""
        if self.pages and len(self.pages) > 1:
            return f"halaman {self.pages[0]}–{self.pages[-1]}"
        if self.page is not None:
            return f"halaman {self.page}"
        where = f"tabel {self.number}"
        if self.paragraph is not None:
            where += f", setelah paragraf {self.paragraph}"
        return where


@dataclass
class Document:
    """A received document read: its tables and paragraphs in reading order."""

    name: str
    kind: str  # pdf, docx, html, text
    tables: list[Table] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    pages: int | None = None  # PDF only
    without_text: tuple[int, ...] = ()  # PDF pages with no text layer (scanned)
