"""Indonesian sentences generated from the figures, and safe rendering of analysts' Markdown.

Sentences that state figures are built here from the same values as the tables, so the text
and the tables cannot disagree.
"""

from __future__ import annotations

import re
from decimal import Decimal

from markdown_it import MarkdownIt

from ..read import formatting as fmt
from ..read.units import PERCENT, Unit

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never copied into the report


def _image_as_note(renderer, tokens, index, options, env) -> str:
    """A report loads nothing a narrative names: an image shows as a visible note instead."""
    from markupsafe import escape

    token = tokens[index]
    alt = "".join(child.content for child in token.children or [])
    return (f'<span class="gambar-ditolak">[gambar tidak dimuat: {escape(alt)} '
            f'({escape(token.attrGet("src") or "")[:80]})]</span>')


_MD.add_render_rule("image", _image_as_note)

# the links a narrative keeps, by scheme, with the part of the address each must have: any
# other target (`//host/share`, `/etc/passwd`, `doc.pdf`, `file:`, `ftp:`) would become a link
# into the reader's or the builder's machine, so it is printed as text
KEPT_LINKS = {"http": "netloc", "https": "netloc", "mailto": "path"}
SHOWN_TARGET = 80  # characters of a refused target printed in its note


def kept_link(href: str) -> bool:
    """A web page or an e-mail address: the only targets a narrative link may have."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(href)
    except ValueError:  # an address that does not parse is not kept
        return False
    needed = KEPT_LINKS.get(parts.scheme.lower())
    return needed is not None and bool(getattr(parts, needed))


def _link_open(renderer, tokens, index, options, env) -> str:
    """A kept link opens as a link; any other keeps its text and is closed by a note."""
    href = tokens[index].attrGet("href") or ""
    refused = None if kept_link(href) else href
    env.setdefault("refused_links", []).append(refused)
    return renderer.renderToken(tokens, index, options, env) if refused is None else ""


def _link_close(renderer, tokens, index, options, env) -> str:
    """After a refused link's text, its target as a visible note, like a refused image."""
    from markupsafe import escape

    refused = env["refused_links"].pop()
    if refused is None:
        return renderer.renderToken(tokens, index, options, env)
    target = _MD.normalizeLinkText(refused)
    if len(target) > SHOWN_TARGET:
        target = target[:SHOWN_TARGET - 1] + "…"
    return f' <span class="tautan-ditolak">[tautan tidak dibuat: {escape(target)}]</span>'


# every target reaches the renderer, which keeps only KEPT_LINKS: one rule, shown the same
# way whatever the scheme (markdown-it itself would leave `file:` as raw Markdown)
_MD.validateLink = lambda url: True
_MD.add_render_rule("link_open", _link_open)
_MD.add_render_rule("link_close", _link_close)

ANGKA = {1: "satu", 2: "dua", 3: "tiga", 4: "empat", 5: "lima", 6: "enam", 7: "tujuh",
         8: "delapan", 9: "sembilan", 10: "sepuluh"}


def markdown(text: str, shift_headings: int = 2) -> str:
    """Markdown to HTML with raw HTML disabled: people's text stays text."""
    html = _MD.render(_CONTROL.sub("", text))
    for level in range(6, 0, -1):
        new = min(level + shift_headings, 6)
        html = html.replace(f"<h{level}>", f"<h{new}>").replace(f"</h{level}>", f"</h{new}>")
    # a narrative table's header row heads its columns, in the tagged PDF too
    return re.sub(r"<th(?=[ >])", '<th scope="col"', html)


def count(n: int) -> str:
    """`2 (dua)` as Indonesian official documents write counts."""
    return f"{n} ({ANGKA[n]})" if n in ANGKA else str(n)


def compare_previous(indikator, year, realisasi, previous, unit: Unit = PERCENT) -> str:
    if previous is None or realisasi is None:
        return f"Realisasi {indikator} tahun {year - 1} tidak tersedia untuk pembanding."
    diff = realisasi - previous
    if diff == 0:
        return (f"Realisasi {indikator} tahun {year} ({unit.show(realisasi)}) sama dengan "
                f"tahun {year - 1}; tidak ada perubahan.")
    arah = "naik" if diff > 0 else "turun"
    return (f"Realisasi {indikator} {arah} {unit.difference(abs(diff))}, dari "
            f"{unit.show(previous)} pada tahun {year - 1} menjadi {unit.show(realisasi)} "
            f"pada tahun {year}.")


def compare_renstra(indikator, realisasi, end_year, end_target, progress,
                    unit: Unit = PERCENT) -> str:
    """progress is the capaian against the end-of-period target, polarity included."""
    if end_target is None or realisasi is None or progress is None:
        return f"Target akhir periode Renstra untuk {indikator} tidak tersedia."
    if progress >= 100:
        return (f"Realisasi {unit.show(realisasi)} telah mencapai target akhir periode "
                f"Renstra tahun {end_year} sebesar {unit.show(end_target)} "
                f"(capaian {fmt.percent(progress)} terhadap target akhir).")
    return (f"Realisasi {unit.show(realisasi)} baru mencapai capaian {fmt.percent(progress)} "
            f"terhadap target akhir periode Renstra tahun {end_year} sebesar "
            f"{unit.show(end_target)}.")


