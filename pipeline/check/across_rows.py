"""Rows of the figures printed in two places, made from the typed data: the PK against the
budget's rincian, the decree against the PK, a quarterly report against the PK and the year,
the efficiency table against its sources, for the rules of rules_across. A mixin of
findings.Checker (and so of the quarterly checks)."""

from __future__ import annotations

import pandas as pd

from ..read import formatting as fmt
from . import rules
from .keys import _key

_TO_DATE = {None: "", "kumulatif": "", "per_triwulan": ", jumlah empat triwulan"}


class AcrossDocuments:
    def sums(self):
        for r in self._records("anggaran_program.csv"):
            self.check("program_pk", "pk_program.csv", _key(kode_program=r["kode_program"]),
                       r["program"], {"anggaran": rules.Figure(r["anggaran_pk"],
                                                               recomputed=r["anggaran"])},
                       {"program": r["program"], "show": fmt.number})

    # -- across documents ------------------------------------------------------------
    def cross_documents(self):
        pk = self.ds["target_pk.csv"]
        pk = dict(zip(pk.loc[pk["tahun"] == self.ds.year, "kode_iku"],
                      pk.loc[pk["tahun"] == self.ds.year, "target"]))
        decree = set(self.ds["iku.csv"]["kode_iku"])
        for code in sorted(decree):
            self.check("iku_pk", "target_pk.csv", _key(kode_iku=code), code,
                       facts={"kode_iku": code, "in_pk": code in pk})
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
            self.check("efisiensi", "efisiensi_cetak.csv", key, f"Sasaran {r['kode_sasaran']}",
                       {name: rules.Figure(row[name], row[name + "_teks"], r[name])
                        for name in ("target", "realisasi")},
                       {"show": self.units[r["kode_iku"]].show}, only=["EFISIENSI-SUMBER"])

    def quarter_kinerja_against_year(self, r: dict, pk: dict, summary: pd.DataFrame | None):
        """A quarterly kinerja row against the PK target and, at TW IV, the annual realisasi
        (summary: the year's ringkasan_iku, None before the year's realisasi exists)."""
        key = _key(triwulan=r["triwulan"], kode_iku=r["kode_iku"])
        show = self.units[r["kode_iku"]].show
        self.check("triwulan_kinerja", "triwulan_kinerja.csv", key, r["kode_iku"],
                   {"target_tahunan_cetak": rules.Figure(
                       r["target_tahunan_cetak"], r["target_tahunan_cetak_teks"],
                       pk.get(r["kode_iku"]))},
                   {"triwulan": r["triwulan"], "show": show}, only=["TRIWULAN-TARGET-PK"])
        if r["triwulan"] == "IV" and summary is not None and r["kode_iku"] in summary.index:
            # a year's realisasi not set is said by the series check, never compared
            self.check("triwulan_kinerja", "triwulan_kinerja.csv", key, r["kode_iku"],
                       {"realisasi_tahunan": rules.Figure(
                           r["realisasi_kumulatif"],
                           recomputed=summary.loc[r["kode_iku"], "realisasi"])},
                       {"indikator": summary.loc[r["kode_iku"], "indikator"],
                        "counted": _TO_DATE[r["cara_hitung"]], "show": show,
                        "field_realisasi_tahunan": "realisasi"}, only=["TRIWULAN-IV-TAHUNAN"])

    def quarter_keuangan_against_year(self, r: dict, subs: pd.DataFrame):
        """A quarterly keuangan row against the annual budget table (subs, by row number)."""
        row = subs.loc[r["no_realisasi"]]
        figures = {"anggaran_tahunan": rules.Figure(r["anggaran"], recomputed=row["anggaran"])}
        if r["triwulan"] == "IV":
            figures["realisasi_tahunan"] = rules.Figure(r["realisasi_kumulatif"],
                                                        recomputed=row["realisasi"])
        self.check("triwulan_keuangan", "triwulan_keuangan.csv",
                   _key(triwulan=r["triwulan"], no_realisasi=r["no_realisasi"]),
                   r["kegiatan_cetak"], figures,
                   {"triwulan": r["triwulan"], "kegiatan": r["kegiatan_cetak"],
                    "show": fmt.number, "field_anggaran_tahunan": "anggaran",
                    "field_realisasi_tahunan": "realisasi"},
                   only=["TRIWULAN-ANGGARAN", "TRIWULAN-IV-TAHUNAN"])
