"""What the audit of a received document gives its reviewer, written into one folder:

- audit.html and audit.pdf: a first page with the counts and what was inferred, the list of
  findings with their place, then every table as read with each checked cell marked (holds,
  does not hold as an error, a warning or a note, not understood) and the recomputation
  under a cell that does not hold;
- findings.csv and findings.json: one row per finding, its place in the document's words;
- tables.xlsx: the findings, then every table as read with its body rows numbered as the
  findings cite them, for the reviewer to work on, checked cells filled.

The checks decided what holds (check/document/audit.py); this module only lays it out. Every
text in it comes from a received document: escaped in the HTML, never a formula in the
workbook or the CSV, control characters shown escaped.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..check.document.result import FAILS, HOLDS, NOT_UNDERSTOOD, Audit, CellMark, Where
from ..check.severity import ERROR, INFO, LABEL, SEVERITY_ORDER, WARNING
from ..errors import printable
from ..read.document.figures import AMBIGUOUS, NIL, READ, UNREAD
from ..read.document.understand import NOT_FIGURES, TableReading
from ..read.formatting import number
from .summary import counted

HTML, PDF, CSV, JSON, XLSX = ("audit.html", "audit.pdf", "findings.csv", "findings.json",
                              "tables.xlsx")
FILES = (HTML, PDF, CSV, JSON, XLSX)  # everything an audit writes into its folder
TEMPLATE = "audit/laporan.html.j2"
STYLES = ("style.css", "audit/audit.css")
FINDING_COLUMNS = ["no", "tempat", "halaman", "tabel", "judul_tabel", "baris", "label_baris",
                   "kolom", "label_kolom", "tercetak", "hitung_ulang", "dibandingkan_dengan",
                   "aturan", "tingkat", "pesan"]
# a cell read by several rules shows its worst status, as Audit.checked() counts it
WORST = {HOLDS: 0, NOT_UNDERSTOOD: 1, FAILS: 2}
STATUS_WORDS = {HOLDS: "cocok", FAILS: "tidak cocok", NOT_UNDERSTOOD: "tidak dipahami"}


@dataclass(frozen=True)
class Look:
    """How a checked cell is shown: audit.html's class (audit.css), the legend's words and
    tables.xlsx's fill (and border, for a note: a fill alone would pass for a header)."""

    css: str
    words: str
    fill: str
    border: str = ""


# a cell that does not hold is shown by its finding's severity: a rounding slip is no error
LOOKS = {
    (HOLDS, ""): Look("cocok", "cocok", "C6EFCE"),
    (FAILS, ERROR): Look("tidak-cocok", "tidak cocok: kesalahan", "FFC7CE"),
    (FAILS, WARNING): Look("tidak-cocok-peringatan", "tidak cocok: peringatan (selisih "
                           "pembulatan)", "FFEB9C"),
    (FAILS, INFO): Look("tidak-cocok-catatan", "tidak cocok: catatan", "EEF3F9", "5A7394"),
    (NOT_UNDERSTOOD, ""): Look("tidak-dipahami", "tidak dipahami", "D9D9D9"),
}
NOT_READ_CLASS = "tak-terbaca"  # a figure cell the reading could not settle, no rule read it
ROW_CLASS = {"jumlah": "jumlah", "sub_jumlah": "jumlah", "rata_rata": "jumlah",
             "kelompok": "kelompok"}
WIDE_COLUMNS = 11  # a table with more columns is printed in a smaller type
# a figure column's width in audit.css (`col.k-angka`), in each type size, and what the page
# holds: a table whose figure columns would not fit shares its width equally instead
FIGURE_WIDTH_MM = {"terbaca": 21, "terbaca rapat": 17}
ORDINAL_WIDTH_MM = 8
PAGE_WIDTH_MM = 260
TITLE_SHOWN = 160  # characters of a table title in the findings list


# -- places and counts ------------------------------------------------------------------------

def row_number(index: int | None) -> int | None:
    """A body row's or a column's number as the reviewer counts (1, 2, …) from its index."""
    return None if index is None else index + 1


def _shown(text) -> str:
    """Received text as it may be printed: control characters escaped, newlines kept."""
    return printable("" if text is None else text, keep="\n")


def by_severity(severities: Counter) -> str:
    """`20 kesalahan, 6 peringatan`: the severities present, the worst first; `0` for none."""
    present = {s: severities[s] for s in SEVERITY_ORDER if severities[s]}
    return counted(present) if present else "0"


