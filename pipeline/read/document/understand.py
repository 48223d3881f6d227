"""A document's tables understood: each column's role and number format, each row's role,
each cell's figure; and how much of the figures was read.

Number formats are settled per column first, then per document (figures.py): every cell of
the document is parsed before any is resolved, so a column's and the document's marks are
known when an ambiguous cell is met.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import figures, roles
from .figures import AMBIGUOUS, NIL, READ, TEXT, UNREAD, Figure, Marks
from .model import Document, Table

NUMERIC_SHARE = 0.5  # a column whose filled cells are at least half figures is a figure column
NOT_FIGURES = frozenset({"no"})  # roles whose numbers count rows, not figures
LABEL_ROLES = ("indikator", "sasaran", "program", "kegiatan", "tujuan", "")  # a row's name


@dataclass
class Column:
    label: str
    role: roles.ColumnRole
    numeric: bool = False
    marks: Marks = field(default_factory=Marks)

    @property
    def format(self) -> str:
        """The number format its cells show (`desimal titik, ribuan titik`), for a reviewer."""
        return self.marks.describe() if self.numeric else ""


@dataclass
class Row:
    role: str  # jumlah, sub_jumlah, rata_rata (from the registry), kelompok or data
    label: str
    figures: list[Figure]


@dataclass
class TableReading:
    table: Table
    columns: list[Column]
    rows: list[Row]

    def counts(self) -> Counter:
        """Figure cells by status: read (nil included), ambiguous, unread."""
        out: Counter = Counter()
        for row in self.rows:
            for column, figure in zip(self.columns, row.figures):
                if column.role.role in NOT_FIGURES:
                    continue
                if figure.numeric or (figure.status == NIL and column.numeric):
                    out[READ if figure.status == NIL else figure.status] += 1
        return out


@dataclass
class Reading:
    document: Document
    tables: list[TableReading]
    marks: Marks

    def counts(self) -> Counter:
        total: Counter = Counter()
        for table in self.tables:
            total.update(table.counts())
        return total

    def share(self) -> float | None:
        """The share of the document's figure cells read without doubt."""
        counts = self.counts()
        cells = counts[READ] + counts[AMBIGUOUS] + counts[UNREAD]
        return counts[READ] / cells if cells else None


def _numbers_rows(cells: list[figures.Parsed]) -> bool:
    """A first column without a header that numbers the rows (`1.`, `2.`, …)."""
    filled = [p.text for p in cells if p.status != figures.BLANK]
    return bool(filled) and all(figures.is_ordinal(t) for t in filled)


def _columns(table: Table, parsed: list[list[figures.Parsed]], rules) -> list[Column]:
    """Each column's role from its header and, from its cells, whether it holds figures and
    which marks they show."""
    out = []
    for c, label in enumerate(table.columns()):
        parts = [row[c] for row in table.header if c < len(row)]
        column = Column(label, roles.column_role(list(dict.fromkeys(parts)), rules))
        cells = [row[c] for row in parsed if c < len(row)]
        if not column.role.role and c == 0 and _numbers_rows(cells):
            column.role = roles.ColumnRole("no")
        filled = [p for p in cells if p.status not in (figures.BLANK, NIL)]
        numbers = [p for p in filled if p.status in (READ, UNREAD)]
        column.numeric = bool(filled) and len(numbers) >= NUMERIC_SHARE * len(filled)
        for p in cells:
            column.marks.add(p)
        out.append(column)
    return out


def _row(cells: list[Figure], columns: list[Column], rules) -> Row:
    """A row's label (its first text in a naming column) and role."""
    label = next((f.text.strip() for f, col in zip(cells, columns)
                  if f.status == TEXT and col.role.role in LABEL_ROLES), "")
    label = label or next((f.text.strip() for f in cells if f.status == TEXT), "")
    role = roles.row_role(label, rules) if label else ""
    if not role:
        figures_in = any(f.status in (READ, AMBIGUOUS, UNREAD) for f, col in
                         zip(cells, columns) if col.numeric and col.role.role not in NOT_FIGURES)
        has_figures = any(col.numeric and col.role.role not in NOT_FIGURES for col in columns)
        role = "kelompok" if label and has_figures and not figures_in else "data"
    return Row(role, label, cells)


def understand(document: Document, rules=None) -> Reading:
    """Roles, formats and figures of every table of the document."""
    rules = rules if rules is not None else roles.registry()
    parsed = [[[figures.parse(text) for text in row] for row in t.body] for t in document.tables]
    columns = [_columns(t, p, rules) for t, p in zip(document.tables, parsed)]
    marks = Marks()
    for table_columns in columns:
        for column in table_columns:
            if column.numeric and column.role.role not in NOT_FIGURES:
                marks = marks.merged(column.marks)
    readings = []
    for table, rows, table_columns in zip(document.tables, parsed, columns):
        out_rows = []
        for row in rows:
            cells = [figures.resolve(p, column.marks, marks, column.role.unit == "Rp")
                     for p, column in zip(row, table_columns)]
            out_rows.append(_row(cells, table_columns, rules))
        readings.append(TableReading(table, table_columns, out_rows))
    return Reading(document, readings, marks)
