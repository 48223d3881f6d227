"""What a received LKIP says, recognised as the project's own tables (`make import DOC=`).

The document is read and understood as the audit reads it (read/document: column roles,
figures read without guessing) and its tables are found by the audit's own lookups
(check/document/tables.py, across.py). Each recogniser below fills one or more of the data
dictionary's tables: sasaran and IKU, PK targets, the realisasi series, Renstra and province
targets, tujuan, programs, kegiatan and budgets, the efficiency table. What is filled but not
certain (a guess from words, two places that disagree, a figure that could not be read) is a
Mark with its reason and source; what is not used at all (a table, a paragraph, a row) is
Unrecognised, so the analyst sees what is left to type.

Programs and budgets are recognised in recognise_budget.py, the agency and its signatures in
recognise_agency.py; importer.py runs them in order.

Figures are written in the project's printed form (`22,05%`, `3.385.637.000`) from the value
the document reader settled, with the decimals the document printed, so a figure cannot be
read differently by the build than it was by the import.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from ..check.document import polarity as document_polarity
from ..check.document.tables import (
    ROMAN,
    Cell,
    columns,
    data_rows,
    find,
    first,
    is_pk,
    name_in,
    normal_name,
    quarter,
    title_role,
)
from ..read import level
from ..read.document import Document
from ..read.document.figures import AMBIGUOUS, READ, UNREAD
from ..read.document.understand import Reading, TableReading

# a target column that compares with another plan, not the agency's own target
COMPARISON = re.compile(r"provinsi|nasional|renstra|rpd|rpjmd|rpjmn|jangka menengah",
                        re.IGNORECASE)
OTHER_LEVEL = re.compile(r"provinsi|nasional", re.IGNORECASE)
PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)\d\d)\b")
NUMBERED = re.compile(r"(?:^|\s)(\d{1,2})\.\s+(?=\S)")
UNITS = re.compile(r"(?<=\S)[\s,;]+(?=(?:Bidang|Bagian|Sub ?bagian|Subbag|Seksi|Sekretariat|"
                   r"UPTD?|Balai)\b)")
LATEX_TEXT = re.compile(r"\\text\{([^{}]*)\}")
SHOWN_TEXT = 200  # characters of a paragraph or title listed as not recognised
SERIES_ROLES = ("target", "realisasi", "capaian")


@dataclass(frozen=True)
class Mark:
    """A cell filled from the document but to be checked, and why."""

    file: str
    row: int  # index in the table's rows
    column: str
    reason: str
    source: str = ""


@dataclass(frozen=True)
class Unrecognised:
    """A table, paragraph or row of the document that nothing was taken from."""

    kind: str  # tabel, paragraf, baris
    place: str
    text: str
    reason: str


@dataclass
class Imported:
    document: str
    year: int
    tables: dict[str, list[dict[str, str]]]
    narrative: dict[str, str]
    marks: list[Mark]
    unrecognised: list[Unrecognised]


# -- where a figure was printed, and how it is written ----------------------------------------

def where(cell: Cell) -> str:
    """`tabel 6 (halaman 12), baris 2, kolom 'TARGET'`: as a reviewer finds the cell."""
    return f"{table_place(cell.table)}, baris {cell.row + 1}, kolom '{cell.label}'"


def table_place(table: TableReading) -> str:
    """`tabel 6 (halaman 12)`, or `tabel 6, setelah paragraf 104` for a document without
    pages."""
    place = table.table.place()
    number = f"tabel {table.table.number}"
    return place if place.startswith(number) else f"{number} ({place})"


def printed(value: Decimal, percent: bool = False) -> str:
    """A value in the project's printed form, exactly, with the decimals it was printed with:
    `22,05%`, `3.385.637.000`, `-94,52`."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    text = sign + f"{int(whole):,}".replace(",", ".") + ("," + fraction if fraction else "")
    return text + ("%" if percent else "")


