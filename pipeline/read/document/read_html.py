"""HTML documents (a Word or LibreOffice document saved as a web page), read with the
standard library's parser: no network, no script, nothing fetched.

Tables keep their `colspan` and `rowspan`; `<thead>` (or the leading rows of `<th>` cells)
marks the header; a `<caption>` is the table's title. A table inside a cell is read as that
cell's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from . import bounds, layout
from .model import Cell, Document, Paragraph

MAX_COLSPAN = 1_000  # as HTML itself allows
MAX_ROWSPAN = 65_534
BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd",
          "dt", "address", "center"}
SKIPPED = {"script", "style", "head", "title", "template", "noscript", "svg", "math"}
BOLD = {"b", "strong"}
_CHARSET = re.compile(rb"""<meta[^>]{0,200}charset\s*=\s*["']?([A-Za-z0-9_-]{1,40})""",
                      re.IGNORECASE)


@dataclass
class _Table:
    rows: list[list[Cell]] = field(default_factory=list)
    head_rows: int = 0  # rows inside <thead>
    th_rows: int = 0  # leading rows made of <th> cells only
    caption: str = ""
    cell: list[str] | None = None  # the text of the open cell
    span: tuple[int, int] = (1, 1)
    in_head: bool = False
    all_th: bool = True  # the open row has only <th> cells so far
    paragraph: int | None = None


def _span(value: str | None, most: int) -> int:
    try:
        return min(max(int(value or 1), 1), most)
    except ValueError:
        return 1


class _Reader(HTMLParser):
    """Paragraphs and tables in document order."""

    def __init__(self, name: str):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.paragraphs: list[Paragraph] = []
        self.layouts: list[layout.Layout] = []
        self.captions: list[str] = []
        self.tables: list[_Table] = []  # open tables, innermost last
        self.text: list[str] = []  # the open paragraph's text
        self.bold_text: list[str] = []  # its bold part, to know if its first line is bold
        self.heading = 0
        self.skipping = 0
        self.bold = 0
        self.in_caption = False

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
            return
        if self.skipping:
            return
        attributes = dict(attrs)
        if tag == "table":
            if not self.tables:
                self._close_paragraph()
            self.tables.append(_Table(paragraph=self._last_paragraph()))
        elif self.tables and tag == "thead":
            self.tables[-1].in_head = True
        elif self.tables and tag == "tr":
            self._close_cell()
            table = self.tables[-1]
            if table.rows and table.all_th and table.th_rows == len(table.rows) - 1:
                table.th_rows += 1
            table.rows.append([])
            table.all_th = True
            if table.in_head:
                table.head_rows += 1
        elif self.tables and tag in ("td", "th"):
            self._close_cell()
            table = self.tables[-1]
            if not table.rows:
                table.rows.append([])
            table.cell = []
            table.span = (_span(attributes.get("colspan"), MAX_COLSPAN),
                          _span(attributes.get("rowspan"), MAX_ROWSPAN))
            table.all_th = table.all_th and tag == "th"
        elif self.tables and tag == "caption":
            self.in_caption = True
        elif tag in BOLD:
            self.bold += 1
        elif tag == "br":
            self._append("\n")
        elif tag in BLOCKS and not self.tables:
            self._close_paragraph()
            if tag[0] == "h" and tag[1:].isdigit():
                self.heading = int(tag[1:])
        elif tag in BLOCKS:
            self._append("\n")

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
            return
        if self.skipping:
            return
        if tag == "table" and self.tables:
            self._close_cell()
            table = self.tables.pop()
            if self.tables and self.tables[-1].cell is not None:  # nested: its text
                text = " ".join(c.text for row in table.rows for c in row if c.text)
                self.tables[-1].cell.append(" " + text)
                return
            bounds.check_cells(self.name, sum(len(r) for r in table.rows))
            self.layouts.append(layout.Layout(
                [r for r in table.rows], header_hint=table.head_rows or table.th_rows,
                paragraph=table.paragraph))
            self.captions.append(layout.clean(table.caption))
            bounds.check_tables(self.name, len(self.layouts))
        elif self.tables and tag == "thead":
            self.tables[-1].in_head = False
        elif self.tables and tag in ("td", "th"):
            self._close_cell()
        elif tag == "caption":
            self.in_caption = False
        elif tag in BOLD:
            self.bold = max(self.bold - 1, 0)
        elif tag in BLOCKS and not self.tables:
            self._close_paragraph()

    def handle_data(self, data):
        if not self.skipping:
            self._append(data)

    def _append(self, data: str) -> None:
        if self.tables:
            table = self.tables[-1]
            if self.in_caption:
                table.caption += data
            elif table.cell is not None:
                table.cell.append(data)
            return
        self.text.append(data)
        if self.bold:
            self.bold_text.append(data)

    def _close_cell(self) -> None:
        table = self.tables[-1] if self.tables else None
        if table is None or table.cell is None:
            return
        text = "".join(table.cell).strip()
        table.rows[-1].append(Cell(text, *table.span))
        table.cell = None

    def _last_paragraph(self) -> int | None:
        return self.paragraphs[-1].number if self.paragraphs else None

    def _close_paragraph(self) -> None:
        raw = "".join(self.text)
        text = layout.clean(raw)
        if text:
            first = layout.clean(raw.strip().split("\n")[0])
            bold = layout.clean("".join(self.bold_text))
            self.paragraphs.append(Paragraph(len(self.paragraphs) + 1, text,
                                             heading=self.heading,
                                             emphasised=bool(first) and first in bold))
        self.text, self.bold_text, self.heading = [], [], 0

    def close(self):
        super().close()
        while self.tables:
            self.handle_endtag("table")
        self._close_paragraph()


def decode(data: bytes) -> str:
    """The page's text in the charset it declares (a BOM, else its meta tag), else UTF-8;
    bytes that do not decode are shown replaced, not guessed."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    declared = _CHARSET.search(data[:4096])
    charset = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return data.decode(charset, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def read(name: str, data: bytes) -> Document:
    """An HTML document's tables and paragraphs."""
    text = decode(data)
    bounds.check_text(name, text)
    reader = _Reader(name)
    reader.feed(text)
    reader.close()
    tables = layout.titled(reader.layouts, reader.paragraphs, name,
                           joinable=lambda a, b: False)
    for table, caption in zip(tables, reader.captions):
        table.title = caption or table.title
    return Document(name, "html", tables, reader.paragraphs)
