"""Render the report: Jinja2 to one self-contained HTML file, WeasyPrint to an A4 PDF."""

from __future__ import annotations

import base64
import datetime as dt
import html as htmllib
import io
import logging
import os
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..check import draft, findings
from ..compute import indicators, qualitative
from ..read import formatting as fmt
from ..read.clean import Dataset
from . import narrative, report
from .report import Context

TEMPLATES = Path(__file__).parent / "templates"
# the PDF resolves no relative address: against a folder of this machine (the templates, say)
# a relative link would print that folder's absolute path into the PDF as a file: link
BASE_URL = None
_HEADING = re.compile(r'<h([234]) id="([^"]+)">(.*?)</h\1>', re.S)


def _environment() -> jinja2.Environment:
    # compiled templates are kept between runs (in jinja's own per-user folder, which it
    # checks is private): compiling them took half of a `make preview`
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             bytecode_cache=jinja2.FileSystemBytecodeCache(),
                             autoescape=jinja2.select_autoescape(["html", "j2"]),
                             undefined=jinja2.StrictUndefined)
    env.filters.update(pct=fmt.percent, rp=fmt.rupiah, num=fmt.number, pts=fmt.points,
                       whole=report.whole, rowkey=report.row_key, columns=report.column_names,
                       numbers_whole=report.numbers_whole, place=report.place)
    return env


def environment() -> jinja2.Environment:
    """The templates with the report's filters and settings, for every document built."""
    return _environment()


def data_uri(path: Path) -> str:
    mime = "image/svg+xml" if path.suffix == ".svg" else "image/png"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _scale_text(ds: Dataset) -> str:
    from ..compute.indicators import predikat_scale

    parts = []
    for label, lower in predikat_scale(ds):
        parts.append(f"{label} ≥ {fmt.number(lower)}" if lower is not None else
                     f"{label} di bawahnya")
    return "; ".join(parts)


def _idm_rows(ds: Dataset) -> list[dict]:
    df = ds.get("idm_status.csv")
    if df is None:
        return []
    rows = []
    for r in df.itertuples():
        lo = None if r.batas_bawah is None else fmt.number(r.batas_bawah, 4)
        hi = None if r.batas_atas is None else fmt.number(r.batas_atas, 4)
        text = (f"IDM ≤ {hi}" if lo is None else f"IDM > {lo}" if hi is None
                else f"{lo} < IDM ≤ {hi}")
        rows.append({"status": r.status, "rentang": text})
    return rows


def _sentences(c: Context) -> dict[str, dict]:
    """Every generated sentence, keyed by IKU (or sasaran and IKU), from the computed tables."""
    ds, res = c.ds, c.res
    out = {"capaian": {}, "previous": {}, "renstra": {}, "province": {}, "efficiency": {},
           "sasaran": {}, "ikhtisar": {}}
    has = c.benchmark_columns()  # a comparison the data has for no IKU is not repeated per IKU
    for r in res["ringkasan_iku.csv"].itertuples():
        unit = c.units[r.kode_iku]
        out["previous"][r.kode_iku] = narrative.compare_previous(
            r.indikator, ds.year, r.realisasi, r.realisasi_tahun_lalu, unit)
        if unit.scale is not None:  # measured by labels: compared on its scale
            _labelled_sentences(out, r, unit, has, c.words["pembanding"])
            continue
        out["capaian"][r.kode_iku] = narrative.capaian_sentence(r, unit)
        out["renstra"][r.kode_iku] = narrative.compare_renstra(
            r.indikator, r.realisasi, r.tahun_akhir_renstra, r.target_akhir_renstra,
            r.capaian_thd_akhir_renstra, unit) if has["renstra"] else ""
        out["province"][r.kode_iku] = narrative.compare_province(
            r.indikator, r.realisasi, r.target_provinsi, r.polaritas, unit,
            c.words["pembanding"]) if has["pembanding"] else ""
    for e in res["efisiensi.csv"].itertuples():
        out["efficiency"][(e.kode_sasaran, e.kode_iku)] = narrative.efficiency_sentence(e)
    for s in res["capaian_sasaran.csv"].itertuples():
        out["sasaran"][s.kode_sasaran] = narrative.sasaran_sentence(
            s, indicators.SASARAN_RULES[s.aturan][0])
    return out


