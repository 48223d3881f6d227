"""Who signs a received document: every signature block found in its running text (a name,
a rank, `NIP …`), as rows of the `penandatangan` kind the data route's identity rules read.

The document does not say who its head is, so the head is the person it prints most: the
NIP printed most often among the valid ones, and the name printed most often with it. A
block printing a NIP that cannot be valid, another valid NIP under the head's name, or the
head's name misspelt is then what the data route reports for penandatangan.csv.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ...read.document import Document, Paragraph
from ..rules import Row
from ..rules_identity import digits, nip_problems, normalise_name, place_of
from .across import Sourced
from .result import Where

_NIP = re.compile(r"\bNIP\s*[.:]?\s*((?:\d\s?){14,24}\d)\b")
_RANK = re.compile(r"\b(pembina|penata|pengatur|juru)\b", re.IGNORECASE)
_NOISE = re.compile(r"^(\[[^\]]*\]|\([^)]*\)|\s)+")


@dataclass(frozen=True)
class Block:
    """A signature block as printed: the name, the rank and the NIP, and where."""

    paragraph: Paragraph
    name: str
    rank: str
    nip: str
    index: int = 0  # of the paragraph in the document's paragraphs


def blocks(document: Document) -> list[Block]:
    found = []
    for index, paragraph in enumerate(document.paragraphs):
        match = _NIP.search(paragraph.text)
        if match is None:
            continue
        before = paragraph.text[:match.start()]
        rank = _RANK.search(before)
        name = before[:rank.start()] if rank else before
        found.append(Block(paragraph, _NOISE.sub("", name).strip(" ,"),
                           before[rank.start():].strip() if rank else "",
                           " ".join(match.group(1).split()), index))
    return found


def head(found: list[Block]) -> tuple[str, str, str]:
    """The NIP printed most among the valid ones, the name and rank printed most with it."""
    valid = Counter(digits(b.nip) for b in found if not nip_problems(b.nip))
    if not valid:
        return "", "", ""
    nip = valid.most_common(1)[0][0]
    own = [b for b in found if digits(b.nip) == nip]
    names = Counter(normalise_name(b.name) for b in own)
    name = next(b.name for b in own if normalise_name(b.name) == names.most_common(1)[0][0])
    ranks = Counter(b.rank for b in own if b.rank)
    printed = next(b.nip for b in own)
    return printed, name, ranks.most_common(1)[0][0] if ranks else ""


def rows(document: Document) -> list[Sourced]:
    found = blocks(document)
    nip, name, rank = head(found)
    if not nip:
        return []
    dated = [_dated(document, block) for block in found]
    places = _places(dated)
    head_place = _head_pages(found, nip)
    titles = _titles(document)
    out = []
    for block, signed_on in zip(found, dated):
        where = Where(page=block.paragraph.page, paragraph=block.paragraph.number)
        row = Row("penandatangan", document.name, f"paragraf={block.paragraph.number}",
                  block.name, facts={
                      "dokumen": _signed(block, titles, where), "nip": block.nip,
                      "field_nip": "NIP", "nama": block.name, "pangkat": block.rank,
                      "tempat_tanggal": signed_on, "kepala_nip": nip,
                      "kepala_nama": name, "kepala_pangkat": rank,
                      "kota_penandatanganan": places})
        out.append(Sourced(row, against={"": head_place}, at=where))
    return out


_DATED = re.compile(r"([A-Z][A-Za-z\- ]{2,40}),\s*(?:\d{1,2}\s+)?(?:januari|februari|maret|april|"
                    r"mei|juni|juli|agustus|september|oktober|november|desember)\s+\d{4}",
                    re.IGNORECASE)
LOOK_BACK = 3  # paragraphs above a signature block where its place and date are printed


def _dated(document: Document, block: Block) -> str | None:
    """`Muara Teweh, 18 Februari 2025`: the place and date printed just above the block (or
    in it), the last before it."""
    index = block.index
    for paragraph in reversed(document.paragraphs[max(0, index - LOOK_BACK):index + 1]):
        hits = list(_DATED.finditer(paragraph.text))
        if hits:
            return hits[-1].group(0).strip()
    return None


def _places(dated: list[str | None]) -> str | None:
    """The place of signing the document prints most: what another spelling is held to."""
    places = Counter(" ".join(place.split()) for place in map(place_of, dated) if place)
    return places.most_common(1)[0][0] if places else None


def _head_pages(found: list[Block], nip: str) -> str:
    pages = sorted({b.paragraph.page for b in found if digits(b.nip) == nip and
                    b.paragraph.page is not None})
    shown = ", ".join(str(p) for p in pages[:MOST_PAGES]) + (" …" if len(pages) > MOST_PAGES
                                                             else "")
    where = f" (halaman {shown})" if pages else ""
    return f"NIP, nama dan golongan kepala yang paling sering tercetak{where}"


MOST_PAGES = 6


def _titles(document: Document) -> list[tuple[int, int | None, str]]:
    """What a signature block may sign: each table's title and each heading, with the
    paragraph it follows and its page."""
    titles = [(t.paragraph or 0, t.page, t.title) for t in document.tables if t.title]
    titles += [(p.number, p.page, p.text) for p in document.paragraphs
               if p.heading or p.emphasised]
    return sorted(titles, key=lambda t: t[0])


def _signed(block: Block, titles, where: Where) -> str:
    """The block as the reviewer finds it: the title of what it signs (the last table or
    heading above it on its page), and its place."""
    page, number = block.paragraph.page, block.paragraph.number
    above = [t for t in titles if t[0] < number and (page is None or t[1] in (page, None))]
    title = " ".join(above[-1][2].split()) if above else ""
    title = title if len(title) <= TITLE else title[:TITLE - 1] + "…"
    return f"Tanda tangan {where.text()}" + (f" ({title})" if title else "")


TITLE = 70
