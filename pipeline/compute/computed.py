"""Every computed table, declared once: its key, and for each figure its unit, label, formula
and inputs.

The declaration drives the computation (results.compute), the typed read-back
(results.read), the ledger rows and tooltip keys (ledger), and the formatting of each cell
(report.Context.show). A template never does arithmetic and never spells a ledger key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..read import units
from ..read.clean import Dataset
from . import budget, indicators, printed_totals, qualitative

Text = str | Callable[[dict, Dataset], str]

# read-back types of the columns that are not figures
INT, TEXT, BOOL, DECIMAL = "int", "text", "bool", "decimal"
WHOLE_UNITS = ("Rp", "desa", "pembilang")  # figures counted in whole rupiah or whole things


@dataclass(frozen=True)
class Figure:
    """A column the report prints. unit: %, Rp, poin, or iku / iku-beda / pembilang: the unit
    of the row's IKU, of a difference between two of its values, of its numerator."""

    column: str
    unit: str
    label: Text
    formula: Text = "masukan"
    inputs: Text = ""


@dataclass(frozen=True)
class Computed:
    file: str
    ledger: str  # prefix of the ledger keys
    key: tuple[str, ...]
    compute: Callable[[Dataset, dict], pd.DataFrame]
    figures: tuple[Figure, ...] = ()
    kinds: tuple[tuple[str, str], ...] = ()  # (column, INT/TEXT/BOOL/DECIMAL) besides figures
    when: Callable[[Dataset], bool] = lambda ds: True

    def row_key(self, row) -> str:
        return ";".join(f"{k}={row[k] if row[k] is not None else ''}" for k in self.key)

    def ledger_key(self, row, column: str) -> str:
        parts = [self.ledger] + ([self.row_key(row)] if self.key else []) + [column]
        return ":".join(parts)

    def figure(self, column: str) -> Figure | None:
        return next((f for f in self.figures if f.column == column), None)

    def kind(self, column: str) -> str | None:
        figure = self.figure(column)
        if figure is not None:
            return INT if figure.unit in WHOLE_UNITS else DECIMAL
        return dict(self.kinds).get(column)


def text(value: Text, row: dict, ds: Dataset) -> str:
    return value(row, ds) if callable(value) else value.format(**row, year=ds.year)


def _has(*files):
    return lambda ds: all(f in ds.frames for f in files)


def _series_key(code, year) -> str:
    return f"kinerja_seri:kode_iku={code};tahun={year}"


def _realisasi_formula(r, ds) -> str:
    if r["sumber_realisasi"] == "tercetak":
        return "masukan (seperti tercetak)"
    places = indicators.units.of_iku(ds["iku.csv"].set_index("kode_iku").loc[r["kode_iku"]]
                                     .to_dict()).desimal
    return f"desa mandiri s.d. tahun itu ÷ jumlah desa × 100, dibulatkan {places} desimal"


def _realisasi_inputs(r, ds) -> str:
    if r["sumber_realisasi"] == "tercetak":
        return f"kinerja_tahunan.csv baris {r['_baris']}"
    return (f"desa_mandiri.csv (tahun_mandiri ≤ {r['tahun']}); jumlah_desa.csv tahun "
            f"{r['tahun']}")


def _unit(r, ds) -> units.Unit:
    return units.by_iku(ds["iku.csv"])[r["kode_iku"]]


def _on_scale(r) -> bool:
    return r.get("rumus") == qualitative.SKALA


def _with_label(label: str, column: str) -> Callable[[dict, Dataset], str]:
    """A figure's label, and for an IKU measured by labels the label its position stands
    for (`Target Opini BPK 2025: WTP`): the ledger holds the position, a number."""
    def text_of(r, ds):
        base = label.format(**r, year=ds.year)
        if not _on_scale(r) or r[column] is None:
            return base
        return f"{base}: {_unit(r, ds).show(r[column])}"
    return text_of


def _comparison_label(r, ds) -> str:
    if r.get("capaian_label") is None:
        return ""
    return f"Capaian {r['indikator']} {r.get('tahun', ds.year)}: {r['capaian_label'].lower()}"


def _comparison_formula(r, ds) -> str:
    if r.get("capaian_label") is None:
        return ""
    return qualitative.comparison_formula(r, _unit(r, ds))


