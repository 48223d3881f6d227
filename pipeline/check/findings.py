"""Verification stage: the checks a careful auditor would run on the data, as findings.

Each finding names a check, a severity (error / warning / info), the source file and row key,
the field, the printed value, the recomputed or expected value, and a message in Indonesian.
A printed derived figure matches when it equals the recomputed value rounded to the printed
number of decimals; a miss by less than one unit of the last printed decimal is a rounding
slip (info), anything else an error.
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..compute import printed_totals
from ..compute.qualitative import SKALA
from ..read import formatting as fmt
from ..read import units
from ..read.clean import Dataset, write_frame

# the declared rules, one module per family: importing them fills rules.RULES
from . import (  # noqa: F401
    rules,
    rules_across,
    rules_identity,
    rules_limits,
    rules_printed,
    rules_quarter,  # noqa: F401
    rules_tables,
)
from .rules import Finding
from .rules_identity import digits, nip_problems, normalise_name  # noqa: F401
from .rules_printed import DERIVED  # noqa: F401
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




class Checker:
    def __init__(self, ds: Dataset, res: dict[str, pd.DataFrame]):
        self.ds, self.res = ds, res
        self.found: list[Finding] = []
        self.units = units.by_iku(ds["iku.csv"])

    def derived(self, check, file, key, field, printed, text, recomputed, kind, what):
        """A printed figure against its recomputation, by the rule declared for `check`."""
        self.check(DERIVED[check][0], file, key, what,
                   {field: rules.Figure(printed, text, recomputed)},
                   {"show": functools.partial(_shown, kind=kind)}, only=[check])

    def check(self, kind, file, key, what, figures=None, facts=None, only=None):
        """The declared rules of `kind` (or those of `only`) on one row made from the data."""
        row = rules.Row(kind, file, key, what, figures or {}, facts or {})
        self.found += rules.run([row], only=only)

    # -- printed derived figures -------------------------------------------------------
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

    # -- sums ------------------------------------------------------------------------
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

    # -- series ----------------------------------------------------------------------
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

    # -- identity --------------------------------------------------------------------
    def identity(self):
        inst = self.ds["instansi.csv"].iloc[0]
        head_nip = inst["kepala_nip"]  # blank only where the level has none (level.py)
        self.check("instansi", "instansi.csv", _key(tahun_laporan=self.ds.year), "instansi",
                   facts={"nip": head_nip, "field_nip": "kepala_nip"})
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


def signer_row(r: dict, inst: dict) -> rules.Row:
    """One printed signature block (a penandatangan.csv row) with the agency's head in
    instansi.csv to compare it with."""
    return rules.Row("penandatangan", "penandatangan.csv", _key(dokumen=r["dokumen"]),
                     r["dokumen"], facts={
                         "dokumen": r["dokumen"], "nip": r["nip_cetak"], "field_nip": "nip_cetak",
                         "nama": r["nama_cetak"], "pangkat": r.get("pangkat_cetak"),
                         "tempat_tanggal": r.get("tempat_tanggal_cetak"),
                         "kepala_nip": inst["kepala_nip"], "kepala_nama": inst["kepala_nama"],
                         "kepala_pangkat": inst.get("kepala_pangkat"),
                         "kota_penandatanganan": inst.get("kota_penandatanganan")})


SIGNED = ("NIP-TIDAK-SAH", "NIP-BERBEDA", "NAMA-BERBEDA")  # what every signature block shows


def signer_findings(r: dict, inst: dict) -> list[Finding]:
    """A NIP that cannot be valid, another valid NIP, a misspelt name."""
    return rules.run([signer_row(r, inst)], only=SIGNED)


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
