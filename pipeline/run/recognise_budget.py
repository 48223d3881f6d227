"""Programs, kegiatan and budgets of a received LKIP, recognised as pk_program.csv and
realisasi_anggaran.csv (`make import DOC=`; recognise.py has the builder and the rest).

Programs and their budgets come from the PK (its program table, and the programs it lists
beside each indicator, which give a program its sasaran); sub-kegiatan rows from the year's
budget table, walked top to bottom under each `Program …` row. A row without figures there is
a kegiatan heading or a sub-kegiatan without a budget: the document's bold type tells them
apart, and the reading does not keep it, so the order of the rows decides and the choice is
marked. An unread budget cell whose digits are those the PK leaves for it becomes a proposed
correction (koreksi.csv).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..check.document import across
from ..check.document.tables import (
    Cell,
    columns,
    data_rows,
    find,
    first,
    is_pk,
    name_in,
    normal_name,
    quarter,
)
from ..read.document.figures import READ
from ..read.document.understand import TableReading
from .recognise import Builder, lookup, printed, table_place, value_of, where

FUNDS = re.compile(r"\b(APBD|APBN|DAK|DAU|DBH|BLUD|PAD|BOK|BOS|hibah)\b", re.IGNORECASE)
# a row that a page break cut: its label ends with a word that cannot end a name
CUT_WORDS = re.compile(r"(\b(dan|serta|atau|yang|di|ke|dari|untuk|dengan|pada|bagi)|[,/-])$",
                       re.IGNORECASE)


# -- programs ---------------------------------------------------------------------------------

def _program_code(b: Builder, name: str) -> tuple[str | None, str]:
    """The program a name printed elsewhere is (by likeness, said), as for an IKU."""
    return lookup(name, b.programs, "program")


def _add_program(b: Builder, name: str) -> tuple[str, int]:
    """A new program, coded in the order the document names them (P01, P02, …)."""
    code = f"P{len(b.rows('pk_program.csv')) + 1:02d}"
    index = b.add("pk_program.csv", {"kode_program": code, "program": " ".join(name.split()),
                                     "anggaran": "", "sumber_dana": "", "kode_sasaran": ""})
    b.programs[normal_name(name)] = code
    return code, index


def _program_index(b: Builder, code: str) -> int:
    return next(i for i, row in enumerate(b.rows("pk_program.csv"))
                if row["kode_program"] == code)


def pk_programs(b: Builder) -> None:
    """Programs and their budgets from the PK's program table, then the programs the PK lists
    beside each indicator (with the indicator's sasaran)."""
    for table in b.reading.tables:
        program, budget = first(table, "program"), first(table, "pagu")
        if not is_pk(table) or program is None or budget is None or \
                first(table, "indikator") is not None:
            continue
        b.use(table)
        for r in data_rows(table):
            name = name_in(table, r, "program")
            if not name or normal_name(name) in b.programs:
                continue
            _, index = _add_program(b, name)
            b.put("pk_program.csv", index, "anggaran", Cell(table, r, budget), total=True)
            _funds(b, index, name_in(table, r, "keterangan"), table_place(table))
    _programs_beside_indicators(b)
    for index, row in enumerate(b.rows("pk_program.csv")):
        if not row["sumber_dana"]:
            _funds(b, index, "", "")


def _funds(b: Builder, index: int, text: str, source: str) -> None:
    row = b.tables["pk_program.csv"][index]
    found = FUNDS.search(text or "")
    if found:
        row["sumber_dana"] = found.group(1).upper()
        return
    row["sumber_dana"] = b.level_words.get("sumber_anggaran", "APBD")
    b.mark("pk_program.csv", index, "sumber_dana", "sumber dana tidak tercetak di PK; diisi "
           "menurut tingkat pemerintahan", source)


def _programs_beside_indicators(b: Builder) -> None:
    for name, (cell, programs) in across._pk_budget(b.reading).items():
        code = find(name, b.iku)
        b.use(cell.table)
        sasaran = next((row["kode_sasaran"] for row in b.rows("iku.csv")
                        if row["kode_iku"] == code), "")
        amounts = list(cell.figure.values) if cell.figure.status == READ else []
        for i, program in enumerate(programs):
            found, doubt = _program_code(b, program)
            if found is None:
                found, index = _add_program(b, program)
                if len(amounts) == len(programs):
                    b.tables["pk_program.csv"][index]["anggaran"] = printed(amounts[i])
                else:
                    b.mark("pk_program.csv", index, "anggaran", "anggaran program tidak dapat "
                           f"dipisahkan dari sel PK '{cell.text}'; wajib diisi", where(cell))
            row_index = _program_index(b, found)
            row = b.tables["pk_program.csv"][row_index]
            if sasaran and row["kode_sasaran"] and row["kode_sasaran"] != sasaran:
                b.mark("pk_program.csv", row_index, "kode_sasaran", f"PK juga menyebut program "
                       f"ini di samping sasaran {sasaran}", where(cell))
            elif sasaran:
                row["kode_sasaran"] = sasaran
                b.mark("pk_program.csv", row_index, "kode_sasaran", doubt, where(cell))


def _budget_tables(b: Builder) -> list[TableReading]:
    """The year's budget tables: a budget and its realisasi in rupiah per program and
    kegiatan, not the PK, a quarter's report or the efficiency table."""
    out = []
    for table in b.reading.tables:
        label = first(table, "program")
        label = first(table, "kegiatan") if label is None else label
        budget = across._budget_column(table)
        if label is None or budget is None or is_pk(table) or quarter(table) is not None \
                or first(table, "realisasi", unit="Rp") is None or columns(table, "efisiensi") \
                or first(table, "indikator") is not None:
            continue
        out.append(table)
    return out


@dataclass
class _Walk:
    """Where the walk down a budget table is: its program, kegiatan and last row."""

    program: str = ""
    program_no: str = ""
    kegiatan: str = ""
    kegiatan_rows: int = 0  # sub-kegiatan rows under the current kegiatan
    last: str = ""  # program, kegiatan, heading (a row without figures) or data
    last_index: int | None = None
    heading_source: str = ""  # where the current kegiatan's row is
    doubt: str = ""  # the program's name is spelt otherwise than the PK's
    guessed: bool = False  # the kegiatan's row follows a funded row: it may be a sub-kegiatan


def budget(b: Builder) -> None:
    """realisasi_anggaran: one row per sub-kegiatan, under its program and kegiatan, as the
    budget table prints them; a row without figures is a kegiatan (after a program or a
    funded row) or an unfunded sub-kegiatan (after another such row), which is marked."""
    for table in _budget_tables(b):
        b.use(table)
        walk = _Walk()
        for r, row in enumerate(table.rows):
            if row.role in ("jumlah", "sub_jumlah", "rata_rata"):
                b.skip_row(table, r, "baris jumlah: dihitung ulang dari rinciannya")
            elif row.label.lower().startswith("program"):
                _budget_program(b, table, r, walk)
            elif not walk.program:
                b.skip_row(table, r, "baris sebelum nama program pertama")
            elif row.role == "kelompok":
                _budget_heading(b, table, r, walk)
            else:
                _budget_data(b, table, r, walk)
        _close_kegiatan(b, walk)
    _correct_unread(b)
    _programs_outside_pk(b)


def _programs_outside_pk(b: Builder) -> None:
    """A program the budget table prints and the PK does not: its budget the sum of its
    rows, its source of funds the level's, both marked."""
    for index, row in enumerate(b.rows("pk_program.csv")):
        if not row["sumber_dana"]:
            _funds(b, index, "", "")
        if row["anggaran"]:
            continue
        amounts = [value_strict(r["anggaran"]) for r in b.rows("realisasi_anggaran.csv")
                   if r["kode_program"] == row["kode_program"] and r["anggaran"]]
        if amounts and None not in amounts:
            row["anggaran"] = printed(sum(amounts, Decimal(0)))


def _budget_program(b: Builder, table: TableReading, r: int, walk: _Walk) -> None:
    _close_kegiatan(b, walk)
    name = table.rows[r].label
    code, walk.doubt = _program_code(b, name)
    if code is None:
        code, index = _add_program(b, name)
        b.mark("pk_program.csv", index, "anggaran", "program tidak ada di PK: anggarannya "
               "diisi jumlah sub-kegiatannya di tabel realisasi; periksa dengan PK",
               f"{table_place(table)}, baris {r + 1}")
    number = name_in(table, r, "no")
    walk.program, walk.program_no = code, number.rstrip(".)") if number.strip() else ""
    walk.kegiatan, walk.kegiatan_rows, walk.last, walk.last_index = "", 0, "program", None
    walk.guessed = False
    budget_cell = Cell(table, r, across._budget_column(table))
    if budget_cell.value is not None:  # a program line with its own total
        _printed_subtotal(b, table, r, code)


def _printed_subtotal(b: Builder, table: TableReading, r: int, code: str) -> None:
    index = b.add("subtotal_cetak.csv", {"kode_program": code, "kegiatan": ""})
    b.put("subtotal_cetak.csv", index, "anggaran", Cell(table, r, across._budget_column(table)))
    b.put("subtotal_cetak.csv", index, "realisasi",
          Cell(table, r, first(table, "realisasi", unit="Rp")))
    percent = _percent_column(table)
    if percent is not None:
        b.put("subtotal_cetak.csv", index, "persentase_cetak", Cell(table, r, percent))


def _percent_column(table: TableReading) -> int | None:
    found = first(table, "persen")
    return first(table, "capaian", unit="%") if found is None else found


def _budget_heading(b: Builder, table: TableReading, r: int, walk: _Walk) -> None:
    """A row without figures: the rest of a name a page break cut, a kegiatan, or an
    unfunded sub-kegiatan."""
    label = " ".join(table.rows[r].label.split())
    rows = b.rows("realisasi_anggaran.csv")
    if walk.last == "data" and walk.last_index is not None and \
            CUT_WORDS.search(rows[walk.last_index]["sub_kegiatan"]):
        row = rows[walk.last_index]
        row["sub_kegiatan"] = f"{row['sub_kegiatan']} {label}"
        b.mark("realisasi_anggaran.csv", walk.last_index, "sub_kegiatan", "nama disambung "
               "dengan baris tanpa angka di bawahnya (terpotong pindah halaman?)",
               f"{table_place(table)}, baris {r + 1}")
        return
    if walk.last in ("program", "data"):
        walk.guessed = walk.last == "data"  # might be an unfunded sub-kegiatan as well
        _close_kegiatan(b, walk)
        walk.kegiatan, walk.kegiatan_rows, walk.last = label, 0, "kegiatan"
        walk.heading_source = f"{table_place(table)}, baris {r + 1}"
        return
    index = _budget_row(b, walk, label, table_place(table))
    b.mark("realisasi_anggaran.csv", index, "sub_kegiatan", "baris tanpa angka dibaca sebagai "
           "sub-kegiatan tanpa anggaran (bukan kegiatan) dari urutan barisnya; periksa",
           f"{table_place(table)}, baris {r + 1}")
    walk.last = "heading"


def _budget_data(b: Builder, table: TableReading, r: int, walk: _Walk) -> None:
    label = " ".join(table.rows[r].label.split())
    if not walk.kegiatan:
        walk.kegiatan = label
        b.mark("realisasi_anggaran.csv", len(b.rows("realisasi_anggaran.csv")), "kegiatan",
               "tidak ada baris kegiatan di atas sub-kegiatan ini; kegiatan diisi nama "
               "sub-kegiatannya", f"{table_place(table)}, baris {r + 1}")
    index = _budget_row(b, walk, label, table_place(table))
    b.put("realisasi_anggaran.csv", index, "anggaran",
          Cell(table, r, across._budget_column(table)))
    b.put("realisasi_anggaran.csv", index, "realisasi",
          Cell(table, r, first(table, "realisasi", unit="Rp")))
    percent = _percent_column(table)
    if percent is not None:
        b.put("realisasi_anggaran.csv", index, "persentase_cetak", Cell(table, r, percent))
    walk.last, walk.last_index = "data", index


def _budget_row(b: Builder, walk: _Walk, label: str, source: str) -> int:
    """A sub-kegiatan row under the walk's program and kegiatan, its figures blank."""
    program_no = walk.program_no or str(_program_index(b, walk.program) + 1)
    index = b.add("realisasi_anggaran.csv", {
        "no": str(len(b.rows("realisasi_anggaran.csv")) + 1), "kode_program": walk.program,
        "no_program_cetak": program_no, "kegiatan": walk.kegiatan, "sub_kegiatan": label,
        "anggaran": "", "realisasi": "", "persentase_cetak": ""})
    if not walk.program_no:
        b.mark("realisasi_anggaran.csv", index, "no_program_cetak", "nomor program tidak "
               "tercetak; diisi urutan program", source)
    b.mark("realisasi_anggaran.csv", index, "kode_program", walk.doubt, source)
    walk.doubt = ""  # said on the program's first row
    if walk.guessed and walk.kegiatan_rows == 0:
        b.mark("realisasi_anggaran.csv", index, "kegiatan", "kegiatan dari baris tanpa angka "
               "sesudah sub-kegiatan berangka: bisa juga sub-kegiatan tanpa anggaran; periksa "
               "kegiatan baris ini dan di bawahnya", walk.heading_source)
    walk.kegiatan_rows += 1
    return index


def _close_kegiatan(b: Builder, walk: _Walk) -> None:
    """A kegiatan heading with no row under it before the next kegiatan or program: an
    unfunded sub-kegiatan of the kegiatan before it (or its own kegiatan)."""
    if walk.kegiatan and walk.kegiatan_rows == 0 and walk.last == "kegiatan":
        rows = b.rows("realisasi_anggaran.csv")
        before = rows[-1]["kegiatan"] if rows and rows[-1]["kode_program"] == walk.program \
            else walk.kegiatan
        name, walk.kegiatan, walk.guessed = walk.kegiatan, before, False
        index = _budget_row(b, walk, name, walk.heading_source)
        b.mark("realisasi_anggaran.csv", index, "kegiatan", "baris tanpa angka tanpa "
               "sub-kegiatan di bawahnya: dibaca sebagai sub-kegiatan tanpa anggaran dari "
               "kegiatan di atasnya; periksa", walk.heading_source)
    walk.kegiatan_rows = 0


def _correct_unread(b: Builder) -> None:
    """An unread budget cell whose digits are those of the amount its program's PK budget
    leaves for it (PK budget less the program's other rows) gets that amount as a correction
    (koreksi.csv), marked: the data keep the printed figure, the report uses the correction
    and says so."""
    rows = b.rows("realisasi_anggaran.csv")
    for index, row in enumerate(rows):
        text = row.get("anggaran", "")
        if not text or value_strict(text) is not None:
            continue
        amount = _left_by_pk(b, row["kode_program"], index)
        if amount is None or not _same_digits(text, amount):
            continue
        b.add("koreksi.csv", {
            "file": "realisasi_anggaran.csv", "kunci": f"no={row['no']}", "kolom": "anggaran",
            "nilai_cetak": text, "nilai_koreksi": printed(amount),
            "alasan": f"Angka tercetak '{text}' tidak terbaca; anggaran program pada PK "
                      "dikurangi sub-kegiatan lain programnya memberi "
                      f"{printed(amount)}",
            "sumber_koreksi": "Perjanjian Kinerja (anggaran program) dan tabel realisasi "
                              "anggaran (impor dokumen)"})
        b.mark("koreksi.csv", len(b.rows("koreksi.csv")) - 1, "nilai_koreksi", "koreksi "
               "diusulkan impor dari anggaran program pada PK; periksa sebelum dipakai")


def value_strict(text: str) -> Decimal | None:
    """A rupiah written by printed(); None for a printed figure that did not read."""
    return value_of(text) if re.fullmatch(r"-?\d{1,3}(\.\d{3})*(,\d+)?%?", text) else None


def _left_by_pk(b: Builder, program: str, skip: int) -> Decimal | None:
    pk = next((p for p in b.rows("pk_program.csv") if p["kode_program"] == program), None)
    total = value_strict(pk["anggaran"]) if pk else None
    if total is None:
        return None
    others = [r.get("anggaran", "") for i, r in enumerate(b.rows("realisasi_anggaran.csv"))
              if r["kode_program"] == program and i != skip and r.get("anggaran")]
    values = [value_strict(t) for t in others]
    if any(v is None for v in values):
        return None
    left = total - sum(values, Decimal(0))
    return left if left > 0 else None


def _same_digits(text: str, amount: Decimal) -> bool:
    """The printed digits are the amount's with at most one digit lost or added."""
    shown, whole = re.sub(r"\D", "", text), str(int(amount))
    if abs(len(shown) - len(whole)) > 1:
        return False
    longer, shorter = (whole, shown) if len(whole) >= len(shown) else (shown, whole)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer))) or \
        longer == shorter