def _sasaran_inputs(r, ds) -> str:
    # the IKU whose capaian are averaged: none when the sasaran has only IKU measured by labels
    codes = (r["iku"] or "").split("; ")
    return "; ".join(f"{_series_key(code, ds.year)}:capaian" for code in codes if code)


SERIES = Computed(
    "kinerja_seri.csv", "kinerja_seri", ("kode_iku", "tahun"),
    lambda ds, done: indicators.kinerja_series(ds),
    (
        Figure("target", "iku", _with_label("Target {indikator} {tahun}", "target"), "masukan",
               "kinerja_tahunan.csv baris {_baris}"),
        Figure("realisasi", "iku", _with_label("Realisasi {indikator} {tahun}", "realisasi"),
               _realisasi_formula, _realisasi_inputs),
        Figure("capaian", "%", "Capaian {indikator} {tahun}",
               lambda r, ds: indicators.FORMULAS[r["rumus"]].text,
               lambda r, ds: f"{_series_key(r['kode_iku'], r['tahun'])}:target; "
                             f"{_series_key(r['kode_iku'], r['tahun'])}:realisasi"),
        Figure("perubahan", "iku-beda", "Perubahan realisasi {indikator} {tahun}",
               "realisasi − realisasi tahun sebelumnya",
               lambda r, ds: f"{_series_key(r['kode_iku'], r['tahun'])}:realisasi; "
                             f"{_series_key(r['kode_iku'], r['tahun'] - 1)}:realisasi"),
        # an IKU measured by labels: where realisasi lies from target on its scale
        Figure("selisih_tingkat", "iku-beda", _comparison_label, _comparison_formula,
               lambda r, ds: f"{_series_key(r['kode_iku'], r['tahun'])}:target; "
                             f"{_series_key(r['kode_iku'], r['tahun'])}:realisasi"),
    ),
    (("tahun", INT), ("_baris", INT), ("realisasi_cetak", DECIMAL),
     ("capaian_cetak", DECIMAL), ("realisasi_tahun_lalu", DECIMAL), ("capaian_label", TEXT)),
)

SUMMARY = Computed(
    "ringkasan_iku.csv", "ringkasan_iku", ("kode_iku",),
    lambda ds, done: indicators.year_summary(ds, done["kinerja_seri.csv"]),
    (
        Figure("target_pk", "iku", _with_label("Target PK {indikator} {year}", "target_pk"),
               "masukan", "target_pk.csv"),
        Figure("target_renstra", "iku", "Target Renstra {indikator} {year}", "masukan",
               "target_renstra.csv"),
        Figure("target_akhir_renstra", "iku",
               "Target akhir Renstra {indikator} {tahun_akhir_renstra}", "masukan",
               "target_renstra.csv"),
        Figure("capaian_thd_akhir_renstra", "%", "Capaian {indikator} thd target akhir",
               "capaian realisasi terhadap target akhir Renstra (rumus polaritas IKU)",
               lambda r, ds: f"{_series_key(r['kode_iku'], ds.year)}:realisasi; "
                             f"ringkasan_iku:kode_iku={r['kode_iku']}:target_akhir_renstra"),
        Figure("target_provinsi", "iku", "Target pembanding {indikator} {year}", "masukan",
               "target_provinsi.csv: {sumber_pembanding}"),
        Figure("selisih_provinsi", "iku-beda", "Selisih {indikator} thd target pembanding",
               "realisasi − target pembanding",
               lambda r, ds: f"{_series_key(r['kode_iku'], ds.year)}:realisasi; "
                             f"ringkasan_iku:kode_iku={r['kode_iku']}:target_provinsi"),
    ),
    (("tahun_akhir_renstra", INT), ("target_seri", DECIMAL), ("realisasi", DECIMAL),
     ("capaian", DECIMAL), ("realisasi_tahun_lalu", DECIMAL), ("perubahan", DECIMAL),
     ("capaian_label", TEXT)),
)

SASARAN_CAPAIAN = Computed(
    "capaian_sasaran.csv", "capaian_sasaran", ("kode_sasaran",),
    lambda ds, done: indicators.sasaran_capaian(ds, done["ringkasan_iku.csv"]),
    (Figure("capaian", "%", "Capaian sasaran {kode_sasaran}",
            lambda r, ds: indicators.SASARAN_RULES[r["aturan"]][0], _sasaran_inputs),),
    (("jumlah_iku", INT), ("jumlah_iku_label", INT), ("capaian_label", TEXT)),
)

