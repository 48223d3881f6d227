"""The quarterly report as a document: its ledger, its chart and its HTML.

Laid out as the agencies print it, in the same order: the Surat Pengantar, the Realisasi
Keuangan table with place, date and signature, the Realisasi Kinerja table with its
signature; then what a rebuilt report adds: the findings and the quarter's chart. The
signature is the agency head's of instansi.csv; the printed blocks are checked against it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from markupsafe import Markup

from ..check import findings
from ..check.quarterly_checks import date_of
from ..compute import ledger
from ..compute.quarterly import BY_FILE as DECLARED
from ..compute.quarterly import DECLARED as DECLARED_TABLES
from ..compute.quarterly import (
    KEUANGAN,
    KEUANGAN_JUMLAH,
    KINERJA,
    PART_NAMES,
    PARTS,
    Quarter,
    Tables,
    missing_note,
)
from ..read import formatting as fmt
from ..read import units
from ..read.schema import LINE_SEPARATOR
from . import charts, render
from .report import Context, sasaran_titles

TEMPLATE = "triwulan/laporan.html.j2"
STYLES = ("style.css", "triwulan/triwulan.css")
# room left for what is written by hand: a letter's running number, a missing date
GAP = Markup('<span class="isian">' + "&nbsp;" * 12 + "</span>")
# which other part's date stands in for a part printed without one
STAND_IN = {"keuangan": "kinerja", "kinerja": "keuangan"}


class QuarterLedger(ledger.Builder):
    """The quarter's figures and the findings' printed and expected figures; no PK budgets
    or thresholds, which a quarterly report does not print."""

    def inputs(self):
        return None


def entries(q: Quarter, tables: Tables, found) -> list[ledger.Entry]:
    return QuarterLedger(q.ds, tables.res, DECLARED_TABLES).build(found)


def figure_key(q: Quarter) -> str:
    return f"g-triwulan-{q.number}"


def figures(q: Quarter, tables: Tables, folder: Path) -> list[charts.Chart]:
    jumlah = tables.res[KEUANGAN_JUMLAH.file]
    fig = charts.quarter_targets(tables.res[KINERJA],
                                 None if jumlah.empty else jumlah.iloc[0].to_dict(),
                                 units.by_iku(q.ds["iku.csv"]), q.triwulan)
    return [charts.save(fig, Path(folder), figure_key(q), caption(q))]


def caption(q: Quarter) -> str:
    """Names what the chart shows: kinerja and keuangan only when the quarter has both."""
    shown = " dan ".join(PARTS[file] for file in PARTS if q.has(file))
    return f"Target dan realisasi {shown} triwulan {q.triwulan} tahun {q.year}"


def letter_number(nomor: str | None, pola: str | None) -> Markup:
    """The letter's number as printed; not yet numbered, its pattern with room for the
    number (`010/ /Perenc` prints `010/` and a blank before `/Perenc`)."""
    if nomor:
        return Markup.escape(nomor)
    if not pola:
        return GAP
    return Markup("/").join(GAP if not part.strip() else Markup.escape(part.strip())
                            for part in pola.split("/"))


class QuarterContext(Context):
    """The annual report's context (formatting, marks, numbering) over the quarter's tables."""

    declared = DECLARED

    def __init__(self, q: Quarter, tables: Tables, figures_src: dict[str, str], found,
                 entries_=()):
        super().__init__(q.ds, tables.res, figures_src, found, entries_)
        self.q = q
        self.tw = q.triwulan

    # -- the parts the quarter has data for ---------------------------------------------
    def has_part(self, part: str) -> bool:
        return any(self.q.has(file) for file, own in PARTS.items() if own == part)

    def opens(self, part: str) -> bool:
        """The part is the document's first page: no covering letter before it, and no
        printed part before it."""
        first = next((own for own in ("keuangan", "kinerja") if self.has_part(own)), None)
        return not self.letter() and part == first

    def missing_sentence(self) -> str:
        """What this quarter's report leaves out for want of data, said under its table."""
        missing = self.q.missing()
        if not missing:
            return ""
        kept = " dan ".join(PART_NAMES[PARTS[f]] for f in PARTS if f not in missing)
        return f"Laporan triwulan ini memuat {kept} saja. {missing_note(self.tw, missing)}."

    # -- the covering letter ----------------------------------------------------------------
    def letter(self) -> dict | None:
        rows = self.q.letter()
        if not rows:
            return None
        first = rows[0]
        place = first["tempat"] or self.inst["kota_penandatanganan"]
        date = Markup.escape(fmt.date(first["tanggal"])) if first["tanggal"] else GAP
        return {"tempat_tanggal": Markup.escape(place) + Markup(", ") + date,
                "kepada": [line.strip() for line in (first["kepada"] or "")
                           .split(LINE_SEPARATOR) if line.strip()],
                "nomor": letter_number(first["nomor"], first["nomor_pola"]),
                "items": rows}

    # -- place and date of a table's signature -------------------------------------------
    def signed(self, part: str) -> Markup:
        """`Kota, April 2024`: the date printed under the part (penandatangan.csv), else
        under the quarter's other table, else the letter's date, else room to write it."""
        by_part = {r["bagian"]: r for r in self.q.signers()}
        date = None
        for name in (part, STAND_IN.get(part)):
            if name in by_part:
                date = date_of(by_part[name]["tempat_tanggal_cetak"])
                if date:
                    break
        rows = self.q.letter()
        if date is None and rows and rows[0]["tanggal"] is not None:
            date = fmt.date(rows[0]["tanggal"])
        shown = Markup.escape(date) if date else GAP
        return Markup.escape(self.inst["kota_penandatanganan"]) + Markup(", ") + shown

    # -- the tables -----------------------------------------------------------------------
    def keuangan_rows(self) -> list[dict]:
        rows = _records(self.res[KEUANGAN])
        for r in rows:
            key = f"triwulan={r['triwulan']};no_realisasi={r['no_realisasi']}"
            for name, column in (("mark", "capaian_cetak"), ("mark_realisasi", "realisasi"),
                                 ("mark_anggaran", "anggaran"), ("mark_target", "target")):
                r[name] = self.mark(KEUANGAN, key, column)
        return rows

    def jumlah(self) -> dict | None:
        rows = _records(self.res[KEUANGAN_JUMLAH.file])
        return rows[0] if rows else None

    def kinerja_rows(self) -> list[dict]:
        """Rows with their sasaran, printed once over the rows of its IKUs (rowspan)."""
        sasaran = sasaran_titles(self.ds["sasaran.csv"])
        owner = dict(zip(self.ds["iku.csv"]["kode_iku"], self.ds["iku.csv"]["kode_sasaran"]))
        rows = _records(self.res[KINERJA])
        for r in rows:
            key = f"triwulan={r['triwulan']};kode_iku={r['kode_iku']}"
            for name, column in (("mark", "capaian_cetak"), ("mark_realisasi", "realisasi"),
                                 ("mark_tahunan", "target_tahunan_cetak"),
                                 ("mark_target", "target")):
                r[name] = self.mark(KINERJA, key, column)
            r["kode_sasaran"] = owner[r["kode_iku"]]
            r["sasaran"] = sasaran[r["kode_sasaran"]]
        for i, r in enumerate(rows):
            same = i > 0 and rows[i - 1]["kode_sasaran"] == r["kode_sasaran"]
            run = 0
            while not same and i + run < len(rows) and \
                    rows[i + run]["kode_sasaran"] == r["kode_sasaran"]:
                run += 1
            r["span"] = run  # 0: the row above already printed this sasaran
        numbered = 0
        for r in rows:
            numbered += 1 if r["span"] else 0
            r["no"] = numbered
        return rows

    def quarter_figure(self) -> str:
        return self.fig(figure_key(self.q), caption(self.q))


def _records(df: pd.DataFrame | None) -> list[dict]:
    return [] if df is None or df.empty else df.to_dict("records")


def _css() -> Markup:
    return Markup("\n".join((render.TEMPLATES / name).read_text(encoding="utf-8")
                            for name in STYLES))


def render_html(q: Quarter, tables: Tables, figures_: dict[str, Path], found,
                entries_=()) -> str:
    """One self-contained HTML file; the PDF is rendered from it."""
    env = render.environment()
    c = QuarterContext(q, tables, {key: render.data_uri(path) for key, path in figures_.items()},
                       found, entries_)
    return env.get_template(TEMPLATE).render(
        c=c, w=c.words, css=_css(), TW=q.triwulan, severity_label=findings.LABEL,
        dated_iso=q.dated().isoformat())
