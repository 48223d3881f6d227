"""The capaian formula of each indicator of a received document, from the document itself.

A document does not say whether an indicator is better higher or lower; its printed capaian
does. A capaian that equals, at its printed decimals, exactly one of realisasi ÷ target,
target ÷ realisasi or (2 × target − realisasi) ÷ target shows the formula the document used
for that row. An indicator takes the formula most of its rows show; an indicator whose rows
show none (every capaian wrong, or none printed) takes the document's own formula for
indicators better lower when its words say it is one (angka kematian, kemiskinan,
pengangguran: defaults/polaritas_dokumen.csv), else realisasi ÷ target. Each choice is said,
with why, in the audit's notes.
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ... import config
from ...compute import indicators
from ...errors import Defect, InputError
from ...read.document.roles import pattern_of
from .. import rules

REGISTRY = config.DEFAULTS / "polaritas_dokumen.csv"
POSITIVE, NEGATIVE = "positif", "negatif"
RATIO = "R/T"  # better higher: what a capaian is unless the document shows otherwise
FORMULAS = ("R/T", "T/R", "2T-R")  # the formulas a printed capaian may follow


@dataclass(frozen=True)
class Word:
    pattern: re.Pattern
    polarity: str


@functools.lru_cache(maxsize=4)
def registry(path: Path = REGISTRY) -> tuple[Word, ...]:
    """The words, in file order; a bad line is named with what was expected."""
    words, defects = [], []
    with open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            pattern, polarity = (row.get(k, "") or "" for k in ("pola", "polaritas"))
            if polarity not in (POSITIVE, NEGATIVE):
                defects.append(Defect(path.name, "polaritas tidak dikenal", line, "polaritas",
                                      polarity, f"{POSITIVE} atau {NEGATIVE}"))
                continue
            compiled = pattern_of(path, line, pattern, defects)
            if compiled is not None:
                words.append(Word(compiled, polarity))
    if defects:
        raise InputError(defects)
    return tuple(words)


def by_words(name: str, words=None) -> tuple[str, str] | None:
    """The polarity an indicator's name says and the words that say it; None."""
    text = " ".join(name.lower().split())
    for word in words if words is not None else registry():
        found = word.pattern.search(text)
        if found:
            return word.polarity, found.group(0)
    return None


def value(code: str, target: Decimal, realisasi: Decimal) -> Decimal | None:
    """The capaian by one formula (compute/indicators.py), None where its divisor is zero."""
    polarity = POSITIVE if code == RATIO else NEGATIVE
    return indicators.capaian(target, realisasi, polarity, code).value


def text(code: str) -> str:
    return indicators.FORMULAS[code].text


@dataclass(frozen=True)
class Printed:
    """A printed capaian with the target and realisasi of its row."""

    indicator: str  # as printed
    target: Decimal
    realisasi: Decimal
    capaian: Decimal | None
    capaian_text: str

    def fits(self) -> tuple[str, ...]:
        """The formulas that give the printed capaian at its printed decimals."""
        if self.capaian is None:
            return ()
        return tuple(code for code in FORMULAS
                     if (v := value(code, self.target, self.realisasi)) is not None
                     and rules.difference(self.capaian, self.capaian_text, v) is None)


def key(name: str) -> str:
    """An indicator as the document names it, wherever it prints it: letters and digits
    only, so a word a line break hyphenated (`Ditindak-lanjuti`) is the same word."""
    return re.sub(r"[\W_]+", "", name.lower())


@dataclass
class Polarity:
    formulas: dict[str, str] = field(default_factory=dict)  # indicator key -> formula code
    notes: list[str] = field(default_factory=list)

    def formula(self, indicator: str) -> str:
        return self.formulas.get(key(indicator), RATIO)


def _shown(counts: Counter) -> str:
    return ", ".join(f"{text(code)} pada {n} baris" for code, n in counts.most_common())


def decide(printed: list[Printed], named: list[str] = (), words=None) -> Polarity:
    """Each indicator's formula (those with a printed capaian, and those only `named`, whose
    capaian is recomputed for a keterangan) and a note saying why."""
    shown: dict[str, Counter] = {}
    names: dict[str, str] = {}
    for p in printed:
        names.setdefault(key(p.indicator), p.indicator)
        fits = p.fits()
        counts = shown.setdefault(key(p.indicator), Counter())
        if len(fits) == 1:
            counts[fits[0]] += 1
    for name in named:
        names.setdefault(key(name), name)
        shown.setdefault(key(name), Counter())
    # the document's own formula for an indicator better lower, where one shows it
    lower = Counter()
    for counts in shown.values():
        lower.update({c: n for c, n in counts.items() if c != RATIO})
    document_lower = lower.most_common(1)[0][0] if lower else None
    out = Polarity()
    for k, counts in shown.items():
        code, reason = _one(names[k], counts, document_lower, words)
        out.formulas[k] = code
        out.notes.append(f'Rumus capaian "{names[k]}": {text(code)}; {reason}.')
    return out


def _one(name: str, counts: Counter, document_lower: str | None, words) -> tuple[str, str]:
    """One indicator's formula and why."""
    said = by_words(name, words)
    top = counts.most_common(2)
    if top and (len(top) == 1 or top[0][1] > top[1][1]):
        code = top[0][0]
        reason = (f"capaian tercetak pada {top[0][1]} baris hanya cocok dengan rumus ini"
                  if len(top) == 1 else
                  f"rumus yang ditunjukkan sebagian besar barisnya ({_shown(counts)})")
        if said and said[0] == NEGATIVE and code == RATIO:
            reason += f', meski kata "{said[1]}" biasanya menandai polaritas negatif'
        return code, reason
    disagree = f"barisnya menunjukkan rumus berbeda ({_shown(counts)}); " if top else ""
    if said and said[0] == NEGATIVE:
        code = document_lower or indicators.DEFAULT_NEGATIVE
        whence = ("seperti indikator berpolaritas negatif lain dalam dokumen ini"
                  if document_lower else "rumus bawaan polaritas negatif")
        return code, (f"{disagree or 'tidak ada capaian tercetak yang cocok dengan satu rumus; '}"
                      f'kata "{said[1]}" pada nama indikator menandai polaritas negatif '
                      f"({REGISTRY.name}), {whence}")
    return RATIO, (f"{disagree or 'tidak ada capaian tercetak yang cocok dengan satu rumus; '}"
                   "nama indikatornya tidak menandai polaritas negatif, dianggap makin tinggi "
                   "makin baik")