RENSTRA = Computed(
    "target_renstra.csv", "target_renstra", ("kode_iku", "tahun"),
    lambda ds, done: indicators.renstra_targets(ds),
    (Figure("target", "iku", "Target Renstra {indikator} {tahun}", "masukan",
            "target_renstra.csv"),),
    (("tahun", INT),),
)

DESA = Computed(
    "desa_mandiri_seri.csv", "desa_mandiri_seri", ("tahun",),
    lambda ds, done: indicators.desa_mandiri_series(ds),
    (
        Figure("desa_baru", "desa", "Desa baru mandiri {tahun}",
               "jumlah desa dengan tahun_mandiri = tahun", "desa_mandiri.csv"),
        Figure("desa_mandiri", "desa", "Desa mandiri s.d. {tahun}",
               "jumlah desa dengan tahun_mandiri ≤ tahun", "desa_mandiri.csv"),
        Figure("jumlah_desa", "desa", "Jumlah desa {tahun}", "masukan", "jumlah_desa.csv"),
        Figure("persentase", "%", "Persentase desa mandiri {tahun}",
               "desa mandiri ÷ jumlah desa × 100",
               "desa_mandiri_seri:tahun={tahun}:desa_mandiri; "
               "desa_mandiri_seri:tahun={tahun}:jumlah_desa"),
    ),
    (("tahun", INT),),
    _has("desa_mandiri.csv", "jumlah_desa.csv"),
)

BREAKDOWN = Computed(
    "rincian_pembilang.csv", "rincian", ("kode_iku", "no"),
    lambda ds, done: indicators.breakdown(ds),
    (
        Figure("jumlah", "pembilang", "{kategori}", "masukan", "rincian_pembilang.csv"),
        Figure("porsi", "%", "Porsi {kategori}", "jumlah ÷ jumlah seluruh kategori × 100",
               "rincian:kode_iku={kode_iku};no={no}:jumlah; "
               "rincian_total:kode_iku={kode_iku}:total"),
    ),
    (("no", INT),),
    _has("rincian_pembilang.csv"),
)

BREAKDOWN_TOTAL = Computed(
    "rincian_total.csv", "rincian_total", ("kode_iku",),
    lambda ds, done: indicators.breakdown_totals(ds),
    (Figure("total", "pembilang", "{judul}", "Σ jumlah rincian", "rincian_pembilang.csv"),),
    (("total_cetak", INT),),
    _has("rincian_pembilang.csv"),
)

SUB_KEGIATAN = Computed(
    "anggaran_sub_kegiatan.csv", "sub_kegiatan", ("no",),
    lambda ds, done: budget.sub_kegiatan(ds),
    (
        Figure("anggaran", "Rp", "Anggaran {sub_kegiatan}", "masukan",
               "realisasi_anggaran.csv baris {_baris}"),
        Figure("realisasi", "Rp", "Realisasi {sub_kegiatan}", "masukan",
               "realisasi_anggaran.csv baris {_baris}"),
        Figure("persentase", "%", "Persentase realisasi {sub_kegiatan}",
               "realisasi ÷ anggaran × 100",
               "sub_kegiatan:no={no}:realisasi; sub_kegiatan:no={no}:anggaran"),
    ),
    (("no", INT), ("_baris", INT), ("no_program_cetak", INT), ("persentase_cetak", DECIMAL)),
)

KEGIATAN = Computed(
    "anggaran_kegiatan.csv", "kegiatan", ("kode_program", "kegiatan"),
    lambda ds, done: budget.by_kegiatan(ds),
    kinds=(("anggaran", INT), ("realisasi", INT), ("persentase", DECIMAL),
           ("jumlah_sub_kegiatan", INT)),
)

