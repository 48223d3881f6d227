"""A quarterly report (Laporan Kinerja Triwulan I-IV) read from the year's data folder.

A quarter is reported while the year runs, before any annual realisasi exists. So a quarter
reads only the tables it prints or checks against (instansi, sasaran, IKU, PK targets, the
signature blocks, the quarterly tables and the covering letter), and the columns of
instansi.csv that only the annual report fills in may still be blank. The annual tables,
when they already load, serve one purpose: TW IV is compared with the year's realisasi.

The quarter's tables are the annual report's declarations (computed.TW_KINERJA and
TW_KEUANGAN) computed on every quarter of the file, so that per-quarter amounts add up to
date exactly as in the annual lampiran, then narrowed to the quarter reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ..errors import DefectCollector, InputError
from ..read import clean, corrections, ingest, validation
from ..read.clean import Dataset
from ..read.schema import TABLES, TRIWULAN, Table
from ..read.triwulan import (  # noqa: F401  (part of this module's API)
    KEUANGAN,
    KINERJA,
    PART_NAMES,
    PARTS,
    by_quarter,
    missing_note,
    number,
    parse_triwulan,
)
from . import computed, results
from .budget import percent
from .computed import Figure

SURAT = "surat_pengantar.csv"
QUARTER_FILES = ("instansi.csv", "sasaran.csv", "iku.csv", "skala.csv", "target_pk.csv",
                 "penandatangan.csv", KINERJA, KEUANGAN, SURAT, "koreksi.csv")
# what the quarters present are read from: the IKU with their scales, the quarterly tables
PRESENCE_FILES = ("iku.csv", "skala.csv", *PARTS)
# filled in only when the annual report is signed: blank while the year runs
NOT_YET = {"instansi.csv": ("tanggal_penandatanganan",)}
# a letter's own fields, given on the first row of its quarter; other rows list documents
LETTER_COLUMNS = ("nomor", "nomor_pola", "tanggal", "tempat", "kepada")
# the last day of each quarter: the date of a letter not yet dated, for the PDF's metadata
QUARTER_END = ((3, 31), (6, 30), (9, 30), (12, 31))


def tables() -> tuple[Table, ...]:
    """The data dictionary as a quarter reads it: its own tables, the annual-only columns
    of instansi.csv not required."""
    out = []
    for table in TABLES:
        if table.file not in QUARTER_FILES:
            continue
        relaxed = NOT_YET.get(table.file, ())
        out.append(replace(table, columns=tuple(
            replace(c, required=False) if c.name in relaxed else c for c in table.columns)))
    return tuple(out)


@dataclass
class Quarter:
    """What one quarter's report is made from."""

    year: int
    triwulan: str
    ds: Dataset  # the quarter's tables, every quarter of the year so far
    printed: dict[str, dict[int, dict[str, str]]]  # file -> source line -> cells as printed
    annual: dict[str, pd.DataFrame] | None  # the year's computed tables, once they load
    annual_problem: str | None = None  # why they did not load

    @property
    def number(self) -> int:
        return number(self.triwulan)

    def has(self, file: str) -> bool:
        """The quarterly table has rows for this quarter: its part of the report is printed."""
        return self.triwulan in present(self.ds.frames, file)

    def missing(self) -> list[str]:
        """The quarterly tables without rows for this quarter: parts left out, and said."""
        return [file for file in PARTS if not self.has(file)]

    @property
    def inst(self) -> dict:
        return self.ds["instansi.csv"].iloc[0].to_dict()

    def letter(self) -> list[dict]:
        """The covering letter's rows (documents sent), first row first; [] for no letter."""
        df = self.ds.get(SURAT)
        if df is None:
            return []
        return df[df["triwulan"] == self.triwulan].sort_values("no").to_dict("records")

    def signers(self) -> list[dict]:
        """The printed signature blocks of this quarter's documents (penandatangan.csv)."""
        df = self.ds.get("penandatangan.csv")
        if df is None:
            return []
        return df[df["triwulan"] == self.triwulan].to_dict("records")

    def dated(self) -> dt.date:
        """The quarter's date for the PDF's metadata: the letter's date, else the quarter's
        last day, so that rebuilds are identical."""
        rows = self.letter()
        if rows and rows[0]["tanggal"] is not None:
            return rows[0]["tanggal"]
        month, day = QUARTER_END[self.number - 1]
        return dt.date(self.year, month, day)