@dataclass(frozen=True)
class Counts:
    """The first page's counts: findings by severity, those placed in a table and those
    outside any (signatures, sentences), the document's figure cells (read without doubt,
    ambiguous, not read) and the cells the rules read, by status and, for a cell that does
    not hold, by its severity. A reader adds them up from the page: every sum is here."""

    errors: int
    warnings: int
    notes: int
    cells: int
    read: int
    ambiguous: int
    unread: int
    holds: int
    fails: int
    not_understood: int
    fails_by: Counter = field(default_factory=Counter)  # failing cells by severity
    in_tables: Counter = field(default_factory=Counter)  # findings placed in a table
    outside: Counter = field(default_factory=Counter)  # findings outside every table
    cited: Counter = field(default_factory=Counter)  # cells findings cite, by their status

    @property
    def checked(self) -> int:
        return self.holds + self.fails + self.not_understood

    @property
    def fails_said(self) -> str:
        """`27 tidak cocok (20 kesalahan, 6 peringatan, 1 catatan)`."""
        said = f"{number(self.fails)} {STATUS_WORDS[FAILS]}"
        return f"{said} ({by_severity(self.fails_by)})" if self.fails else said

    @property
    def in_tables_total(self) -> int:
        return sum(self.in_tables.values())

    @property
    def outside_total(self) -> int:
        return sum(self.outside.values())

    @property
    def in_tables_said(self) -> str:
        """`20 kesalahan, 7 peringatan, 1 catatan, pada 28 sel bertanda (27 tidak cocok, 1
        tidak dipahami)`."""
        said = by_severity(self.in_tables)
        cells = sum(self.cited.values())
        if not cells:
            return said
        statuses = ", ".join(f"{number(self.cited[s])} {STATUS_WORDS[s]}"
                             for s in (FAILS, NOT_UNDERSTOOD, HOLDS) if self.cited[s])
        return f"{said}, pada {number(cells)} sel bertanda ({statuses})"

    @property
    def outside_said(self) -> str:
        return by_severity(self.outside)

    @property
    def not_read(self) -> int:
        return self.ambiguous + self.unread

    @property
    def share(self) -> str:
        """The share of figure cells read without doubt, `99,8 %`; `–` without figures."""
        return f"{number(100 * self.read / self.cells, 1)} %" if self.cells else "–"


def counts(audit: Audit) -> Counts:
    severities = audit.severities()
    cells = audit.reading.counts()
    checked = audit.checked()
    states = cell_states(audit)
    fails_by = Counter(s.severity for s in states.values() if s.counted and s.status == FAILS)
    cited = Counter(s.status for s in states.values() if s.findings)
    in_tables = Counter(f.finding.severity for f in audit.findings if f.where.table is not None)
    outside = Counter(f.finding.severity for f in audit.findings if f.where.table is None)
    return Counts(severities[ERROR], severities[WARNING], severities[INFO],
                  cells[READ] + cells[AMBIGUOUS] + cells[UNREAD], cells[READ],
                  cells[AMBIGUOUS], cells[UNREAD], checked[HOLDS], checked[FAILS],
                  checked[NOT_UNDERSTOOD], fails_by, in_tables, outside, cited)


def place(where: Where, audit: Audit) -> str:
    """Where a reviewer turns to: the finding's page, else its table's place (its pages, or
    its number and the paragraph above it), else its paragraph."""
    if where.page is not None:
        return f"halaman {where.page}"
    table = _table(audit, where.table)
    if table is not None:
        return table.table.place()
    if where.paragraph is not None:
        return f"paragraf {where.paragraph}"
    return ""


def _table(audit: Audit, number: int | None) -> TableReading | None:
    if number is None:
        return None
    return next((t for t in audit.reading.tables if t.table.number == number), None)


def source(found) -> str:
    """The place of the figure a finding was compared with, when the check names it
    (DocumentFinding.source); "" for a finding without one."""
    return getattr(found, "source", "") or ""


def finding_records(audit: Audit) -> list[dict]:
    """One record per finding, numbered, with FINDING_COLUMNS: what findings.csv/.json hold."""
    records = []
    for no, found in enumerate(audit.findings, 1):
        f, where = found.finding, found.where
        records.append({
            "no": no, "tempat": where.text(), "halaman": where.page, "tabel": where.table,
            "judul_tabel": where.title, "baris": row_number(where.row),
            "label_baris": where.label, "kolom": row_number(where.column),
            "label_kolom": where.column_label, "tercetak": f.printed,
            "hitung_ulang": f.expected, "dibandingkan_dengan": source(found),
            "aturan": f.check, "tingkat": LABEL.get(f.severity, f.severity),
            "pesan": f.message})
    return records


