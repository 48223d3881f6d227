"""From cells as a source lays them out to a Table: merged cells placed on a grid, header rows
told from body rows, the row of column numbers set aside, the caption found, and a table that
a page break cut in two joined again.

Word processors mark merged cells (DOCX, HTML, a PDF's ruled cells); a text table marks them
only by empty cells, so `spans_from_gaps` turns those into merges by the same rule an agency's
header follows (a group title over sub-columns, a title spanning the header rows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from . import bounds
from .figures import looks_numeric
from .model import Cell, Paragraph, Table

MAX_HEADER_ROWS = 5  # the deepest header seen in LKIP tables is three rows
MAX_CAPTION = 160  # characters of an unmarked caption line ("Realisasi Keuangan Triwulan I …")
MAX_HEADER_CELL = 60  # characters of a header cell; a longer one is a body cell
_COLUMN_NUMBER = re.compile(r"^\(?(\d{1,2})\)?$")
_SPACES = re.compile(r"\s+")
_CAPTION_WORDS = re.compile(r"^(tabel|table)\b", re.IGNORECASE)
_SENTENCE_ENDS = (".", ":", ";", ",")


def clean(text: str | None) -> str:
    """A cell's or a paragraph's text with its line breaks and runs of spaces made one space:
    the same text whether the source wrapped it or not."""
    return _SPACES.sub(" ", text or "").strip()


@dataclass
class Layout:
    """A table as a reader found it, before its header is told from its body."""

    rows: list[list[Cell]]
    header_hint: int = 0  # header rows the source marks (DOCX tblHeader, HTML thead); 0: none
    page: int | None = None
    pages: tuple[int, ...] = ()
    paragraph: int | None = None  # number of the last paragraph above it
    landscape: bool = False


def grid(rows: list[list[Cell]], file: str = "") -> list[list[tuple[int, int] | None]]:
    """Each grid position's origin (row, column) of the cell covering it, as HTML lays out a
    table: a cell takes the next free column of its row and covers colspan × rowspan
    positions, a rowspan clipped to the table's last row."""
    height = len(rows)
    taken: dict[tuple[int, int], tuple[int, int]] = {}
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            span_rows = min(max(cell.rowspan, 1), height - r)
            span_cols = max(cell.colspan, 1)
            bounds.check_cells(file, len(taken) + span_rows * span_cols)
            for dr in range(span_rows):
                for dc in range(span_cols):
                    taken[(r + dr, c + dc)] = (r, c)
            c += span_cols
        width = max(width, c)
    return [[taken.get((r, c)) for c in range(width)] for r in range(height)]


def _origins(rows: list[list[Cell]], places) -> dict[tuple[int, int], Cell]:
    """The cell that starts at each origin, in the order grid() placed them."""
    cells: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(rows):
        starts = sorted({o for o in places[r] if o is not None and o[0] == r},
                        key=lambda o: o[1])
        for cell, origin in zip(row, starts):
            cells[origin] = cell
    return cells


def is_numbering(row: list[str]) -> bool:
    """A row of column numbers as agencies print under the header: `1 2 3 … n` or
    `(1) (2) …`, counting up by one from 1, filling at least half the columns."""
    filled = [t.strip() for t in row if t.strip()]
    numbers = [_COLUMN_NUMBER.match(t) for t in filled]
    if len(filled) < 2 or len(filled) * 2 < len(row) or not all(numbers):
        return False
    values = [int(m.group(1)) for m in numbers]
    return values[0] == 1 and values == list(range(1, len(values) + 1))


def _has_number(row: list[str]) -> bool:
    return any(looks_numeric(t) for t in row)


def header_like(row: list[str]) -> bool:
    """A row that reads as a header: two or more labels, none a figure, none long."""
    filled = [t for t in row if t.strip()]
    return (len(filled) >= 2 and not _has_number(row) and not is_numbering(row)
            and all(len(t) <= MAX_HEADER_CELL for t in filled))


def _sub_header(above: list[str], row: list[str]) -> bool:
    """In a text table, a row that continues the header above it: it starts empty (under a
    title spanning the header rows), the row above leaves gaps after a group title, and this
    row labels those gaps; no figure in it."""
    gaps = [c for c in range(1, len(above)) if not above[c].strip()
            and any(t.strip() for t in above[:c])]
    return (not row[0].strip() and bool(gaps) and any(row[c].strip() for c in gaps)
            and not _has_number(row) and not is_numbering(row))


def spans_from_gaps(rows: list[list[str]]) -> list[list[Cell]]:
    """A text table's rows as cells, its header's empty cells made into the merges they
    stand for: an empty cell under a single-column header cell continues it downwards; an
    empty cell after a group title, with labels below it, continues it sideways."""
    width = max((len(r) for r in rows), default=0)
    rows = [list(r) + [""] * (width - len(r)) for r in rows]
    depth = 0 if not rows or _has_number(rows[0]) else 1
    while depth and depth < min(len(rows), MAX_HEADER_ROWS) and _sub_header(rows[depth - 1],
                                                                            rows[depth]):
        depth += 1
    spans: dict[tuple[int, int], list[int]] = {}  # origin -> [colspan, rowspan]
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r in range(depth):
        for c in range(width):
            above = owner.get((r - 1, c))
            left = owner.get((r, c - 1))
            if rows[r][c].strip():
                spans[(r, c)] = [1, 1]
                owner[(r, c)] = (r, c)
            elif above is not None and spans[above][0] == 1 and r < depth:
                spans[above][1] += 1
                owner[(r, c)] = above
            elif (left is not None and left[0] == r and r + 1 < depth
                  and rows[r + 1][c].strip() and rows[left[0]][left[1]].strip()):
                spans[left][0] += 1
                owner[(r, c)] = left
            else:
                spans[(r, c)] = [1, 1]
                owner[(r, c)] = (r, c)
    out = []
    for r in range(len(rows)):
        if r >= depth:
            out.append([Cell(t) for t in rows[r]])
            continue
        out.append([Cell(rows[r][c], *spans[(r, c)]) for c in range(width) if (r, c) in spans])
    return out