def _labelled_sentences(out: dict, r, unit, has: dict, level: str) -> None:
    """The sentences of an IKU measured by labels: labels compared, never a percentage."""
    out["capaian"][r.kode_iku] = qualitative.capaian_sentence(r, unit)
    out["renstra"][r.kode_iku] = qualitative.renstra_sentence(
        r.indikator, r.realisasi, r.tahun_akhir_renstra, r.target_akhir_renstra,
        unit) if has["renstra"] else ""
    out["province"][r.kode_iku] = qualitative.province_sentence(
        r.indikator, r.realisasi, r.target_provinsi, unit, level) if has["pembanding"] else ""
    out["ikhtisar"][r.kode_iku] = qualitative.summary_item(r._asdict(), unit)


def _marked(rows: list[dict], c: Context, file: str, key_columns, marks: dict) -> list[dict]:
    """Rows with their finding markers: marks maps a row field to the printed file's column."""
    for row in rows:
        key = ";".join(f"{k}={row[k]}" for k in key_columns)
        for name, column in marks.items():
            row[name] = c.mark(file, key, column)
    return rows


def _variables(c: Context) -> dict:
    ds, res = c.ds, c.res
    series_rows = {}
    for i in c.iku:
        series_rows[i["kode_iku"]] = _marked(
            c.series(i["kode_iku"]), c, "kinerja_tahunan.csv", ("kode_iku", "tahun"),
            {"mark_realisasi": "realisasi", "mark_capaian": "capaian_cetak"})
    efficiency = _marked(_records(res["efisiensi.csv"]), c, "efisiensi_cetak.csv",
                         ("kode_sasaran", "kode_iku"),
                         {"mark_" + f: f for f in ("capaian_kinerja", "anggaran",
                                                   "realisasi_anggaran", "capaian_anggaran",
                                                   "efisiensi")})
    programs = _marked(_records(res["anggaran_program.csv"]), c, "pk_program.csv",
                       ("kode_program",), {"mark": "anggaran"})
    programs_by_sasaran = {}
    for p in programs:
        if p["kode_sasaran"]:
            programs_by_sasaran.setdefault(p["kode_sasaran"], []).append(p)
    iku_names = dict(zip(ds["iku.csv"]["kode_iku"], ds["iku.csv"]["indikator"]))
    tw_kinerja = _marked(_records(res.get("triwulan_kinerja.csv")), c, "triwulan_kinerja.csv",
                         ("triwulan", "kode_iku"),
                         {"mark": "capaian_cetak", "mark_target": "target_tahunan_cetak",
                          "mark_realisasi": "realisasi"})
    for t in tw_kinerja:
        t["indikator"] = iku_names[t["kode_iku"]]
    tw_keuangan = _marked(_records(res.get("triwulan_keuangan.csv")), c,
                          "triwulan_keuangan.csv", ("triwulan", "no_realisasi"),
                          {"mark": "capaian_cetak", "mark_realisasi": "realisasi"})
    parts = {}
    for p in _records(res.get("rincian_pembilang.csv")):
        parts.setdefault(p["kode_iku"], []).append(p)
    parts_total = {t["kode_iku"]: t for t in _records(res.get("rincian_total.csv"))}
    for t in parts_total.values():
        t["mark"] = c.mark("rincian_total_cetak.csv",
                           f"kode_iku={t['kode_iku']};tahun={ds.year}", "total_cetak")
    tindak_lanjut = _records(ds.get("tindak_lanjut.csv"))
    tujuan = []
    sr = ds.get("sasaran_renstra.csv")
    for t in _records(ds.get("tujuan.csv")):
        t["sasaran"] = [] if sr is None else _records(sr[sr["kode_tujuan"] == t["kode_tujuan"]])
        t["indikator"] = iku_names.get(t["kode_iku"])
        tujuan.append(t)
    total = c.total()
    signed = ds["instansi.csv"].iloc[0]["tanggal_penandatanganan"]
    return {
        "c": c, "w": c.words, "css": Markup((TEMPLATES / "style.css").read_text(encoding="utf-8")),
        "signed": fmt.date(signed), "signed_iso": signed.isoformat(),
        "pk_date": fmt.date(c.inst["tanggal_pk"]) if c.inst.get("tanggal_pk") else None,
        "summary": c.summary(), "sasaran_names": report.sasaran_titles(ds["sasaran.csv"]),
        "sentences": _sentences(c), "series_rows": series_rows,
        "series_source": {i["kode_iku"]: ("dihitung dari daftar desa mandiri dan jumlah desa"
                                          if i["realisasi_dari"] else "seperti tercetak")
                          for i in c.iku},
        "efficiency": efficiency, "programs": programs, "budget_rows": c.budget_rows(),
        "programs_by_sasaran": programs_by_sasaran,
        "sasaran_budget": {r["kode_sasaran"]: r for r in _records(res["anggaran_sasaran.csv"])},
        "total": total, "pk_programs": _records(ds["pk_program.csv"]),
        "tw_kinerja": tw_kinerja, "tw_keuangan": tw_keuangan,
        "parts": parts, "parts_total": parts_total,
        "desa_seri": _records(res.get("desa_mandiri_seri.csv")),
        "desa": _records(ds.get("desa_mandiri.csv")), "idm": _idm_rows(ds),
        "tindak_lanjut": tindak_lanjut,
        "quarter_reports": quarter_reports(res, ds.year),
        "tindak_lanjut_sentence": narrative.tindak_lanjut_sentence(tindak_lanjut, ds.year),
        "tujuan": tujuan, "corrections": ds.corrections, "scale_text": _scale_text(ds),
        "formula_sentence": narrative.formula_sentence(res["ringkasan_iku.csv"]),
        "summary_sentence": narrative.summary_sentence(res["ringkasan_iku.csv"], total,
                                                       ds.year),
        "summary_budget_sentence": narrative.budget_sentence(
            total, f"Pagu {c.words['sumber_anggaran']} seluruh program tahun {ds.year}",
            f"menurut {fmt.join_words('rincian', c.words['sebutan_sub_kegiatan'])} ",
            c.words["sumber_anggaran"]),
        "absorption_sentence": narrative.absorption_sentence(res["anggaran_program.csv"]),
        "efficiency_summary": narrative.efficiency_summary(efficiency),
        "caveats": caveats(ds, res, c.words),
        "severity_label": findings.LABEL,
    }