def figure_text(cell: Cell, total: bool = False) -> tuple[str, str]:
    """The cell's figure as written, and why it is uncertain ("" when it is not). A cell that
    lists several amounts is their sum when total; an ambiguous cell is left blank with its
    readings; an unread one is kept as printed, for the build to name."""
    figure = cell.figure
    if figure.status == READ:
        value = cell.total if total else figure.value
        if value is None:
            return "", f"sel berisi beberapa angka ({cell.text}); yang diharapkan satu angka"
        return printed(value, figure.percent), ""
    if figure.status == AMBIGUOUS:
        return "", f"angka ambigu '{cell.text}': {figure.reason}"
    if figure.status == UNREAD:
        return cell.text, f"angka tak terbaca '{cell.text}': {figure.reason}"
    return "", ""


def decimals(value: Decimal | None) -> int | None:
    """The decimals a value was printed with (`8.60`: 2)."""
    if value is None:
        return None
    return max(-value.as_tuple().exponent, 0)


def lookup(name: str, names: dict[str, str], what: str) -> tuple[str | None, str]:
    """The code of a name (keyed by normal_name): the same name, else the likest one, which
    is said ("" when the same)."""
    key = normal_name(name)
    if not key:
        return None, ""
    if key in names:
        return names[key], ""
    code = find(name, names)
    if code is None:
        return None, ""
    return code, f"{what} '{' '.join(name.split())}' tidak sama persis; dianggap {code}"


# -- the builder every recogniser fills -------------------------------------------------------

@dataclass
class Builder:
    """The tables being filled, what is uncertain, and what the document had that was used."""

    document: Document
    reading: Reading
    year: int
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    marks: list[Mark] = field(default_factory=list)
    skipped: list[Unrecognised] = field(default_factory=list)
    used_tables: set[int] = field(default_factory=set)
    used_paragraphs: set[int] = field(default_factory=set)
    iku: dict[str, str] = field(default_factory=dict)  # normal name -> kode_iku
    sasaran: dict[str, str] = field(default_factory=dict)  # normal uraian -> kode_sasaran
    programs: dict[str, str] = field(default_factory=dict)  # normal name -> kode_program
    level_words: dict[str, str] = field(default_factory=dict)

    def rows(self, file: str) -> list[dict[str, str]]:
        return self.tables.setdefault(file, [])

    def add(self, file: str, row: dict[str, str]) -> int:
        self.rows(file).append(row)
        return len(self.tables[file]) - 1

    def mark(self, file: str, index: int, column: str, reason: str, source: str = "") -> None:
        if reason:
            self.marks.append(Mark(file, index, column, reason, source))

    def use(self, table: TableReading) -> None:
        self.used_tables.add(table.table.number)

    def put(self, file: str, index: int, column: str, cell: Cell | None,
            total: bool = False) -> None:
        """A figure cell into a table's cell: written, or left blank, with its mark; a cell
        already filled that the document prints otherwise elsewhere is marked."""
        if cell is None:
            return
        text, doubt = figure_text(cell, total)
        row = self.tables[file][index]
        if row.get(column) and text and row[column] != text and \
                value_of(row[column]) != value_of(text):
            self.mark(file, index, column, f"{where(cell)} mencetak {cell.text}; dipakai "
                      f"{row[column]} dari tempat yang lebih dahulu", where(cell))
            return
        if not row.get(column):
            row[column] = text
            self.mark(file, index, column, doubt, where(cell))

    def iku_code(self, name: str) -> tuple[str | None, str]:
        """The IKU a name printed elsewhere is, and why it is uncertain: a name spelt
        otherwise than the IKU's is matched by likeness (tables.find), and said."""
        return lookup(name, self.iku, "indikator")

    def skip_row(self, table: TableReading, r: int, reason: str) -> None:
        label = table.rows[r].label or " ".join(f.text for f in table.rows[r].figures)
        self.skipped.append(Unrecognised("baris", f"{table_place(table)}, baris {r + 1}",
                                         label[:SHOWN_TEXT], reason))


