"""Markdown and plain text documents, with their tables as the seed prints them: one row a
line, cells separated by tabs, or Markdown's pipe tables (`| a | b |`).

A text table shows a merged header cell only by the empty cells it covers; layout.py turns
those back into merges. A run of blank lines between two parts of one table is where a page
broke: the parts are joined again when nothing else lies between them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from . import bounds, layout
from .model import Cell, Document, Paragraph

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*([-*+]|\d{1,3}[.)]|[a-zA-Z][.)])\s+")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_BREAKS = re.compile(r"<\s*(br|/li|/p|/tr)\s*/?\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{0,2000}>")
_OPEN_BOLD = re.compile(r"^(\*\*|__|<b>|<strong>)", re.IGNORECASE)
_CLOSE_BOLD = re.compile(r"\*\*|__|</b>|</strong>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_LINK = re.compile(r"\[([^\]]{0,2000})\]\([^)]{0,2000}\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|$])")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")


def inline(text: str) -> str:
    """Text without its Markdown or HTML markup: `**Tahun 2018**` and `<b>1</b>` read as
    what they show."""
    text = _BREAKS.sub(" ", text)
    text = _TAG.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3), text)
    text = _ESCAPE.sub(r"\1", text)
    return layout.clean(html.unescape(text))


def is_table_line(line: str) -> bool:
    return "\t" in line or bool(_PIPE_ROW.match(line))


@dataclass
class Block:
    """A paragraph or a table of the text, with the blank lines before it."""

    kind: str  # "paragraph" or "table"
    lines: list[str] = field(default_factory=list)
    gap: int = 0  # blank lines before it: three or more stand where a page broke
    heading: int = 0
    line: int = 0  # the line it starts on, from 1


def blocks(text: str, file: str = "") -> list[Block]:
    """The text cut into paragraphs (a heading and a list item each one of their own) and
    tables (consecutive table lines)."""
    out: list[Block] = []
    gap = 0
    for number, line in enumerate(text.splitlines(), start=1):
        bounds.check_line(file, number, len(line))
        if not line.strip():
            gap += 1
            continue
        kind = "table" if is_table_line(line) else "paragraph"
        heading = _HEADING.match(line)
        current = out[-1] if out else None
        starts = (gap or current is None or current.kind != kind or heading
                  or current.heading or (kind == "paragraph" and _ITEM.match(line)))
        if starts:
            current = Block(kind, gap=gap, line=number,
                            heading=len(heading.group(1)) if heading else 0)
            out.append(current)
        current.lines.append(heading.group(2) if heading else line)
        gap = 0
    return out


def emphasised(lines: list[str]) -> bool:
    """The paragraph's first line is bold throughout, as captions are: bold from its start to
    its end, or to a line below (`**Sasaran 1** : …` is not)."""
    first = lines[0].strip() if lines else ""
    opener = _OPEN_BOLD.match(first)
    if not opener:
        return False
    rest = first[opener.end():]
    close = _CLOSE_BOLD.search(rest)
    return close is None or not rest[close.end():].strip()


def table_rows(lines: list[str]) -> tuple[list[list[str]], int]:
    """A table block's rows of raw cell strings, and the header rows a Markdown rule line
    (`|---|---|`) marks (0 for a tab table)."""
    rows, hint = [], 0
    for line in lines:
        if _PIPE_ROW.match(line) and "\t" not in line:
            if _PIPE_RULE.match(line):
                hint = hint or len(rows)
                continue
            body = line.strip()[1:-1]
            rows.append([c.strip() for c in _PIPE_SPLIT.split(body)])
        else:
            rows.append(line.split("\t"))
    return rows, hint


def read(name: str, text: str) -> Document:
    """A Markdown or text document's tables and paragraphs."""
    bounds.check_text(name, text)
    paragraphs: list[Paragraph] = []
    layouts: list[layout.Layout] = []
    for block in blocks(text, name):
        if block.kind == "paragraph":
            plain = inline(" ".join(line.strip() for line in block.lines))
            if plain:
                paragraphs.append(Paragraph(len(paragraphs) + 1, plain, heading=block.heading,
                                            emphasised=emphasised(block.lines)))
            continue
        rows, hint = table_rows(block.lines)
        bounds.check_cells(name, sum(len(r) for r in rows))
        cleaned = [[inline(c) for c in r] for r in rows]
        cells = layout.spans_from_gaps(cleaned)
        layouts.append(layout.Layout(cells, header_hint=hint,
                                     paragraph=paragraphs[-1].number if paragraphs else None))
    return Document(name, "text", layout.titled(layouts, paragraphs, name), paragraphs)


__all__ = ["Block", "Cell", "blocks", "inline", "read", "table_rows"]
