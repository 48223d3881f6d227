"""Differences an auditor can read, for `make verify`.

An input is named by file, row (line and key from the data dictionary) and column, old → new;
a figure by its label and ledger key, formatted as the report prints it; a finding by its
identity (check, file, row key, column), never by its number, so one new finding does not
renumber the rest. Lists are in natural order: `no=2` before `no=10`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from markupsafe import Markup, escape

from ..check.findings import LABEL, Finding
from ..compute import computed, ledger
from ..errors import DefectCollector
from ..read import formatting as fmt
from ..read import ingest, inputs, schema, sheets, units

CELL = fmt.by_unit()  # how a table cell prints each declared unit
ARROW = "→"
BLANK = "(kosong)"
_DIGITS = re.compile(r"([0-9]+)")


@dataclass(frozen=True)
class Difference:
    """One difference: its fields for verifikasi.csv, its line for the terminal."""

    text: str
    kind: str = ""  # masukan, angka, baru / berubah / selesai (findings), catatan
    subject: str = ""
    key: str = ""
    column: str = ""
    old: str = ""
    new: str = ""
    note: str = ""


def natural_key(text: str) -> list:
    """Numbers within text compared as numbers: `no=2` before `no=10`, `Temuan 9` before 10."""
    return [int(part) if i % 2 else part.casefold()
            for i, part in enumerate(_DIGITS.split(str(text)))]


def _changed(old: str, new: str) -> str:
    return f"{old or BLANK} {ARROW} {new or BLANK}"


# -- inputs --------------------------------------------------------------------------------
def file_note(path: str, note: str) -> Difference:
    return Difference(f"  {path}: {note}", "masukan", path, note=note)


def _table_rows(folder: Path, relative: str) -> dict[str, ingest.RawRows] | None:
    """Each table in one input file as typed (a CSV, or a workbook's sheets); None when the
    file does not read as the data dictionary says."""
    out = DefectCollector()
    if relative in inputs.TABLE_FILES:
        raws = {relative: ingest.read_raw(folder, schema.table(relative), out)}
    elif Path(relative).suffix.lower() in sheets.SUFFIXES:
        # a copy of the table list: the note on extra sheets is the build's to say, not ours
        raws = {f"{relative}, sheet {file.removesuffix('.csv')}": raw for file, raw in
                ingest.read_workbook(folder / relative, out, tuple(schema.TABLES)).items()}
    else:
        return None
    return None if out.defects or None in raws.values() else raws


def row_key(table: schema.Table, row: dict[str, str], line: int) -> str:
    """`no=3`, `kode_iku=IKU1;tahun=2024`: the row's key columns, as findings name rows."""
    if not table.key:
        return f"baris={line}"
    return ";".join(f"{name}={row[name].strip()}" for name in table.key)


def _keyed(raw: ingest.RawRows) -> dict[str, tuple[int, dict]]:
    return {row_key(raw.table, row, line): (line, row) for line, row in zip(raw.lines, raw.rows)}


def _row_note(where: str, line: int, key: str, note: str) -> Difference:
    return Difference(f"  {where} baris {line} ({key}): {note}", "masukan", where, key,
                      note=note)


def _cells(where: str, key: str, old: tuple[int, dict], new: tuple[int, dict],
           names: list[str]) -> list[Difference]:
    (_, was), (line, now) = old, new
    return [Difference(f"  {where} baris {line} ({key}): {name} {_changed(was[name], now[name])}",
                       "masukan", where, key, name, was[name], now[name], f"baris {line}")
            for name in names if was[name] != now[name]]


def row_changes(where: str, old: ingest.RawRows, new: ingest.RawRows) -> list[Difference]:
    """Rows matched by their key: cells changed, rows added, rows removed."""
    a, b = _keyed(old), _keyed(new)
    out = []
    for key in sorted(set(a) | set(b), key=natural_key):
        if key not in b:
            out.append(_row_note(where, a[key][0], key, "baris dihapus"))
        elif key not in a:
            out.append(_row_note(where, b[key][0], key, "baris ditambahkan"))
        else:
            out += _cells(where, key, a[key], b[key], new.table.names)
    return out


def _lines_changed(old: str, new: str) -> str:
    """`baris 3, 7–9` of the new text: where a narrative changed."""
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    spans = [str(j1 + 1) if j2 - j1 <= 1 else f"{j1 + 1}–{j2}"
             for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    return "baris " + ", ".join(dict.fromkeys(spans))


def _text_changes(path: str, old_dir: Path, new_dir: Path) -> list[Difference]:
    old, new = ((d / path).read_text(encoding="utf-8", errors="replace")
                for d in (old_dir, new_dir))
    return [file_note(path, f"berubah, {_lines_changed(old, new)}")]


def input_changes(path: str, what: str, old_dir: Path | None, new_dir: Path) -> list[Difference]:
    """A changed input by row and column; old_dir holds the inputs as published, when known."""
    if what != "berubah":
        return [file_note(path, what)]
    if old_dir is None or not (old_dir / path).is_file():
        return [file_note(path, "berubah; isi lama tidak tersedia (tidak tertanam di PDF "
                                "terbit atau tidak cocok dengan manifest)")]
    if path.startswith(inputs.NARRATIVE_DIR + "/"):
        return _text_changes(path, old_dir, new_dir)
    old, new = _table_rows(old_dir, path), _table_rows(new_dir, path)
    if old is None or new is None or set(old) != set(new):
        return [file_note(path, "berubah; tidak dapat dibandingkan per baris")]
    found = [d for where in sorted(new) for d in row_changes(where, old[where], new[where])]
    found += _sheet_narrative_changes(path, old_dir, new_dir)
    return found or [file_note(path, "berubah; isi sel sama, hanya bentuk file (mis. akhir "
                                     "baris, tanda kutip, urutan baris)")]


def _sheet_narrative_changes(path: str, old_dir: Path, new_dir: Path) -> list[Difference]:
    """A workbook's narasi sheet, per narrative, as a narasi/*.md file is compared."""
    from ..read import narrative_sheet

    if Path(path).suffix.lower() not in sheets.SUFFIXES:
        return []
    old, new = (narrative_sheet.read(d / path, None, DefectCollector(), required=False)
                for d in (old_dir, new_dir))
    old, new = (old or ({}, {}))[0], (new or ({}, {}))[0]
    where = f"{path}, sheet {narrative_sheet.SHEET}"
    found = []
    for name in sorted(set(old) | set(new), key=natural_key):
        if name not in new or name not in old:
            found.append(file_note(f"{where} ({name})",
                                   "dihapus" if name not in new else "ditambahkan"))
        elif old[name] != new[name]:
            found.append(file_note(f"{where} ({name})",
                                   f"berubah, {_lines_changed(old[name], new[name])}"))
    return found


# -- figures -------------------------------------------------------------------------------
_IKU = re.compile(r"(?:^|[:;])kode_iku=([^;:]*)")


class Shown:
    """A ledger figure as the report prints it: by its declaration's unit, an IKU's values
    with that IKU's unit and decimals; figures the report quotes as typed keep their
    decimals."""

    def __init__(self, iku_units: dict[str, units.Unit]):
        self.units = iku_units
        self.declared = {t.ledger: t for t in computed.TABLES}

    def figure(self, key: str) -> computed.Figure | None:
        table = self.declared.get(key.split(":", 1)[0])
        return table.figure(key.rsplit(":", 1)[-1]) if table else None

    def iku_unit(self, key: str) -> units.Unit:
        match = _IKU.search(key)
        return self.units.get(match[1] if match else "", units.PERCENT)

    def __call__(self, entry: ledger.Entry | None) -> str:
        if entry is None:
            return "–"
        value, figure = entry.number, self.figure(entry.key)
        if figure is None:
            return as_typed(value, entry.unit)
        if figure.unit == "iku":
            return self.iku_unit(entry.key).show(value)
        if figure.unit == "iku-beda":
            return self.iku_unit(entry.key).change(value)
        return CELL[figure.unit](value)


def as_typed(value: Decimal, unit: str) -> str:
    """A figure taken from the input as printed there: its own decimals."""
    places = max(0, -value.as_tuple().exponent) if value.is_finite() else 0
    return fmt.number(value, places) + ("%" if unit == "%" else "")


def _figure(key: str, old: ledger.Entry | None, new: ledger.Entry | None,
            shown: Callable) -> Difference:
    label, was, now = (new or old).label, shown(old), shown(new)
    note = "" if was != now else f"sama setelah pembulatan; {finer(old.number, new.number)}"
    text = f"  {label} [{key}]: {was} {ARROW} {now}" + (f" ({note})" if note else "")
    return Difference(text, "angka", label, key, old=was, new=now, note=note)


def finer(old: Decimal, new: Decimal, most: int = 10) -> str:
    """Two values printed the same, with the fewest decimals that tell them apart."""
    places = next((p for p in range(3, most) if fmt.number(old, p) != fmt.number(new, p)), most)
    return f"lebih teliti {fmt.number(old, places)} {ARROW} {fmt.number(new, places)}"


def figure_changes(old: dict[str, ledger.Entry], new: dict[str, ledger.Entry],
                   shown: Callable) -> list[Difference]:
    """Every figure whose value differs; the figures findings quote are compared as
    findings, by identity, not here by their number."""
    keys = [k for k in set(old) | set(new) if not k.startswith(ledger.FINDINGS_PREFIX + ":")]
    return [_figure(k, old.get(k), new.get(k), shown) for k in sorted(keys, key=natural_key)
            if k not in old or k not in new or old[k].number != new[k].number]


# -- findings ------------------------------------------------------------------------------
STATUS = ("baru", "berubah", "selesai")  # the order they are listed in
# what of a finding may change while it stays the same finding, and its word
FINDING_FIELDS = (("severity", "sifat"), ("printed", "tercetak"), ("expected", "seharusnya"),
                  ("message", "keterangan"))


def identity(f: Finding) -> str:
    """A finding's stable identity: check, file, row key and column; never its number."""
    return f"{f.check} {f.file} {f.key} kolom {f.field}"


def _severity(value: str) -> str:
    return LABEL.get(value, value)


def _finding(status: str, f: Finding, note: str, old: str = "", new: str = "") -> Difference:
    """A finding's line, with the workbook cell it is about when its data came from one."""
    at = f" ({f.place})" if f.place else ""
    return Difference(f"  {status}: {identity(f)}{at}: {note}", status, f.check,
                      f.place or f"{f.file} {f.key}", f.field, old, new, note)


def _was_and_is(old: Finding, new: Finding) -> list[tuple[str, str, str]]:
    """(word, old, new) for what changed of one finding, the message only when alone."""
    pairs = [(word, getattr(old, name), getattr(new, name)) for name, word in FINDING_FIELDS
             if getattr(old, name) != getattr(new, name)]
    pairs = [p for p in pairs if p[0] != "keterangan"] or pairs
    return [(w, _severity(a), _severity(b)) if w == "sifat" else (w, a, b) for w, a, b in pairs]


def _changed_finding(old: Finding, new: Finding) -> Difference:
    pairs = _was_and_is(old, new)
    note = "; ".join(f"{word} {_changed(a, b)}" for word, a, b in pairs)
    return _finding("berubah", new, note, "; ".join(a for _, a, _ in pairs),
                    "; ".join(b for _, _, b in pairs))


def _with_severity(f: Finding) -> str:
    """`(kesalahan) …`, with the printed and expected values when the message has none."""
    from ..present.summary import with_values

    return f"({_severity(f.severity)}) {with_values(f.message, f.printed, f.expected)}"


def finding_changes(old: list[Finding], new: list[Finding]) -> list[Difference]:
    """Findings matched by identity: baru (new), berubah (changed), selesai (resolved)."""
    a, b = {identity(f): f for f in old}, {identity(f): f for f in new}
    found = [("baru", i, _finding("baru", b[i], _with_severity(b[i]))) for i in b if i not in a]
    found += [("selesai", i, _finding("selesai", a[i], _with_severity(a[i])))
              for i in a if i not in b]
    found += [("berubah", i, _changed_finding(a[i], b[i])) for i in b if i in a and a[i] != b[i]]
    found.sort(key=lambda t: (STATUS.index(t[0]), natural_key(t[1])))
    return [d for _, _, d in found]


def finding_counts(changes: list[Difference]) -> str:
    """`1 baru, 2 selesai`: how many findings of each status."""
    counts = {s: sum(d.kind == s for d in changes) for s in STATUS}
    return ", ".join(f"{n} {s}" for s, n in counts.items() if n)


# -- the report: on the terminal, or in files when too long for it ------------------------
TERMINAL_LINES = 30  # longer than this, the terminal shows a summary and the files
SHOWN = 3  # rows of each part the summary shows
CSV_NAME, HTML_NAME = "verifikasi.csv", "verifikasi.html"
COLUMNS = (("bagian", "bagian"), ("kind", "jenis"), ("subject", "subjek"), ("key", "kunci"),
           ("column", "kolom"), ("old", "lama"), ("new", "baru"), ("note", "keterangan"))


@dataclass
class Block:
    """A heading and the differences under it."""

    heading: str
    rows: list[Difference] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return [self.heading] + [r.text for r in self.rows]

    @property
    def part(self) -> str:
        return self.heading.strip().rstrip(":.")


def summary(blocks: list[Block], files: list[Path]) -> list[str]:
    """Each heading with its first rows, then where the full comparison is."""
    lines = []
    for block in blocks:
        lines += block.lines[:SHOWN + 1]
        if len(block.rows) > SHOWN:
            lines.append(f"  … dan {len(block.rows) - SHOWN} lainnya")
    return lines + ["Perbandingan lengkap ditulis ke:"] + [f"  {path}" for path in files]


def _records(blocks: list[Block]) -> list[dict[str, str]]:
    return [{"bagian": b.part, **{name: getattr(d, name) for name, _ in COLUMNS[1:]}}
            for b in blocks for d in b.rows]


VALUES = ("old", "new")  # columns of values: never broken across lines


def _shown_columns(records: list[dict]) -> list[tuple[str, str]]:
    """The columns some row fills; the kind only when the rows differ in it."""
    return [(n, h) for n, h in COLUMNS[1:] if any(r[n] for r in records)
            and (n != "kind" or len({r[n] for r in records}) > 1)]


def _breakable(text: str) -> Markup:
    """A key may wrap after `;`, `:` or `/`, and nowhere else: what is copied stays whole."""
    return Markup(re.sub(r"([;:/])", r"\1<wbr>", str(escape(text))))


def _table(block: Block) -> dict:
    """A part as an HTML table."""
    records = _records([block])
    names = _shown_columns(records)
    return {"heading": block.part, "headers": [h for _, h in names],
            "classes": ["nilai" if n in VALUES else "" for n, _ in names],
            "rows": [[r[n] if n in VALUES else _breakable(r[n]) for n, _ in names]
                     for r in records]}


def write(blocks: list[Block], folder: Path, title: str) -> list[Path]:
    """verifikasi.html (to read) and verifikasi.csv (to filter), the whole comparison."""
    import pandas as pd

    from ..present import render
    from ..read.clean import write_frame

    folder.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(_records(blocks), columns=[n for n, _ in COLUMNS], dtype=object)
    write_frame(frame.rename(columns=dict(COLUMNS)), folder / CSV_NAME)
    html = render.environment().get_template("verifikasi.html.j2").render(
        title=title, tables=[_table(b) for b in blocks])
    (folder / HTML_NAME).write_text(html, encoding="utf-8")
    return [folder / HTML_NAME, folder / CSV_NAME]


def remove(folder: Path) -> None:
    """Files of an earlier comparison go: they would describe another run."""
    for name in (CSV_NAME, HTML_NAME):
        (folder / name).unlink(missing_ok=True)
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
