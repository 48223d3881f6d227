"""Rows of the printed derived figures, made from the typed data: each printed capaian,
persentase, efficiency figure, quarterly capaian, subtotal, printed total and average beside
its recomputation, for the rules of rules_printed. A mixin of findings.Checker (and so of the
quarterly checks)."""

from __future__ import annotations

from ..compute import printed_totals
from ..compute.qualitative import SKALA
from . import rules
from .keys import _key, compare_printed


class PrintedFigures:
    def printed_figures(self):
        """Every printed derived figure against its recomputation."""
        self.annual_capaian()
        self.budget_percentages()
        self.efficiency()
        self.quarter_capaian(self._records("triwulan_kinerja.csv"),
                             self._records("triwulan_keuangan.csv"))
        for r in self._records("subtotal.csv"):
            self.subtotal(r)
        for r in self._records("angka_ringkasan.csv"):
            self.printed_summary(r)
        self.detail_totals()

    def annual_capaian(self):
        series = self.res["kinerja_seri.csv"]
        for r in series.itertuples():
            key = _key(kode_iku=r.kode_iku, tahun=r.tahun)
            what = f"Capaian {r.indikator} {r.tahun}"
            if r.rumus == SKALA:
                self.labelled("capaian_tahunan_label", "kinerja_tahunan.csv", key, r._asdict(),
                              what)
            elif r.capaian_cetak_teks is not None or r.capaian is not None:
                self.derived("CAPAIAN-TERCETAK", "kinerja_tahunan.csv", key, "capaian_cetak",
                             r.capaian_cetak, r.capaian_cetak_teks, r.capaian, "percent", what)
            self.check("capaian_tahunan", "kinerja_tahunan.csv", key, what, facts={
                "keterangan_cetak": r.keterangan_cetak, "keterangan": r.keterangan,
                "capaian_label": r.capaian_label, "indikator": r.indikator,
                "tahun": str(r.tahun),
                "dinilai": r.capaian is not None or bool(r.capaian_label)},
                only=["KETERANGAN-TERCETAK"])
            if r.sumber_realisasi != "tercetak":
                text = None if r.realisasi_cetak is None else str(r.realisasi_cetak)
                self.derived("REALISASI-DAFTAR", "kinerja_tahunan.csv", key, "realisasi",
                             r.realisasi_cetak, text, r.realisasi, "percent",
                             f"Realisasi {r.indikator} {r.tahun} menurut daftar")

    def budget_percentages(self):
        for r in self.res["anggaran_sub_kegiatan.csv"].itertuples():
            self.derived("PERSENTASE-REALISASI", "realisasi_anggaran.csv", _key(no=r.no),
                         "persentase_cetak", r.persentase_cetak, r.persentase_cetak_teks,
                         r.persentase, "percent", f"Persentase realisasi {r.sub_kegiatan}")

    def efficiency(self):
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

    def detail_totals(self):
        iku_names = dict(zip(self.ds["iku.csv"]["kode_iku"], self.ds["iku.csv"]["indikator"]))
        for r in self._records("rincian_total.csv"):
            if r["total_cetak"] is not None:
                self.derived("TOTAL-RINCIAN", "rincian_total_cetak.csv",
                             _key(kode_iku=r["kode_iku"], tahun=self.ds.year), "total_cetak",
                             r["total_cetak"], str(r["total_cetak"]), r["total"], "int",
                             f"Jumlah rincian {iku_names[r['kode_iku']]}")

    def labelled(self, kind, file, key, r: dict, what: str):
        """A capaian printed for an IKU measured by labels (rules_printed.labelled)."""
        unit = self.units[r["kode_iku"]]
        self.check(kind, file, key, what,
                   {"capaian_cetak": rules.Figure(text=r["capaian_cetak_teks"])},
                   {"capaian_label": r["capaian_label"], "skala": unit.scale.name,
                    "realisasi": unit.show(r["realisasi"]), "target": unit.show(r["target"])})

    def quarter_capaian(self, kinerja: list[dict], keuangan: list[dict]):
        """Each printed quarterly capaian against realisasi ÷ target (kinerja by its IKU's
        formula); shared by the annual report's lampiran and the quarterly report."""
        iku_names = dict(zip(self.ds["iku.csv"]["kode_iku"], self.ds["iku.csv"]["indikator"]))
        for r in kinerja:
            if r["rumus"] == SKALA:
                self.labelled("capaian_triwulan_label", "triwulan_kinerja.csv",
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
        """A printed average or capaian sasaran (ringkasan_cetak.csv), by its rule."""
        key = _key(angka=r["angka"], **({"kode_sasaran": r["kode_sasaran"]}
                                        if r["kode_sasaran"] else {}))
        what = r["label"] + (f" ({r['tempat']})" if r["tempat"] else "")
        self.check("ringkasan", printed_totals.FILE, key, what, {"nilai_cetak": rules.Figure(
            r["nilai_cetak"], r["nilai_cetak_teks"], r["nilai"])})

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
