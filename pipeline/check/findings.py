"""Verification stage: the checks a careful auditor would run on the data, as findings.

Each finding names a check, a severity (error / warning / info), the source file and row key,
the field, the printed value, the recomputed or expected value, and a message in Indonesian.
A printed derived figure matches when it equals the recomputed value rounded to the printed
number of decimals; a miss by less than one unit of the last printed decimal is a rounding
slip (info), anything else an error.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import re
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..compute import printed_totals
from ..compute.qualitative import SKALA
from ..read import formatting as fmt
from ..read import units
from ..read.clean import Dataset, write_frame
from ..read.numbers import printed_decimals, round_half_up
from . import rules
from .rules import Finding
from .severity import ERROR, INFO, LABEL, SEVERITY_ORDER, WARNING  # noqa: F401 - named here too


def _key(**parts) -> str:
    return ";".join(f"{k}={v}" for k, v in parts.items())


def _shown(value, kind: str) -> str:
    if value is None:
        return "–"
    if kind in ("rupiah", "int"):
        return fmt.number(value)
    if kind == "points":
        return fmt.points(value)
    return fmt.percent(value)


def compare_printed(printed: Decimal | int | None, text: str | None, recomputed) -> str | None:
    """None when the printed figure matches; else INFO (rounding slip) or ERROR."""
    found = rules.difference(printed, text, recomputed)
    return None if found is None else INFO if found == rules.ROUNDING else ERROR


# a realisasi the source left blank but a list fills in: the gap itself is worth a note
FILLED_FROM_LISTS = ("REALISASI-DAFTAR",)
# every printed derived figure, as a declared rule (check/rules.py): its id, the kind of row it
# reads and the printed figures of that row it compares with their recomputation. The annual
# and quarterly checks build these rows from typed data; a received document's tables give
# rows of the same kinds.
DERIVED = {
    "CAPAIAN-TERCETAK": ("capaian_tahunan", ("capaian_cetak",)),
    "REALISASI-DAFTAR": ("capaian_tahunan", ("realisasi",)),
    "PERSENTASE-REALISASI": ("sub_kegiatan", ("persentase_cetak",)),
    "EFISIENSI-TERCETAK": ("efisiensi", ("capaian_kinerja", "anggaran", "realisasi_anggaran",
                                         "capaian_anggaran", "efisiensi")),
    "CAPAIAN-TRIWULAN": ("capaian_triwulan", ("capaian_cetak",)),
    "SUBTOTAL-TERCETAK": ("subtotal", ("anggaran", "realisasi", "persentase_cetak")),
    "TOTAL-RINCIAN": ("rincian_total", ("total_cetak",)),
}


def _declare_derived() -> None:
    for check, (kind, figures) in DERIVED.items():
        listed = check in FILLED_FROM_LISTS
        rules.rule(check, kind, figures, ERROR, rules.DERIVED_MESSAGES)(functools.partial(
            rules.each_derived, names=figures, blank=listed, gap=INFO if listed else ERROR))


_declare_derived()


class Checker:
    def __init__(self, ds: Dataset, res: dict[str, pd.DataFrame]):
        self.ds, self.res = ds, res
        self.found: list[Finding] = []
        self.units = units.by_iku(ds["iku.csv"])

    def add(self, check, severity, file, key, field, printed, expected, message):
        self.found.append(Finding(check, severity, file, key, field, printed, expected, message))

    def derived(self, check, file, key, field, printed, text, recomputed, kind, what):
        """A printed figure against its recomputation, by the rule declared for `check`."""
        row = rules.Row(DERIVED[check][0], file, key, what,
                        {field: rules.Figure(printed, text, recomputed)},
                        {"show": functools.partial(_shown, kind=kind)})
        self.found += rules.run([row], only=[check])

    # -- printed derived figures -------------------------------------------------------
    def printed_figures(self):
        series = self.res["kinerja_seri.csv"]
        for r in series.itertuples():
            key = _key(kode_iku=r.kode_iku, tahun=r.tahun)
            what = f"Capaian {r.indikator} {r.tahun}"
            if r.rumus == SKALA:
                self.labelled("CAPAIAN-TERCETAK", "kinerja_tahunan.csv", key, r._asdict(), what)
            elif r.capaian_cetak_teks is not None or r.capaian is not None:
                self.derived("CAPAIAN-TERCETAK", "kinerja_tahunan.csv", key, "capaian_cetak",
                             r.capaian_cetak, r.capaian_cetak_teks, r.capaian, "percent", what)
            said = {r.keterangan.lower()} | ({r.capaian_label.lower()} if r.capaian_label
                                             else set())
            if r.keterangan_cetak and (r.capaian is not None or r.capaian_label) and \
                    r.keterangan_cetak.strip().lower() not in said:
                self.add("KETERANGAN-TERCETAK", ERROR, "kinerja_tahunan.csv", key,
                         "keterangan_cetak", r.keterangan_cetak, r.keterangan,
                         f"Keterangan {r.indikator} {r.tahun} tidak sesuai capaian")
            if r.sumber_realisasi != "tercetak":
                text = None if r.realisasi_cetak is None else str(r.realisasi_cetak)
                self.derived("REALISASI-DAFTAR", "kinerja_tahunan.csv", key, "realisasi",
                             r.realisasi_cetak, text, r.realisasi, "percent",
                             f"Realisasi {r.indikator} {r.tahun} menurut daftar")
        subs = self.res["anggaran_sub_kegiatan.csv"]
        for r in subs.itertuples():
            self.derived("PERSENTASE-REALISASI", "realisasi_anggaran.csv", _key(no=r.no),
                         "persentase_cetak", r.persentase_cetak, r.persentase_cetak_teks,
                         r.persentase, "percent", f"Persentase realisasi {r.sub_kegiatan}")
        for r in self._records("efisiensi.csv"):
            key = _key(kode_sasaran=r["kode_sasaran"], kode_iku=r["kode_iku"])
            for field, mine, kind, what in (
                    ("capaian_kinerja_cetak", "capaian_kinerja", "percent", "Capaian kinerja"),
                    ("anggaran_cetak", "anggaran", "rupiah", "Anggaran"),
                    ("realisasi_anggaran_cetak", "realisasi_anggaran", "rupiah",
                     "Realisasi anggaran"),
                    ("capaian_anggaran_cetak", "capaian_anggaran", "percent",
                     "Capaian anggaran"),
                    ("efisiensi_cetak", "efisiensi", "points", "Tingkat efisiensi")):
                if field == "efisiensi_cetak" and r[field] is not None and compare_printed(
                        r[field], r.get(field + "_teks"), r["efisiensi_tanpa_pembulatan"]) is None:
                    continue  # subtracted before rounding: the other accepted convention
                if field in r:
                    self.derived("EFISIENSI-TERCETAK", "efisiensi_cetak.csv", key,
                                 field.removesuffix("_cetak"), r[field], r.get(field + "_teks"),
                                 r[mine], kind, f"{what} sasaran {r['kode_sasaran']}")
        iku_names = dict(zip(self.ds["iku.csv"]["kode_iku"], self.ds["iku.csv"]["indikator"]))
        self.quarter_capaian(self._records("triwulan_kinerja.csv"),
                             self._records("triwulan_keuangan.csv"))
        for r in self._records("subtotal.csv"):
            self.subtotal(r)
        for r in self._records("angka_ringkasan.csv"):
            self.printed_summary(r)
        for r in self._records("rincian_total.csv"):
            if r["total_cetak"] is not None:
                self.derived("TOTAL-RINCIAN", "rincian_total_cetak.csv",
                             _key(kode_iku=r["kode_iku"], tahun=self.ds.year), "total_cetak",
                             r["total_cetak"], str(r["total_cetak"]), r["total"], "int",
                             f"Jumlah rincian {iku_names[r['kode_iku']]}")

    def labelled(self, check, file, key, r: dict, what: str):
        """A capaian printed for an IKU measured by labels: it has no percentage to check
        against, so a printed one is noted with the label comparison made instead."""
        if r["capaian_cetak_teks"] is None:
            return
        unit = self.units[r["kode_iku"]]
        made = r["capaian_label"] or "tidak dapat dihitung"
        self.add(check, INFO, file, key, "capaian_cetak", r["capaian_cetak_teks"], made,
                 f"{what}: tercetak {r['capaian_cetak_teks']}; IKU diukur dengan label skala "
                 f"{unit.scale.name}, capaiannya dinilai dengan membandingkan label (realisasi "
                 f"{unit.show(r['realisasi'])}, target {unit.show(r['target'])}): "
                 f"{made.lower()}")

    def quarter_capaian(self, kinerja: list[dict], keuangan: list[dict]):
        """Each printed quarterly capaian against realisasi ÷ target (kinerja by its IKU's
        formula); shared by the annual report's lampiran and the quarterly report."""
        iku_names = dict(zip(self.ds["iku.csv"]["kode_iku"], self.ds["iku.csv"]["indikator"]))
        for r in kinerja:
            if r["rumus"] == SKALA:
                self.labelled("CAPAIAN-TRIWULAN", "triwulan_kinerja.csv",
                              _key(triwulan=r["triwulan"], kode_iku=r["kode_iku"]), r,
                              f"Capaian TW {r['triwulan']} {iku_names[r['kode_iku']]}")
                continue
            self.derived("CAPAIAN-TRIWULAN", "triwulan_kinerja.csv",
                         _key(triwulan=r["triwulan"], kode_iku=r["kode_iku"]), "capaian_cetak",
                         r["capaian_cetak"], r["capaian_cetak_teks"], r["capaian"], "percent",
                         f"Capaian TW {r['triwulan']} {iku_names[r['kode_iku']]}")
        for r in keuangan:
            self.derived("CAPAIAN-TRIWULAN", "triwulan_keuangan.csv",
                         _key(triwulan=r["triwulan"], no_realisasi=r["no_realisasi"]),
                         "capaian_cetak", r["capaian_cetak"], r["capaian_cetak_teks"],
                         r["capaian"], "percent",
                         f"Capaian keuangan TW {r['triwulan']} {r['kegiatan_cetak']}")

    def printed_summary(self, r):
        """A printed average or capaian sasaran (ringkasan_cetak.csv) against the one
        recomputed from unrounded capaian: one unit of the last printed decimal away is a
        warning (an average of rounded capaian), more an error."""
        if r["nilai_cetak"] is None:
            return
        key = _key(angka=r["angka"], **({"kode_sasaran": r["kode_sasaran"]}
                                        if r["kode_sasaran"] else {}))
        what = r["label"] + (f" ({r['tempat']})" if r["tempat"] else "")
        text = r["nilai_cetak_teks"]
        if r["nilai"] is None:
            self.add("RINGKASAN-TERCETAK", WARNING, printed_totals.FILE, key, "nilai_cetak",
                     text, "–", f"{what}: tercetak {text}, tidak dapat dihitung ulang karena "
                     "capaian yang mendasarinya tidak tersedia")
            return
        severity = printed_totals.severity(r["nilai_cetak"], text, r["nilai"])
        places = printed_decimals(text) or 0
        shown = fmt.percent(round_half_up(r["nilai"], places), places)
        if severity == "rounding":
            self.add("RINGKASAN-TERCETAK", WARNING, printed_totals.FILE, key, "nilai_cetak",
                     text, shown, f"{what}: tercetak {text}, hasil hitung ulang {shown}; "
                     "selisih satu satuan desimal terakhir, setingkat pembulatan (mis. "
                     "rata-rata dari capaian yang telah dibulatkan)")
        elif severity == "wrong":
            self.add("RINGKASAN-TERCETAK", ERROR, printed_totals.FILE, key, "nilai_cetak",
                     text, shown, f"{what}: tercetak {text}, seharusnya {shown}")

    def subtotal(self, r):
        """A printed program or kegiatan line (or the Jumlah of every program) against the
        sum of its sub-kegiatan rows."""
        key = _key(kode_program=r["kode_program"] or "", kegiatan=r["kegiatan"] or "")
        what = f"Jumlah {r['kegiatan'] or 'program ' + r['kode_program']}" \
            if r["kode_program"] else "Jumlah seluruh program"
        for field, mine, kind in (("anggaran", "anggaran_hitung", "rupiah"),
                                  ("realisasi", "realisasi_hitung", "rupiah"),
                                  ("persentase_cetak", "persentase", "percent")):
            self.derived("SUBTOTAL-TERCETAK", "subtotal_cetak.csv", key, field, r[field],
                         r.get(field + "_teks"), r[mine], kind, f"{what}, {field}")

    # -- sums ------------------------------------------------------------------------
    def sums(self):
        for r in self._records("anggaran_program.csv"):
            if r["anggaran"] != r["anggaran_pk"]:
                self.add("JUMLAH-PROGRAM-PK", ERROR, "pk_program.csv",
                         _key(kode_program=r["kode_program"]), "anggaran",
                         fmt.number(r["anggaran_pk"]), fmt.number(r["anggaran"]),
                         f"Pagu {r['program']} pada PK ({fmt.rupiah(r['anggaran_pk'])}) berbeda "
                         f"dengan jumlah rincian sub-kegiatannya ({fmt.rupiah(r['anggaran'])}), "
                         f"selisih {fmt.rupiah(abs(r['anggaran'] - r['anggaran_pk']))}")

    # -- across documents ------------------------------------------------------------
    def cross_documents(self):
        pk = self.ds["target_pk.csv"]
        pk = dict(zip(pk.loc[pk["tahun"] == self.ds.year, "kode_iku"],
                      pk.loc[pk["tahun"] == self.ds.year, "target"]))
        decree = set(self.ds["iku.csv"]["kode_iku"])
        for code in sorted(decree - set(pk)):
            self.add("IKU-PK", ERROR, "target_pk.csv", _key(kode_iku=code), "kode_iku", "–",
                     code, f"IKU {code} dalam keputusan IKU tidak ada di Perjanjian Kinerja")
        summary = self.res["ringkasan_iku.csv"].set_index("kode_iku")
        for r in self._records("triwulan_kinerja.csv"):
            self.quarter_kinerja_against_year(r, pk, summary)
        subs = self.res["anggaran_sub_kegiatan.csv"].set_index("no")
        for r in self._records("triwulan_keuangan.csv"):
            self.quarter_keuangan_against_year(r, subs)
        printed = self.ds.get("efisiensi_cetak.csv")
        for r in self._records("efisiensi.csv") if printed is not None else ():
            key = _key(kode_sasaran=r["kode_sasaran"], kode_iku=r["kode_iku"])
            hit = printed[(printed["kode_sasaran"] == r["kode_sasaran"])
                          & (printed["kode_iku"] == r["kode_iku"])]
            if hit.empty:
                continue  # this sasaran and IKU were not printed
            row = hit.iloc[0]
            for field, mine in (("target", r["target"]), ("realisasi", r["realisasi"])):
                if row[field] is not None and row[field] != mine:
                    self.add("EFISIENSI-SUMBER", ERROR, "efisiensi_cetak.csv", key, field,
                             row[field + "_teks"], self.units[r["kode_iku"]].show(mine),
                             f"{field.capitalize()} pada tabel efisiensi berbeda dengan PK/"
                             "realisasi tahunan")

    def quarter_kinerja_against_year(self, r: dict, pk: dict, summary: pd.DataFrame | None):
        """A quarterly kinerja row against the PK target and, at TW IV, the annual realisasi
        (summary: the year's ringkasan_iku, None before the year's realisasi exists)."""
        key = _key(triwulan=r["triwulan"], kode_iku=r["kode_iku"])
        target = pk.get(r["kode_iku"])
        show = self.units[r["kode_iku"]].show
        printed = r["target_tahunan_cetak"]
        if target is not None and printed is not None and printed != target:
            self.add("TRIWULAN-TARGET-PK", ERROR, "triwulan_kinerja.csv", key,
                     "target_tahunan_cetak", r["target_tahunan_cetak_teks"],
                     show(target), f"Target tahunan pada laporan TW {r['triwulan']} "
                     f"berbeda dengan target PK {show(target)}")
        to_date = r["realisasi_kumulatif"]
        if r["triwulan"] == "IV" and summary is not None and r["kode_iku"] in summary.index \
                and to_date is not None:
            annual = summary.loc[r["kode_iku"], "realisasi"]
            # a year's realisasi not set is said by the series check, never compared
            if annual is not None and to_date != annual:
                self.add("TRIWULAN-IV-TAHUNAN", ERROR, "triwulan_kinerja.csv", key,
                         "realisasi", show(to_date), show(annual),
                         f"Realisasi TW IV {summary.loc[r['kode_iku'], 'indikator']} "
                         f"({show(to_date)}{_TO_DATE[r['cara_hitung']]}) "
                         f"berbeda dengan realisasi tahunan ({show(annual)})")

    def quarter_keuangan_against_year(self, r: dict, subs: pd.DataFrame):
        """A quarterly keuangan row against the annual budget table (subs, by row number)."""
        key = _key(triwulan=r["triwulan"], no_realisasi=r["no_realisasi"])
        row = subs.loc[r["no_realisasi"]]
        if r["anggaran"] != row["anggaran"]:
            self.add("TRIWULAN-ANGGARAN", ERROR, "triwulan_keuangan.csv", key, "anggaran",
                     fmt.number(r["anggaran"]), fmt.number(row["anggaran"]),
                     f"Anggaran {r['kegiatan_cetak']} pada laporan TW {r['triwulan']} "
                     "berbeda dengan tabel realisasi anggaran")
        if r["triwulan"] == "IV" and None not in (r["realisasi_kumulatif"], row["realisasi"]) \
                and r["realisasi_kumulatif"] != row["realisasi"]:
            self.add("TRIWULAN-IV-TAHUNAN", ERROR, "triwulan_keuangan.csv", key,
                     "realisasi", fmt.number(r["realisasi_kumulatif"]),
                     fmt.number(row["realisasi"]),
                     f"Realisasi keuangan TW IV {r['kegiatan_cetak']} berbeda dengan "
                     "realisasi tahunan")

    # -- series ----------------------------------------------------------------------
    def series(self):
        from . import draft

        series = self.res["kinerja_seri.csv"]
        for code, own in series.groupby("kode_iku", sort=False):
            years = list(own["tahun"])
            for missing in sorted(set(range(min(years), max(years) + 1)) - set(years)):
                self.add("DERET-TAHUN-HILANG", WARNING, "kinerja_tahunan.csv",
                         _key(kode_iku=code, tahun=missing), "tahun", "–",
                         f"baris tahun {missing}", f"Tahun {missing} tidak ada dalam deret "
                         f"{own['indikator'].iloc[0]} ({code}); perubahan tahun berikutnya "
                         "tidak dihitung")
            for r in own.itertuples():
                key = _key(kode_iku=code, tahun=r.tahun)
                if r.target is None:
                    self.add("DERET-TARGET-KOSONG", WARNING, "kinerja_tahunan.csv", key,
                             "target", "–", "target tahun itu",
                             f"Target {r.indikator} tahun {r.tahun} tidak tercantum")
                if r.realisasi_cetak is None and r.sumber_realisasi == "tercetak" and not (
                        r.tahun == self.ds.year and draft.left_blank(
                            self.ds, "kinerja_tahunan.csv", key, "realisasi")):
                    # the report year's, left empty: a draft (draft.py)
                    self.add("DERET-REALISASI-KOSONG", WARNING, "kinerja_tahunan.csv", key,
                             "realisasi", "–", "realisasi tahun itu",
                             f"Realisasi {r.indikator} tahun {r.tahun} tidak tercantum")
                unit = self.units[code]
                # a label held year after year (WTP again) is news to no one
                if r.perubahan == 0 and r.realisasi and unit.scale is None:
                    self.add("DERET-TIDAK-BERUBAH", WARNING, "kinerja_tahunan.csv", key,
                             "realisasi", unit.show(r.realisasi), "nilai baru",
                             f"Realisasi {r.indikator} {r.tahun} sama persis dengan tahun "
                             f"{r.tahun - 1} ({unit.show(r.realisasi)}); periksa apakah "
                             "data tahun berjalan sudah dimutakhirkan")
                if unit.implausible(r.realisasi):
                    self.impossible("kinerja_tahunan.csv", key, unit, r.realisasi,
                                    f"Realisasi {r.indikator}")
        for r in self.res["anggaran_sub_kegiatan.csv"].itertuples():
            if r.anggaran is not None and r.realisasi is not None and r.realisasi > r.anggaran:
                self.add("REALISASI-MELEBIHI-ANGGARAN", ERROR, "realisasi_anggaran.csv",
                         _key(no=r.no), "realisasi", fmt.number(r.realisasi),
                         f"≤ {fmt.number(r.anggaran)}",
                         f"Realisasi {r.sub_kegiatan} melebihi anggarannya")
            if r.anggaran is None and r.realisasi:
                self.add("REALISASI-TANPA-ANGGARAN", ERROR, "realisasi_anggaran.csv",
                         _key(no=r.no), "realisasi", fmt.number(r.realisasi), "anggaran",
                         f"Realisasi {r.sub_kegiatan} tercatat tanpa anggaran")
        self.quarter_amounts(self._records("triwulan_kinerja.csv"),
                             self._records("triwulan_keuangan.csv"))

    def quarter_amounts(self, kinerja: list[dict], keuangan: list[dict]):
        """Quarterly realisasi above its anggaran or target, or above the top of its scale."""
        for r in keuangan:
            if r["realisasi"] is not None and r["realisasi"] > r["anggaran"]:
                self.add("REALISASI-MELEBIHI-ANGGARAN", ERROR, "triwulan_keuangan.csv",
                         _key(triwulan=r["triwulan"], no_realisasi=r["no_realisasi"]),
                         "realisasi", fmt.number(r["realisasi"]), f"≤ {fmt.number(r['anggaran'])}",
                         f"Realisasi TW {r['triwulan']} {r['kegiatan_cetak']} melebihi anggaran")
            elif r["realisasi"] and r["target"] is not None and r["realisasi"] > r["target"]:
                self.add("REALISASI-MELEBIHI-TARGET-TW", INFO, "triwulan_keuangan.csv",
                         _key(triwulan=r["triwulan"], no_realisasi=r["no_realisasi"]),
                         "realisasi", fmt.number(r["realisasi"]), f"≤ {fmt.number(r['target'])}",
                         f"Realisasi TW {r['triwulan']} {r['kegiatan_cetak']} melebihi target "
                         "triwulan (masih dalam anggaran)")
        for r in kinerja:
            unit = self.units[r["kode_iku"]]
            if unit.implausible(r["realisasi"]):
                self.impossible("triwulan_kinerja.csv",
                                _key(triwulan=r["triwulan"], kode_iku=r["kode_iku"]), unit,
                                r["realisasi"], f"Realisasi TW {r['triwulan']} {r['kode_iku']}")

    def impossible(self, file, key, unit, value, what):
        """A value above the top of its scale: more than the whole, above an index's maximum."""
        check = "PERSEN-MUSTAHIL" if unit.jenis == units.PERSENTASE else "NILAI-MUSTAHIL"
        self.add(check, ERROR, file, key, "realisasi", unit.show(value),
                 f"≤ {unit.show(unit.batas_atas)}",
                 f"{what} ({unit.show(value)}) melebihi nilai tertinggi yang mungkin "
                 f"({unit.show(unit.batas_atas)})")

    # -- identity --------------------------------------------------------------------
    def identity(self):
        inst = self.ds["instansi.csv"].iloc[0]
        head_nip = inst["kepala_nip"]  # blank only where the level has none (level.py)
        for problem in nip_problems(head_nip) if head_nip else ():
            self.add("NIP-TIDAK-SAH", ERROR, "instansi.csv", _key(tahun_laporan=self.ds.year),
                     "kepala_nip", head_nip, "NIP 18 digit yang sah", problem)
        signers = self.ds.get("penandatangan.csv")
        if signers is None:
            return
        for r in signers.to_dict("records"):
            self.found.extend(signer_findings(r, inst))

    def _records(self, name) -> list[dict]:
        df = self.res.get(name)
        return [] if df is None or df.empty else df.to_dict("records")

    def run(self) -> list[Finding]:
        from ..read import places
        from . import draft

        self.printed_figures()
        self.sums()
        self.cross_documents()
        self.series()
        self.identity()
        self.found += draft.data_findings(self.ds, self.res)
        return places.cite(sorted(self.found, key=lambda f: SEVERITY_ORDER[f.severity]),
                           self.ds)