def write_findings(audit: Audit, folder: Path) -> list[Path]:
    """findings.csv (text as printed, a formula never: clean.write_frame) and findings.json."""
    import pandas as pd

    from ..read.clean import write_frame

    records = finding_records(audit)
    write_frame(pd.DataFrame(records, columns=FINDING_COLUMNS, dtype=object), folder / CSV)
    (folder / JSON).write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n",
                               encoding="utf-8")
    return [folder / CSV, folder / JSON]


# -- the marks on each cell ---------------------------------------------------------------------

@dataclass
class CellState:
    """What the rules said of one cell: its worst status (and, when it does not hold, the
    worst severity of what failed there), the recomputations shown under it, the rules that
    read it and the findings that cite it."""

    status: str
    recomputed: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    findings: list[int] = field(default_factory=list)
    counted: bool = True  # False: no mark, only a finding placed on it (not in the counts)
    severity: str = ""  # FAILS only: ERROR, WARNING or INFO

    @property
    def look(self) -> Look:
        if self.status != FAILS:
            return LOOKS[(self.status, "")]
        return LOOKS.get((FAILS, self.severity), LOOKS[(FAILS, ERROR)])


def worse(one: str, other: str) -> str:
    """The more severe of two severities ("" for none)."""
    known = [s for s in (one, other) if s in SEVERITY_ORDER]
    return min(known, key=SEVERITY_ORDER.get) if known else ""


def _cell_of(where: Where) -> tuple[int, int, int] | None:
    return None if None in (where.table, where.row, where.column) else \
        (where.table, where.row, where.column)


def cell_states(audit: Audit) -> dict[tuple[int, int, int], CellState]:
    """Every checked cell by (table, row, column) with the numbers of the findings placed on
    it; a finding placed on a cell no rule marked marks it as not holding. A failing cell
    takes its mark's severity, else that of the finding its rule made there, else an
    error's; a finding placed on it makes it as severe as that finding."""
    found_by_rule: dict[tuple, str] = {}
    for found in audit.findings:
        at = _cell_of(found.where)
        if at is not None:
            key = (*at, found.finding.check)
            found_by_rule[key] = worse(found_by_rule.get(key, ""), found.finding.severity)
    states: dict[tuple[int, int, int], CellState] = {}
    for mark in audit.marks:
        severity = ""
        if mark.status == FAILS:
            severity = mark.severity or found_by_rule.get(
                (mark.table, mark.row, mark.column, mark.rule), ERROR)
        _add_mark(states, mark, severity)
    for no, found in enumerate(audit.findings, 1):
        at = _cell_of(found.where)
        if at is None:
            continue
        state = states.setdefault(at, CellState(FAILS, counted=False))
        state.findings.append(no)
        if state.status == FAILS:
            state.severity = worse(state.severity, found.finding.severity) or ERROR
    return states


def _add_mark(states: dict, mark: CellMark, severity: str) -> None:
    at = (mark.table, mark.row, mark.column)
    state = states.setdefault(at, CellState(mark.status))
    if WORST[mark.status] > WORST[state.status]:
        state.status = mark.status
    if mark.status == FAILS:
        state.severity = worse(state.severity, severity)
    if mark.rule and mark.rule not in state.rules:
        state.rules.append(mark.rule)
    if mark.status == FAILS and mark.recomputed and mark.recomputed not in state.recomputed:
        state.recomputed.append(mark.recomputed)


# -- audit.html ---------------------------------------------------------------------------------

@dataclass
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class CellView:
    text: str
    css: str = ""
    lines: list[str] = field(default_factory=list)  # small lines under the value
    findings: list[int] = field(default_factory=list)
    title: str = ""


@dataclass
class RowView:
    number: int
    css: str
    cells: list[CellView]


@dataclass
class TableView:
    number: int
    title: str
    place: str
    css: str
    header: list[list[HeaderCell]]
    header_rows: int
    numbering: list[str] | None
    roles: list[str]
    columns: list[str]  # each column's width class (audit.css): a row number, a figure, text
    rows: list[RowView]
    summary: str


