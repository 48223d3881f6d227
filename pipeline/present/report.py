"""Stage 3: assemble everything the report shows, already formatted, from the stage outputs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import pandas as pd
from markupsafe import Markup

from ..compute import computed, qualitative
from ..compute.budget import PER_QUARTER, SUMMABLE
from ..read import formatting as fmt
from ..read import level, places, units
from ..read.clean import Dataset
from . import narrative

if TYPE_CHECKING:
    from . import charts

_NUMBER = r"\d(?:[\d.,]*\d)?"
_SPACED_FIGURE = re.compile(rf"{_NUMBER}(?: (?:{_NUMBER}|%))+")  # a NIP, or `22.64 %`
_WORD = re.compile(r"[^\W\d_]{3,}")  # not `Rp`, `%` or a unit symbol


def whole(text) -> Markup:
    """A figure, code or NIP on one line (the `kunci` class): `12 dokumen` or a NIP split over
    two lines reads as two values, and an auditor copies it as printed."""
    text = Markup.escape(text)
    return Markup('<span class="kunci">{}</span>').format(text) if " " in text else text


def measure(text) -> Markup:
    """An IKU value with its unit (`12 dokumen`, `9,20 per 1.000 KH`), in the `nilai` class:
    on one line in running text, as `whole`; in a table cell it wraps between its words
    when the cell is narrower (style.css), so a long unit never runs into the next cell."""
    text = Markup.escape(text)
    return Markup('<span class="nilai">{}</span>').format(text) if " " in text else text


def row_key(key) -> Markup:
    """A row key `triwulan=IV;kode_iku=IKU1`: each `column=value` whole on one line, a line
    break allowed only after the `;` between two of them. A value that is a name
    (`dokumen=Realisasi Kinerja Triwulan II`) may wrap between its words, as names do."""
    return _parts(key, ";")


def column_names(text) -> Markup:
    """Column names `anggaran, target, realisasi`: each whole, a line break only after `, `."""
    return _parts(text, ", ", " ")


def place(text) -> Markup:
    """A workbook cell `lkip_2024.xlsx › realisasi_anggaran!H5`: the book and the cell each
    whole on one line, a line break allowed only after the `›` between them."""
    parts = str(text).split(places.SEPARATOR)
    last = len(parts) - 1
    return Markup(" ").join(Markup('<code class="kunci">{}</code>').format(
        part + (places.SEPARATOR.rstrip() if n < last else "")) for n, part in enumerate(parts))


def _parts(text, separator: str, gap: str = "") -> Markup:
    parts = str(text).split(separator)
    mark = separator.strip()
    return Markup(gap).join(_key_part(part + (mark if n < len(parts) else ""))
                            for n, part in enumerate(parts, 1))


def _key_part(text: str) -> Markup:
    kind = "kata" if " " in text else "kunci"
    return Markup('<code class="{}">{}</code>').format(kind, text)


def numbers_whole(text) -> Markup:
    """A value as printed in the data, its figures whole: a value without words (`22.64 %`,
    `Rp 3.000`, a NIP) on one line; in a sentence, each figure with a space in it."""
    text = str(text)
    if not _WORD.search(text):
        return whole(text)
    out, last = [], 0
    for m in _SPACED_FIGURE.finditer(text):
        out += [Markup.escape(text[last:m.start()]), whole(m.group(0))]
        last = m.end()
    return Markup("").join([*out, Markup.escape(text[last:])])


# how quarterly figures are counted (triwulan_*.csv, cara_hitung and the IKU's unit): the
# sentence when all rows count alike, and the lead of a list of indicators when they differ
TO_DATE, SUMMED, NOT_SUMMED = "kumulatif", "dijumlahkan", "tidak dijumlahkan"
COUNTING = {
    SUMMED: ("Angka adalah angka triwulan itu saja; jumlah keempat triwulan dibandingkan "
             "dengan angka tahunan.",
             "Angka triwulan itu saja (jumlah keempat triwulan dibandingkan dengan angka "
             "tahunan)"),
    NOT_SUMMED: ("Angka adalah angka triwulan itu saja dan tidak dijumlahkan antartriwulan "
                 "(persentase, indeks atau rasio tidak dapat dijumlahkan): tidak ada angka s.d. "
                 "triwulan, dan triwulan IV tidak dibandingkan dengan angka tahunan.",
                 "Angka triwulan itu saja, tidak dijumlahkan antartriwulan (tidak ada angka "
                 "s.d. triwulan; triwulan IV tidak dibandingkan dengan angka tahunan)"),
    TO_DATE: ("Angka adalah angka kumulatif s.d. triwulan; triwulan IV dibandingkan dengan "
              "angka tahunan.",
              "Angka kumulatif s.d. triwulan (triwulan IV dibandingkan dengan angka tahunan)"),
}
UNSET_SENTENCE = ("Tanda – berarti angka itu tidak ditetapkan atau belum diukur pada triwulan "
                  "tersebut (tertulis kosong, - atau n/a pada data): tidak dihitung sebagai nol, "
                  "dan capaiannya tidak dihitung.")
CORRECTED = Markup('<sup class="diff">k</sup>')
# a figure an IKU measured by labels has as a word (`capaian_label`: Tercapai), and the
# ledger figure that records the comparison behind it
LABELLED, COMPARED = "_label", "selisih_tingkat"
_CELL = fmt.by_unit()


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

    declared = computed.BY_FILE  # the declaration of each table the document prints

    def __init__(self, ds: Dataset, res: dict[str, pd.DataFrame], figures: dict[str, str],
                 found: list, entries=()):
        self.ds, self.res, self.figures_src = ds, res, figures
        self.ledger = {e.key: e for e in entries}
        self.found = list(found)
        self.finding_numbers: dict[tuple, list[int]] = {}
        for number, f in enumerate(self.found, 1):
            self.finding_numbers.setdefault((f.file, f.key, f.field), []).append(number)
        self.year = ds.year
        self.previous_year = ds.year - 1
        self.inst = ds["instansi.csv"].iloc[0].to_dict()
        self.words = level.words(self.inst)
        self.units = units.by_iku(ds["iku.csv"])
        self.tables = Numbered("Tabel")
        self.figures = Numbered("Grafik")
        self._letters: dict[str, int] = {}
        self.marks_used: set[int] = set()  # findings marked [n] on a table cell

    def letter(self, part: str) -> str:
        """The next section letter of a chapter (A, B, ...): absent sections leave no gap."""
        self._letters[part] = self._letters.get(part, 0) + 1
        return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[self._letters[part] - 1]

    # -- figures, formatted by their declaration -----------------------------------
    def show(self, file: str, row: dict, column: str) -> str:
        """A computed figure as its declared unit prints it in a table cell."""
        figure = self.declared[file].figure(column)
        value = row[column]
        said = row.get(column + LABELLED) if value is None else None
        if said:  # an IKU measured by labels: its capaian is a word, not a percentage
            return said
        if figure.unit in ("iku", "iku-beda"):
            unit = self.units[row["kode_iku"]]
            return measure(unit.show(value) if figure.unit == "iku" else unit.change(value))
        return whole(_CELL[figure.unit](value))

    def tip(self, file: str, row: dict, column: str) -> str:
        """Formula and sources of a figure, for a tooltip (screen only, never printed)."""
        table = self.declared[file]
        e = self.ledger.get(table.ledger_key(row, column))
        if e is None and row.get(column + LABELLED) and table.figure(COMPARED):
            e = self.ledger.get(table.ledger_key(row, COMPARED))
        return "" if e is None else f"{e.label}: {e.formula}. Sumber: {e.inputs}"

    def value(self, code: str, value) -> str:
        """A value in the unit of IKU `code`: `22,05%`, `12 dokumen`, `82,50`."""
        return measure(self.units[code].show(value))

    # -- numbering -------------------------------------------------------------------
    def tab(self, key: str, caption: str) -> str:
        if key not in dict(self.tables.items):
            self.tables.add(key, caption)
        return Markup('<p class="caption" id="{}">{}. {}</p>').format(
            key, self.tables.label(key), caption)

    def fig(self, key: str, caption: str) -> str:
        if key not in dict(self.figures.items):
            self.figures.add(key, caption)
        src, text = self.figures_src[key], f"{self.figures.label(key)}. {caption}"
        # the caption is the chart's alternative text: the tagged PDF's Figure carries it
        return Markup('<figure id="{}"><img src="{}" alt="{}"><figcaption>{}</figcaption>'
                      "</figure>").format(key, src, text, text)

    # -- findings of the verification stage ----------------------------------------
    def mark(self, file: str, key: str, field: str) -> Markup:
        """A superscript [n] per finding on this cell, n being its number in the lampiran."""
        numbers = self.finding_numbers.get((file, key, field), [])
        if not numbers:
            return Markup("")
        self.marks_used.update(numbers)
        titles = "; ".join(self.found[n - 1].message for n in numbers)
        # the space lets a narrow cell wrap the marker, never the number; `[2, 10]` with a
        # space, so that two findings never read as the decimal 2,10
        return Markup(' <sup class="diff" title="{}">[{}]</sup>').format(
            titles, ", ".join(map(str, numbers)))

    def findings_by_severity(self, severity: str) -> list:
        return [f for f in self.found if f.severity == severity]

    # -- data for the template -------------------------------------------------------
    @property
    def iku(self):
        return _rows(self.ds["iku.csv"])

    @property
    def sasaran(self):
        return _rows(self.ds["sasaran.csv"])

    @property
    def names(self) -> list[str]:
        """The agency's and its government's names, the government's once (level.names)."""
        return level.names(self.inst)

    def sasaran_label(self, code: str) -> str:
        """How the report names a sasaran everywhere: as the source does (sasaran.csv,
        sebutan), else `Sasaran <n>` by its order."""
        return sasaran_labels(self.ds["sasaran.csv"])[code]

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
        df = self.res.get("target_renstra.csv")
        return [] if df is None or df.empty else sorted(set(df["tahun"]))

    def renstra_target(self, code, year):
        df = self.res["target_renstra.csv"]
        hit = df[(df["kode_iku"] == code) & (df["tahun"] == year)]
        return self.value(code, None if hit.empty else hit.iloc[0]["target"])

    def formula(self, iku: dict) -> str:
        return narrative.formula_text(iku)

    def has(self, file: str) -> bool:
        """The computed table exists and has rows: its section is printed."""
        df = self.res.get(file)
        return df is not None and not df.empty

    def sasaran_capaian(self, code):
        df = self.res["capaian_sasaran.csv"]
        return df[df["kode_sasaran"] == code].iloc[0].to_dict()

    def md(self, name, shift=2):
        html = narrative.markdown(self.ds.narrative.get(name, ""), shift)
        return Markup('<div class="narasi">') + Markup(html) + Markup("</div>")

    def budget_rows(self):
        """Program, kegiatan and sub-kegiatan rows in printed order, each with its computed row."""
        subs = self.res["anggaran_sub_kegiatan.csv"]
        corrected = {k["kunci"] for k in self.ds.corrections
                     if k["file"] == "realisasi_anggaran.csv"}
        programs = self.res["anggaran_program.csv"].set_index("kode_program", drop=False)
        out = []
        for code, own in subs.groupby("kode_program", sort=False):
            p = programs.loc[code]
            out.append({"type": "program", "no": own.iloc[0]["no_program_cetak"],
                        "name": p["program"], "row": p.to_dict()})
            last = None
            for r in own.to_dict("records"):
                if r["kegiatan"] != last:
                    out.append({"type": "kegiatan", "name": r["kegiatan"]})
                    last = r["kegiatan"]
                mark = self.mark("realisasi_anggaran.csv", f"no={r['no']}", "persentase_cetak")
                out.append({"type": "sub", "name": r["sub_kegiatan"], "row": r, "mark": mark,
                            "corrected": CORRECTED if f"no={r['no']}" in corrected else ""})
        return out

    def budget_notes(self, rows: list[dict]) -> str:
        """What the marks of the budget table mean, for the marks the table shows."""
        subs = [r for r in rows if r["type"] == "sub"]
        notes = []
        if any(r["row"]["anggaran"] is None and r["row"]["realisasi"] is None for r in subs):
            notes.append(f"Baris tanpa angka adalah {self.words['sebutan_sub_kegiatan']} yang "
                         "tercantum tanpa pagu anggaran.")
        if any(r["mark"] for r in subs):
            notes.append("Tanda [n] merujuk ke nomor temuan pada Lampiran Catatan Verifikasi "
                         "Data.")
        if any(r["corrected"] for r in subs):
            notes.append("Tanda k menandai angka tercetak yang dikoreksi (Lampiran Koreksi "
                         "Data).")
        return " ".join(notes)

    def series_row(self, code, year) -> dict:
        df = self.res["kinerja_seri.csv"]
        return df[(df["kode_iku"] == code) & (df["tahun"] == year)].iloc[0].to_dict()

    def is_money(self, code: str) -> bool:
        """An IKU counted in rupiah: its values need wider columns."""
        return self.units[code].jenis == units.RUPIAH

    @property
    def money(self) -> bool:
        return any(self.is_money(code) for code in self.units)

    def label_notes(self) -> qualitative.Notes:
        """What the document says once about its IKU measured by labels (none: empty)."""
        return qualitative.notes(self.iku, self.units)

    def has_labels(self, file: str) -> bool:
        """The computed table has a row of an IKU measured by labels."""
        df = self.res.get(file)
        return df is not None and not df.empty and "rumus" in df and \
            bool((df["rumus"] == qualitative.SKALA).any())

    def benchmark_columns(self) -> dict[str, bool]:
        """Which comparisons this report has data for: Renstra targets, a higher level's."""
        df = self.res["ringkasan_iku.csv"]
        return {"renstra": bool(df[["target_renstra", "target_akhir_renstra"]].notna().any()
                                .any()),
                "pembanding": bool(df["target_provinsi"].notna().any())}

    def benchmark_caption(self, has: dict[str, bool]) -> str:
        parts = (["target Renstra"] if has["renstra"] else []) + \
            ([f"target {self.words['pembanding']}"] if has["pembanding"] else [])
        return " dan ".join(parts)

    def counting_note(self, file: str) -> str:
        """Whether the quarterly amounts are to date or the quarter's own, as the file says;
        a quarter's own share, index or rate is never summed over quarters, and the note says
        so (only counts and rupiah add up to a figure to date)."""
        df = self.ds[file]
        own = df["cara_hitung"].fillna("kumulatif") == PER_QUARTER
        if "kode_iku" not in df:  # keuangan: rupiah, which always adds up
            return COUNTING[SUMMED if own.any() else TO_DATE][0]
        groups: dict[str, list[str]] = {}
        names = self.ds["iku.csv"].set_index("kode_iku")["indikator"]
        for code, per_quarter in zip(df["kode_iku"], own):
            kind = TO_DATE if not per_quarter else \
                SUMMED if self.units[code].jenis in SUMMABLE else NOT_SUMMED
            groups.setdefault(kind, [])
            if names[code] not in groups[kind]:
                groups[kind].append(names[code])
        if len(groups) == 1:
            return COUNTING[next(iter(groups))][0]
        return " ".join(f"{COUNTING[kind][1]}: {', '.join(groups[kind])}."
                        for kind in COUNTING if kind in groups)

    def unset_note(self, file: str) -> str:
        """The meaning of `–` in a quarterly table whose rows leave a figure not set (a
        quarter without a target, a realisasi not yet measured), said once under it."""
        df = self.res.get(file)
        if df is None or df.empty:
            return ""
        if not any(v is None for column in ("target", "realisasi") for v in df[column]):
            return ""
        return UNSET_SENTENCE

    def quarter_caption(self) -> str:
        return quarter_caption(self.res)

    def benchmark_sources(self) -> str:
        """Where the comparison targets come from, as target_provinsi.csv names them."""
        sources = self.res["ringkasan_iku.csv"]["sumber_pembanding"].dropna()
        return "; ".join(dict.fromkeys(sources))

    def listed(self, text) -> str:
        return narrative.listed(text)

    def join(self, prefix: str, name: str | None) -> str:
        return fmt.join_words(prefix, name or "")

    def total(self):
        return self.res["anggaran_total.csv"].iloc[0].to_dict()

    def count(self, n):
        return narrative.count(n)