_PROGRAM = "program:kode_program={kode_program}"
PROGRAM = Computed(
    "anggaran_program.csv", "program", ("kode_program",),
    lambda ds, done: budget.by_program(ds),
    (
        Figure("anggaran_pk", "Rp", "Anggaran PK {program}", "masukan",
               "pk_program.csv kode_program={kode_program}"),
        Figure("anggaran", "Rp", "Anggaran {program}", "Σ anggaran sub-kegiatan",
               "sub_kegiatan (kode_program={kode_program})"),
        Figure("realisasi", "Rp", "Realisasi {program}", "Σ realisasi sub-kegiatan",
               "sub_kegiatan (kode_program={kode_program})"),
        Figure("persentase", "%", "Penyerapan {program}", "realisasi ÷ anggaran × 100",
               f"{_PROGRAM}:realisasi; {_PROGRAM}:anggaran"),
        Figure("selisih_pk", "Rp", "Selisih anggaran {program} thd PK",
               "anggaran rincian − anggaran PK", f"{_PROGRAM}:anggaran; {_PROGRAM}:anggaran_pk"),
    ),
    (("urutan", INT),),
)

_SASARAN = "sasaran:kode_sasaran={kode_sasaran}"
SASARAN_BUDGET = Computed(
    "anggaran_sasaran.csv", "sasaran", ("kode_sasaran",),
    lambda ds, done: budget.by_sasaran(ds),
    (
        Figure("anggaran", "Rp", "Anggaran sasaran {kode_sasaran}",
               "Σ anggaran program pendukung", "program pada PK untuk sasaran {kode_sasaran}"),
        Figure("realisasi", "Rp", "Realisasi sasaran {kode_sasaran}",
               "Σ realisasi program pendukung", "program pada PK untuk sasaran {kode_sasaran}"),
        Figure("persentase", "%", "Capaian anggaran sasaran {kode_sasaran}",
               "realisasi ÷ anggaran × 100", f"{_SASARAN}:realisasi; {_SASARAN}:anggaran"),
    ),
)

TOTAL = Computed(
    "anggaran_total.csv", "total", (),
    lambda ds, done: pd.DataFrame([budget.total(ds)], dtype=object),
    (
        Figure("anggaran", "Rp", "Jumlah anggaran", "Σ anggaran program", "program:*"),
        Figure("realisasi", "Rp", "Jumlah realisasi", "Σ realisasi program", "program:*"),
        Figure("anggaran_pk", "Rp", "Jumlah anggaran PK", "Σ anggaran PK program", "program:*"),
        Figure("persentase", "%", "Penyerapan anggaran total", "realisasi ÷ anggaran × 100",
               "program:*"),
    ),
)

_EFF = "efisiensi:kode_sasaran={kode_sasaran};kode_iku={kode_iku}"
EFFICIENCY = Computed(
    "efisiensi.csv", "efisiensi", ("kode_sasaran", "kode_iku"),
    lambda ds, done: budget.efficiency(ds, done["ringkasan_iku.csv"]),
    (
        Figure("capaian_kinerja", "%", "Capaian kinerja sasaran {kode_sasaran} ({indikator})",
               "capaian IKU tahun laporan",
               lambda r, ds: f"{_series_key(r['kode_iku'], ds.year)}:capaian"),
        Figure("capaian_anggaran", "%", "Capaian anggaran sasaran {kode_sasaran}",
               "realisasi ÷ anggaran sasaran × 100", f"{_SASARAN}:persentase"),
        Figure("efisiensi", "poin", "Tingkat efisiensi sasaran {kode_sasaran} ({indikator})",
               "capaian kinerja − capaian anggaran, keduanya dibulatkan 2 desimal",
               f"{_EFF}:capaian_kinerja; {_EFF}:capaian_anggaran"),
    ),
    (("target", DECIMAL), ("realisasi", DECIMAL), ("anggaran", INT),
     ("efisiensi_tanpa_pembulatan", DECIMAL),
     ("realisasi_anggaran", INT), ("efisien", BOOL), ("capaian_kinerja_cetak", DECIMAL),
     ("anggaran_cetak", INT), ("realisasi_anggaran_cetak", INT),
     ("capaian_anggaran_cetak", DECIMAL), ("efisiensi_cetak", DECIMAL)),
)

