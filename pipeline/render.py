"""Render the report: Jinja2 to one self-contained HTML file, WeasyPrint to an A4 PDF."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

from . import findings, narrative
from . import formatting as fmt
from .clean import Dataset
from .report import Context

TEMPLATES = Path(__file__).parent / "templates"
_HEADING = re.compile(r'<h([234]) id="([^"]+)">(.*?)</h\1>', re.S)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                             autoescape=jinja2.select_autoescape(["html", "j2"]),
                             undefined=jinja2.StrictUndefined)
    env.filters.update(pct=fmt.percent, rp=fmt.rupiah, num=fmt.number, pts=fmt.points)
    return env


def data_uri(path: Path) -> str:
    mime = "image/svg+xml" if path.suffix == ".svg" else "image/png"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _scale_text(ds: Dataset) -> str:
    from .indicators import predikat_scale

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


def _variables(c: Context) -> dict:
    ds, res = c.ds, c.res
    summary = c.summary()
    sasaran_names = dict(zip(ds["sasaran.csv"]["kode_sasaran"], ds["sasaran.csv"]["uraian"]))
    sentences = {"capaian": {}, "previous": {}, "renstra": {}, "province": {},
                 "efficiency": {}}
    for r in res["ringkasan_iku.csv"].itertuples():
        sentences["capaian"][r.kode_iku] = narrative.capaian_sentence(r)
        sentences["previous"][r.kode_iku] = narrative.compare_previous(
            r.indikator, ds.year, r.realisasi, r.realisasi_tahun_lalu)
        sentences["renstra"][r.kode_iku] = narrative.compare_renstra(
            r.indikator, r.realisasi, r.tahun_akhir_renstra, r.target_akhir_renstra,
            r.capaian_thd_akhir_renstra)
        sentences["province"][r.kode_iku] = narrative.compare_province(
            r.indikator, r.realisasi, r.target_provinsi, r.polaritas)

    series_rows, series_source = {}, {}
    for i in c.iku:
        rows = []
        for row in c.series(i["kode_iku"]):
            key = f"kode_iku={row['kode_iku']};tahun={row['tahun']}"
            row["mark_realisasi"] = c.mark("kinerja_tahunan.csv", key, "realisasi")
            row["mark_capaian"] = c.mark("kinerja_tahunan.csv", key, "capaian_cetak")
            rows.append(row)
        series_rows[i["kode_iku"]] = rows
        series_source[i["kode_iku"]] = ("dihitung dari daftar desa mandiri dan jumlah desa"
                                        if i["realisasi_dari"] else "seperti tercetak")

    efficiency = []
    for e in res["efisiensi.csv"].to_dict("records"):
        key = f"kode_sasaran={e['kode_sasaran']}"
        for field in ("capaian_kinerja", "anggaran", "realisasi_anggaran", "capaian_anggaran",
                      "efisiensi"):
            e["mark_" + field] = c.mark("efisiensi_cetak.csv", key, field)
        sentences["efficiency"][e["kode_sasaran"]] = narrative.efficiency_sentence(
            pd.Series(e))
        efficiency.append(e)

    programs = []
    for p in res["anggaran_program.csv"].to_dict("records"):
        p["mark"] = c.mark("pk_program.csv", f"kode_program={p['kode_program']}", "anggaran")
        programs.append(p)

    budget_rows = c.budget_rows()
    programs_by_sasaran = {}
    for p in programs:
        if p["kode_sasaran"]:
            programs_by_sasaran.setdefault(p["kode_sasaran"], []).append(p)
    sasaran_budget = {r["kode_sasaran"]: r for r in _records(res["anggaran_sasaran.csv"])}

    iku_names = dict(zip(ds["iku.csv"]["kode_iku"], ds["iku.csv"]["indikator"]))
    tw_kinerja = []
    for t in _records(res.get("triwulan_kinerja.csv")):
        t["indikator"] = iku_names[t["kode_iku"]]
        key = f"triwulan={t['triwulan']};kode_iku={t['kode_iku']}"
        t["mark"] = c.mark("triwulan_kinerja.csv", key, "capaian_cetak")
        t["mark_target"] = c.mark("triwulan_kinerja.csv", key, "target_tahunan_cetak")
        t["mark_realisasi"] = c.mark("triwulan_kinerja.csv", key, "realisasi")
        tw_kinerja.append(t)
    tw_keuangan = []
    for t in _records(res.get("triwulan_keuangan.csv")):
        key = f"triwulan={t['triwulan']};no_realisasi={t['no_realisasi']}"
        t["mark"] = c.mark("triwulan_keuangan.csv", key, "capaian_cetak")
        t["mark_realisasi"] = c.mark("triwulan_keuangan.csv", key, "realisasi")
        tw_keuangan.append(t)

    parts, parts_total = {}, {}
    for p in _records(res.get("rincian_pembilang.csv")):
        parts.setdefault(p["kode_iku"], []).append(p)
    for t in _records(res.get("rincian_total.csv")):
        t["mark"] = c.mark("rincian_total_cetak.csv",
                           f"kode_iku={t['kode_iku']};tahun={ds.year}", "total_cetak")
        parts_total[t["kode_iku"]] = t
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
        "c": c, "css": Markup((TEMPLATES / "style.css").read_text(encoding="utf-8")),
        "signed": fmt.date(signed), "signed_iso": signed.isoformat(),
        "pk_date": fmt.date(c.inst["tanggal_pk"]) if c.inst.get("tanggal_pk") else None,
        "summary": summary, "sasaran_names": sasaran_names, "sentences": sentences,
        "series_rows": series_rows, "series_source": series_source,
        "efficiency": efficiency, "programs": programs, "budget_rows": budget_rows,
        "programs_by_sasaran": programs_by_sasaran, "sasaran_budget": sasaran_budget,
        "total": total, "pk_programs": _records(ds["pk_program.csv"]),
        "pk_total": sum(ds["pk_program.csv"]["anggaran"]),
        "tw_kinerja": tw_kinerja, "tw_keuangan": tw_keuangan,
        "parts": parts, "parts_total": parts_total,
        "desa_seri": _records(res.get("desa_mandiri_seri.csv")),
        "desa": _records(ds.get("desa_mandiri.csv")), "idm": _idm_rows(ds),
        "tindak_lanjut": tindak_lanjut,
        "tl_done": sum(1 for t in tindak_lanjut if t["status"].strip().lower() == "selesai"),
        "tujuan": tujuan, "corrections": ds.corrections, "scale_text": _scale_text(ds),
        "summary_sentence": narrative.summary_sentence(res["ringkasan_iku.csv"], total,
                                                       ds.year),
        "summary_budget_sentence": (
            f"Pagu seluruh program tahun {ds.year} menurut rincian sub-kegiatan "
            f"{fmt.rupiah(total['anggaran'])}, terealisasi {fmt.rupiah(total['realisasi'])} "
            f"({fmt.percent(total['persentase'])})."),
        "absorption_sentence": narrative.absorption_sentence(res["anggaran_program.csv"]),
        "caveats": caveats(ds, res),
        "severity_label": findings.LABEL,
    }


def _records(df) -> list[dict]:
    return [] if df is None or df.empty else df.to_dict("records")


def caveats(ds: Dataset, res) -> list[str]:
    notes = [
        "Realisasi indikator berbentuk persen dibulatkan ke jumlah desimal yang ditetapkan "
        "pada iku.csv sebelum capaian dihitung, sama seperti angka yang dilaporkan.",
        "Pembulatan memakai aturan setengah ke atas, bukan pembulatan ke bilangan genap.",
        "Capaian tidak dibatasi 100%; nilai di atas 100% dilaporkan apa adanya.",
        "Anggaran dan realisasi sasaran adalah jumlah rincian sub-kegiatan dari program yang "
        "mendukung sasaran tersebut pada Perjanjian Kinerja.",
    ]
    series = res["kinerja_seri.csv"]
    for r in series[series["capaian"].isna()].itertuples():
        notes.append(f"Capaian {r.indikator} tahun {r.tahun} tidak dapat dihitung: "
                     f"{r.capaian_alasan}.")
    if "jumlah_desa.csv" in ds.frames:
        notes.append("Jumlah desa per tahun diambil dari jumlah_desa.csv; kelurahan tidak "
                     "dihitung sebagai desa.")
    return notes


def _toc(html: str) -> list[tuple[str, str, int]]:
    skip = {"daftar-isi"}
    return [(m.group(2), re.sub(r"<[^>]+>", "", m.group(3)), int(m.group(1)))
            for m in _HEADING.finditer(html) if m.group(2) not in skip]


def render_html(ds: Dataset, res: dict, figures: dict[str, Path], found: list,
                entries: list = ()) -> str:
    """Two passes: the first numbers tables, figures and headings for the lists."""
    template = _environment().get_template("lkip.html.j2")
    srcs = {key: data_uri(path) for key, path in figures.items()}
    first = Context(ds, res, srcs, found, entries)
    html = template.render(lists={"tables": [], "figures": []}, toc=[], **_variables(first))
    second = Context(ds, res, srcs, found, entries)
    return template.render(lists={"tables": first.tables.items, "figures": first.figures.items},
                           toc=_toc(html), **_variables(second))


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


def render_pdf(html: str, path: Path, attachments=(), when: dt.datetime | None = None) -> None:
    """A4 PDF/A-3b with the project's fonts and the given files embedded.

    attachments: (name, bytes, description) triples; `when` fixes their dates so that
    rebuilds are identical.
    """
    from weasyprint import CSS, HTML, Attachment
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    when = when or dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    embedded = [Attachment(file_obj=io.BytesIO(data), name=name, description=description,
                           created=when, modified=when, relationship="Source")
                for name, data, description in attachments]
    HTML(string=html, base_url=str(TEMPLATES)).write_pdf(
        path, stylesheets=[CSS(string=font_faces_css(), font_config=fonts)], font_config=fonts,
        pdf_variant="pdf/a-3b", attachments=embedded, uncompressed_pdf=False)



def _descendants(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _descendants(child)


def layout_overflows(html: str, tolerance: float = 0.5) -> list[tuple[int, str, float]]:
    """Text that runs past its table cell or past the page's margins, as (page, text, pt)."""
    from weasyprint import HTML

    found = []
    document = HTML(string=html, base_url=str(TEMPLATES)).render()
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