# -- sasaran and IKU --------------------------------------------------------------------------

def _is_iku_table(table: TableReading) -> bool:
    """The IKU decision's table: indicators with their formula, source or unit in charge."""
    return first(table, "indikator") is not None and not is_pk(table) and any(
        first(table, role) is not None for role in ("formula", "sumber", "penanggung_jawab"))


def _sasaran_code(b: Builder, text: str, source: str) -> str:
    """The sasaran a text names, added when new."""
    text = " ".join(text.split())
    found = find(text, b.sasaran) if text else None
    if found:
        return found
    code = f"S{len(b.rows('sasaran.csv')) + 1}"
    index = b.add("sasaran.csv", {"kode_sasaran": code, "uraian": text})
    if not text:
        b.mark("sasaran.csv", index, "uraian", "rumusan sasaran tidak tercetak di samping "
               "indikatornya; wajib diisi", source)
    b.sasaran[normal_name(text) or code] = code
    return code


def _add_iku(b: Builder, name: str, sasaran: str) -> str:
    """A new IKU, coded in the order the document names them."""
    code = f"IKU{len(b.rows('iku.csv')) + 1}"
    b.add("iku.csv", {"kode_iku": code, "kode_sasaran": sasaran, "indikator": name})
    b.iku[normal_name(name)] = code
    return code


def iku_from_decision(b: Builder) -> None:
    """IKU from the IKU decision's table (the first names them; the others fill blanks),
    each with its sasaran, formula, source and units in charge."""
    for table in b.reading.tables:
        if not _is_iku_table(table):
            continue
        b.use(table)
        sasaran_text = ""
        for r in data_rows(table):
            name = name_in(table, r, "indikator")
            if not name:
                continue
            sasaran_text = name_in(table, r, "sasaran") or sasaran_text
            code = b.iku.get(normal_name(name))
            source = f"{table_place(table)}, baris {r + 1}"
            if code is None:
                code = _add_iku(b, name, _sasaran_code(b, sasaran_text, source))
            index = next(i for i, row in enumerate(b.tables["iku.csv"])
                         if row["kode_iku"] == code)
            _iku_details(b, table, r, index, source)


def _iku_details(b: Builder, table: TableReading, r: int, index: int, source: str) -> None:
    row = b.tables["iku.csv"][index]
    formula = name_in(table, r, "formula")
    if formula and not row.get("pembilang"):
        parts = formula_parts(formula)
        if parts:
            row["pembilang"], row["penyebut"], row["pengali"] = parts
    for column, role in (("sumber_data", "sumber"), ("penanggung_jawab", "penanggung_jawab"),
                         ("satuan", "satuan")):
        text = " ".join(name_in(table, r, role).split())
        if text and not row.get(column):
            if column == "penanggung_jawab":
                split = UNITS.sub("; ", text)
                if split != text:
                    b.mark("iku.csv", index, column, "unit penanggung jawab dipisah ';' di "
                           "depan setiap Bidang/Bagian/Seksi; periksa pemisahannya", source)
                text = split
            row[column] = text


def formula_parts(formula: str) -> tuple[str, str, str] | None:
    """(pembilang, penyebut, pengali) of a printed formula: LaTeX `\\frac{A}{B} \\times 100`,
    or `A / B x 100%`; None when it is neither."""
    text = LATEX_TEXT.sub(r"\1", formula.replace("$", ""))
    multiplier = "100" if re.search(r"(\\times|[x×*])\s*100\b", text) else ""
    text = re.sub(r"(\\times|[x×*])\s*100\s*%?", " ", text)
    frac = re.search(r"\\frac\s*\{(.*)\}\s*\{(.*)\}", text)
    if frac:
        top, bottom = frac.group(1), frac.group(2)
    else:
        halves = re.split(r"\s+(?:/|:|dibagi)\s+", text)
        if len(halves) != 2:
            return None
        top, bottom = halves
    clean = [" ".join(re.sub(r"[{}()\\]|\bx\b", " ", part).split()) for part in (top, bottom)]
    return (clean[0], clean[1], multiplier) if all(clean) else None


