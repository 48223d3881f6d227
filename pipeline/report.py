"""Stage 3: assemble everything the report shows, already formatted, from the stage outputs."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from markupsafe import Markup

from . import charts, narrative
from .clean import Dataset


@dataclass
class Numbered:
    """Tables and figures in reading order, so lists and references share one numbering."""

    prefix: str
    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, key: str, caption: str) -> str:
        self.items.append((key, caption))
        return key

    def number(self, key: str) -> int:
        return [k for k, _ in self.items].index(key) + 1

    def label(self, key: str) -> str:
        return f"{self.prefix} {self.number(key)}"


def _rows(df: pd.DataFrame) -> list[dict]:
    return df.to_dict("records") if df is not None and not df.empty else []


class Context:
    """Everything the template needs; numbers are formatted here and nowhere else."""

    def __init__(self, ds: Dataset, res: dict[str, pd.DataFrame], figures: dict[str, str],
                 found: list, entries=()):
        self.ds, self.res, self.figures_src = ds, res, figures
        self.ledger = {e.key: e for e in entries}
        self.found = list(found)
        self.finding_numbers: dict[tuple, list[int]] = {}
        for number, f in enumerate(self.found, 1):
            self.finding_numbers.setdefault((f.file, f.key, f.field), []).append(number)
        self.year = ds.year
        self.inst = ds["instansi.csv"].iloc[0].to_dict()
        self.tables = Numbered("Tabel")
        self.figures = Numbered("Grafik")

    # -- numbering -------------------------------------------------------------------
    def tab(self, key: str, caption: str) -> str:
        if key not in dict(self.tables.items):
            self.tables.add(key, caption)
        return Markup('<p class="caption" id="{}">{}. {}</p>').format(
            key, self.tables.label(key), caption)

    def fig(self, key: str, caption: str) -> str:
        if key not in dict(self.figures.items):
            self.figures.add(key, caption)
        src = self.figures_src[key]
        return Markup('<figure id="{}"><img src="{}" alt="{}"><figcaption>{}. {}</figcaption>'
                      "</figure>").format(key, src, caption, self.figures.label(key), caption)

    # -- findings of the verification stage ----------------------------------------
    def mark(self, file: str, key: str, field: str) -> Markup:
        """A superscript [n] per finding on this cell, n being its number in the lampiran."""
        numbers = self.finding_numbers.get((file, key, field), [])
        if not numbers:
            return Markup("")
        titles = "; ".join(self.found[n - 1].message for n in numbers)
        # the space lets a narrow cell wrap the marker, never the number
        return Markup(' <sup class="diff" title="{}">[{}]</sup>').format(
            titles, ",".join(map(str, numbers)))

    def tip(self, key: str) -> str:
        """Formula and sources of a figure, for a tooltip (screen only, never printed)."""
        e = self.ledger.get(key)
        return "" if e is None else f"{e.label}: {e.formula}. Sumber: {e.inputs}"

    def findings_by_severity(self, severity: str) -> list:
        return [f for f in self.found if f.severity == severity]

    # -- data for the template -------------------------------------------------------
    @property
    def iku(self):
        return _rows(self.ds["iku.csv"])

    @property
    def sasaran(self):
        return _rows(self.ds["sasaran.csv"])

    def summary(self):
        return _rows(self.res["ringkasan_iku.csv"])

    def series(self, code):
        df = self.res["kinerja_seri.csv"]
        return _rows(df[df["kode_iku"] == code])

    def iku_for(self, sasaran_code):
        df = self.ds["iku.csv"]
        return _rows(df[df["kode_sasaran"] == sasaran_code])

    def summary_for(self, code):
        df = self.res["ringkasan_iku.csv"]
        return df[df["kode_iku"] == code].iloc[0]

    def programs_for(self, sasaran_code):
        df = self.ds["pk_program.csv"]
        return _rows(df[df["kode_sasaran"] == sasaran_code])

    def renstra_years(self):
        df = self.res["target_renstra.csv"]
        return sorted(set(df["tahun"]))

    def renstra_target(self, code, year):
        df = self.res["target_renstra.csv"]
        hit = df[(df["kode_iku"] == code) & (df["tahun"] == year)]
        return None if hit.empty else hit.iloc[0]["target"]

    def md(self, name, shift=2):
        html = narrative.markdown(self.ds.narrative.get(name, ""), shift)
        return Markup('<div class="narasi">') + Markup(html) + Markup("</div>")

    def budget_rows(self):
        """Program, kegiatan and sub-kegiatan rows in printed order, with subtotals."""
        subs = self.res["anggaran_sub_kegiatan.csv"]
        corrected = {k["kunci"] for k in self.ds.corrections
                     if k["file"] == "realisasi_anggaran.csv"}
        programs = self.res["anggaran_program.csv"].set_index("kode_program")
        out = []
        for code, own in subs.groupby("kode_program", sort=False):
            p = programs.loc[code]
            out.append({"type": "program", "no": own.iloc[0]["no_program_cetak"],
                        "name": p["program"], "anggaran": p["anggaran"],
                        "realisasi": p["realisasi"], "persentase": p["persentase"]})
            last = None
            for r in own.to_dict("records"):
                if r["kegiatan"] != last:
                    out.append({"type": "kegiatan", "name": r["kegiatan"]})
                    last = r["kegiatan"]
                mark = self.mark("realisasi_anggaran.csv", f"no={r['no']}", "persentase_cetak")
                out.append({"type": "sub", "name": r["sub_kegiatan"], "anggaran": r["anggaran"],
                            "realisasi": r["realisasi"], "persentase": r["persentase"],
                            "mark": mark, "no": r["no"],
                            "corrected": f"no={r['no']}" in corrected})
        return out

    def total(self):
        return self.res["anggaran_total.csv"].iloc[0].to_dict()

    def count(self, n):
        return narrative.count(n)


def figures(ds: Dataset, res: dict[str, pd.DataFrame], folder) -> list[charts.Chart]:
    """Draw every chart; their order here is their numbering in the report."""
    made = []
    series = res["kinerja_seri.csv"]
    for iku in ds["iku.csv"].itertuples():
        own = series[series["kode_iku"] == iku.kode_iku]
        made.append(charts.save(charts.target_vs_realisasi(own, iku.indikator), folder,
                                f"g-seri-{iku.kode_iku}",
                                f"Target dan realisasi {iku.indikator} per tahun"))
    made.append(charts.save(charts.capaian_trend(series), folder, "g-capaian",
                            "Capaian kinerja IKU per tahun"))
    if "desa_mandiri_seri.csv" in res:
        made.append(charts.save(charts.desa_mandiri(res["desa_mandiri_seri.csv"]), folder,
                                "g-desa", "Jumlah desa mandiri per tahun (kumulatif)"))
    parts = res.get("rincian_pembilang.csv")
    for iku in ds["iku.csv"].itertuples():
        own = None if parts is None else parts[parts["kode_iku"] == iku.kode_iku]
        if own is not None and not own.empty:
            title = f"Komposisi {iku.pembilang} tahun {ds.year}"
            made.append(charts.save(charts.composition(own, title, iku.satuan_pembilang or ""),
                                    folder, f"g-rincian-{iku.kode_iku}", title))
    made.append(charts.save(charts.budget_absorption(res["anggaran_program.csv"]), folder,
                            "g-anggaran", "Penyerapan anggaran per program"))
    if not res["triwulan_kinerja.csv"].empty:
        made.append(charts.save(charts.triwulan_progress(res["triwulan_kinerja.csv"],
                                                         res["triwulan_keuangan_total.csv"]),
                                folder, "g-triwulan", "Perkembangan kinerja dan keuangan per "
                                "triwulan"))
    return made