def merged_header(rows: list[list[str]], width: int) -> list[list[HeaderCell]]:
    """The header rows with a merged cell's text (repeated in every column it spans) printed
    once again: equal neighbours in a row become one cell over their columns, but only under
    the same cell of the row above (the `Target` of a quarter's group is not the annual
    `Target` beside it), and a cell equal to the one above it, over the same columns,
    lengthens that one downwards (a column whose rows repeat is one cell)."""
    out: list[list[HeaderCell]] = []
    above: list[HeaderCell | None] = [None] * width  # the cell over each column so far
    for row in rows:
        texts = [row[c] if c < len(row) else "" for c in range(width)]
        printed, now = [], [None] * width
        c = 0
        while c < width:
            span = 1
            while c + span < width and texts[c + span] == texts[c] and texts[c] and \
                    above[c + span] is above[c]:
                span += 1
            over = above[c]
            starts = c == 0 or above[c - 1] is not over  # the cell above begins here
            if over is not None and texts[c] and over.text == _shown(texts[c]) and \
                    starts and over.colspan == span:
                over.rowspan += 1
                cell = over
            else:
                cell = HeaderCell(_shown(texts[c]), span)
                printed.append(cell)
            now[c:c + span] = [cell] * span
            c += span
        out.append(printed)
        above = now
    return out


def _role_label(reading: TableReading, column: int) -> str:
    """How a column was understood: its role, unit and number format (`capaian % · desimal
    titik`); `–` when its header matched no role."""
    col = reading.columns[column]
    role = " ".join(part for part in (col.role.role, col.role.unit) if part) or "–"
    if col.numeric and col.role.role not in NOT_FIGURES and col.format:
        return f"{role} · {col.format}"
    return role


def _column_classes(reading: TableReading, width: int, css: str) -> list[str]:
    """Each column's width class: narrow for the row numbers the document prints, a figure's
    width for a figure column, the rest shared by the text columns; none when the figure
    columns alone would not fit on the page."""
    classes = []
    for c in range(width):
        col = reading.columns[c] if c < len(reading.columns) else None
        if col is not None and col.role.role in NOT_FIGURES:
            classes.append("k-no")
        elif col is not None and col.numeric:
            classes.append("k-angka")
        else:
            classes.append("")
    fixed = classes.count("k-angka") * FIGURE_WIDTH_MM[css] + \
        classes.count("k-no") * ORDINAL_WIDTH_MM
    if fixed > PAGE_WIDTH_MM or "" not in classes:
        return [""] * width
    return classes


def _cell(reading: TableReading, r: int, c: int, text: str,
          state: CellState | None) -> CellView:
    """One body cell: its text as read, its mark, and what is said under it."""
    row = reading.rows[r] if r < len(reading.rows) else None
    figure = row.figures[c] if row is not None and c < len(row.figures) else None
    column = reading.columns[c] if c < len(reading.columns) else None
    numeric = figure is not None and (figure.numeric or (
        figure.status == NIL and column is not None and column.numeric))
    classes = ["num"] if numeric else []
    view = CellView(_shown(text))
    if state is not None:
        look = state.look
        classes.append(look.css)
        view.lines = [f"hitung ulang: {value}" for value in state.recomputed]
        view.findings = list(state.findings)
        view.title = f"{look.words}: {', '.join(state.rules)}" if state.rules else look.words
    elif figure is not None and figure.status in (AMBIGUOUS, UNREAD) and \
            column is not None and column.role.role not in NOT_FIGURES:
        classes.append(NOT_READ_CLASS)
    if figure is not None and figure.status in (AMBIGUOUS, UNREAD) and figure.reason and \
            (state is None or state.status != HOLDS):
        view.lines.append(_shown(figure.reason))
    view.css = " ".join(classes)
    return view


def _table_summary(reading: TableReading, states: dict, number_: int) -> str:
    """`12 sel angka terbaca; 9 diperiksa: 7 cocok, 2 tidak cocok (1 kesalahan, 1
    peringatan)`."""
    cells = reading.counts()
    mine = [s for (t, _, _), s in states.items() if t == number_ and s.counted]
    statuses = Counter(s.status for s in mine)
    checked = sum(statuses.values())
    text = f"{number(cells[READ])} sel angka terbaca"
    if cells[AMBIGUOUS] + cells[UNREAD]:
        text += f", {number(cells[AMBIGUOUS] + cells[UNREAD])} tidak dipahami"
    if not checked:
        return text + "; tidak ada sel yang diperiksa"
    said = []
    for status in (HOLDS, FAILS, NOT_UNDERSTOOD):
        if statuses[status]:
            said.append(f"{number(statuses[status])} {STATUS_WORDS[status]}")
    if statuses[FAILS]:
        fails = Counter(s.severity for s in mine if s.status == FAILS)
        said[1 if statuses[HOLDS] else 0] += f" ({by_severity(fails)})"
    return f"{text}; {number(checked)} diperiksa: {', '.join(said)}"