def iku_from_pk(b: Builder) -> None:
    """The PK's targets; an indicator the IKU decision did not list is added from the PK."""
    decided = bool(b.iku)  # without the decision's list, only the same name is the same IKU
    for table in b.reading.tables:
        indicator, target = first(table, "indikator"), first(table, "target")
        if not is_pk(table) or indicator is None or target is None:
            continue
        b.use(table)
        taken: set[str] = set()  # two rows of one PK are two IKU
        for r in data_rows(table):
            name = name_in(table, r, "indikator")
            if not name:
                continue
            source = f"{table_place(table)}, baris {r + 1}"
            code, doubt = b.iku_code(name)
            if doubt and (code in taken or not decided):
                code, doubt = None, ""
            if code is None:
                code = _add_iku(b, name, _sasaran_code(b, name_in(table, r, "sasaran"), source))
                index = len(b.tables["iku.csv"]) - 1
                for column in ("sumber_data", "penanggung_jawab"):
                    b.mark("iku.csv", index, column, "IKU hanya ditemukan di PK, tanpa tabel "
                           "IKU: wajib diisi", source)
            taken.add(code)
            _pk_target(b, code, Cell(table, r, target), doubt)


def _pk_target(b: Builder, code: str, cell: Cell, doubt: str) -> None:
    rows = b.rows("target_pk.csv")
    index = next((i for i, row in enumerate(rows) if row["kode_iku"] == code), None)
    if index is None:
        index = b.add("target_pk.csv", {"kode_iku": code, "tahun": str(b.year), "target": ""})
    b.mark("target_pk.csv", index, "kode_iku", doubt, where(cell))
    b.put("target_pk.csv", index, "target", cell)


# -- the realisasi series ---------------------------------------------------------------------

def _series_columns(table: TableReading, year: int | None) -> dict[int, dict[str, int]]:
    """year -> role -> column: a table of one year (from its title) or of one column per
    year (`Realisasi 2022`); targets compared with another plan are not the agency's."""
    found: dict[int, dict[str, int]] = {}
    for c, column in enumerate(table.columns):
        role = column.role.role
        if role not in SERIES_ROLES or column.role.unit == "Rp" or (
                role == "target" and COMPARISON.search(column.label)):
            continue
        at = column.role.year or year
        if at is not None:
            found.setdefault(at, {}).setdefault(role, c)
    return {y: roles for y, roles in found.items()
            if "realisasi" in roles and ("target" in roles or "capaian" in roles)}


def _series_tables(b: Builder) -> list[tuple[TableReading, bool, dict[int, dict[str, int]]]]:
    """Every capaian table (not the PK, a quarter's report, the efficiency or budget tables),
    whether its year is a guess, and its columns by year."""
    out = []
    for table in b.reading.tables:
        if first(table, "indikator") is None or is_pk(table) or quarter(table) is not None \
                or columns(table, "efisiensi") or first(table, "pagu") is not None:
            continue
        title_year = title_role(table).year
        by_year = _series_columns(table, title_year or b.year)
        if by_year:
            guessed = title_year is None and not any(
                c.role.year for c in table.columns if c.role.role in SERIES_ROLES)
            out.append((table, guessed, by_year))
    return out


def series(b: Builder) -> None:
    """Target, realisasi and printed capaian per IKU and year, from every capaian table."""
    found = _series_tables(b)
    if not b.iku:  # no IKU decision or PK: the year's capaian tables name the IKU
        for table, _, by_year in found:
            _iku_from_series(b, table, by_year.get(b.year))
    for table, guessed, by_year in found:
        b.use(table)
        for at, roles in sorted(by_year.items()):
            if at > b.year:
                b.skipped.append(Unrecognised("tabel", table_place(table), table.table.title,
                                              f"tahun {at} sesudah tahun laporan {b.year}"))
                continue
            for r in data_rows(table):
                _series_row(b, table, r, at, roles, guessed)
    _gaps(b)
    _in_order(b, "kinerja_tahunan.csv", lambda row: (_iku_number(row["kode_iku"]),
                                                     row["tahun"]))