SASARAN_WORD = "Sasaran"  # a sasaran without its own sebutan: `Sasaran 2`


def sasaran_labels(sasaran: pd.DataFrame) -> dict[str, str]:
    """Each sasaran's name in the report, by kode_sasaran: its printed sebutan, else its
    number in sasaran.csv."""
    return {code: label or f"{SASARAN_WORD} {n}"
            for n, (code, label) in enumerate(zip(sasaran["kode_sasaran"], _own(sasaran)), 1)}


def sasaran_titles(sasaran: pd.DataFrame) -> dict[str, str]:
    """Each sasaran as a table cell names it: `Sasaran Strategis 2.1: <uraian>` where the
    source names it so; else its uraian alone, its number being the row's No."""
    return {code: f"{label}: {text}" if label else text
            for code, text, label in zip(sasaran["kode_sasaran"], sasaran["uraian"],
                                         _own(sasaran))}


def _own(sasaran: pd.DataFrame) -> list:
    """The sebutan column (optional, so it may be absent from an older processed table)."""
    return list(sasaran["sebutan"]) if "sebutan" in sasaran else [None] * len(sasaran)


def figures(ds: Dataset, res: dict[str, pd.DataFrame], folder) -> list[charts.Chart]:
    """Draw every chart; their order here is their numbering in the report.

    Each is written to `folder` as <key>.svg, which the HTML report embeds, and <key>.png at
    print resolution, which the PDF (render.for_print) and the notebooks show. matplotlib is
    imported here, not with the module, so `make preview` that reuses charts never loads it."""
    from . import charts

    specs = []
    series = res["kinerja_seri.csv"]
    unit_of = units.by_iku(ds["iku.csv"])
    for iku in ds["iku.csv"].itertuples():
        own = series[series["kode_iku"] == iku.kode_iku]
        unit = unit_of[iku.kode_iku]
        draw = charts.target_vs_realisasi if unit.scale is None else charts.on_scale
        specs.append(charts.Spec(
            f"g-seri-{iku.kode_iku}", f"Target dan realisasi {iku.indikator} per tahun",
            partial(draw, own, iku.indikator, unit)))
    numeric = series[series["rumus"] != qualitative.SKALA]  # capaian in percent only
    specs.append(charts.Spec("g-capaian", "Capaian kinerja IKU per tahun",
                             partial(charts.capaian_trend, numeric)))
    if "desa_mandiri_seri.csv" in res:
        specs.append(charts.Spec("g-desa", "Jumlah desa mandiri per tahun (kumulatif)",
                                 partial(charts.desa_mandiri, res["desa_mandiri_seri.csv"])))
    parts = res.get("rincian_pembilang.csv")
    for iku in ds["iku.csv"].itertuples():
        own = None if parts is None else parts[parts["kode_iku"] == iku.kode_iku]
        if own is not None and not own.empty:
            title = f"{fmt.join_words('Komposisi', iku.pembilang)} tahun {ds.year}"
            specs.append(charts.Spec(f"g-rincian-{iku.kode_iku}", title, partial(
                charts.composition, own, title, iku.satuan_pembilang or "")))
    specs.append(charts.Spec("g-anggaran", "Penyerapan anggaran per program",
                             partial(charts.budget_absorption, res["anggaran_program.csv"])))
    if quarter_caption(res):
        specs.append(charts.Spec(
            "g-triwulan", quarter_caption(res),
            partial(charts.triwulan_progress, res.get("triwulan_kinerja.csv", pd.DataFrame()),
                    res.get("triwulan_keuangan_total.csv", pd.DataFrame()), unit_of)))
    return charts.draw_all(specs, folder)


def quarter_caption(res: dict[str, pd.DataFrame]) -> str:
    """The caption of the quarterly chart, naming what it shows ("" for no chart): kinerja
    and keuangan only when both have quarterly data."""
    shown = [what for what, file in (("kinerja", "triwulan_kinerja.csv"),
                                     ("keuangan", "triwulan_keuangan_total.csv"))
             if not res.get(file, pd.DataFrame()).empty]
    return f"Perkembangan {' dan '.join(shown)} per triwulan" if shown else ""