def table_view(reading: TableReading, states: dict) -> TableView:
    table = reading.table
    width = table.width
    rows = []
    for r, body in enumerate(table.body):
        cells = [_cell(reading, r, c, body[c] if c < len(body) else "",
                       states.get((table.number, r, c))) for c in range(width)]
        role = reading.rows[r].role if r < len(reading.rows) else ""
        rows.append(RowView(r + 1, ROW_CLASS.get(role, ""), cells))
    place_ = table.place() + (", lanskap" if table.landscape else "")
    numbering = None
    if table.numbering:
        numbering = [_shown(table.numbering[c]) if c < len(table.numbering) else ""
                     for c in range(width)]
    css = "terbaca rapat" if width > WIDE_COLUMNS else "terbaca"
    return TableView(table.number, _shown(table.title) or "(tanpa judul)", place_, css,
                     merged_header(table.header or [[""] * width], width),
                     max(len(table.header), 1), numbering,
                     [_role_label(reading, c) if c < len(reading.columns) else "–"
                      for c in range(width)], _column_classes(reading, width, css), rows,
                     _table_summary(reading, states, table.number))


# a word (a name, `satu angka yang terbaca jelas`), not `Rp`, `%` or a unit symbol
WORD = re.compile(r"[^\W\d_]{3,}")
# a thousands separator between digits: where a long figure may break if it must
GROUP_BREAK = re.compile(r"(?<=\d[.,])(?=\d{3}(?:\D|$))")
# a space before a short piece (`%`, a NIP's `1 006`): no line starts with that piece alone
SHORT_PIECE = re.compile(r" (?=\S{1,3}(?: |$))")


@dataclass(frozen=True)
class ValueView:
    """A printed or recomputed value in the findings list and its cell's class: `num` for a
    figure (right-aligned), `teks` for words, which wrap as text does."""

    html: object  # Markup
    css: str


def value_view(text) -> ValueView:
    """A value as the findings list prints it. Words wrap between them like any text; a
    figure stays whole, a long one breaking only after a thousands separator and a NIP only
    after its date groups (`19730927 / 199403 1 006`), so that no value runs into the next
    column."""
    from markupsafe import Markup

    shown = _shown(text)
    if WORD.search(shown):
        return ValueView(Markup.escape(shown), "teks")
    shown = SHORT_PIECE.sub("\u00a0", shown)
    return ValueView(Markup("<wbr>").join(Markup.escape(part)
                                          for part in GROUP_BREAK.split(shown)), "num")


@dataclass
class FindingView:
    no: int
    place: str
    table: int | None
    title: str
    row: str
    column: str
    printed: ValueView
    recomputed: ValueView
    rule: str
    severity: str
    css: str
    message: str
    source: str = ""  # the place of the figure it was compared with


def finding_views(audit: Audit) -> list[FindingView]:
    views = []
    for no, found in enumerate(audit.findings, 1):
        f, where = found.finding, found.where
        title = _shown(where.title)
        if len(title) > TITLE_SHOWN:
            title = title[:TITLE_SHOWN - 1] + "…"
        row = _shown(where.label)
        if where.row is not None:
            row = f"{row} (baris {where.row + 1})" if row else f"baris {where.row + 1}"
        views.append(FindingView(no, place(where, audit), where.table, title, row,
                                 _shown(where.column_label), value_view(f.printed),
                                 value_view(f.expected), f.check,
                                 LABEL.get(f.severity, f.severity), LABEL.get(f.severity, ""),
                                 _shown(f.message), _shown(source(found))))
    return views


def source_lines(audit: Audit, sha256: str | None = None) -> list[tuple[str, str]]:
    """The document audited, as the first page names it: (what, value) pairs."""
    document = audit.reading.document
    kinds = {"pdf": "PDF", "docx": "Word (DOCX)", "html": "HTML", "text": "teks"}
    lines = [("Dokumen", _shown(document.name)), ("Jenis", kinds.get(document.kind,
                                                                      document.kind))]
    if document.pages is not None:
        lines.append(("Halaman", number(document.pages)))
    lines.append(("Tabel", number(len(document.tables))))
    lines.append(("Paragraf", number(len(document.paragraphs))))
    lines.append(("Format angka", audit.reading.marks.describe()))
    if sha256:
        lines.append(("SHA-256", sha256))
    return lines