def _gaps(b: Builder) -> None:
    """A year inside an IKU's series that the document does not print: a blank row, for the
    build to say (DERET-TARGET-KOSONG) and the analyst to fill."""
    years: dict[str, set[int]] = {}
    for row in b.rows("kinerja_tahunan.csv"):
        years.setdefault(row["kode_iku"], set()).add(int(row["tahun"]))
    for code, found in years.items():
        for at in range(min(found), max(found)):
            if at not in found:
                index = b.add("kinerja_tahunan.csv", {"kode_iku": code, "tahun": str(at)})
                b.mark("kinerja_tahunan.csv", index, "target", f"tahun {at} tidak tercetak di "
                       "dokumen untuk IKU ini; isi target dan realisasinya bila ada")


def _iku_number(code: str) -> int:
    return int(re.sub(r"\D", "", code) or 0)


def _in_order(b: Builder, file: str, key) -> None:
    """A table's rows sorted, its marks following their rows."""
    rows = b.rows(file)
    order = sorted(range(len(rows)), key=lambda i: key(rows[i]))
    moved = {old: new for new, old in enumerate(order)}
    b.tables[file] = [rows[i] for i in order]
    b.marks = [Mark(m.file, moved[m.row], m.column, m.reason, m.source) if m.file == file
               else m for m in b.marks]


def _iku_from_series(b: Builder, table: TableReading, roles: dict[str, int] | None) -> None:
    """Each indicator of the report year's capaian table as an IKU, its target as the PK's,
    all marked: the document has neither the IKU decision nor the PK."""
    if roles is None:
        return
    for r in data_rows(table):
        name = name_in(table, r, "indikator")
        if not name or normal_name(name) in b.iku:
            continue
        source = f"{table_place(table)}, baris {r + 1}"
        code = _add_iku(b, name, _sasaran_code(b, name_in(table, r, "sasaran"), source))
        index = len(b.rows("iku.csv")) - 1
        for column in ("sumber_data", "penanggung_jawab"):
            b.mark("iku.csv", index, column, "tabel IKU dan PK tidak ditemukan: IKU dari tabel "
                   "capaian; wajib diisi", source)
        if "target" in roles:
            _pk_target(b, code, Cell(table, r, roles["target"]), "PK tidak ditemukan: target "
                       "PK diisi target tahun laporan pada tabel capaian")


def _series_row(b: Builder, table: TableReading, r: int, at: int, roles: dict[str, int],
                guessed: bool) -> None:
    name = name_in(table, r, "indikator")
    code, doubt = b.iku_code(name)
    if code is None:
        b.skip_row(table, r, "indikator tidak ada di tabel IKU atau PK")
        return
    rows = b.rows("kinerja_tahunan.csv")
    index = next((i for i, row in enumerate(rows)
                  if row["kode_iku"] == code and row["tahun"] == str(at)), None)
    if index is None:
        index = b.add("kinerja_tahunan.csv", {"kode_iku": code, "tahun": str(at)})
        if guessed:
            b.mark("kinerja_tahunan.csv", index, "tahun", "judul tabel tidak menyebut tahun: "
                   "dianggap tahun laporan", table_place(table))
    b.mark("kinerja_tahunan.csv", index, "kode_iku", doubt,
           f"{table_place(table)}, baris {r + 1}")
    for role, column in (("target", "target"), ("realisasi", "realisasi"),
                         ("capaian", "capaian_cetak")):
        if role in roles:
            b.put("kinerja_tahunan.csv", index, column, Cell(table, r, roles[role]))
    note = first(table, "keterangan")
    if note is not None and not rows[index].get("keterangan_cetak"):
        rows[index]["keterangan_cetak"] = " ".join(name_in(table, r, "keterangan").split())