def compare_province(indikator, realisasi, target, polaritas="positif", unit: Unit = PERCENT,
                     level: str = "provinsi") -> str:
    """level: whose target is the benchmark (provinsi for a regency, nasional for a province)."""
    if target is None or realisasi is None:
        return f"Tidak ada target {level} pembanding untuk {indikator}."
    diff = realisasi - target
    if diff == 0:
        return (f"Realisasi {indikator} ({unit.show(realisasi)}) sama dengan target {level} "
                f"sebesar {unit.show(target)}.")
    posisi = "di atas" if diff > 0 else "di bawah"
    better = diff > 0 if polaritas != "negatif" else diff < 0
    nilai = (f"lebih baik dari target {level}" if better
             else f"belum mencapai target {level}")
    return (f"Realisasi {indikator} ({unit.show(realisasi)}) berada {posisi} target {level} "
            f"sebesar {unit.show(target)}, selisih {unit.difference(abs(diff))}: {nilai}.")


def capaian_sentence(r, unit: Unit = PERCENT) -> str:
    if r.capaian is None:
        return (f"Capaian {r.indikator} tidak dapat dihitung: {r.capaian_alasan}.")
    return (f"Dengan target {unit.show(r.target_pk)} dan realisasi {unit.show(r.realisasi)}, "
            f"capaian {r.indikator} adalah {fmt.percent(r.capaian)} "
            f"({r.keterangan.lower()}, predikat {r.predikat}).")


def efficiency_sentence(e) -> str:
    if e.efisiensi is None and getattr(e, "capaian_kinerja_label", None):
        return (f"Tingkat efisiensi {e.indikator} tidak dihitung: capaiannya dinilai pada skala "
                f"label ({e.capaian_kinerja_label.lower()}), bukan dalam persen.")
    if e.efisiensi is None:
        reason = ("sasaran ini tidak didukung program dengan anggaran" if not e.anggaran
                  else "capaian kinerja atau anggaran tidak tersedia")
        return f"Tingkat efisiensi {e.indikator} tidak dapat dihitung: {reason}."
    kata = "efisien" if e.efisiensi >= 0 else "belum efisien"
    return (f"Capaian kinerja {fmt.percent(e.capaian_kinerja)} diraih dengan penyerapan "
            f"anggaran {fmt.percent(e.capaian_anggaran)} ({fmt.rupiah(e.realisasi_anggaran)} dari "
            f"{fmt.rupiah(e.anggaran)}), sehingga tingkat efisiensi "
            f"{fmt.points(e.efisiensi)} poin: penggunaan sumber daya {kata}.")


def efficiency_summary(rows) -> str:
    """The Ikhtisar's one sentence on efficiency; Bab III gives it per IKU."""
    known = [r for r in rows if r["efisiensi"] is not None]
    if not known:
        return "Tingkat efisiensi tidak dapat dihitung untuk IKU mana pun."
    good = sum(1 for r in known if r["efisiensi"] >= 0)
    # an IKU judged on a scale of labels has no capaian in percent to set against a budget
    which = "IKU berangka" if any(r.get("capaian_kinerja_label") for r in rows) else "IKU"
    return (f"Penggunaan sumber daya efisien (capaian kinerja tidak lebih rendah dari capaian "
            f"anggaran sasarannya) pada {count(good)} dari {count(len(known))} {which} yang "
            "sasarannya didukung anggaran; rinciannya pada Bab III.")


def listed(text: str | None) -> str:
    """`A;B` as people read a list: `A; B`."""
    return "; ".join(part.strip() for part in (text or "").split(";") if part.strip())


def sasaran_sentence(s, rule_text: str) -> str:
    """The capaian of a sasaran measured by several IKU, and the rule that gives it."""
    labelled = int(getattr(s, "jumlah_iku_label", 0) or 0)
    if labelled and labelled == int(s.jumlah_iku):
        return (f"Sasaran ini diukur dengan {count(labelled)} IKU kualitatif (label pada skala); "
                f"capaian sasaran tidak dinyatakan dalam persen: {s.keterangan.lower()}.")
    if s.capaian is None:
        return "Capaian sasaran tidak dapat dihitung karena capaian salah satu IKU-nya tidak ada."
    if labelled:
        rule_text += (f" yang berupa angka ({count(labelled)} IKU kualitatif tidak ikut "
                      "dihitung)")
    return (f"Sasaran ini diukur dengan {count(int(s.jumlah_iku))} IKU; capaian sasaran, "
            f"yaitu {rule_text}, adalah {fmt.percent(s.capaian)} ({s.keterangan.lower()}, "
            f"predikat {s.predikat}).")