def notes(audit: Audit) -> list[str]:
    """What the reviewer should know before the counts: pages not read, then what the checks
    inferred (the audit's notes)."""
    said = []
    document = audit.reading.document
    if document.without_text:
        pages = ", ".join(str(p) for p in document.without_text)
        said.append(f"Halaman tanpa lapisan teks (pindaian) tidak dibaca: {pages}. Angka di "
                    "halaman itu tidak diperiksa; PDF pindaian perlu di-OCR dahulu.")
    return said + [_shown(note) for note in audit.notes]


def _css():
    from markupsafe import Markup

    from .render import TEMPLATES

    return Markup("\n".join((TEMPLATES / name).read_text(encoding="utf-8") for name in STYLES))


def _has_figures(reading: TableReading) -> bool:
    return sum(reading.counts().values()) > 0


def render_html(audit: Audit, sha256: str | None = None, printed: bool = False) -> str:
    """audit.html: one self-contained file. `printed`: the PDF's version, whose tables are
    those that hold figures; a table of words only (problem statements, SOPs, follow-up
    plans) is named, and shown in audit.html and tables.xlsx, not printed again."""
    from . import render

    states = cell_states(audit)
    env = render.environment()
    shown = [t for t in audit.reading.tables if not printed or _has_figures(t)]
    left_out = [f"{t.table.number} ({_shown(t.table.title) or 'tanpa judul'})"
                for t in audit.reading.tables if t not in shown]
    return env.get_template(TEMPLATE).render(
        title=f"Audit {_shown(audit.reading.document.name)}", css=_css(),
        source=source_lines(audit, sha256), n=counts(audit), notes=notes(audit),
        findings=finding_views(audit), legend=[(look.css, look.words)
                                               for look in LOOKS.values()],
        not_read_class=NOT_READ_CLASS, left_out=left_out,
        tables=[table_view(t, states) for t in shown])


class _ScreenOnly(logging.Filter):
    """WeasyPrint warns of each rule it ignores: style.css holds rules for the screen only."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Ignored")


_SCREEN_ONLY = _ScreenOnly()


def write_pdf(html: str, path: Path) -> None:
    """audit.pdf as the report's PDF is made (render.render_pdf), long tables in pieces."""
    from . import render

    logging.getLogger("weasyprint").addFilter(_SCREEN_ONLY)
    render.render_pdf(render.for_print(html, ()), path)


# -- tables.xlsx -------------------------------------------------------------------------------

INDEX_SHEET = "Daftar"
FINDINGS_SHEET = "Temuan"  # a table's sheet is named `T<number> …`: never this name
SHEET_NAME = 31  # characters Excel allows in a sheet's name
NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\'\x00-\x1f\x7f]")
CELL_TEXT = 32_767  # characters Excel keeps in a cell
EXACT_DIGITS = 15  # digits a spreadsheet number holds exactly; a longer figure stays text
HEADER_FILL = "DDEBF7"
LINK_COLOUR = "0563C1"
ROW_NUMBER = "Baris"  # the first column of a table's sheet: the body row the findings cite
INDEX_COLUMNS = ["Tabel", "Lembar", "Tempat", "Halaman", "Judul", "Baris isi", "Kolom",
                 "Sel diperiksa", "Cocok", "Tidak cocok", "Tidak dipahami"]
CELL_COLUMN = "sel"  # the findings sheet's last column: a link to the cell a finding cites
# the findings sheet's column widths, by FINDING_COLUMNS' name; the rest MIN_WIDTH
FINDING_WIDTHS = {"no": 5, "tempat": 40, "judul_tabel": 30, "label_baris": 30,
                  "label_kolom": 20, "tercetak": 18, "hitung_ulang": 18,
                  "dibandingkan_dengan": 40, "aturan": 22, "tingkat": 11, "pesan": 60,
                  CELL_COLUMN: 30}
LEGEND = ("Lembar Temuan: setiap temuan seperti findings.csv; kolom sel menautkan ke sel "
          "yang dirujuk temuan. Lalu setiap tabel seperti terbaca dari dokumen, satu lembar "
          "per tabel: kolom Baris (nomor baris isi yang disebut temuan), baris judul kolom, "
          "lalu baris isi. Angka yang terbaca tanpa ragu ditulis sebagai angka, selainnya "
          "sebagai teks; tidak ada rumus. Warna sel yang diperiksa: hijau = cocok, merah = "
          "tidak cocok, kesalahan; kuning = tidak cocok, peringatan (selisih pembulatan); "
          "biru muda berbingkai = tidak cocok, catatan; abu-abu = tidak dipahami. Hitung "
          "ulang, aturan dan nomor temuan ada pada komentar sel.")
LEGEND_HEIGHT = 80  # points: the legend's lines in the index's merged row
MAX_WIDTH, MIN_WIDTH = 50, 6