def present(frames: dict[str, pd.DataFrame], file: str) -> list[str]:
    """The quarters a quarterly table has rows for, in order."""
    df = frames.get(file)
    have = set() if df is None else set(df["triwulan"])
    return [tw for tw in TRIWULAN if tw in have]


def _own_corrections(raws: dict[str, ingest.RawRows]) -> None:
    """Keep the corrections of the tables a quarter reads; the others are the annual
    report's business and are checked when it is built."""
    table = raws.get("koreksi.csv")
    if table is None:
        return
    keep = [i for i, row in enumerate(table.rows) if row["file"].strip() in raws]
    raws["koreksi.csv"] = ingest.RawRows(table.table, [table.lines[i] for i in keep],
                                         [table.rows[i] for i in keep])


def _check_quarter(frames: dict[str, pd.DataFrame], triwulan: str,
                   out: DefectCollector) -> None:
    """The quarter has rows in one quarterly table at least (its report is built from what
    exists, and says what is missing); a letter names itself once."""
    if not any(triwulan in present(frames, file) for file in PARTS):
        for file, part in PARTS.items():
            have = present(frames, file)
            what = PART_NAMES[part].lower()
            out.add(file, f"belum ada data {what} triwulan {triwulan}", column="triwulan",
                    value=triwulan, expected=f"baris triwulan {triwulan} di {file} (triwulan "
                    f"yang sudah berisi data: {', '.join(have) or 'belum ada'})")
    letter = frames.get(SURAT)
    if letter is None:
        return
    for _, own in letter.groupby("triwulan", sort=False):
        own = own.sort_values("no")
        first = own.iloc[0]
        for _, row in own.iloc[1:].iterrows():
            for column in LETTER_COLUMNS:
                if row[column] is not None and row[column] != first[column]:
                    out.add(SURAT, "isi surat berbeda dengan baris pertama triwulan itu",
                            line=int(row["_baris"]), column=column, value=str(row[column]),
                            expected=f"kosong, atau sama dengan baris {int(first['_baris'])}")


def _annual(folder: Path, year: int) -> tuple[dict[str, pd.DataFrame] | None, str | None]:
    """The year's computed tables when its data is complete enough to build; else the first
    reason it is not (a quarter is reported before the year's realisasi exists)."""
    key = (_files_digest(folder), year)
    if key not in _ANNUAL:
        try:
            ds = clean.load_raw(folder, year, narrative=False)
            _ANNUAL.clear()
            _ANNUAL[key] = results.compute(ds), None
        except InputError as exc:
            return None, str(exc.defects[0])
    tables, problem = _ANNUAL[key]
    return {name: frame.copy() for name, frame in tables.items()}, problem


# the last year's tables by the digest of its folder's files: the four quarters built in one
# kernel read and compute the same year once, not four times (about 0,4 s each)
_ANNUAL: dict[tuple[str, int], tuple] = {}


