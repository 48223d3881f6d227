"""A received document's tables as the cross-document checks look them up: which table is
the PK, a capaian table, a quarterly report, an efficiency table or a budget table (from its
title and the roles of its columns), and the same indicator or program found by its name
however it is spelt (`Persentase Penyandang Masalah Kesejahteraan Sosial (PMKS) Mandiri` is
`Persentase PMKS Mandiri`)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from decimal import Decimal

from ...read.document import roles
from ...read.document.figures import READ, Figure
from ...read.document.understand import TableReading
from .result import Where

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
WORD_ALIKE = 0.8  # two words this alike (difflib ratio) are one word misspelt
EXTRA_WORDS = 1  # words one name may have more than the other and still be the same name
_ACRONYM = re.compile(r"\(\s*([A-Za-z]{2,8})\s*\)")
_TOKEN = re.compile(r"\(\s*[A-Za-z]{2,8}\s*\)|[^\s()]+")
_WORD = re.compile(r"[a-z0-9]+")
_BROKEN = re.compile(r"([a-z])-\s*([a-z])")


def _contract(text: str) -> str:
    """`Penyandang Masalah Kesejahteraan Sosial (PMKS)` → `PMKS`: the words spelt out before
    the acronym they define are the acronym."""
    out: list[str] = []
    for token in _TOKEN.findall(text):
        acronym = _ACRONYM.fullmatch(token)
        if acronym is None:
            out.append(token)
            continue
        letters = acronym.group(1)
        spelt = out[-len(letters):]
        if len(spelt) == len(letters) and \
                "".join(w[0] for w in spelt).lower() == letters.lower():
            del out[-len(letters):]
        out.append(letters)
    return " ".join(out)


def normal_name(text: str) -> str:
    """A name as compared: acronyms contracted, words broken at a line's end joined
    (`Terpe-nuhi`), case, punctuation and spacing dropped."""
    joined = _BROKEN.sub(r"\1\2", text or "")
    return " ".join(_WORD.findall(_contract(joined).lower()))


def _word_alike(a: str, b: str) -> bool:
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= WORD_ALIKE


def alike(a: str, b: str) -> bool:
    """Two normal names of one thing: word for word, each word at most a slip apart
    (`makan`/`makam`, `pemerintah`/`pemerintahan`), at most EXTRA_WORDS words more in one
    (`… Kabupaten/Kota`). Another word in place of one (`PMKS` for `Desa`) is another thing,
    however alike the rest."""
    short, long_ = sorted((a.split(), b.split()), key=len)
    if not short or len(long_) - len(short) > EXTRA_WORDS:
        return False
    at = 0
    for word in short:
        while at < len(long_) and not _word_alike(word, long_[at]):
            at += 1
        if at == len(long_):
            return False
        at += 1
    return True


def find(name: str, names: dict[str, object]):
    """The entry of `names` (keyed by normal_name) that `name` is, or None: the same name, or
    the one name alike (two alike: the closer)."""
    key = normal_name(name)
    if key in names:
        return names[key]
    close = [k for k in names if alike(key, k)]
    if not close:
        return None
    return names[max(close, key=lambda k: difflib.SequenceMatcher(None, key, k).ratio())]


@dataclass(frozen=True)
class Cell:
    """A cell of a read table, with where it is."""

    table: TableReading
    row: int
    column: int

    @property
    def figure(self) -> Figure:
        return self.table.rows[self.row].figures[self.column]

    @property
    def value(self) -> Decimal | None:
        figure = self.figure
        return figure.value if figure.status == READ else None

    @property
    def total(self) -> Decimal | None:
        """The sum of a cell that lists several amounts (`145.000.000 1.351.120.625`)."""
        figure = self.figure
        return sum(figure.values, Decimal(0)) if figure.status == READ and figure.values \
            else None

    @property
    def text(self) -> str:
        return self.figure.text.strip()

    @property
    def label(self) -> str:
        return self.table.columns[self.column].label

    def place(self, label: str | None = None, column_label: str | None = None) -> Where:
        """Where a reviewer finds the cell: its row's page when the table spans pages;
        `label` names its row when the row's first words do not (a row whose sasaran is
        printed before its indicator is cited by the indicator), `column_label` its column
        when the header read slipped."""
        table = self.table.table
        row = self.table.rows[self.row]
        page = table.row_pages[self.row] if self.row < len(table.row_pages) else table.page
        return Where(table.number, table.title, page, table.paragraph, self.row,
                     row.label if label is None else label, self.column,
                     self.label if column_label is None else column_label)


def title_role_of(text: str) -> roles.ColumnRole:
    """The year and quarter a text names (`Tahun 2019`, `2019`, `TW II`)."""
    return roles.column_role([text or ""])


def title_role(table: TableReading) -> roles.ColumnRole:
    """The year and quarter the table's title names."""
    return roles.column_role([table.table.title or ""])


def quarter_named(text: str) -> int | None:
    """The quarter a cell names: `I`, `TW II`, `Triwulan 3`."""
    text = text.strip()
    return roles.column_role([text if text.lower().startswith(("tw", "triwulan"))
                              else f"Triwulan {text}"]).quarter


def quarter(table: TableReading) -> int | None:
    found = title_role(table).quarter
    if found is None:
        found = next((c.role.quarter for c in table.columns if c.role.quarter), None)
    return found


def columns(table: TableReading, role: str, unit: str | None = None) -> list[int]:
    """The columns of a role (and unit, `Rp` or `%`), left to right."""
    return [i for i, c in enumerate(table.columns)
            if c.role.role == role and (unit is None or c.role.unit == unit)]


def first(table: TableReading, role: str, unit: str | None = None,
          grouped: bool | None = None) -> int | None:
    """The first column of a role; grouped True: under a group header (`Capaian Triwulan
    I / Realisasi`), False: not under one."""
    for i in columns(table, role, unit):
        if grouped is None or bool(table.columns[i].role.group) == grouped:
            return i
    return None


def is_pk(table: TableReading) -> bool:
    return "perjanjian kinerja" in (table.table.title or "").lower()


def data_rows(table: TableReading) -> list[int]:
    return [i for i, row in enumerate(table.rows) if row.role == "data"]


def name_in(table: TableReading, row: int, role: str) -> str:
    column = first(table, role)
    return "" if column is None else table.rows[row].figures[column].text.strip()