def sheet_name(number_: int, title: str) -> str:
    """`T5 Capaian Kinerja`: the table's number, then as much of its title as Excel allows,
    without the characters a sheet's name cannot hold."""
    short = " ".join(NOT_IN_SHEET_NAME.sub(" ", title).split())
    return f"T{number_} {short}"[:SHEET_NAME].rstrip() if short else f"T{number_}"


def _text(value: str) -> str:
    from .workbook import NOT_IN_XML

    text = NOT_IN_XML.sub(lambda m: repr(m.group())[1:-1], value)
    return text if len(text) <= CELL_TEXT else text[:CELL_TEXT - 1] + "…"


def _put(ws, row: int, column: int, value):
    """A cell written as a value, never a formula: text keeps the text type after openpyxl
    has guessed it (a received `=1+1` would otherwise be a live formula)."""
    from .workbook import TEXT

    if isinstance(value, str):
        value = _text(value)
    cell = ws.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = TEXT
    return cell


def number_format(value: Decimal, percent: bool) -> str:
    """The format that shows a figure with the decimals it was printed with (`#,##0.00`),
    and its percent sign."""
    places = max(0, -value.as_tuple().exponent) if isinstance(value.as_tuple().exponent,
                                                                 int) else 0
    shown = "#,##0" + ("." + "0" * places if places else "")
    return shown + ('" %"' if percent else "")


def _value(figure) -> tuple[object, str | None]:
    """A cell's value for the sheet: its number when read without doubt (one number, exactly
    held), else its text as printed."""
    value = figure.value if figure is not None and figure.status == READ else None
    if value is None or len(value.as_tuple().digits) > EXACT_DIGITS:
        return (figure.text if figure is not None else ""), None
    return value, number_format(value, figure.percent)


def sheet_cell(table, row: int, column: int) -> str:
    """The address of a body cell on its table's sheet (`G3`): after the header rows, and
    after the Baris column."""
    from ..errors import column_letter

    return f"{column_letter(column + 1)}{len(table.header or [[]]) + row + 1}"


def _header_style(cell) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def _mark(cell, look: Look) -> None:
    """A checked cell's fill, and for a note the border that tells it from a header."""
    from openpyxl.styles import Border, PatternFill, Side

    cell.fill = PatternFill("solid", fgColor=look.fill)
    if look.border:
        side = Side(style="thin", color=look.border)
        cell.border = Border(left=side, right=side, top=side, bottom=side)


def _table_sheet(ws, reading: TableReading, states: dict) -> dict:
    """The table as read: the Baris column, header rows, then the body; returns its counts
    for the index."""
    from openpyxl.comments import Comment

    from ..errors import column_letter

    table = reading.table
    width = table.width
    widths = [MIN_WIDTH] * width
    header = table.header or [[]]
    for r, row in enumerate(header, 1):
        _header_style(_put(ws, r, 1, ROW_NUMBER if r == 1 else ""))
        for c in range(width):
            _header_style(_put(ws, r, c + 2, row[c] if c < len(row) else ""))
    if len(header) > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=len(header), end_column=1)
    statuses: Counter = Counter()
    for r, body in enumerate(table.body):
        figures = reading.rows[r].figures if r < len(reading.rows) else []
        _put(ws, len(header) + r + 1, 1, row_number(r))
        for c in range(width):
            text = body[c] if c < len(body) else ""
            value, shown = _value(figures[c] if c < len(figures) else None)
            cell = _put(ws, len(header) + r + 1, c + 2, value if value is not None else text)
            if shown:
                cell.number_format = shown
            widths[c] = max(widths[c], min(MAX_WIDTH, len(text) + 2))
            state = states.get((table.number, r, c))
            if state is None:
                continue
            statuses[state.status] += state.counted
            _mark(cell, state.look)
            figure = figures[c] if c < len(figures) else None
            said = [f"hitung ulang: {v}" for v in state.recomputed]
            said += [_shown(figure.reason)] if figure is not None and figure.reason else []
            said += [f"aturan: {', '.join(state.rules)}"] if state.rules else []
            said += [f"temuan no. {', '.join(str(n) for n in state.findings)}"] \
                if state.findings else []
            if state.status != HOLDS and said:
                said.insert(0, state.look.words)
                cell.comment = Comment(_text("\n".join(said)), "audit", width=260, height=90)
    ws.column_dimensions["A"].width = MIN_WIDTH
    for c in range(width):
        ws.column_dimensions[column_letter(c + 1)].width = widths[c]
    ws.freeze_panes = ws.cell(len(header) + 1, 2)
    return statuses