def quarter_reports(res: dict, year: int) -> list[dict]:
    """The quarterly reports `make report` publishes beside this one (a quarterly table has
    the quarter), as links relative to this report's folder."""
    from ..config import quarter_folder, quarter_report_name
    from ..read.triwulan import PART_NAMES, PARTS, by_quarter

    def quarters(file: str) -> set[str]:
        df = res.get(file)
        return set() if df is None or df.empty else set(df["triwulan"])

    have = by_quarter({file: quarters(file) for file in PARTS})
    return [{"triwulan": tw, "href": f"../{quarter_folder(year, n)}/"
             f"{quarter_report_name(year, n, 'pdf')}",
             # a quarter reported from one quarterly table says which part it holds
             "hanya": "" if len(have[tw]) == len(PARTS) else
             " dan ".join(PART_NAMES[PARTS[f]] for f in have[tw]).lower() + " saja"}
            for n, tw in enumerate(("I", "II", "III", "IV"), 1) if tw in have]


def _records(df) -> list[dict]:
    return [] if df is None or df.empty else df.to_dict("records")


def caveats(ds: Dataset, res, words: dict) -> list[str]:
    rule = indicators.sasaran_rule(ds)
    labelled = (res["ringkasan_iku.csv"]["rumus"] == qualitative.SKALA).any()
    notes = [
        "Realisasi indikator berbentuk persen dibulatkan ke jumlah desimal yang ditetapkan "
        "untuk IKU itu sebelum capaian dihitung, sama seperti angka yang dilaporkan.",
        "Setiap IKU dicetak dalam satuannya sendiri dengan jumlah desimalnya sendiri; capaian "
        + ("dalam persen, kecuali IKU kualitatif yang capaiannya dinilai pada skala labelnya."
           if labelled else "selalu dalam persen."),
        "Pembulatan memakai aturan setengah ke atas, bukan pembulatan ke bilangan genap.",
        "Capaian tidak dibatasi 100%; nilai di atas 100% dilaporkan apa adanya.",
        f"Anggaran dan realisasi sasaran adalah jumlah "
        f"{fmt.join_words('rincian', words['sebutan_sub_kegiatan'])} "
        "dari program yang mendukung sasaran tersebut pada Perjanjian Kinerja; sasaran tanpa "
        "program pendukung tidak mempunyai capaian anggaran dan tingkat efisiensi.",
        "Tingkat efisiensi adalah capaian kinerja dikurangi capaian anggaran, keduanya "
        "dibulatkan 2 desimal lebih dahulu; angka tercetak yang dikurangkan sebelum pembulatan "
        "juga dianggap sesuai.",
    ]
    if (res["capaian_sasaran.csv"]["jumlah_iku"] > 1).any():
        notes.append(f"Capaian sasaran yang diukur beberapa IKU adalah "
                     f"{indicators.SASARAN_RULES[rule][0]}"
                     f"{' yang berangka' if labelled else ''} (aturan '{rule}' pada data "
                     "instansi, kolom capaian_sasaran).")
    for r in res["ringkasan_iku.csv"].itertuples():
        if r.rumus not in ("R/T", qualitative.SKALA):
            notes.append(f"{r.indikator} berpolaritas negatif (makin rendah makin baik); "
                         f"capaiannya dihitung sebagai {indicators.FORMULAS[r.rumus].text} "
                         f"(kolom rumus_negatif pada iku.csv).")
    series = res["kinerja_seri.csv"]
    for r in series[series["capaian_alasan"].notna()].itertuples():
        notes.append(f"Capaian {r.indikator} tahun {r.tahun} tidak dapat dihitung: "
                     f"{r.capaian_alasan}.")
    if "jumlah_desa.csv" in ds.frames:
        notes.append("Jumlah desa per tahun diambil dari jumlah_desa.csv; kelurahan tidak "
                     "dihitung sebagai desa.")
    return notes