def _files_digest(folder: Path) -> str:
    """The names and contents of the folder's files: the same digest means the same tables,
    whatever the folder is called (a batch worker links every agency's data to one path)."""
    digest = hashlib.sha256()
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_file(follow_symlinks=False):
            with open(entry.path, "rb") as handle:
                digest.update(entry.name.encode("utf-8", "surrogateescape") + b"\0" +
                              hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def load(raw_dir: Path, year: int, triwulan) -> Quarter:
    """Read, correct, parse and validate what one quarter needs; InputError lists every
    defect (file, row, column), a quarter without data included."""
    tw = parse_triwulan(triwulan)
    folder = Path(raw_dir)
    out = DefectCollector()
    if not folder.is_dir():
        out.add(str(folder), "folder data tidak ditemukan",
                expected=f"folder berisi file CSV tahun {year}")
        out.raise_if_any()
    raws = ingest.read_all(folder, out, tables())
    _own_corrections(raws)
    applied = corrections.apply(raws, out)
    frames = clean.parse_all(raws, int(year), out)
    for check in (validation.check_keys, validation.check_references):
        check(frames, out)
    validation.check_coverage(frames, int(year), out)
    validation.check_amounts(frames, int(year), out)
    _check_quarter(frames, tw, out)
    out.raise_if_any()
    ds = Dataset(int(year), frames, [c.as_record() for c in applied],
                 sources={file: raw.source for file, raw in raws.items()
                          if raw.source is not None and file in frames})
    printed = {file: dict(zip(raw.lines, raw.rows)) for file, raw in raws.items()}
    annual, problem = _annual(folder, int(year))
    return Quarter(int(year), tw, ds, printed, annual, problem)


def parts_with_data(raw_dir: Path, year: int) -> dict[str, list[str]]:
    """Every quarter with rows in a quarterly table, and the tables that have them (none when
    the tables are unreadable): the quarterly reports `make report` builds beside the annual
    one, each from what exists."""
    out = DefectCollector()
    wanted = tuple(t for t in tables() if t.file in PRESENCE_FILES)
    raws = ingest.read_all(Path(raw_dir), out, wanted)
    frames = clean.parse_all(raws, int(year), out)
    if out.defects:
        return {}
    return by_quarter({file: set(present(frames, file)) for file in PARTS})


def with_data(raw_dir: Path, year: int) -> list[str]:
    """Every quarter with rows in either quarterly table."""
    return list(parts_with_data(raw_dir, year))


def latest(raw_dir: Path, year: int) -> str:
    """The last quarter with data in a quarterly table: what a notebook run by hand builds
    when no quarter is named."""
    out = DefectCollector()
    wanted = tuple(t for t in tables() if t.file in PRESENCE_FILES)
    raws = ingest.read_all(Path(raw_dir), out, wanted)
    frames = clean.parse_all(raws, int(year), out)
    out.raise_if_any()
    have = list(by_quarter({file: set(present(frames, file)) for file in PARTS}))
    if not have:
        _check_quarter(frames, TRIWULAN[0], out)
        out.raise_if_any()
    return have[-1]


# -- the quarter's computed tables ------------------------------------------------------------

def keuangan_jumlah(keuangan: pd.DataFrame) -> pd.DataFrame:
    """The quarter's Jumlah line: the kegiatan reported, summed as printed."""
    if keuangan.empty:
        return pd.DataFrame()
    total = {c: int(sum(v for v in keuangan[c] if v is not None))
             for c in ("anggaran", "target", "realisasi")}
    return pd.DataFrame([{"triwulan": keuangan["triwulan"].iloc[0], **total,
                          "capaian": percent(total["realisasi"], total["target"])}],
                        dtype=object)


_TWJ = "tw_keuangan_jumlah:triwulan={triwulan}"
KEUANGAN_JUMLAH = computed.Computed(
    "triwulan_keuangan_jumlah.csv", "tw_keuangan_jumlah", ("triwulan",),
    lambda ds, done: keuangan_jumlah(done[KEUANGAN]),
    (
        Figure("anggaran", "Rp", "Jumlah anggaran kegiatan TW {triwulan}", "Σ anggaran kegiatan",
               "tw_keuangan:triwulan={triwulan}:anggaran"),
        Figure("target", "Rp", "Jumlah target keuangan TW {triwulan}", "Σ target kegiatan",
               "tw_keuangan:triwulan={triwulan}:target"),
        Figure("realisasi", "Rp", "Jumlah realisasi keuangan TW {triwulan}",
               "Σ realisasi kegiatan", "tw_keuangan:triwulan={triwulan}:realisasi"),
        Figure("capaian", "%", "Capaian keuangan TW {triwulan}", "realisasi ÷ target × 100",
               f"{_TWJ}:realisasi; {_TWJ}:target"),
    ),
    (("triwulan", computed.TEXT),),
)
# every table a quarterly report prints, declared once, in the order they are computed
DECLARED: tuple[computed.Computed, ...] = (computed.TW_KINERJA, computed.TW_KEUANGAN,
                                           KEUANGAN_JUMLAH)
BY_FILE = {t.file: t for t in DECLARED}


@dataclass(frozen=True)
class Tables:
    """res: the quarter's rows, as printed and ledgered; every: every quarter's rows of the
    quarterly tables, for the checks across quarters."""

    res: dict[str, pd.DataFrame]
    every: dict[str, pd.DataFrame]


def compute(q: Quarter) -> Tables:
    every, res = {}, {}
    for table in (computed.TW_KINERJA, computed.TW_KEUANGAN):
        df = table.compute(q.ds, res)
        every[table.file] = df
        # a table the quarter has no rows in (or no file at all): its part is left out
        res[table.file] = df[df["triwulan"] == q.triwulan].reset_index(drop=True) \
            if "triwulan" in df else df
    res[KEUANGAN_JUMLAH.file] = KEUANGAN_JUMLAH.compute(q.ds, res)
    return Tables(res, every)