# -- each IKU's unit, decimals and polarity ----------------------------------------------------

def measures(b: Builder) -> None:
    """Unit from the figures (% printed with them) or the name; decimals as the PK prints
    them; polarity as the audit decides it (check/document/polarity.py): from the document's
    own capaian formula where its rows show it, else from the indicator's words (marked)."""
    printed_rows = [_printed_capaian(b, row) for row in b.rows("kinerja_tahunan.csv")]
    decided = document_polarity.decide([p for p in printed_rows if p is not None],
                                       [row["indikator"] for row in b.rows("iku.csv")])
    for index, row in enumerate(b.rows("iku.csv")):
        code = row["kode_iku"]
        series_rows = [s for s in b.rows("kinerja_tahunan.csv") if s["kode_iku"] == code]
        pk = next((p for p in b.rows("target_pk.csv") if p["kode_iku"] == code), {})
        shown = [pk.get("target", "")] + [s.get(k, "") for s in series_rows
                                          for k in ("target", "realisasi")]
        if not row.get("satuan"):
            row["satuan"] = _unit(row["indikator"], shown)
            if not row["satuan"]:
                b.mark("iku.csv", index, "satuan", "satuan tidak tercetak dan tidak tampak dari "
                       "angkanya; wajib diisi")
        places = decimals(value_of(pk.get("target", "")))
        if places is not None:
            row["desimal"] = str(places)
        own = [p for p, s in zip(printed_rows, b.rows("kinerja_tahunan.csv"))
               if p is not None and s["kode_iku"] == code]
        _polarity(b, index, row, own, decided)


def _printed_capaian(b: Builder, row: dict) -> document_polarity.Printed | None:
    """A series row with its target, realisasi and printed capaian, under its IKU's name."""
    t, r, c = (value_of(row.get(k, "")) for k in ("target", "realisasi", "capaian_cetak"))
    if t is None or r is None or c is None:
        return None
    name = next(i["indikator"] for i in b.rows("iku.csv") if i["kode_iku"] == row["kode_iku"])
    return document_polarity.Printed(name, t, r, c, row["capaian_cetak"])


def value_of(text: str) -> Decimal | None:
    """A value written by printed() read back."""
    body = text.replace("%", "").replace(".", "").replace(",", ".").strip()
    try:
        return Decimal(body) if body else None
    except ArithmeticError:
        return None


def _unit(name: str, shown: list[str]) -> str:
    if any(text.endswith("%") for text in shown) or name.lower().startswith(
            ("persentase", "prosentase", "presentase")):
        return "%"
    for word in ("indeks", "nilai", "skor", "rasio"):
        if name.lower().startswith(word):
            return word
    return ""


def _polarity(b: Builder, index: int, row: dict, printed_rows: list, decided) -> None:
    """The audit's formula for the IKU; marked, with the audit's reason, unless the printed
    capaian of its rows shows that one formula."""
    code = decided.formula(row["indikator"])
    negative = code != document_polarity.RATIO
    row["polaritas"] = document_polarity.NEGATIVE if negative else document_polarity.POSITIVE
    if negative:
        row["rumus_negatif"] = code
    shown = Counter(fits[0] for p in printed_rows if len(fits := p.fits()) == 1)
    top = shown.most_common(2)
    if top and (len(top) == 1 or top[0][1] > top[1][1]) and top[0][0] == code:
        return
    key = document_polarity.key(row["indikator"])
    note = next((n for n, k in zip(decided.notes, decided.formulas) if k == key), "")
    b.mark("iku.csv", index, "polaritas", note or "polaritas tidak tampak dari dokumen")


# -- Renstra, province targets, tujuan ---------------------------------------------------------