def formula_text(iku: dict) -> str:
    """The IKU's formula as the decree prints it; none for an indicator measured directly."""
    top, bottom, times = iku.get("pembilang"), iku.get("penyebut"), iku.get("pengali")
    if not top or not bottom:
        return "–"
    ratio = f"{top} ÷ {bottom}"
    return f"({ratio}) × {times}" if times not in (None, 1) else ratio


def _iku_status(summary) -> str:
    """How many IKU met their target; those whose capaian cannot be computed yet (a draft's
    blank realisasi) are said apart, not counted as missing it."""
    n = len(summary)
    unknown = sum(1 for v in summary["capaian"] if v is None)
    met = sum(1 for k in summary["keterangan"] if k == "Mencapai Target")
    if unknown == n:
        return (f"capaian {'satu-satunya' if n == 1 else 'seluruh ' + count(n)} indikator "
                "kinerja utama belum dapat dihitung")
    if unknown:
        return (f"{count(met)} dari {count(n)} indikator kinerja utama mencapai target; "
                f"capaian {count(unknown)} indikator lainnya belum dapat dihitung")
    if n == 1:
        return ("satu-satunya indikator kinerja utama " +
                ("mencapai target" if met else "belum mencapai target"))
    if met == n:
        return f"seluruh {count(n)} indikator kinerja utama mencapai target"
    return f"{count(met)} dari {count(n)} indikator kinerja utama mencapai target"


def summary_sentence(summary, total, year: int) -> str:
    return (f"Pada tahun {year}, {_iku_status(summary)}. "
            f"{budget_sentence(total, 'Pagu anggaran seluruh program')}")


def budget_sentence(total, pagu: str, rincian: str = "", sumber: str = "") -> str:
    """`Pagu … Rp20.619.848.861 terealisasi Rp16.798.152.892 (81,47%).`; a year whose budget
    has no realisasi yet (a draft) says that instead of `terealisasi Rp0 (0,00%)`, and one
    without its rincian pagu says that. rincian: `menurut rincian sub-kegiatan `, as the
    chapter qualifies the pagu; sumber: the budget's word (APBD) for a missing rincian."""
    if total["realisasi"]:
        return (f"{pagu} {rincian}{fmt.rupiah(total['anggaran'])}, terealisasi "
                if rincian else f"{pagu} {fmt.rupiah(total['anggaran'])} terealisasi ") + \
            f"{fmt.rupiah(total['realisasi'])} ({fmt.percent(total['persentase'])})."
    if total["anggaran"]:
        return f"{pagu} {rincian}{fmt.rupiah(total['anggaran'])}; realisasinya belum diisi."
    sebut = f" {sumber}" if sumber else ""
    pk = f" (pagu Perjanjian Kinerja {fmt.rupiah(total['anggaran_pk'])})" \
        if total.get("anggaran_pk") else ""
    return f"Rincian pagu anggaran{sebut} dan realisasinya belum diisi{pk}."


def absorption_sentence(programs) -> str:
    df = programs[programs["persentase"].notna()]
    if len(df) < 2:
        return ""
    low = df.loc[df["persentase"].map(Decimal).idxmin()]
    high = df.loc[df["persentase"].map(Decimal).idxmax()]
    if Decimal(high["persentase"]) == Decimal(low["persentase"]):
        return ""  # nothing to tell apart (a year without realisasi: every program at 0%)
    return (f"Penyerapan tertinggi pada {high['program']} ({fmt.percent(high['persentase'])}) "
            f"dan terendah pada {low['program']} ({fmt.percent(low['persentase'])}).")


def tindak_lanjut_sentence(rows: list[dict], year: int) -> str:
    done = sum(1 for t in rows if t["status"].strip().lower() == "selesai")
    return (f"Dari {len(rows)} rekomendasi evaluasi SAKIP tahun {year - 1}, {done} berstatus "
            f"selesai dan {len(rows) - done} masih dalam proses.")


def formula_sentence(summary) -> str:
    """How capaian is computed, naming only the formulas this report's IKU use."""
    from ..compute.indicators import FORMULAS
    from ..compute.qualitative import SKALA

    used = {}
    for r in summary.itertuples():
        if r.rumus != SKALA:  # judged on a scale: said under the capaian table
            used.setdefault(r.rumus, []).append(r.indikator)
    if not used:
        return "Capaian setiap IKU dinilai pada skala labelnya."
    parts = []
    for code, names in used.items():
        who = ("indikator berpolaritas positif" if code == "R/T"
               else "indikator berpolaritas negatif " + ", ".join(names))
        parts.append(f"{FORMULAS[code].text} untuk {who}")
    return "Capaian dihitung sebagai " + "; ".join(parts) + "."
