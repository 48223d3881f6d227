"""Rows of the series and the limits, made from the typed data: each IKU's years, realisasi
above anggaran or target, values above the top of their scale, for the rules of rules_limits.
A mixin of findings.Checker (and so of the quarterly checks)."""

from __future__ import annotations

from ..read import formatting as fmt
from . import rules
from .keys import _key


class SeriesAndLimits:
    def series(self):
        from . import draft

        series = self.res["kinerja_seri.csv"]
        for code, own in series.groupby("kode_iku", sort=False):
            years, name = list(own["tahun"]), own["indikator"].iloc[0]
            for year in range(min(years), max(years) + 1):
                self.check("tahun_deret", "kinerja_tahunan.csv", _key(kode_iku=code, tahun=year),
                           name, facts={"ada": year in years, "tahun": str(year),
                                        "indikator": name, "kode_iku": code})
            unit = self.units[code]
            for r in own.itertuples():
                key = _key(kode_iku=code, tahun=r.tahun)
                # the report year's, left empty: a draft (draft.py)
                draft_blank = r.tahun == self.ds.year and draft.left_blank(
                    self.ds, "kinerja_tahunan.csv", key, "realisasi")
                self.check("deret", "kinerja_tahunan.csv", key, r.indikator, {
                    "target": rules.Figure(r.target),
                    "realisasi_cetak": rules.Figure(r.realisasi_cetak),
                    "realisasi": rules.Figure(r.realisasi),
                    "perubahan": rules.Figure(r.perubahan)},
                    {"indikator": r.indikator, "tahun": str(r.tahun),
                     "tahun_lalu": str(r.tahun - 1), "sumber_realisasi": r.sumber_realisasi,
                     "draf": draft_blank, "unit": unit})
                self.impossible("kinerja_tahunan.csv", key, unit, r.realisasi,
                                f"Realisasi {r.indikator}")
        for r in self.res["anggaran_sub_kegiatan.csv"].itertuples():
            self.check("sub_kegiatan", "realisasi_anggaran.csv", _key(no=r.no), r.sub_kegiatan,
                       {"realisasi": rules.Figure(r.realisasi),
                        "anggaran": rules.Figure(r.anggaran)},
                       {"sub_kegiatan": r.sub_kegiatan, "show": fmt.number},
                       only=["REALISASI-MELEBIHI-ANGGARAN", "REALISASI-TANPA-ANGGARAN"])
        self.quarter_amounts(self._records("triwulan_kinerja.csv"),
                             self._records("triwulan_keuangan.csv"))

    def quarter_amounts(self, kinerja: list[dict], keuangan: list[dict]):
        """Quarterly realisasi above its anggaran or target, or above the top of its scale."""
        for r in keuangan:
            self.check("triwulan_keuangan", "triwulan_keuangan.csv",
                       _key(triwulan=r["triwulan"], no_realisasi=r["no_realisasi"]),
                       r["kegiatan_cetak"], {name: rules.Figure(r[name]) for name in
                                             ("realisasi", "anggaran", "target")},
                       {"triwulan": r["triwulan"], "kegiatan": r["kegiatan_cetak"],
                        "show": fmt.number},
                       only=["REALISASI-MELEBIHI-ANGGARAN", "REALISASI-MELEBIHI-TARGET-TW"])
        for r in kinerja:
            self.impossible("triwulan_kinerja.csv",
                            _key(triwulan=r["triwulan"], kode_iku=r["kode_iku"]),
                            self.units[r["kode_iku"]], r["realisasi"],
                            f"Realisasi TW {r['triwulan']} {r['kode_iku']}")

    def impossible(self, file, key, unit, value, what):
        """A value above the top of its scale: more than the whole, above an index's maximum."""
        self.check("nilai", file, key, what, {"realisasi": rules.Figure(value)}, {"unit": unit})