def _toc(html: str) -> list[tuple[str, str, int]]:
    skip = {"daftar-isi"}
    # the heading's text, unescaped: the template escapes it once when it prints the list
    return [(m.group(2), htmllib.unescape(re.sub(r"<[^>]+>", "", m.group(3))), int(m.group(1)))
            for m in _HEADING.finditer(html) if m.group(2) not in skip]


LATER = "<!--lkip:later:{}-->"


def _later(name: str) -> Markup:
    """A mark where a part that depends on the whole report goes (parts/later.html.j2)."""
    return Markup(LATER.format(name))


def fill_later(html: str, parts, c: Context) -> str:
    """The lists and the note on [n] marks, now that the report has numbered everything."""
    filled = {"daftar_isi": parts.daftar_isi(_toc(html)),
              "daftar_tabel": parts.daftar_tabel(c.tables.items),
              "daftar_grafik": parts.daftar_grafik(c.figures.items),
              "tanda": parts.tanda(bool(c.marks_used))}
    for name, text in filled.items():
        html = html.replace(LATER.format(name), str(text))
    return html


def render_html(ds: Dataset, res: dict, figures: dict[str, Path], found: list,
                entries: list = (), preview: bool = False) -> str:
    """Rendered once; the lists at the front are filled in afterwards (fill_later). A preview
    carries a banner saying it is not the final report, and nothing else differs. A draft
    (draft.py) carries a banner saying why, and DRAF in the margin of every printed page."""
    env = _environment()
    c = Context(ds, res, {key: data_uri(path) for key, path in figures.items()}, found, entries)
    html = env.get_template("lkip.html.j2").render(later=_later, pratinjau=preview,
                                                   draf=draft.reasons(found), **_variables(c))
    return fill_later(html, env.get_template("parts/later.html.j2").module, c)


def for_print(html: str, charts) -> str:
    """The HTML the PDF is made from: the published HTML with each chart's SVG swapped for its
    PNG at print resolution (charts.Chart), which WeasyPrint paints several times faster,
    links to other files kept as text, and long tables printed in pieces (print_pieces).
    Nothing else differs."""
    for chart in charts:
        html = html.replace(data_uri(chart.svg), data_uri(chart.png))
    # links to files beside the report work in a browser; in a PDF they would point into
    # this machine's folders, so print keeps their text (the file name is printed with it)
    html = re.sub(r'<a class="berkas" href="[^"]*">', '<a class="berkas">', html)
    return _TABLE.sub(lambda m: print_pieces(m.group(0)), html)


