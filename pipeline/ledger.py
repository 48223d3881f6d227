"""The ledger: every number the report prints, where it comes from and how it is computed.

One row per figure: a stable key (table:row:column), a label, the exact value, the unit, the
formula, and its inputs as file and row key. `ledger.csv` is written beside the report; the
HTML shows the formula and sources of the main figures as a tooltip.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from . import formatting as fmt
from .clean import Dataset, restore, write_frame

NAME = "ledger.csv"


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    value: str
    unit: str
    formula: str
    inputs: str

    @property
    def number(self) -> Decimal:
        return Decimal(self.value)


def _k(**parts) -> str:
    return ";".join(f"{k}={v}" for k, v in parts.items())


def _src(file: str, row) -> str:
    line = row.get("_baris") if hasattr(row, "get") else None
    return f"{file} baris {line}" if line is not None else file


class Builder:
    def __init__(self, ds: Dataset, res: dict[str, pd.DataFrame]):
        self.ds, self.res = ds, res
        self.entries: dict[str, Entry] = {}
        self.iku = ds["iku.csv"].set_index("kode_iku")

    def add(self, key, label, value, unit, formula, inputs):
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return
        self.entries[key] = Entry(key, label, str(value), unit, formula, inputs)

    def rows(self, name):
        df = self.res.get(name)
        return [] if df is None or df.empty else df.to_dict("records")

    # -- kinerja ---------------------------------------------------------------------
    def kinerja(self):
        for r in self.rows("kinerja_seri.csv"):
            k = f"kinerja_seri:{_k(kode_iku=r['kode_iku'], tahun=r['tahun'])}"
            name, year = r["indikator"], r["tahun"]
            src = f"kinerja_tahunan.csv baris {r['_baris']}"
            self.add(f"{k}:target", f"Target {name} {year}", r["target"], "%", "masukan", src)
            if r["sumber_realisasi"] == "tercetak":
                self.add(f"{k}:realisasi", f"Realisasi {name} {year}", r["realisasi"], "%",
                         "masukan (seperti tercetak)", src)
            else:
                self.add(f"{k}:realisasi", f"Realisasi {name} {year}", r["realisasi"], "%",
                         "desa mandiri s.d. tahun itu ÷ jumlah desa × 100, dibulatkan "
                         f"{self.iku.loc[r['kode_iku'], 'desimal']} desimal",
                         f"desa_mandiri.csv (tahun_mandiri ≤ {year}); jumlah_desa.csv tahun "
                         f"{year}")
            formula = ("(2 × target − realisasi) ÷ target × 100" if r["polaritas"] == "negatif"
                       else "realisasi ÷ target × 100")
            self.add(f"{k}:capaian", f"Capaian {name} {year}", r["capaian"], "%", formula,
                     f"{k}:target; {k}:realisasi")
            self.add(f"{k}:perubahan", f"Perubahan realisasi {name} {year}", r["perubahan"],
                     "poin", "realisasi − realisasi tahun sebelumnya",
                     f"{k}:realisasi; kinerja_seri:{_k(kode_iku=r['kode_iku'], tahun=year - 1)}"
                     ":realisasi")
        for r in self.rows("ringkasan_iku.csv"):
            k = f"ringkasan_iku:{_k(kode_iku=r['kode_iku'])}"
            name, year = r["indikator"], self.ds.year
            seri = f"kinerja_seri:{_k(kode_iku=r['kode_iku'], tahun=year)}"
            self.add(f"{k}:target_pk", f"Target PK {name} {year}", r["target_pk"], "%",
                     "masukan", "target_pk.csv")
            self.add(f"{k}:target_renstra", f"Target Renstra {name} {year}", r["target_renstra"],
                     "%", "masukan", "target_renstra.csv")
            self.add(f"{k}:target_akhir_renstra",
                     f"Target akhir Renstra {name} {r['tahun_akhir_renstra']}",
                     r["target_akhir_renstra"], "%", "masukan", "target_renstra.csv")
            self.add(f"{k}:capaian_thd_akhir_renstra", f"Capaian {name} thd target akhir",
                     r["capaian_thd_akhir_renstra"], "%",
                     "capaian realisasi terhadap target akhir Renstra (rumus polaritas IKU)",
                     f"{seri}:realisasi; {k}:target_akhir_renstra")
            self.add(f"{k}:target_provinsi", f"Target provinsi {name} {year}",
                     r["target_provinsi"], "%", "masukan", "target_provinsi.csv")
            self.add(f"{k}:selisih_provinsi", f"Selisih {name} thd target provinsi",
                     r["selisih_provinsi"], "poin", "realisasi − target provinsi",
                     f"{seri}:realisasi; {k}:target_provinsi")
        for r in self.rows("target_renstra.csv"):
            self.add(f"target_renstra:{_k(kode_iku=r['kode_iku'], tahun=r['tahun'])}:target",
                     f"Target Renstra {self.iku.loc[r['kode_iku'], 'indikator']} {r['tahun']}",
                     r["target"], "%", "masukan", "target_renstra.csv")
        for r in self.rows("desa_mandiri_seri.csv"):
            k = f"desa_mandiri_seri:{_k(tahun=r['tahun'])}"
            self.add(f"{k}:desa_baru", f"Desa baru mandiri {r['tahun']}", r["desa_baru"],
                     "desa", "jumlah desa dengan tahun_mandiri = tahun", "desa_mandiri.csv")
            self.add(f"{k}:desa_mandiri", f"Desa mandiri s.d. {r['tahun']}", r["desa_mandiri"],
                     "desa", "jumlah desa dengan tahun_mandiri ≤ tahun", "desa_mandiri.csv")
            self.add(f"{k}:jumlah_desa", f"Jumlah desa {r['tahun']}", r["jumlah_desa"], "desa",
                     "masukan", "jumlah_desa.csv")
            self.add(f"{k}:persentase", f"Persentase desa mandiri {r['tahun']}",
                     r["persentase"], "%", "desa mandiri ÷ jumlah desa × 100",
                     f"{k}:desa_mandiri; {k}:jumlah_desa")
        for r in self.rows("rincian_pembilang.csv"):
            k = f"rincian:{_k(kode_iku=r['kode_iku'], no=r['no'])}"
            self.add(f"{k}:jumlah", f"{r['kategori']}", r["jumlah"],
                     self.iku.loc[r["kode_iku"], "satuan_pembilang"] or "", "masukan",
                     "rincian_pembilang.csv")
            self.add(f"{k}:porsi", f"Porsi {r['kategori']}", r["porsi"], "%",
                     "jumlah ÷ jumlah seluruh kategori × 100",
                     f"{k}:jumlah; rincian_total:{_k(kode_iku=r['kode_iku'])}:total")
        for r in self.rows("rincian_total.csv"):
            self.add(f"rincian_total:{_k(kode_iku=r['kode_iku'])}:total",
                     f"Jumlah {self.iku.loc[r['kode_iku'], 'pembilang']}", r["total"],
                     self.iku.loc[r["kode_iku"], "satuan_pembilang"] or "",
                     "Σ jumlah rincian", "rincian_pembilang.csv")

    # -- anggaran --------------------------------------------------------------------
    def anggaran(self):
        for r in self.rows("anggaran_sub_kegiatan.csv"):
            k = f"sub_kegiatan:{_k(no=r['no'])}"
            src = f"realisasi_anggaran.csv baris {r['_baris']}"
            self.add(f"{k}:anggaran", f"Anggaran {r['sub_kegiatan']}", r["anggaran"], "Rp",
                     "masukan", src)
            self.add(f"{k}:realisasi", f"Realisasi {r['sub_kegiatan']}", r["realisasi"], "Rp",
                     "masukan", src)
            self.add(f"{k}:persentase", f"Persentase realisasi {r['sub_kegiatan']}",
                     r["persentase"], "%", "realisasi ÷ anggaran × 100",
                     f"{k}:realisasi; {k}:anggaran")
        for r in self.rows("anggaran_program.csv"):
            k = f"program:{_k(kode_program=r['kode_program'])}"
            subs = f"sub_kegiatan (kode_program={r['kode_program']})"
            self.add(f"{k}:anggaran_pk", f"Anggaran PK {r['program']}", r["anggaran_pk"], "Rp",
                     "masukan", f"pk_program.csv kode_program={r['kode_program']}")
            self.add(f"{k}:anggaran", f"Anggaran {r['program']}", r["anggaran"], "Rp",
                     "Σ anggaran sub-kegiatan", subs)
            self.add(f"{k}:realisasi", f"Realisasi {r['program']}", r["realisasi"], "Rp",
                     "Σ realisasi sub-kegiatan", subs)
            self.add(f"{k}:persentase", f"Penyerapan {r['program']}", r["persentase"], "%",
                     "realisasi ÷ anggaran × 100", f"{k}:realisasi; {k}:anggaran")
            self.add(f"{k}:selisih_pk", f"Selisih anggaran {r['program']} thd PK",
                     r["selisih_pk"], "Rp", "anggaran rincian − anggaran PK",
                     f"{k}:anggaran; {k}:anggaran_pk")
        for r in self.rows("anggaran_sasaran.csv"):
            k = f"sasaran:{_k(kode_sasaran=r['kode_sasaran'])}"
            progs = f"program pada PK untuk sasaran {r['kode_sasaran']}"
            self.add(f"{k}:anggaran", f"Anggaran sasaran {r['kode_sasaran']}", r["anggaran"],
                     "Rp", "Σ anggaran program pendukung", progs)
            self.add(f"{k}:realisasi", f"Realisasi sasaran {r['kode_sasaran']}",
                     r["realisasi"], "Rp", "Σ realisasi program pendukung", progs)
            self.add(f"{k}:persentase", f"Capaian anggaran sasaran {r['kode_sasaran']}",
                     r["persentase"], "%", "realisasi ÷ anggaran × 100",
                     f"{k}:realisasi; {k}:anggaran")
        for r in self.rows("anggaran_total.csv"):
            for col, label, formula in (("anggaran", "Jumlah anggaran", "Σ anggaran program"),
                                        ("realisasi", "Jumlah realisasi", "Σ realisasi program"),
                                        ("anggaran_pk", "Jumlah anggaran PK",
                                         "Σ anggaran PK program"),
                                        ("persentase", "Penyerapan anggaran total",
                                         "realisasi ÷ anggaran × 100")):
                self.add(f"total:{col}", label, r[col], "%" if col == "persentase" else "Rp",
                         formula, "program:*")
        for r in self.rows("efisiensi.csv"):
            k = f"efisiensi:{_k(kode_sasaran=r['kode_sasaran'])}"
            kin = f"kinerja_seri:{_k(kode_iku=r['kode_iku'], tahun=self.ds.year)}"
            sas = f"sasaran:{_k(kode_sasaran=r['kode_sasaran'])}"
            self.add(f"{k}:capaian_kinerja", f"Capaian kinerja sasaran {r['kode_sasaran']}",
                     r["capaian_kinerja"], "%", "capaian IKU tahun laporan", f"{kin}:capaian")
            self.add(f"{k}:capaian_anggaran", f"Capaian anggaran sasaran {r['kode_sasaran']}",
                     r["capaian_anggaran"], "%", "realisasi ÷ anggaran sasaran × 100",
                     f"{sas}:persentase")
            self.add(f"{k}:efisiensi", f"Tingkat efisiensi sasaran {r['kode_sasaran']}",
                     r["efisiensi"], "poin", "capaian kinerja − capaian anggaran",
                     f"{k}:capaian_kinerja; {k}:capaian_anggaran")

    # -- triwulan --------------------------------------------------------------------
    def triwulan(self):
        for r in self.rows("triwulan_kinerja.csv"):
            k = f"tw_kinerja:{_k(triwulan=r['triwulan'], kode_iku=r['kode_iku'])}"
            src = f"triwulan_kinerja.csv baris {r['_baris']}"
            for col in ("target_tahunan_cetak", "target", "realisasi"):
                self.add(f"{k}:{col}", f"TW {r['triwulan']} {r['kode_iku']} {col}", r[col], "%",
                         "masukan (seperti tercetak)", src)
            self.add(f"{k}:capaian", f"Capaian TW {r['triwulan']} {r['kode_iku']}",
                     r["capaian"], "%", "realisasi ÷ target × 100", f"{k}:realisasi; {k}:target")
        for r in self.rows("triwulan_keuangan.csv"):
            k = f"tw_keuangan:{_k(triwulan=r['triwulan'], no_realisasi=r['no_realisasi'])}"
            src = f"triwulan_keuangan.csv baris {r['_baris']}"
            for col in ("anggaran", "target", "realisasi"):
                self.add(f"{k}:{col}", f"TW {r['triwulan']} {r['kegiatan_cetak']} {col}", r[col],
                         "Rp", "masukan (seperti tercetak)", src)
            self.add(f"{k}:capaian", f"Capaian keuangan TW {r['triwulan']} "
                     f"{r['kegiatan_cetak']}", r["capaian"], "%", "realisasi ÷ target × 100",
                     f"{k}:realisasi; {k}:target")

    def inputs(self):
        """Raw figures the report prints as they are (PK budgets, IDM thresholds)."""
        for r in self.ds["pk_program.csv"].to_dict("records"):
            self.add(f"pk_program:{_k(kode_program=r['kode_program'])}:anggaran",
                     f"Anggaran PK {r['program']}", r["anggaran"], "Rp", "masukan",
                     _src("pk_program.csv", r))
        idm = self.ds.get("idm_status.csv")
        for r in ([] if idm is None else idm.to_dict("records")):
            for col in ("batas_bawah", "batas_atas"):
                self.add(f"idm:{_k(status=r['status'])}:{col}", f"IDM {r['status']} {col}",
                         r[col], "indeks", "masukan", _src("idm_status.csv", r))

    def printed(self, found):
        """Printed figures the report quotes: findings and corrections."""
        for n, f in enumerate(found, 1):
            for col, text, formula in (("tercetak", f.printed, "seperti tercetak"),
                                       ("seharusnya", f.expected,
                                        "hasil hitung ulang atau nilai yang diharapkan")):
                value = _number(text)
                if value is not None:
                    self.add(f"temuan:{n}:{col}", f"Temuan {n} ({f.check}) {col}", value, "",
                             formula, f"{f.file} {f.key} kolom {f.field}")
        for c in self.ds.corrections:
            for col in ("nilai_cetak", "nilai_koreksi"):
                value = _number(c[col])
                if value is not None:
                    self.add(f"koreksi:{c['file']}:{c['kunci']}:{c['kolom']}:{col}",
                             f"Koreksi {c['file']} {c['kunci']} {col}", value, "",
                             "seperti tercetak" if col == "nilai_cetak" else "koreksi analis",
                             f"koreksi.csv; {c['file']} baris {c['baris_data']}")
        self.add("konstanta:100", "Jumlah porsi", 100, "%", "konstanta", "-")

    def build(self, found=()) -> list[Entry]:
        self.kinerja()
        self.anggaran()
        self.triwulan()
        self.inputs()
        self.printed(found)
        return list(self.entries.values())


def _number(text: str | None):
    """A printed figure as a number, whatever its format; None for text."""
    from .numbers import NumberFormatError, parse_decimal, parse_percent, parse_rupiah

    text = (text or "").strip().lstrip("≤ ").replace("−", "-")
    for parse in (parse_rupiah, parse_percent, parse_decimal):
        try:
            value = parse(text)
        except (NumberFormatError, ValueError):
            continue
        if value is not None:
            return value
    return None


def build(ds: Dataset, res: dict[str, pd.DataFrame], found=()) -> list[Entry]:
    return Builder(ds, res).build(found)


COLUMNS = ["key", "label", "value", "unit", "formula", "inputs"]


def write(entries: list[Entry], path: Path) -> Path:
    write_frame(pd.DataFrame([asdict(e) for e in entries], columns=COLUMNS, dtype=object), path)
    return path


def read(path: Path) -> dict[str, Entry]:
    df = pd.read_csv(path, dtype=str, keep_default_na=False).map(restore)
    return {r["key"]: Entry(**r) for r in df.to_dict("records")}


def display_forms(entries) -> set[str]:
    """How the report may print each figure: Indonesian format, unsigned, with or without %."""
    forms = set()
    for e in entries:
        value = abs(Decimal(e.value))
        if value == value.to_integral_value() and e.unit not in ("%", "poin"):
            forms.add(fmt.number(value))
        for places in (2, 4, 1, 0):
            forms.add(fmt.number(value, places))
    return forms


# A figure as the report prints it: 3.385.637.000 / 22,05 / 186% (plain integers such as
# years, row numbers and counts are labels, not figures, and are not matched).
FIGURE = re.compile(r"(?:(?<=Rp)|(?<![\w.,]))"
                    r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+(?=%))(?![.,]?\d)")


def figures_in(html: str) -> list[str]:
    """Figures in the visible text of the report, analysts' narrative left out."""
    html = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    html = re.sub(r'<div class="narasi">.*?</div>', "", html, flags=re.S)
    html = re.sub(r'\s(title|src|href|content|id)="[^"]*"', "", html)
    return FIGURE.findall(htmllib.unescape(re.sub(r"<[^>]+>", " ", html)))


def unledgered(html: str, entries) -> list[str]:
    """Figures printed in the report that no ledger entry accounts for."""
    forms = display_forms(entries)
    return sorted({f for f in figures_in(html) if f not in forms})
