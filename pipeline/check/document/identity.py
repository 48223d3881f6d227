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
from ..rules_identity import digits, nip_problems, normalise_name
from .across import Sourced
from .result import Where

_NIP = re.compile(r"\bNIP\s*[.:]?\s*((?:\d\s?){14,24}\d)\b")
_RANK = re.compile(r"\b(pembina|penata|pengatur|juru)\b", re.IGNORECASE)
_NOISE = re.compile(r"^(\[[^\]]*\]|\([^)]*\)|\s)+")
SIGNED = ("NIP-TIDAK-SAH", "NIP-BERBEDA", "NAMA-BERBEDA", "GOLONGAN-BERBEDA")


@dataclass(frozen=True)
class Block:
    """A signature block as printed: the name, the rank and the NIP, and where."""

    paragraph: Paragraph
    name: str
    rank: str
    nip: str


def blocks(document: Document) -> list[Block]:
    found = []
    for paragraph in document.paragraphs:
        match = _NIP.search(paragraph.text)
        if match is None:
            continue
        before = paragraph.text[:match.start()]
        rank = _RANK.search(before)
        name = before[:rank.start()] if rank else before
        found.append(Block(paragraph, _NOISE.sub("", name).strip(" ,"),
                           before[rank.start():].strip() if rank else "",
                           " ".join(match.group(1).split())))
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
    out = []
    for block in found:
        where = Where(page=block.paragraph.page, paragraph=block.paragraph.number)
        signed = f"Tanda tangan {where.text()}"
        row = Row("penandatangan", document.name, f"paragraf={block.paragraph.number}",
                  block.name, facts={
                      "dokumen": signed, "nip": block.nip, "field_nip": "NIP",
                      "nama": block.name, "pangkat": block.rank, "kepala_nip": nip,
                      "kepala_nama": name, "kepala_pangkat": rank})
        out.append(Sourced(row, at=where))
    return out