_TWK = "tw_kinerja:triwulan={triwulan};kode_iku={kode_iku}"
TW_KINERJA = Computed(
    "triwulan_kinerja.csv", "tw_kinerja", ("triwulan", "kode_iku"),
    lambda ds, done: budget.triwulan_kinerja(ds),
    tuple(Figure(col, "iku", "TW {triwulan} {kode_iku} " + col, "masukan (seperti tercetak)",
                 "triwulan_kinerja.csv baris {_baris}")
          for col in ("target_tahunan_cetak", "target", "realisasi"))
    + (Figure("capaian", "%", "Capaian TW {triwulan} {kode_iku}",
              lambda r, ds: indicators.FORMULAS[r["rumus"]].text,
              f"{_TWK}:realisasi; {_TWK}:target"),
       Figure("selisih_tingkat", "iku-beda", lambda r, ds: "" if r.get("capaian_label") is None
              else f"Capaian TW {r['triwulan']} {r['kode_iku']}: {r['capaian_label'].lower()}",
              _comparison_formula, f"{_TWK}:target; {_TWK}:realisasi"),),
    (("_baris", INT), ("capaian_cetak", DECIMAL), ("target_kumulatif", DECIMAL),
     ("realisasi_kumulatif", DECIMAL), ("triwulan", TEXT), ("capaian_label", TEXT)),
    _has("triwulan_kinerja.csv"),
)

_TWU = "tw_keuangan:triwulan={triwulan};no_realisasi={no_realisasi}"
TW_KEUANGAN = Computed(
    "triwulan_keuangan.csv", "tw_keuangan", ("triwulan", "no_realisasi"),
    lambda ds, done: budget.triwulan_keuangan(ds),
    tuple(Figure(col, "Rp", "TW {triwulan} {kegiatan_cetak} " + col,
                 "masukan (seperti tercetak)", "triwulan_keuangan.csv baris {_baris}")
          for col in ("anggaran", "target", "realisasi"))
    + (Figure("capaian", "%", "Capaian keuangan TW {triwulan} {kegiatan_cetak}",
              "realisasi ÷ target × 100", f"{_TWU}:realisasi; {_TWU}:target"),),
    (("_baris", INT), ("no_cetak", INT), ("no_realisasi", INT), ("capaian_cetak", DECIMAL),
     ("target_kumulatif", INT), ("realisasi_kumulatif", INT), ("serapan", DECIMAL),
     ("triwulan", TEXT)),
    _has("triwulan_keuangan.csv"),
)

TW_KEUANGAN_TOTAL = Computed(
    "triwulan_keuangan_total.csv", "tw_keuangan_total", ("triwulan",),
    lambda ds, done: budget.triwulan_keuangan_total(ds),
    kinds=(("triwulan", TEXT), ("anggaran", INT), ("target", INT), ("realisasi", INT),
           ("target_persen", DECIMAL), ("realisasi_persen", DECIMAL), ("capaian", DECIMAL)),
    when=_has("triwulan_keuangan.csv"),
)

SUBTOTALS = Computed(
    "subtotal.csv", "subtotal", ("kode_program", "kegiatan"),
    lambda ds, done: budget.printed_subtotals(ds),
    kinds=(("_baris", INT), ("anggaran", INT), ("realisasi", INT),
           ("persentase_cetak", DECIMAL), ("anggaran_hitung", INT),
           ("realisasi_hitung", INT), ("persentase", DECIMAL)),
    when=_has("subtotal_cetak.csv"),
)

PRINTED_SUMMARY = Computed(
    "angka_ringkasan.csv", "ringkasan", ("angka", "kode_sasaran"),
    lambda ds, done: printed_totals.recompute(ds, done),
    (Figure("nilai", "%", "{label}", "{rumus}", "{masukan}"),),
    (("_baris", INT), ("nilai_cetak", DECIMAL), ("jumlah", INT), ("tanpa_capaian", INT),
     ("angka", TEXT), ("label", TEXT), ("tempat", TEXT), ("rumus", TEXT), ("masukan", TEXT)),
    _has(printed_totals.FILE),
)

# in the order they are computed (later ones use earlier ones) and ledgered
TABLES: tuple[Computed, ...] = (
    SERIES, SUMMARY, SASARAN_CAPAIAN, RENSTRA, DESA, BREAKDOWN, BREAKDOWN_TOTAL, SUB_KEGIATAN,
    KEGIATAN, PROGRAM, SASARAN_BUDGET, TOTAL, EFFICIENCY, TW_KINERJA, TW_KEUANGAN,
    TW_KEUANGAN_TOTAL, SUBTOTALS, PRINTED_SUMMARY,
)
BY_FILE = {t.file: t for t in TABLES}