def _header_depth(cells: dict, texts: list[list[str]], hint: int) -> int:
    """Header rows: those the source marks, those a merged header cell reaches down into, and
    the row under a group title spanning columns; none when the first row holds a figure."""
    if not texts or (not hint and _has_number(texts[0])):
        return 0
    depth = max(hint, 1)
    while depth < min(len(texts), MAX_HEADER_ROWS):
        reaches = any(o[0] + cells[o].rowspan > depth for o in cells if o[0] < depth)
        grouped = any(cells[o].colspan > 1 for o in cells if o[0] == depth - 1)
        below = texts[depth]
        if not (reaches or (grouped and not _has_number(below) and not is_numbering(below))):
            break
        depth += 1
    return depth


def shape(layout: Layout, number: int, title: str, file: str = "") -> Table:
    """The Table a layout holds: header rows filled across their merges, the column-number
    row set aside, body rows as printed."""
    places = grid(layout.rows, file)
    cells = _origins(layout.rows, places)
    width = len(places[0]) if places else 0
    texts = [[clean(cells[o].text) if o is not None and o == (r, c) else ""
              for c, o in enumerate(row)] for r, row in enumerate(places)]
    depth = _header_depth(cells, texts, layout.header_hint)
    header = [[clean(cells[o].text) if o is not None else "" for o in row]
              for row in places[:depth]]
    body = texts[depth:]
    numbering = None
    if body and is_numbering(body[0]):
        numbering, body = body[0], body[1:]
    bounds.check_table_width(file, width)
    return Table(number=number, title=title, header=header, body=body, page=layout.page,
                 pages=layout.pages, paragraph=layout.paragraph, numbering=numbering,
                 landscape=layout.landscape, row_pages=_on_page(layout.page, len(body)))


def _on_page(page: int | None, rows: int) -> tuple[int, ...]:
    """Each of a layout's body rows on its page (PDF); none where pages are not known."""
    return (page,) * rows if page is not None else ()


def _marked(p: Paragraph) -> bool:
    """A paragraph set apart as a caption is: a heading, bold, or starting `Tabel`."""
    return bool(p.heading or p.emphasised or _CAPTION_WORDS.match(p.text))


def caption(paragraphs: list[Paragraph], above: int | None, since: int | None) -> str:
    """The table's title: the line right above it when it is a caption (marked, or short and
    not a sentence), else the nearest marked caption since the previous table, else the
    nearest heading above it."""
    if above is None:
        return ""
    before = [p for p in paragraphs if p.number <= above]
    recent = [p for p in before if since is None or p.number > since]
    if recent and (_marked(recent[-1]) or (len(recent[-1].text) <= MAX_CAPTION
                                           and not recent[-1].text.endswith(_SENTENCE_ENDS))):
        return recent[-1].text
    for p in reversed(recent):
        if _marked(p):
            return p.text
    for p in reversed(before):
        if p.heading:
            return p.text
    return ""


def join(first: Table, then: Table) -> Table | None:
    """The table `then` continues, when a page break cut it: as wide, with the same header
    repeated, or with no header of its own (its first rows are body rows). None when `then`
    is a table of its own."""
    if then.width != first.width:
        return None
    same = [[clean(t) for t in r] for r in then.header] == [[clean(t) for t in r]
                                                           for r in first.header]
    if then.header and not same and any(header_like(r) for r in then.header):
        return None
    rows = then.body if same else then.header + ([then.numbering] if then.numbering else [])
    if not same:
        rows = rows + then.body
    pages = tuple(dict.fromkeys(first.pages + then.pages))
    return replace(first, body=first.body + [list(r) for r in rows], pages=pages,
                   row_pages=first.row_pages + _on_page(then.page, len(rows)))


def titled(layouts: list[Layout], paragraphs: list[Paragraph], file: str,
           joinable=None) -> list[Table]:
    """Tables from layouts in reading order, each with its caption, a table cut by a page
    break joined to the one it continues. joinable(previous, next) says whether nothing but
    a page break lies between two layouts (default: no paragraph between them)."""
    joinable = joinable or (lambda a, b: a.paragraph == b.paragraph)
    tables: list[Table] = []
    last: Layout | None = None
    since = None
    for layout in layouts:
        table = shape(layout, len(tables) + 1, "", file)
        if tables and last is not None and joinable(last, layout):
            joined = join(tables[-1], table)
            if joined is not None:
                tables[-1] = joined
                bounds.check_rows(file, tables[-1])
                last = layout
                continue
        table.title = caption(paragraphs, layout.paragraph, since)
        since = layout.paragraph
        bounds.check_rows(file, table)
        tables.append(table)
        bounds.check_tables(file, len(tables))
        last = layout
    return tables
