"""What the audit of a received document gives: its findings, each with its place in the
document, and a mark for every cell a rule read, so a reviewer sees what held, what did not,
and what was not understood."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ...read.document import Reading
from ..rules import Finding

# a checked cell's status, as audit.html marks it
HOLDS, FAILS, NOT_UNDERSTOOD = "cocok", "tidak_cocok", "tidak_dipahami"


@dataclass(frozen=True)
class Where:
    """A place in the document, as a reviewer looks it up: the page (PDF) or the table's
    number and the paragraph above it; the table's title, the row's label, the column's."""

    table: int | None = None  # Table.number; None for a place in the running text
    title: str = ""
    page: int | None = None
    paragraph: int | None = None
    row: int | None = None  # index of the body row
    label: str = ""  # the row's label as printed
    column: int | None = None
    column_label: str = ""

    def text(self) -> str:
        """`halaman 12, tabel 5 (Capaian Kinerja), baris "Jumlah", kolom "Realisasi"`."""
        parts = []
        if self.page is not None:
            parts.append(f"halaman {self.page}")
        if self.table is not None:
            parts.append(f"tabel {self.table}" + (f" ({self.title})" if self.title else ""))
        elif self.paragraph is not None:
            parts.append(f"paragraf {self.paragraph}")
        if self.label:
            parts.append(f'baris "{self.label}"')
        if self.column_label:
            parts.append(f'kolom "{self.column_label}"')
        return ", ".join(parts)


@dataclass(frozen=True)
class DocumentFinding:
    finding: Finding
    where: Where
    # where the figure it was compared with is printed (a cell's place, or words for a sum
    # of several); "" for a figure recomputed from its own row or column
    source: str = ""


@dataclass(frozen=True)
class CellMark:
    """One cell a rule read: whether it held, and the recomputation shown beside it."""

    table: int
    row: int
    column: int
    status: str  # HOLDS, FAILS or NOT_UNDERSTOOD
    rule: str = ""
    recomputed: str = ""  # as shown, `75,64 %`; "" when the rule has none
    severity: str = ""  # FAILS: the finding's (a rounding slip is a warning, not an error)


@dataclass
class Audit:
    reading: Reading
    findings: list[DocumentFinding] = field(default_factory=list)
    marks: list[CellMark] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was inferred and how (polarity, …)

    def severities(self) -> Counter:
        return Counter(f.finding.severity for f in self.findings)

    def checked(self) -> Counter:
        """Checked cells by status (a cell read by several rules counts once, at its worst)."""
        worst: dict[tuple[int, int, int], str] = {}
        order = {HOLDS: 0, NOT_UNDERSTOOD: 1, FAILS: 2}
        for mark in self.marks:
            at = (mark.table, mark.row, mark.column)
            if at not in worst or order[mark.status] > order[worst[at]]:
                worst[at] = mark.status
        return Counter(worst.values())