def tujuan(b: Builder) -> None:
    """Tujuan and the Renstra sasaran numbered under each, and the Renstra targets of the
    indicators beside them (years from the columns, else from a period the document names)."""
    for table in b.reading.tables:
        column = first(table, "tujuan")
        if column is None:
            continue
        b.use(table)
        for r, row in enumerate(table.rows):
            text = " ".join(row.figures[column].text.split())
            if not text or row.role in ("jumlah", "sub_jumlah", "rata_rata"):
                continue
            code = f"T{len(b.rows('tujuan.csv')) + 1}"
            iku, doubt = b.iku_code(name_in(table, r, "indikator"))
            iku = iku or ""
            index = b.add("tujuan.csv", {"kode_tujuan": code, "uraian": text, "kode_iku": iku})
            b.mark("tujuan.csv", index, "kode_iku", doubt, f"{table_place(table)}, baris {r + 1}")
            for item in numbered(name_in(table, r, "sasaran")):
                b.add("sasaran_renstra.csv", {
                    "kode_sasaran_renstra": f"R{len(b.rows('sasaran_renstra.csv')) + 1}",
                    "kode_tujuan": code, "uraian": item})
            if iku:
                _renstra_targets(b, table, r, iku)


def numbered(text: str) -> list[str]:
    """`1. A. 2. B.` as [A, B]; text without numbers as itself."""
    text = " ".join(text.split())
    if not text:
        return []
    parts = NUMBERED.split(text)
    if len(parts) < 3:
        return [text.rstrip(".")]
    return [p.strip().rstrip(".").strip() for p in parts[2::2] if p.strip()]


def _renstra_targets(b: Builder, table: TableReading, r: int, iku: str) -> None:
    targets = columns(table, "target")
    years = [table.columns[c].role.year for c in targets]
    period = ""
    if targets and not all(years):
        found = _period(b, table, len(targets))
        if found is None:
            return
        start, period = found
        years = list(range(start, start + len(targets)))
    plan = b.level_words.get("rencana_jangka_menengah", "Renstra")
    for c, at in zip(targets, years):
        index = b.add("target_renstra.csv", {"kode_iku": iku, "tahun": str(at), "target": "",
                                             "dokumen": f"{plan} {period}".strip()})
        b.put("target_renstra.csv", index, "target", Cell(table, r, c))
        if period:
            b.mark("target_renstra.csv", index, "tahun", f"judul kolom tidak menyebut tahun; "
                   f"tahun dari periode {period} yang disebut dokumen", table_place(table))


def _period(b: Builder, table: TableReading, count: int) -> tuple[int, str] | None:
    """The first period `2024-2026` of `count` years named in the table's title or the
    paragraphs before it (nearest first)."""
    texts = [table.table.title]
    above = table.table.paragraph or 0
    texts += [p.text for p in reversed(b.document.paragraphs) if p.number <= above]
    for text in texts:
        for match in PERIOD.finditer(text or ""):
            start, end = int(match.group(1)), int(match.group(2))
            if end - start + 1 == count:
                return start, f"{start}-{end}"
    return None


def province_targets(b: Builder) -> None:
    """Targets of the province or the nation printed beside an indicator."""
    for table in b.reading.tables:
        if first(table, "indikator") is None or is_pk(table):
            continue
        for c in columns(table, "target"):
            label = table.columns[c].label
            if not OTHER_LEVEL.search(label):
                continue
            b.use(table)
            for r in data_rows(table):
                code, doubt = b.iku_code(name_in(table, r, "indikator"))
                if code is None or any(p["kode_iku"] == code for p in
                                       b.rows("target_provinsi.csv")):
                    continue
                index = b.add("target_provinsi.csv", {
                    "kode_iku": code, "tahun": str(title_role(table).year or b.year),
                    "target": "", "sumber": f"{label} ({table_place(table)})"})
                b.put("target_provinsi.csv", index, "target", Cell(table, r, c))
                b.mark("target_provinsi.csv", index, "kode_iku", doubt, where(Cell(table, r, c)))


# -- the efficiency table ----------------------------------------------------------------------

