"""Render the report: Jinja2 to one self-contained HTML file, WeasyPrint to an A4 PDF."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

from . import formatting as fmt
from . import narrative
from .clean import Dataset
from .report import Context

TEMPLATES = Path(__file__).parent / "templates"
_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)


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
            key = f"{i['indikator']} {row['tahun']}"
            row["mark_realisasi"] = ""
            if row["sumber_realisasi"] != "tercetak":
                row["mark_realisasi"] = c.check(
                    "Deret kinerja", key, "realisasi", row["realisasi_cetak"],
                    None if row["realisasi_cetak"] is None else str(row["realisasi_cetak"]),
                    row["realisasi"], fmt.percent(row["realisasi"]),
                    "realisasi dihitung dari daftar desa mandiri")
            row["mark_capaian"] = c.check("Deret kinerja", key, "capaian", row["capaian_cetak"],
                                          row["capaian_cetak_teks"], row["capaian"],
                                          fmt.percent(row["capaian"]))
            rows.append(row)
        series_rows[i["kode_iku"]] = rows
        series_source[i["kode_iku"]] = ("dihitung dari daftar desa mandiri dan jumlah desa"
                                        if i["realisasi_dari"] else "seperti tercetak")

    efficiency = []
    for e in res["efisiensi.csv"].to_dict("records"):
        key = f"Sasaran {e['kode_sasaran']}"
        where = "Perbandingan kinerja dan anggaran"
        checks = [("capaian", "capaian_kinerja", "capaian_kinerja_cetak", fmt.percent),
                  ("anggaran", "anggaran", "anggaran_cetak", fmt.number),
                  ("realisasi", "realisasi_anggaran", "realisasi_anggaran_cetak", fmt.number),
                  ("capaian_anggaran", "capaian_anggaran", "capaian_anggaran_cetak", fmt.percent),
                  ("efisiensi", "efisiensi", "efisiensi_cetak", fmt.points)]
        for mark, col, printed, show in checks:
            e["mark_" + mark] = Markup("")
            if printed in e:
                text = e.get(printed + "_teks")
                value = e[printed]
                if isinstance(value, int) and not isinstance(value, bool):
                    differs = value != e[col]
                    e["mark_" + mark] = c.check(where, key, col, None if not differs else value,
                                                text if differs else None, e[col], show(e[col]))
                else:
                    e["mark_" + mark] = c.check(where, key, col, value, text, e[col],
                                                show(e[col]))
        sentences["efficiency"][e["kode_sasaran"]] = narrative.efficiency_sentence(
            pd.Series(e))
        efficiency.append(e)

    programs = []
    for p in res["anggaran_program.csv"].to_dict("records"):
        p["mark"] = Markup("")
        if p["anggaran"] != p["anggaran_pk"]:
            p["mark"] = c.note_difference("Anggaran per program", p["program"], "anggaran PK",
                                          fmt.number(p["anggaran_pk"]), fmt.number(p["anggaran"]),
                                          "jumlah rincian sub-kegiatan berbeda dengan pagu "
                                          "program pada Perjanjian Kinerja")
        programs.append(p)

    budget_rows = c.budget_rows()

    iku_names = dict(zip(ds["iku.csv"]["kode_iku"], ds["iku.csv"]["indikator"]))
    tw_kinerja = []
    pk_target = dict(zip(res["ringkasan_iku.csv"]["kode_iku"],
                         res["ringkasan_iku.csv"]["target_pk"]))
    for t in _records(res.get("triwulan_kinerja.csv")):
        t["indikator"] = iku_names[t["kode_iku"]]
        key = f"TW {t['triwulan']} {t['indikator']}"
        t["mark"] = c.check("Triwulan kinerja", key, "capaian", t["capaian_cetak"],
                            t["capaian_cetak_teks"], t["capaian"], fmt.percent(t["capaian"]))
        t["mark_target"] = Markup("")
        if t["target_tahunan_cetak"] != pk_target.get(t["kode_iku"]):
            t["mark_target"] = c.note_difference(
                "Triwulan kinerja", key, "target tahunan", t["target_tahunan_cetak_teks"],
                fmt.percent(pk_target.get(t["kode_iku"])), "target tahunan berbeda dengan PK")
        tw_kinerja.append(t)
    tw_keuangan = []
    for t in _records(res.get("triwulan_keuangan.csv")):
        t["mark"] = c.check("Triwulan keuangan", f"TW {t['triwulan']} {t['kegiatan_cetak']}",
                            "capaian", t["capaian_cetak"], t["capaian_cetak_teks"],
                            t["capaian"], fmt.percent(t["capaian"]))
        tw_keuangan.append(t)

    parts, parts_total = {}, {}
    for p in _records(res.get("rincian_pembilang.csv")):
        parts.setdefault(p["kode_iku"], []).append(p)
    for t in _records(res.get("rincian_total.csv")):
        t["mark"] = c.check("Rincian " + iku_names[t["kode_iku"]], str(ds.year), "jumlah",
                            t["total_cetak"], None if t["total_cetak"] is None
                            else str(t["total_cetak"]), t["total"], fmt.number(t["total"]))
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
    }


def _records(df) -> list[dict]:
    return [] if df is None or df.empty else df.to_dict("records")


def caveats(ds: Dataset, res) -> list[str]:
    notes = [
        "Realisasi indikator berbentuk persen dibulatkan ke jumlah desimal yang ditetapkan "
        "pada iku.csv sebelum capaian dihitung, sama seperti angka yang dilaporkan.",
        "Pembulatan memakai aturan setengah ke atas (0,125 menjadi 0,13).",
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


def render_html(ds: Dataset, res: dict, figures: dict[str, Path]) -> str:
    """Two passes: the first numbers tables, figures and headings for the lists."""
    template = _environment().get_template("lkip.html.j2")
    srcs = {key: data_uri(path) for key, path in figures.items()}
    first = Context(ds, res, srcs)
    html = template.render(lists={"tables": [], "figures": []}, toc=[],
                           n_differences=0, **_variables(first))
    second = Context(ds, res, srcs)
    variables = _variables(second)
    html = template.render(lists={"tables": first.tables.items,
                                  "figures": first.figures.items},
                           toc=_toc(html), n_differences=len(first.differences),
                           **variables)
    return html


def render_pdf(html: str, path: Path) -> None:
    from weasyprint import HTML

    HTML(string=html, base_url=str(TEMPLATES)).write_pdf(path)



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
