"""Stage 1: raw folder -> validated, corrected, typed tables in data/processed/<year>/."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..errors import DefectCollector
from . import corrections, ingest, inputs, narrative_sheet, numbers, places, scales, validation
from .schema import NARRATIVE_FILES, TABLES
from .units import by_iku

NARRATIVE_DIR = inputs.NARRATIVE_DIR
SASARAN_PREFIX = "sasaran_"  # narasi/sasaran_<kode_sasaran>.md: the narrative of one sasaran
MAX_NARRATIVE = 512 * 1024
MAX_WORD = 500
APPLIED_CORRECTIONS = "koreksi_diterapkan.csv"
# the cells whose "not set" mark (`-`, `n/a`) a later stage tells from a cell left empty: an
# IKU's realisasi typed `n/a` is a year not measured, one left empty a draft (draft.py)
TYPED_UNSET = {"kinerja_tahunan.csv": ("realisasi",)}
UNSET_FILE = "tidak_ditetapkan.csv"  # processed, and only when there is such a cell
UNSET_COLUMNS = ["file", "kunci", "kolom", "teks"]


@dataclass
class Dataset:
    year: int
    frames: dict[str, pd.DataFrame]
    corrections: list[dict] = field(default_factory=list)
    narrative: dict[str, str] = field(default_factory=dict)
    # the workbook sheet each table (and narrative) was read from; none for CSV files
    sources: dict[str, places.Source] = field(default_factory=dict)
    # TYPED_UNSET cells marked as not set: {"file", "kunci", "kolom", "teks"}
    unset: list[dict] = field(default_factory=list)

    def __getitem__(self, file: str) -> pd.DataFrame:
        return self.frames[file]

    def get(self, file: str) -> pd.DataFrame | None:
        return self.frames.get(file)


def _narrative_names(frames: dict[str, pd.DataFrame]) -> list[str]:
    names = list(NARRATIVE_FILES)
    sasaran = frames.get("sasaran.csv")
    if sasaran is not None:
        names += [f"{SASARAN_PREFIX}{code}.md" for code in sasaran["kode_sasaran"]]
    return names


def _unsafe_name(name: str, out: DefectCollector) -> bool:
    """A narrative the build could not hash and embed is refused, never read unhashed."""
    if inputs.safe(name):
        return False
    longest = inputs.MAX_NAME - len(f"{SASARAN_PREFIX}.md")
    hint = (f"; kode_sasaran paling panjang {longest} karakter"
            if name.startswith(SASARAN_PREFIX) else "")
    inputs.refuse_name(f"{NARRATIVE_DIR}/{name}", out, hint)
    return True


def read_narrative(folder: Path, names: list[str], out: DefectCollector,
                   sources: dict | None = None) -> dict[str, str]:
    """The narratives named, from narasi/*.md or from the workbook's narasi sheet; sources
    gets where each line of a sheet's narrative is."""
    from_sheet = _sheet_narrative(Path(folder), names, out)
    if from_sheet is not None:
        texts, where = from_sheet
        if sources is not None:
            sources.update(where)
        return texts
    texts = {}
    for name in names:
        if _unsafe_name(name, out):
            continue
        path = folder / NARRATIVE_DIR / name
        if path.is_symlink() or (folder / NARRATIVE_DIR).is_symlink():
            out.add(f"{NARRATIVE_DIR}/{name}", "file narasi adalah tautan (symlink); tidak dibaca",
                    expected="file Markdown biasa di folder narasi/")
            continue
        if path.is_file() and path.stat().st_size > MAX_NARRATIVE:
            out.add(f"{NARRATIVE_DIR}/{name}", "file narasi terlalu besar",
                    expected=f"teks di bawah {MAX_NARRATIVE // 1024} KB")
            continue
        if not path.is_file():
            out.add(f"{NARRATIVE_DIR}/{name}", "file narasi tidak ditemukan",
                    expected="teks Markdown yang ditulis analis")
            continue
        try:
            texts[name] = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            out.add(f"{NARRATIVE_DIR}/{name}", "teks bukan UTF-8 (encoding)",
                    expected="simpan ulang sebagai UTF-8")
            continue
        _check_words(f"{NARRATIVE_DIR}/{name}", texts[name], out)
    return texts


def _check_words(label: str, text: str, out: DefectCollector) -> None:
    longest = max((len(w) for w in text.split()), default=0)
    if longest > MAX_WORD:  # page layout breaks a long word in time that grows fast
        out.add(label, f"kata sepanjang {longest} karakter",
                expected=f"kata paling panjang {MAX_WORD} karakter (pisahkan dengan spasi)")


def _sheet_narrative(folder: Path, names: list[str], out: DefectCollector):
    """(texts, sources) when the year's one workbook has a narasi sheet, else None."""
    books = inputs.workbooks(folder)
    if len(books) != 1 or not inputs.safe(books[0].name):
        return None  # none, or the reading of the tables says what is wrong
    found = narrative_sheet.read(books[0], names, out)
    if found is None:
        return None
    for name, text in found[0].items():  # held to a narrative file's limits
        label = f"{books[0].name}, sheet {narrative_sheet.SHEET} ({name})"
        if len(text.encode("utf-8")) > MAX_NARRATIVE:
            out.add(label, "narasi terlalu besar",
                    expected=f"teks di bawah {MAX_NARRATIVE // 1024} KB")
        else:
            _check_words(label, text, out)
    _same_in_folder(folder, books[0].name, found[0], out)
    return found


def _same_in_folder(folder: Path, book: str, texts: dict[str, str],
                    out: DefectCollector) -> None:
    """A narrative both in the sheet and in narasi/ must read the same: an edit to one that
    the other does not have is said, never silently left out of the report."""
    for name, text in texts.items():
        path = folder / NARRATIVE_DIR / name
        if not path.is_file() or path.is_symlink():
            continue
        try:
            same = path.read_text(encoding="utf-8-sig").splitlines() == text.splitlines()
        except (UnicodeDecodeError, OSError):
            same = False
        if not same:
            out.add(f"{NARRATIVE_DIR}/{name}", f"narasi berbeda dengan sheet "
                    f"{narrative_sheet.SHEET} di {book}",
                    expected=f"narasi di satu tempat: hapus {NARRATIVE_DIR}/{name} atau sheet "
                             f"{narrative_sheet.SHEET}, atau samakan isinya")


def parse_all(raws: dict[str, ingest.RawRows], year: int,
              out: DefectCollector) -> dict[str, pd.DataFrame]:
    """iku.csv first: every other file's targets and realisasi are read in their IKU's unit
    (a label of its scale, for an IKU measured by labels: skala.csv is read with it).

    An optional file with no data rows is the same as no file.
    """
    units: dict = {}
    if "iku.csv" in raws:
        first = {file: ingest.parse_rows(raws[file], year, DefectCollector())
                 for file in ("iku.csv", scales.FILE) if file in raws}
        scales.attach(first, DefectCollector())
        units = by_iku(first["iku.csv"])
    frames = {file: ingest.parse_rows(raw, year, out, units) for file, raw in raws.items()}
    frames = {file: df for file, df in frames.items()
              if not (df.empty and raws[file].table.optional)}
    scales.attach(frames, out)
    return frames


def load_raw(folder: Path, year: int, narrative: bool = True) -> Dataset:
    """Read, correct, parse and validate; raises InputError listing every defect found.

    narrative=False leaves narasi/ unread: the cleaning stage does not depend on it, so an
    edited sentence reruns only the report stage.
    """
    out = DefectCollector()
    if not folder.is_dir():
        out.add(str(folder), "folder data tidak ditemukan",
                expected=f"folder berisi file CSV tahun {year}")
        out.raise_if_any()
    raws = ingest.read_all(folder, out)
    applied = corrections.apply(raws, out)
    frames = parse_all(raws, year, out)
    validation.validate(frames, year, out)
    sources = {file: raw.source for file, raw in raws.items()
               if raw.source is not None and file in frames}
    texts = read_narrative(folder, _narrative_names(frames), out, sources) if narrative else {}
    out.raise_if_any()
    return Dataset(year, frames, [c.as_record() for c in applied], texts, sources,
                   typed_unset(raws))


def typed_unset(raws: dict[str, ingest.RawRows]) -> list[dict]:
    """The TYPED_UNSET cells holding a not-set mark, by row key, as printed (corrected)."""
    found = []
    for file, columns in TYPED_UNSET.items():
        raw = raws.get(file)
        for row in [] if raw is None else raw.rows:
            key = ";".join(f"{name}={str(row[name]).strip()}" for name in raw.table.key)
            found += [{"file": file, "kunci": key, "kolom": column,
                       "teks": str(row[column]).strip()} for column in columns
                      if not numbers.is_empty(row[column]) and numbers.is_blank(str(row[column]))]
    return found


def load_narrative(folder: Path, frames: dict[str, pd.DataFrame],
                   sources: dict | None = None) -> dict[str, str]:
    """The analyst's narrative, read by the report stage itself; InputError on a defect.
    sources gets where the lines of a narrative read from a workbook sheet are."""
    out = DefectCollector()
    texts = read_narrative(Path(folder), _narrative_names(frames), out, sources)
    out.raise_if_any()
    return texts


# --- processed tables: exact text on disk, typed in memory -------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"^[+-]?[\d.,\s%]*$")


def defuse(text: str) -> str:
    """Keep spreadsheets from running a cell as a formula (CSV injection): prefix a quote."""
    if text.startswith(FORMULA_START) and not _NUMBER_LIKE.match(text) or \
            text.startswith("'") and text[1:2] in FORMULA_START + ("'",):
        return "'" + text
    return text


def restore(text: str) -> str:
    if text.startswith("'") and text[1:2] in FORMULA_START + ("'",):
        return text[1:]
    return text


def _to_text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return defuse(value)
    return str(value)


def write_frame(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.map(_to_text).to_csv(path, index=False, lineterminator="\n")


def write_processed(dataset: Dataset, folder: Path) -> list[Path]:
    written = []
    for file, df in dataset.frames.items():
        write_frame(df, folder / file)
        written.append(folder / file)
    write_frame(pd.DataFrame(dataset.corrections, columns=[
        "file", "kunci", "kolom", "nilai_cetak", "nilai_koreksi", "alasan", "sumber_koreksi",
        "baris_data"]), folder / APPLIED_CORRECTIONS)
    written.append(folder / APPLIED_CORRECTIONS)
    written += places.write(dataset.sources, folder)
    if dataset.unset:
        write_frame(pd.DataFrame(dataset.unset, columns=UNSET_COLUMNS), folder / UNSET_FILE)
        written.append(folder / UNSET_FILE)
    for name, text in dataset.narrative.items():
        path = folder / NARRATIVE_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


_READERS = {
    "int": int, "year": int, "rupiah": int,
    "percent": Decimal, "decimal": Decimal, "points": Decimal, "measure": Decimal,
    "date": dt.date.fromisoformat,
}


def read_frame(path: Path, kinds: dict[str, str] | None = None) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    kinds = kinds or {}
    for column in df.columns:
        reader = _READERS.get(kinds.get(column, ""), None)
        if column == "_baris":
            reader = int
        values = [None if v == "" else (reader(v) if reader else restore(v))
                  for v in df[column]]
        df[column] = pd.Series(values, dtype=object, index=df.index)
    return df


def load_processed(folder: Path, year: int) -> Dataset:
    frames = {}
    for table in TABLES:
        path = folder / table.file
        if path.is_file():
            frames[table.file] = read_frame(path, {c.name: c.kind for c in table.columns})
    scales.attach(frames, DefectCollector())  # checked when the raw data was read
    applied = read_frame(folder / APPLIED_CORRECTIONS, {"baris_data": "int"})
    narrative = {p.name: p.read_text(encoding="utf-8")
                 for p in sorted((folder / NARRATIVE_DIR).glob("*.md"))}
    unset = read_frame(folder / UNSET_FILE).to_dict("records") \
        if (folder / UNSET_FILE).is_file() else []
    return Dataset(year, frames, applied.to_dict("records"), narrative, places.read(folder),
                   unset)