def efficiency(b: Builder) -> None:
    """The comparison of performance and budget per sasaran and IKU, as printed."""
    for table in b.reading.tables:
        if not columns(table, "efisiensi") or first(table, "indikator") is None:
            continue
        b.use(table)
        capaian_columns = columns(table, "capaian")
        kinerja = [c for c in columns(table, "realisasi") if table.columns[c].role.unit != "Rp"]
        cells = {"target": first(table, "target"),
                 "realisasi": kinerja[0] if kinerja else None,
                 "capaian_kinerja_cetak": capaian_columns[0] if capaian_columns else None,
                 "anggaran": first(table, "pagu"),
                 "realisasi_anggaran": first(table, "realisasi", unit="Rp"),
                 "capaian_anggaran_cetak": capaian_columns[-1] if len(capaian_columns) > 1
                 else None,
                 "efisiensi_cetak": first(table, "efisiensi")}
        def keys(code: str) -> dict:
            return {"kode_sasaran": next(row["kode_sasaran"] for row in b.rows("iku.csv")
                                         if row["kode_iku"] == code), "kode_iku": code}

        _rows_by_iku(b, table, "efisiensi_cetak.csv", keys, cells)


def _rows_by_iku(b: Builder, table: TableReading, file: str, keys, cells: dict) -> list:
    """Each data row of a table by its IKU: a row of `file` with `keys(code)` and the cells
    of `cells` (column -> table column); a row naming no known IKU is listed as not
    recognised. The (table row, file row) pairs made."""
    made = []
    for r in data_rows(table):
        code, doubt = b.iku_code(name_in(table, r, "indikator"))
        if code is None:
            b.skip_row(table, r, "indikator tidak ada di tabel IKU atau PK")
            continue
        index = b.add(file, keys(code))
        b.mark(file, index, "kode_iku", doubt, f"{table_place(table)}, baris {r + 1}")
        for column, c in cells.items():
            b.put(file, index, column, None if c is None else Cell(table, r, c))
        made.append((r, index))
    return made


# -- quarterly performance --------------------------------------------------------------------

def quarters(b: Builder) -> None:
    """Each quarter's report of performance: the annual target it prints, the quarter's
    target, realisasi and capaian (cumulative, as the data route reads them by default)."""
    for table in b.reading.tables:
        tw = quarter(table)
        if tw is None or is_pk(table) or first(table, "indikator") is None or \
                first(table, "pagu") is not None:
            continue
        b.use(table)
        cells = {"target_tahunan_cetak": first(table, "target", grouped=False),
                 "target": first(table, "target", grouped=True),
                 "realisasi": first(table, "realisasi", grouped=True)
                 or first(table, "realisasi"),
                 "capaian_cetak": first(table, "capaian")}
        def keys(code: str, tw: int = tw) -> dict:
            return {"triwulan": ROMAN[tw], "kode_iku": code}

        for r, index in _rows_by_iku(b, table, "triwulan_kinerja.csv", keys, cells):
            _quarter_note(b, table, r, index)


def _quarter_note(b: Builder, table: TableReading, r: int, index: int) -> None:
    """The keterangan as printed; a figure alone under Keterangan while the capaian cell is
    blank is the capaian, its header shifted by one column (marked)."""
    column = first(table, "keterangan")
    if column is None:
        return
    cell = Cell(table, r, column)
    row = b.tables["triwulan_kinerja.csv"][index]
    if cell.figure.status == READ and not row.get("capaian_cetak"):
        b.put("triwulan_kinerja.csv", index, "capaian_cetak", cell)
        b.mark("triwulan_kinerja.csv", index, "capaian_cetak", "angka di bawah judul "
               "Keterangan sedangkan sel capaian kosong: dibaca sebagai capaian (judul kolom "
               "bergeser?)", where(cell))
        return
    row["keterangan"] = " ".join(cell.text.split())



def level_words(tingkat: str) -> dict[str, str]:
    return level.words({"tingkat": tingkat})