# WeasyPrint lays out each page of a table over every row of its body, so one table of
# 20.000 rows took time in its rows times its pages. The PDF prints a longer table as
# consecutive tables of at most this many body rows, each with the table's header.
PRINT_TABLE_ROWS = 300
_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
_PARTS = re.compile(r"(<table\b[^>]*>)(.*?<tbody>)(.*)(</tbody>\s*</table>)", re.S)
_ROW = re.compile(r"<tr\b.*?</tr>", re.S)
_ROWSPAN = re.compile(r'rowspan="(\d+)"')


def print_pieces(table: str, limit: int = PRINT_TABLE_ROWS) -> str:
    """One table as it is, or, past `limit` body rows, as consecutive tables of at most
    `limit` rows each (never between rows a rowspan joins), each repeating the header.
    A table whose body is not rows only, or that holds a table, is left whole."""
    parts = _PARTS.fullmatch(table)
    if parts is None or table.count("<table") > 1:
        return table
    opening, head, body, _ = parts.groups()
    rows = _ROW.findall(body)
    if len(rows) <= limit or _ROW.sub("", body).strip():
        return table
    pieces = _cut(rows, limit)
    last = len(pieces) - 1
    return "\n".join(_touching(opening, above=i > 0, below=i < last) + head + "".join(piece)
                     + "</tbody></table>" for i, piece in enumerate(pieces))


def _cut(rows: list[str], limit: int) -> list[list[str]]:
    """Rows in runs of at most `limit`, each run ending where no rowspan reaches further
    (a run may then be longer: a rowspan holds its rows together)."""
    pieces, current, reach = [], [], 0
    for row in rows:
        current.append(row)
        spans = [int(n) for n in _ROWSPAN.findall(row)]
        reach = max(reach - 1, max(spans, default=1) - 1)
        if len(current) >= limit and reach == 0:
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    return pieces


JOINED = (("sambung-atas", "above"), ("sambung-bawah", "below"))  # style.css drops the margin


def _touching(opening: str, above: bool, below: bool) -> str:
    """A piece's opening tag, classed where it meets the next piece so that the stylesheet
    drops the table's margin there and the pieces read as one table."""
    meets = {"above": above, "below": below}
    classes = " ".join(name for name, side in JOINED if meets[side])
    if not classes:
        return opening
    found = re.search(r'class="([^"]*)"', opening)
    if found:
        return opening[:found.end(1)] + " " + classes + opening[found.end(1):]
    return opening[:-1] + f' class="{classes}">'


FONTS = {  # family: package holding the OFL font files
    "Source Serif Pro": ("font_source_serif_pro", "SourceSerifPro"),
    "Source Sans Pro": ("font_source_sans_pro", "SourceSansPro"),
}
_FACES = (("Regular", "normal", "normal"), ("Bold", "bold", "normal"),
          ("It", "normal", "italic"), ("BoldIt", "bold", "italic"))


def font_faces_css() -> str:
    """@font-face rules pointing at the pinned font packages, for the PDF only."""
    from importlib.resources import files

    rules = []
    for family, (package, stem) in FONTS.items():
        for face, weight, style in _FACES:
            path = Path(str(files(package) / "files" / f"{stem}-{face}.ttf"))
            rules.append(f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); '
                         f"font-weight: {weight}; font-style: {style}; }}")
    return "\n".join(rules)


def _font_dirs() -> list[Path]:
    from importlib.resources import files

    return [Path(str(files(package) / "files")).resolve() for package, _ in FONTS.values()]