_TO_DATE = {None: "", "kumulatif": "", "per_triwulan": ", jumlah empat triwulan"}


def signer_findings(r: dict, inst: dict) -> list[Finding]:
    """One printed signature block (a penandatangan.csv row) against the agency's head in
    instansi.csv: a NIP that cannot be valid, another valid NIP, a misspelt name."""
    found = []
    key = _key(dokumen=r["dokumen"])
    head_nip = inst["kepala_nip"]
    if r["nip_cetak"]:
        for problem in nip_problems(r["nip_cetak"]):
            found.append(Finding("NIP-TIDAK-SAH", ERROR, "penandatangan.csv", key, "nip_cetak",
                                 r["nip_cetak"], "NIP 18 digit yang sah",
                                 f"{r['dokumen']}: {problem}"))
        if digits(r["nip_cetak"]) != digits(head_nip) and not nip_problems(r["nip_cetak"]):
            found.append(Finding("NIP-BERBEDA", ERROR, "penandatangan.csv", key, "nip_cetak",
                                 r["nip_cetak"], head_nip, f"{r['dokumen']}: NIP kepala instansi "
                                 f"berbeda dengan NIP pada identitas instansi ({head_nip})"))
    name, canonical = normalise_name(r["nama_cetak"]), normalise_name(inst["kepala_nama"])
    # below 0.6 alike, a different person signs this document
    if name != canonical and difflib.SequenceMatcher(None, name, canonical).ratio() >= 0.6:
        found.append(Finding("NAMA-BERBEDA", WARNING, "penandatangan.csv", key, "nama_cetak",
                             r["nama_cetak"], inst["kepala_nama"], f"{r['dokumen']}: ejaan nama "
                             "penanda tangan berbeda dengan identitas instansi"))
    return found


def digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def nip_problems(text: str) -> list[str]:
    """Why a NIP is not valid: 18 digits, birth date, CPNS month after 18, gender 1/2."""
    d = digits(text)
    if len(d) != 18:
        return [f"NIP {text} terdiri atas {len(d)} digit, seharusnya 18"]
    problems = []
    try:
        born = dt.date(int(d[0:4]), int(d[4:6]), int(d[6:8]))
    except ValueError:
        return [f"NIP {text}: tanggal lahir {d[6:8]}-{d[4:6]}-{d[0:4]} tidak ada"]
    year, month = int(d[8:12]), int(d[12:14])
    if not 1 <= month <= 12:
        problems.append(f"NIP {text}: bulan pengangkatan {month:02d} tidak ada")
    elif (year, month) < (born.year + 18, born.month):
        problems.append(f"NIP {text}: pengangkatan {month:02d}-{year} sebelum usia 18 tahun")
    if d[14] not in "12":
        problems.append(f"NIP {text}: kode jenis kelamin {d[14]}, seharusnya 1 atau 2")
    return problems


def normalise_name(text: str) -> str:
    """The name without titles, punctuation and case, to compare spellings."""
    text = (text or "").split(",")[0].lower()
    return re.sub(r"[^a-z]", "", text)


def run(ds: Dataset, res: dict[str, pd.DataFrame]) -> list[Finding]:
    return Checker(ds, res).run()


COLUMNS = ["no", "check", "severity", "file", "key", "field", "printed", "expected", "message"]
PLACE = "place"  # the column added when a finding has a workbook cell (data from a workbook)


def _records(found: list[Finding]) -> list[dict]:
    """Each finding numbered; its place only when it has one, so a report built from CSV
    files writes what it always wrote."""
    records = []
    for i, f in enumerate(found, 1):
        record = {"no": i, **asdict(f)}
        if not f.place:
            del record[PLACE]
        records.append(record)
    return records


def as_frame(found: list[Finding]) -> pd.DataFrame:
    columns = COLUMNS + ([PLACE] if any(f.place for f in found) else [])
    return pd.DataFrame(_records(found), columns=columns, dtype=object)


def write(found: list[Finding], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    write_frame(as_frame(found), folder / "findings.csv")
    (folder / "findings.json").write_text(
        json.dumps(_records(found), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [folder / "findings.csv", folder / "findings.json"]


def read(folder: Path) -> list[Finding]:
    data = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    return [Finding(**{k: v for k, v in d.items() if k != "no"}) for d in data]
