"""Word documents (.docx), read with python-docx in the body's order: paragraphs and tables.

A table's merges are read from its XML, not from python-docx's cell grid (which repeats a
merged cell in every position it covers): `w:gridSpan` spans columns, `w:vMerge` continues
the cell above, `w:tblHeader` marks the rows Word repeats on each page. A section's page
orientation marks the tables on its landscape pages.
"""

from __future__ import annotations

import io
import re

from . import bounds, layout
from .model import Cell, Document, DocumentError, Paragraph

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(heading|judul)\s*(\d)$", re.IGNORECASE)
MAX_NESTING = 5  # tables inside cells inside tables; Word allows more, LKIPs use one


def _text(element) -> str:
    """A paragraph's or cell's text: its runs, tabs as spaces, breaks as new lines; a table
    nested in a cell as its cells' text."""
    parts = []
    for node in element.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}p"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append(" ")
        elif node.tag == f"{W}p" and parts:
            parts.append("\n")
        else:
            parts.append("\n")
    return "".join(parts).strip()


def _value(node, path: str) -> str | None:
    found = node.find(path)
    return None if found is None else found.get(f"{W}val", "")


def _count(text: str | None, default: int = 1) -> int:
    """A span or skip the XML states: a whole number, else the default (a damaged file's
    value is not trusted to mean anything)."""
    return int(text) if text and text.isdigit() and len(text) <= 6 else default


def _cells(table, file: str) -> tuple[list[list[Cell]], int]:
    """The table's rows of cells with their spans, and how many leading rows are marked to
    repeat as a header."""
    rows = table.findall(f"{W}tr")
    bounds.check_cells(file, sum(len(r.findall(f"{W}tc")) for r in rows))
    placed: list[list[tuple[int, Cell, bool]]] = []  # per row: (column, cell, continues above)
    hint, counting = 0, True
    for tr in rows:
        if counting and _value(tr, f"{W}trPr/{W}tblHeader") not in (None, "0", "false"):
            hint += 1
        else:
            counting = False
        column, row = _count(_value(tr, f"{W}trPr/{W}gridBefore"), 0), []
        for tc in tr.findall(f"{W}tc"):
            span = max(_count(_value(tc, f"{W}tcPr/{W}gridSpan")), 1)
            merge = _value(tc, f"{W}tcPr/{W}vMerge")
            row.append((column, Cell(_text(tc), span), merge not in (None, "restart")))
            column += span
        bounds.check_table_width(file, column)  # before any loop walks the columns
        placed.append(row)
    return _vertical(placed), hint


def _vertical(placed: list[list[tuple[int, Cell, bool]]]) -> list[list[Cell]]:
    """Cells that continue the one above (`w:vMerge` without `restart`) folded into its
    rowspan; a gap a row leaves (`w:gridBefore`, a short row) becomes empty cells."""
    origin: dict[int, tuple[int, int]] = {}  # column -> (row, index) of the open merge
    rows: list[list[Cell]] = [[] for _ in placed]
    positions: list[list[int]] = [[] for _ in placed]
    for r, row in enumerate(placed):
        for column, cell, continues in row:
            above = origin.get(column)
            if continues and above is not None:
                ar, ai = above
                old = rows[ar][ai]
                rows[ar][ai] = Cell(old.text, old.colspan, old.rowspan + 1)
                continue
            origin[column] = (r, len(rows[r]))
            rows[r].append(cell)
            positions[r].append(column)
    return _filled(rows, positions, placed)


def _filled(rows, positions, placed) -> list[list[Cell]]:
    """Empty cells where a row skips grid columns, so each cell keeps its column."""
    covered: set[tuple[int, int]] = set()  # (row, column) a cell above reaches down into
    for r, row in enumerate(rows):
        for cell, column in zip(row, positions[r]):
            covered.update((r + dr, column + dc) for dr in range(1, cell.rowspan)
                           for dc in range(cell.colspan))
    out = []
    for r, row in enumerate(rows):
        filled, column = [], 0
        for cell, start in zip(row, positions[r]):
            while column < start:
                if (r, column) not in covered:
                    filled.append(Cell(""))
                column += 1
            filled.append(cell)
            column = start + cell.colspan
        out.append(filled)
    return out


def _level(paragraph) -> int:
    """A heading's outline level from its style (`Heading 2`) or its own outline level."""
    style = paragraph.style
    while style is not None:
        match = _HEADING_STYLE.match(style.name or "")
        if match:
            return int(match.group(2))
        if (style.name or "").lower() == "title":
            return 1
        style = style.base_style
    level = _value(paragraph._p, f"{W}pPr/{W}outlineLvl")
    return int(level) + 1 if level and level.isdigit() and int(level) < 9 else 0


def _bold(run, paragraph) -> bool:
    """A run is bold by itself, or by its character or paragraph style."""
    if run.bold is not None:
        return run.bold
    styles = [run.style, paragraph.style]
    while styles:
        style = styles.pop(0)
        if style is None:
            continue
        if style.font.bold is not None:
            return style.font.bold
        styles.append(style.base_style)
    return False


def _first_line_bold(paragraph) -> bool:
    """The runs before the paragraph's first line break are all bold (spaces aside)."""
    runs = []
    for run in paragraph.runs:
        text = run.text
        runs.append(run)
        if "\n" in text:
            break
    shown = [r for r in runs if r.text.split("\n")[0].strip()]
    return bool(shown) and all(_bold(r, paragraph) for r in shown)


def _landscape(section) -> bool:
    size = section.find(f"{W}pgSz") if section is not None else None
    if size is None:
        return False
    width, height = _count(size.get(f"{W}w"), 0), _count(size.get(f"{W}h"), 0)
    return size.get(f"{W}orient") == "landscape" or width > height


def read(name: str, data: bytes) -> Document:
    """A .docx document's tables and paragraphs in the body's order."""
    import docx
    from docx.text.paragraph import Paragraph as DocxParagraph

    bounds.check_zip(name, data)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise DocumentError(name, "tidak dapat dibaca sebagai dokumen Word", type(exc).__name__,
                            "file .docx yang dapat dibuka pengolah kata") from None
    paragraphs: list[Paragraph] = []
    layouts: list[layout.Layout] = []
    pending: list[layout.Layout] = []  # tables of the section not yet closed
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == f"{W}tbl":
            rows, hint = _cells(child, name)
            found = layout.Layout(rows, header_hint=hint,
                                  paragraph=paragraphs[-1].number if paragraphs else None)
            layouts.append(found)
            pending.append(found)
            bounds.check_tables(name, len(layouts))
        elif child.tag == f"{W}p":
            paragraph = DocxParagraph(child, document)
            text = layout.clean(_text(child))
            if text:
                paragraphs.append(Paragraph(len(paragraphs) + 1, text,
                                            heading=_level(paragraph),
                                            emphasised=_first_line_bold(paragraph)))
            section = child.find(f"{W}pPr/{W}sectPr")
            if section is not None:
                for found in pending:
                    found.landscape = _landscape(section)
                pending = []
    for found in pending:
        found.landscape = _landscape(body.find(f"{W}sectPr"))
    tables = layout.titled(layouts, paragraphs, name, joinable=lambda a, b: False)
    return Document(name, "docx", tables, paragraphs)