def safe_fetcher():
    """WeasyPrint may load the report's own data: URIs and the pinned font files, nothing else:
    no network, no local file named by the data, no device."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    class SafeFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if not (path.is_file() and any(path.is_relative_to(d) for d in _font_dirs())):
                    raise ValueError(f"berkas lokal ditolak: {url[:80]}")
            return super().fetch(url, headers)

    return SafeFetcher(timeout=5, allowed_protocols={"data", "file"}, allow_redirects=False)


# A test hook: "1" makes the process that writes the PDF (the build's Jupyter kernel inherits
# it) behave as on a machine without libharfbuzz-subset, to show the PDF does not depend on it.
HIDE_HB_SUBSET_ENV = "LKIP_HIDE_HB_SUBSET"


class _SubsetterChosen(logging.Filter):
    """WeasyPrint warns, font by font, that fontTools subsets it: here that is a choice."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Using fontTools instead of HarfBuzz-Subset")


_SUBSETTER_CHOSEN = _SubsetterChosen()


def hide_harfbuzz_subset() -> None:
    """WeasyPrint as it is where libharfbuzz-subset is not installed (HIDE_HB_SUBSET_ENV)."""
    from weasyprint.pdf import fonts
    from weasyprint.text import ffi

    ffi.harfbuzz_subset = fonts.harfbuzz_subset = None


def _lean_subset():
    """fontTools' subset module for WeasyPrint, whose Subsetter deletes the layout tables
    WeasyPrint drops (GSUB, GPOS) before subsetting instead of after: fontTools reads them
    whole first, nine tenths of the time (2.5 s of a 13 s report). The font written is the
    same; a legacy `kern` table goes with GPOS, as fontTools does. The font keeps its own date
    (`head.modified`) instead of taking the time of writing, or SOURCE_DATE_EPOCH, which is each
    document's own date: a subset is then the same whichever document made it."""
    from types import SimpleNamespace

    from fontTools import subset

    class Subsetter(subset.Subsetter):
        def subset(self, font):
            font.recalcTimestamp = False
            if "GPOS" in font and not self.options.legacy_kern and "kern" in font:
                del font["kern"]
            for tag in ("GSUB", "GPOS"):
                if tag in self.options.drop_tables and tag in font:
                    del font[tag]
            super().subset(font)

    return SimpleNamespace(Options=subset.Options, Subsetter=Subsetter, lean=True)


# Every character a report in Indonesian is likely to print: each font is subset to these glyphs
# as well as to those its document uses, so that the subset is the same for most documents and
# is made once per process (a batch worker's kernel writes many PDFs with the same fonts).
REPERTOIRE = frozenset(
    [*range(0x20, 0x7F), *range(0xA0, 0x100)]
    + [ord(c) for c in "–—‘’‚“”„•…‰′″‹›€™→←↑↓−×÷±≤≥≈≠∞√✓✗"])
_SUBSETS: dict[tuple, bytes] = {}   # (font digest, index, glyphs, hinting, notdef) -> font
_SUBSETS_KEPT = 64
_REPERTOIRE_GLYPHS: dict[tuple, frozenset] = {}


def _repertoire_glyphs(content: bytes, digest: bytes, index: int) -> frozenset:
    """The glyph ids of REPERTOIRE in this font's character map (read once per font)."""
    key = (digest, index)
    if key not in _REPERTOIRE_GLYPHS:
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(content), fontNumber=index, lazy=True)
        cmap = font.getBestCmap() or {}
        _REPERTOIRE_GLYPHS[key] = frozenset(font.getGlyphID(cmap[c]) for c in REPERTOIRE
                                            if c in cmap)
    return _REPERTOIRE_GLYPHS[key]


def _stable_subset(self, to_unicode, hinting) -> None:
    """WeasyPrint's fontTools subsetting (Font._fonttools_subset), over the document's glyphs
    and the repertoire's, remembered: the same glyphs give the same font bytes, so a cached
    subset is the one that would be made again, and the PDF does not depend on the cache."""
    import hashlib

    digest = hashlib.sha256(self.file_content).digest()
    glyphs = frozenset(to_unicode) | _repertoire_glyphs(self.file_content, digest, self.index)
    key = (digest, self.index, glyphs, bool(hinting), bool(self.missing))
    if key not in _SUBSETS:
        _FONTTOOLS_SUBSET(self, dict.fromkeys(sorted(glyphs)), hinting)
        if len(_SUBSETS) >= _SUBSETS_KEPT:
            _SUBSETS.pop(next(iter(_SUBSETS)))
        _SUBSETS[key] = self.file_content
    self.file_content = _SUBSETS[key]