def _link(cell, sheet: str, address: str = "A1") -> None:
    """A link to a cell of another sheet of the same book."""
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!{address}")
    cell.font = Font(color=LINK_COLOUR, underline="single")


def _findings_sheet(ws, audit: Audit, names: dict[int, str]) -> None:
    """The findings as findings.csv holds them, then the cell each cites: a link to it on
    its table's sheet (`names`: each table's sheet by its number)."""
    from openpyxl.styles import Alignment, Font

    from ..errors import column_letter

    columns = [*FINDING_COLUMNS, CELL_COLUMN]
    for c, name in enumerate(columns, 1):
        _put(ws, 1, c, name).font = Font(bold=True)
    tables = {t.table.number: t.table for t in audit.reading.tables}
    for r, (record, found) in enumerate(zip(finding_records(audit), audit.findings), 2):
        for c, name in enumerate(FINDING_COLUMNS, 1):
            value = record[name]
            _put(ws, r, c, "" if value is None else value).alignment = \
                Alignment(wrap_text=True, vertical="top")
        at = _cell_of(found.where)
        if at is not None and at[0] in names and at[0] in tables:
            address = sheet_cell(tables[at[0]], at[1], at[2])
            _link(_put(ws, r, len(columns), f"{names[at[0]]} › {address}"), names[at[0]],
                  address)
    for c, name in enumerate(columns):
        ws.column_dimensions[column_letter(c)].width = FINDING_WIDTHS.get(name, MIN_WIDTH)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{column_letter(len(columns) - 1)}{len(audit.findings) + 1}"


def write_workbook(audit: Audit, path: Path) -> Path:
    """tables.xlsx: the index sheet, the findings sheet, then one sheet per table; the same
    bytes for the same audit (workbook.py's fixed times)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from . import workbook

    book = Workbook()
    index = book.active
    index.title = INDEX_SHEET
    for c, name in enumerate(INDEX_COLUMNS, 1):
        _put(index, 1, c, name).font = Font(bold=True)
    states = cell_states(audit)
    findings = book.create_sheet(FINDINGS_SHEET)
    names = {}
    for r, reading in enumerate(audit.reading.tables, 2):
        table = reading.table
        name = names[table.number] = sheet_name(table.number, table.title)
        statuses = _table_sheet(book.create_sheet(name), reading, states)
        values = [table.number, name, table.place(), table.page, table.title, len(table.body),
                  table.width, sum(statuses.values()), statuses[HOLDS], statuses[FAILS],
                  statuses[NOT_UNDERSTOOD]]
        for c, value in enumerate(values, 1):
            _put(index, r, c, value)
        _link(index.cell(r, 2), name)
    _findings_sheet(findings, audit, names)
    legend = index.cell(len(audit.reading.tables) + 3, 1)
    _put(index, legend.row, 1, LEGEND).alignment = Alignment(wrap_text=True, vertical="top")
    index.merge_cells(start_row=legend.row, start_column=1, end_row=legend.row,
                      end_column=len(INDEX_COLUMNS))
    index.row_dimensions[legend.row].height = LEGEND_HEIGHT
    for letter, width in zip("ABCDEFGHIJK", (7, 28, 22, 9, 70, 9, 7, 12, 8, 11, 13)):
        index.column_dimensions[letter].width = width
    index.freeze_panes = "A2"
    book.properties.created = book.properties.modified = workbook.FIXED_TIME
    book.properties.creator = "lkip"
    workbook._save(book, path)
    return path


# -- the whole folder ----------------------------------------------------------------------------

def write(audit: Audit, folder: Path, sha256: str | None = None) -> list[Path]:
    """Every file of FILES into folder (an empty staging folder: run/audit.py puts it in
    place)."""
    folder.mkdir(parents=True, exist_ok=True)
    with _beside(write_pdf, render_html(audit, sha256, printed=True), folder / PDF) as pdf:
        written = write_findings(audit, folder)
        (folder / HTML).write_text(render_html(audit, sha256), encoding="utf-8")
        write_workbook(audit, folder / XLSX)
        pdf.result()
    return written + [folder / HTML, folder / PDF, folder / XLSX]


@contextlib.contextmanager
def _beside(function, *args):
    """`function(*args)` in a forked child while the caller goes on (the PDF is half the
    audit's time, and the machine has two cores); run here where fork is not available."""
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        done: Future = Future()
        done.set_result(function(*args))
        yield done
        return
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool.submit(function, *args)

