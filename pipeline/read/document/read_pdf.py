"""Text PDFs, as Word and LibreOffice export them, read with pdfplumber.

A ruled table's cells come from its lines: each cell's box says which columns and rows it
spans, so merged header cells are known, not guessed. Where a page has no ruled table, an
unruled one is looked for in the alignment of its words, and kept only when it reads as a
table of figures. The words outside tables make the paragraphs; a page's number and the
running header repeated on most pages are left out. A table cut by a page break (its header
repeated, or not) is joined again. A page without a text layer (a scan) is counted; a PDF
with none at all is refused with a message that says so.
"""

from __future__ import annotations

import bisect
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from . import bounds, layout
from .figures import looks_numeric
from .model import Cell, Document, DocumentError, Paragraph

WORD_ATTRS = ["fontname", "size"]
SNAP = 2.0  # points within which two ruling lines are one
LINE_TOLERANCE = 3.0  # points within which two words' tops are one line
PARAGRAPH_GAP = 0.45  # a gap above a line larger than this share of its height starts a paragraph
EDGE_BAND = 0.1  # the outer tenth of a page, top and bottom, where page furniture sits
REPEATED = 0.3  # a line repeated in the edge band of this share of pages is a running header
HEADING_STEP = 1.5  # points larger than the body text that make a line a heading
UNRULED_MIN = (1, 3)  # body rows and columns of an unruled table, at least
COLUMN_GAP = 6.0  # points between two words that part two header cells of an unruled table
ROW_GAP = 1.0  # line heights between two lines of one unruled table, at most
FINE_TOLERANCE = 1.5  # points within which characters join a word, in an unruled table
EVEN_GAPS = 1.0  # points between the widest and narrowest gap of a justified line
SIZE_TOLERANCE = 0.5  # points between the type sizes of two lines of one table
_PAGE_NUMBER = re.compile(r"^(halaman\s+)?[-–—]?\s*[0-9ivxlc]{1,5}\s*[-–—]?$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_WRAPPED = re.compile(r"(\d[.,])\n(?=\d)|(\w-)\n(?=\w)")  # `3.385.637.` / `000`; `RKA-` / `SKPD`
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
SCANNED = ("PDF tanpa lapisan teks (hasil pindai): angka di dalamnya tidak dapat dibaca "
           "tanpa OCR")
SCANNED_EXPECTED = ("PDF yang diekspor dari Word atau LibreOffice, atau file .docx/.odt-nya; "
                    "PDF pindaian perlu di-OCR dahulu (mis. ocrmypdf)")


@dataclass
class Line:
    """One line of words outside the tables."""

    text: str
    top: float
    bottom: float
    x0: float
    size: float
    bold: bool
    page: int


def page_count(name: str, data: bytes) -> int:
    """The pages the PDF declares, read from its page tree by the project's bounded pypdf
    reader (embedded.py: no xref repair, objects counted and capped) before pdfplumber parses
    anything; pdfplumber then reads no page past that count."""
    from pypdf.errors import PyPdfError

    from .. import embedded

    try:
        with embedded._quiet_pypdf():
            reader = embedded._reader(data)
            count = reader.trailer["/Root"]["/Pages"]["/Count"]
    except embedded.Unreadable as exc:
        raise DocumentError(name, "tidak dapat dibaca sebagai PDF", str(exc),
                            "PDF yang utuh") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError) as exc:
        raise DocumentError(name, "tidak dapat dibaca sebagai PDF", type(exc).__name__,
                            "PDF yang utuh") from None
    if not isinstance(count, int) or count < 0:
        raise DocumentError(name, "tidak dapat dibaca sebagai PDF", "jumlah halaman tidak sah",
                            "PDF yang utuh")
    bounds.check_pages(name, count)
    return count