_FONTTOOLS_SUBSET = None  # WeasyPrint's own Font._fonttools_subset, kept by pin_font_subsetter


def pin_font_subsetter() -> None:
    """Subset the embedded fonts with fontTools, a pinned package, on every machine.

    WeasyPrint 70 subsets with the system's libharfbuzz-subset when it is installed and with
    fontTools when it is not, and the two write different font bytes: a PDF would then depend
    on an optional system library that no manifest pins. Set for the whole process (idempotent),
    so every PDF it writes takes the same path; each subset is made once (_stable_subset).
    """
    global _FONTTOOLS_SUBSET
    from weasyprint.pdf import fonts

    fonts.harfbuzz_subset = None
    if not getattr(fonts.subset, "lean", False):
        fonts.subset = _lean_subset()
    if _FONTTOOLS_SUBSET is None:
        _FONTTOOLS_SUBSET = fonts.Font._fonttools_subset
        fonts.Font._fonttools_subset = _stable_subset
    logging.getLogger("weasyprint").addFilter(_SUBSETTER_CHOSEN)


def _kept_page_references(self) -> tuple:
    """pydyf's PDF.page_references, made again only when a page was added since. pydyf builds
    the tuple of every page's reference on each call, and WeasyPrint's tags ask for it once per
    tagged element: a long document's PDF then took time in its pages times its elements (a
    budget table of 20.000 rows: minutes). The references are the same, so are the bytes."""
    kids = self.pages["Kids"]
    kept = self.__dict__.get("_kept_page_references")
    if kept is None or kept[0] != len(kids):
        kept = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        self.__dict__["_kept_page_references"] = kept
    return kept[1]


def keep_page_references() -> None:
    """Make pydyf's page references linear in the pages (idempotent, for the whole process)."""
    import pydyf

    pydyf.PDF.page_references = property(_kept_page_references)


def render_pdf(html: str, path: Path, attachments=(), when: dt.datetime | None = None) -> None:
    """A4 PDF/A-3b, tagged (headings, tables, figures with their captions as alternative text,
    language from <html lang>), with the project's fonts and the given files embedded.

    attachments: (name, bytes, description) triples; `when` fixes their dates so that
    rebuilds are identical.
    """
    from weasyprint import CSS, HTML, Attachment
    from weasyprint.text.fonts import FontConfiguration

    if os.environ.get(HIDE_HB_SUBSET_ENV) == "1":
        hide_harfbuzz_subset()
    pin_font_subsetter()
    keep_page_references()
    fonts = FontConfiguration()
    when = when or dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    embedded = [Attachment(file_obj=io.BytesIO(data), name=name, description=description,
                           created=when, modified=when, relationship="Source")
                for name, data, description in attachments]
    HTML(string=html, base_url=BASE_URL, url_fetcher=safe_fetcher()).write_pdf(
        path, stylesheets=[CSS(string=font_faces_css(), font_config=fonts,
                               url_fetcher=safe_fetcher())], font_config=fonts,
        pdf_variant="pdf/a-3b", pdf_tags=True, attachments=embedded, uncompressed_pdf=False)



def _descendants(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _descendants(child)


def layout_overflows(html: str, tolerance: float = 0.5) -> list[tuple[int, str, float]]:
    """Text that runs past its table cell or past the page's margins, as (page, text, pt)."""
    from weasyprint import HTML

    found = []
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=safe_fetcher()).render()
    for number, page in enumerate(document.pages, 1):
        root = page._page_box
        page_right = root.content_box_x() + root.width
        for box in _descendants(root):
            limit = page_right
            if type(box).__name__ == "TableCellBox":
                limit = min(page_right, box.border_box_x() + box.border_width())
                for inner in _descendants(box):
                    if type(inner).__name__ == "TextBox":
                        right = inner.position_x + inner.margin_width()
                        if right > limit + tolerance:
                            found.append((number, inner.text, round(right - limit, 1)))
            elif type(box).__name__ in ("BlockBox", "ImageBox", "TableBox", "LineBox"):
                right = box.position_x + box.margin_width()
                if right > limit + tolerance:
                    found.append((number, type(box).__name__, round(right - limit, 1)))
    return found