def _axis(values: list[float]) -> list[float]:
    """Ruling positions with those closer than SNAP merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _index(axis: list[float], value: float) -> int:
    i = bisect.bisect_left(axis, value - SNAP)
    return min(i, len(axis) - 1)


def _cell_rows(boxes: list[tuple], chars: list[dict]) -> tuple[list[list[Cell]], tuple]:
    """A ruled table's cells, spans from their boxes on the grid of its rulings, each with
    the characters whose centre falls inside it (a number right-aligned against the next
    cell's text stays apart from it); an uncovered grid position is an empty cell."""
    xs = _axis([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _axis([b[1] for b in boxes] + [b[3] for b in boxes])
    spans: dict[tuple[int, int], tuple[int, int]] = {}  # origin -> (rows, columns)
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for box in boxes:
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        if c1 <= c0 or r1 <= r0 or (r0, c0) in owner:
            continue
        spans[(r0, c0)] = (r1 - r0, c1 - c0)
        owner.update({(r, c): (r0, c0) for r in range(r0, r1) for c in range(c0, c1)})
    texts: dict[tuple[int, int], list[dict]] = {o: [] for o in spans}
    for char in chars:
        cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        origin = owner.get((bisect.bisect_right(ys, cy) - 1, bisect.bisect_right(xs, cx) - 1))
        if origin is not None:
            texts[origin].append(char)
    rows: list[list[Cell]] = []
    for r in range(len(ys) - 1):
        row = []
        for c in range(len(xs) - 1):
            if (r, c) in spans:
                height, width = spans[(r, c)]
                row.append(Cell(_text(_words(texts[(r, c)])), width, height))
            elif (r, c) not in owner:
                row.append(Cell(""))
        rows.append(row)
    return rows, (xs[0], ys[0], xs[-1], ys[-1])


def _words(chars: list[dict], **options) -> list[dict]:
    """pdfplumber's words of these characters only."""
    from pdfplumber.utils.text import extract_words

    return extract_words(chars, **options)


def _grouped(words: list[dict]) -> list[list[dict]]:
    """Words in lines, top to bottom, each line left to right: a word belongs to the line
    whose first word's top is within LINE_TOLERANCE of its own."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]["top"]) <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _text(words: list[dict]) -> str:
    """Words of a cell in reading order; a number the cell's width wrapped after a thousands
    dot, or a word after its hyphen, is one again."""
    text = "\n".join(" ".join(w["text"] for w in line) for line in _grouped(words))
    return _WRAPPED.sub(lambda m: m.group(1) or m.group(2), text)


def _inside(item: dict, boxes: list[tuple]) -> bool:
    """A character's or word's centre lies in one of the boxes."""
    cx, cy = (item["x0"] + item["x1"]) / 2, (item["top"] + item["bottom"]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _lines(words: list[dict], page: int) -> list[Line]:
    """Words outside tables as lines, top to bottom; bold when every word is."""
    out = []
    for line in _grouped(words):
        bold = all(_BOLD.search(w.get("fontname", "")) for w in line)
        out.append(Line(" ".join(w["text"] for w in line), line[0]["top"],
                        max(w["bottom"] for w in line), line[0]["x0"],
                        round(max(w.get("size", 0) for w in line), 1), bold, page))
    return out


def _segments(line: list[dict]) -> list[list[dict]]:
    """A line's words in runs separated by a gap wider than a column gap."""
    runs: list[list[dict]] = []
    for word in line:
        if runs and word["x0"] - runs[-1][-1]["x1"] <= COLUMN_GAP:
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def _figures(line: list[dict]) -> int:
    """Words of a line that are figures (`25.06%`, `3.385.637.000`)."""
    return sum(looks_numeric(w["text"]) for w in line)


def _stretched(line: list[dict]) -> bool:
    """A justified line stretched wide: its words set apart by equal gaps, as justifying
    spreads them (a header's cells, centred in columns of their own widths, are not)."""
    gaps = [b["x0"] - a["x1"] for a, b in zip(line, line[1:])]
    return (len(gaps) >= 2 and min(gaps) > COLUMN_GAP and max(gaps) - min(gaps) <= EVEN_GAPS
            and not _figures(line))


def _size(line: list[dict]) -> float:
    return max(w.get("size", 0) for w in line)


def _header_like(line: list[dict]) -> bool:
    """A line that can head an unruled table: three cells or more, no figure, not prose."""
    return (len(_segments(line)) >= UNRULED_MIN[1] and not _figures(line)
            and not _stretched(line))


def _within(line: list[dict], cuts: list[float]) -> bool:
    """No run of the line crosses a column boundary, as a table's wrapped cell does not."""
    return all(bisect.bisect_left(cuts, run[0]["x0"]) == bisect.bisect_left(cuts, run[-1]["x1"])
               for run in _segments(line))


def _close(upper: list[dict], lower: list[dict]) -> bool:
    """Two lines near enough to be rows of one table."""
    height = max(w["bottom"] - w["top"] for w in upper)
    return lower[0]["top"] - max(w["bottom"] for w in upper) <= ROW_GAP * height


def _separators(header: list[list[dict]], body: list[list[dict]]) -> list[float]:
    """Where one column ends and the next starts: between two header cells, at the widest
    gap that no body word covers (its middle when every gap is covered)."""
    cuts = []
    for left, right in zip(header, header[1:]):
        lo, hi = left[-1]["x1"], right[0]["x0"]
        covered = sorted((max(w["x0"], lo), min(w["x1"], hi)) for line in body for w in line
                         if w["x1"] > lo and w["x0"] < hi)
        best, start = (hi - lo, (lo + hi) / 2) if not covered else (0.0, (lo + hi) / 2), lo
        for x0, x1 in covered + [(hi, hi)]:
            if x0 - start > best[0]:
                best = (x0 - start, (start + x0) / 2)
            start = max(start, x1)
        cuts.append(best[1])
    return cuts


def _numbering(line: list[dict]) -> bool:
    return layout.is_numbering([w["text"] for w in line])


def _unnumbered(lines: list[list[dict]]) -> list[list[dict]]:
    """Lines other than a row of column numbers, whose numbers sit anywhere in a column."""
    return [line for line in lines if not _numbering(line)]


def _continues(lines: list[list[dict]], k: int, size: float) -> bool:
    """Line k is still the table: close under the line above, in the table's type size, not
    prose, and not the caption of a table starting under it."""
    line = lines[k]
    if not _close(lines[k - 1], line) or abs(_size(line) - size) > SIZE_TOLERANCE:
        return False
    if _figures(line) >= 2:
        return True
    starts_table = k + 1 < len(lines) and _header_like(lines[k + 1]) and _close(line,
                                                                              lines[k + 1])
    return not _stretched(line) and not _header_like(line) and not starts_table


def _unruled(chars: list[dict]) -> list[tuple[list[list[Cell]], tuple, int]]:
    """Tables drawn without lines, from the alignment of their words: a header line of at
    least three cells right above lines holding figures; its cells give the columns, the
    lines below it the rows (a line without figures continues the row above)."""
    lines = _grouped(_words(chars, x_tolerance=FINE_TOLERANCE, extra_attrs=["size"]))
    found = []
    i = 0
    while i < len(lines):
        if _figures(lines[i]) < 2 or i == 0 or not _close(lines[i - 1], lines[i]) \
                or not _header_like(lines[i - 1]):
            i += 1
            continue
        top = i - 1
        header = _segments(lines[top])
        end = i
        while end + 1 < len(lines) and _continues(lines, end + 1, _size(lines[i])):
            end += 1
        cuts = _separators(header, _unnumbered(lines[i:end + 1]))
        while end > i and _figures(lines[end]) < 2 and not _within(lines[end], cuts):
            end -= 1  # a sentence under the table is not a row of it
        body = lines[i:end + 1]
        cuts = _separators(header, _unnumbered(body))
        heads = [lines[top]]
        while top > 0 and len(heads) < layout.MAX_HEADER_ROWS and _close(lines[top - 1],
                                                                          lines[top]) \
                and not _figures(lines[top - 1]) and _within(lines[top - 1], cuts) \
                and len(_segments(lines[top - 1])) > 1:
            top -= 1
            heads.insert(0, lines[top])
        rows: list[list[list[dict]]] = []
        for number, line in enumerate(heads + body):
            if _numbering(line) and len(line) == len(cuts) + 1:
                cells = [[word] for word in line]  # column numbers, one a column
            else:
                cells = [[] for _ in range(len(cuts) + 1)]
                for word in line:
                    middle = (word["x0"] + word["x1"]) / 2
                    cells[bisect.bisect_left(cuts, middle)].append(word)
            if number >= len(heads) and rows and not _figures(line) and len(rows) > len(heads):
                for kept, more in zip(rows[-1], cells):
                    kept.extend(more)
                continue
            rows.append(cells)
        words = [w for line in heads + body for w in line]
        bbox = (min(w["x0"] for w in words), min(w["top"] for w in words),
                max(w["x1"] for w in words), max(w["bottom"] for w in words))
        found.append(([[Cell(_text(c)) for c in row] for row in rows], bbox, len(heads)))
        i = end + 1
    return found


def _furniture(lines: list[Line], heights: dict[int, float], pages: int) -> set[int]:
    """Lines that are page furniture: a page number, or a line repeated (its digits aside)
    in the top or bottom band of many pages."""
    def banded(line: Line) -> bool:
        height = heights[line.page]
        return line.top < height * EDGE_BAND or line.bottom > height * (1 - EDGE_BAND)

    keys = Counter(_DIGITS.sub("#", line.text) for line in lines if banded(line))
    repeated = {k for k, n in keys.items() if n >= 3 and n >= REPEATED * pages}
    return {i for i, line in enumerate(lines) if banded(line) and (
        _PAGE_NUMBER.match(line.text.strip()) or _DIGITS.sub("#", line.text) in repeated)}


def _paragraphs(lines: list[Line], body_size: float) -> list[tuple[Line, str, int, bool]]:
    """Lines grouped into paragraphs: a larger gap, a change of page, or a heading's size or
    bold starting a new one. Each: its first line, text, heading level (by size), bold."""
    sizes = sorted({line.size for line in lines if line.size > body_size + HEADING_STEP},
                   reverse=True)
    out: list[tuple[Line, str, int, bool]] = []
    previous: Line | None = None
    for line in lines:
        level = sizes.index(line.size) + 1 if line.size in sizes else 0
        height = max(line.bottom - line.top, 1.0)
        new = (previous is None or line.page != previous.page
               or line.top - previous.bottom > PARAGRAPH_GAP * height
               or level != out[-1][2] or (line.bold != previous.bold and not out[-1][3]))
        if new:
            out.append((line, line.text, level, line.bold))
        else:
            first, text, lvl, bold = out[-1]
            out[-1] = (first, f"{text} {line.text}", lvl, bold)
        previous = line
    return out


@dataclass
class Pages:
    """What a run of pages gives: their heights and orientation, the pages without text, the
    tables and lines found, in page order."""

    heights: dict[int, float] = field(default_factory=dict)
    landscape: dict[int, bool] = field(default_factory=dict)
    without_text: list[int] = field(default_factory=list)
    items: list[tuple[int, float, object]] = field(default_factory=list)  # (page, top, …)
    lines: list[Line] = field(default_factory=list)

    def extend(self, other: Pages) -> None:
        self.heights.update(other.heights)
        self.landscape.update(other.landscape)
        self.without_text += other.without_text
        self.items += other.items
        self.lines += other.lines


def _page(name: str, number: int, page, out: Pages) -> None:
    out.heights[number] = float(page.height)
    out.landscape[number] = page.width > page.height
    chars = page.chars
    bounds.check_page_chars(name, number, len(chars))
    if not chars:
        out.without_text.append(number)
        return
    found = []
    if page.edges:
        for table in page.find_tables():
            bounds.check_cells(name, len(table.cells))
            inside = [c for c in chars if _inside(c, [table.bbox])]
            found.append((*_cell_rows(table.cells, inside), 0))
    if not found:
        found = _unruled(chars)
    boxes = [bbox for _, bbox, _ in found]
    for rows, bbox, header in found:
        bounds.check_cells(name, sum(len(r) for r in rows))
        out.items.append((number, bbox[1], (rows, header)))
    outside = [c for c in chars if not _inside(c, boxes)]
    out.lines.extend(_lines(_words(outside, extra_attrs=WORD_ATTRS), number))


def _pages(name: str, data: bytes, first: int, last: int) -> Pages:
    """Pages first..last (from 1, inclusive) read; a damaged file is a DocumentError."""
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    out = Pages()
    try:
        numbers = list(range(first, last + 1))
        with pdfplumber.open(io.BytesIO(data), pages=numbers) as pdf:
            for number, page in zip(numbers, pdf.pages):
                _page(name, number, page, out)
                page.close()
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise DocumentError(name, "tidak dapat dibaca sebagai PDF", type(exc).__name__,
                            "PDF yang utuh") from None
    return out


PARALLEL_FROM = 16  # pages: a longer PDF is read in two halves, one in a child process


def _halves(name: str, data: bytes, pages: int) -> Pages:
    """Both halves of a long PDF read at once on two cores (a forked child reads the second
    half), else every page here. Pages are independent until tables are joined across
    them, which happens after."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    middle = pages // 2
    if pages < PARALLEL_FROM or (os.cpu_count() or 1) < 2 or \
            "fork" not in multiprocessing.get_all_start_methods():
        return _pages(name, data, 1, pages)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        second = pool.submit(_pages, name, data, middle + 1, pages)
        out = _pages(name, data, 1, middle)
        out.extend(second.result())
    return out


def read(name: str, data: bytes) -> Document:
    """A text PDF's tables and paragraphs, page by page."""
    pages = page_count(name, data)
    found = _halves(name, data, pages) if pages else Pages()
    if pages and len(found.without_text) == pages:
        raise DocumentError(name, SCANNED, f"{pages} halaman tanpa teks", SCANNED_EXPECTED)
    return _document(name, pages, found.lines, found.items, found.heights, found.landscape,
                     found.without_text)


def _document(name, pages, lines, items, heights, landscape, without_text) -> Document:
    """Paragraphs and tables in reading order, each table after the paragraph above it."""
    furniture = _furniture(lines, heights, pages)
    kept = [line for i, line in enumerate(lines) if i not in furniture]
    body_size = Counter(line.size for line in kept).most_common(1)[0][0] if kept else 0
    for first, text, level, bold in _paragraphs(kept, body_size):
        items.append((first.page, first.top, (text, level, bold)))
    items.sort(key=lambda item: (item[0], item[1]))
    paragraphs: list[Paragraph] = []
    layouts: list[layout.Layout] = []
    for page, _top, item in items:
        if isinstance(item[0], str):
            text, level, bold = item
            paragraphs.append(Paragraph(len(paragraphs) + 1, layout.clean(text), page, level,
                                        bold))
            continue
        rows, header = item
        layouts.append(layout.Layout(rows, header_hint=header, page=page, pages=(page,),
                                     paragraph=paragraphs[-1].number if paragraphs else None,
                                     landscape=landscape[page]))

    def joinable(a: layout.Layout, b: layout.Layout) -> bool:
        return a.paragraph == b.paragraph and b.page == a.pages[-1] + 1 if a.pages else False

    tables = layout.titled(layouts, paragraphs, name, joinable)
    return Document(name, "pdf", tables, paragraphs, pages, tuple(without_text))
