"""Indonesian sentences generated from the figures, and safe rendering of analysts' Markdown.

Sentences that state figures are built here from the same values as the tables, so the text
and the tables cannot disagree.
"""

from __future__ import annotations

from decimal import Decimal

from markdown_it import MarkdownIt

from . import formatting as fmt

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

ANGKA = {1: "satu", 2: "dua", 3: "tiga", 4: "empat", 5: "lima", 6: "enam", 7: "tujuh",
         8: "delapan", 9: "sembilan", 10: "sepuluh"}


def markdown(text: str, shift_headings: int = 2) -> str:
    """Markdown to HTML with raw HTML disabled: people's text stays text."""
    html = _MD.render(text)
    for level in range(6, 0, -1):
        new = min(level + shift_headings, 6)
        html = html.replace(f"<h{level}>", f"<h{new}>").replace(f"</h{level}>", f"</h{new}>")
    return html


def count(n: int) -> str:
    """`2 (dua)` as Indonesian official documents write counts."""
    return f"{n} ({ANGKA[n]})" if n in ANGKA else str(n)


def compare_previous(indikator, year, realisasi, previous) -> str:
    if previous is None or realisasi is None:
        return f"Realisasi {indikator} tahun {year - 1} tidak tersedia untuk pembanding."
    diff = realisasi - previous
    if diff == 0:
        return (f"Realisasi {indikator} tahun {year} ({fmt.percent(realisasi)}) sama dengan "
                f"tahun {year - 1}; tidak ada perubahan.")
    arah = "naik" if diff > 0 else "turun"
    return (f"Realisasi {indikator} {arah} {fmt.number(abs(diff), 2)} poin, dari "
            f"{fmt.percent(previous)} pada tahun {year - 1} menjadi {fmt.percent(realisasi)} "
            f"pada tahun {year}.")


def compare_renstra(indikator, realisasi, end_year, end_target, progress) -> str:
    """progress is the capaian against the end-of-period target, polarity included."""
    if end_target is None or realisasi is None or progress is None:
        return f"Target akhir periode Renstra untuk {indikator} tidak tersedia."
    if progress >= 100:
        return (f"Realisasi {fmt.percent(realisasi)} telah mencapai target akhir periode "
                f"Renstra tahun {end_year} sebesar {fmt.percent(end_target)} "
                f"(capaian {fmt.percent(progress)} terhadap target akhir).")
    return (f"Realisasi {fmt.percent(realisasi)} baru mencapai capaian {fmt.percent(progress)} "
            f"terhadap target akhir periode Renstra tahun {end_year} sebesar "
            f"{fmt.percent(end_target)}.")


def compare_province(indikator, realisasi, target, polaritas="positif") -> str:
    if target is None or realisasi is None:
        return f"Tidak ada target provinsi pembanding untuk {indikator}."
    diff = realisasi - target
    if diff == 0:
        return (f"Realisasi {indikator} ({fmt.percent(realisasi)}) sama dengan target provinsi "
                f"sebesar {fmt.percent(target)}.")
    posisi = "di atas" if diff > 0 else "di bawah"
    better = diff > 0 if polaritas != "negatif" else diff < 0
    nilai = ("lebih baik dari target provinsi" if better
             else "belum mencapai target provinsi")
    return (f"Realisasi {indikator} ({fmt.percent(realisasi)}) berada {posisi} target provinsi "
            f"sebesar {fmt.percent(target)}, selisih {fmt.number(abs(diff), 2)} poin: {nilai}.")


def capaian_sentence(r) -> str:
    if r.capaian is None:
        return (f"Capaian {r.indikator} tidak dapat dihitung: {r.capaian_alasan}.")
    return (f"Dengan target {fmt.percent(r.target_pk)} dan realisasi {fmt.percent(r.realisasi)}, "
            f"capaian {r.indikator} adalah {fmt.percent(r.capaian)} "
            f"({r.keterangan.lower()}, predikat {r.predikat}).")


def efficiency_sentence(e) -> str:
    if e.efisiensi is None:
        return f"Tingkat efisiensi sasaran {e.kode_sasaran} tidak dapat dihitung."
    kata = "efisien" if e.efisiensi >= 0 else "belum efisien"
    return (f"Capaian kinerja {fmt.percent(e.capaian_kinerja)} diraih dengan penyerapan "
            f"anggaran {fmt.percent(e.capaian_anggaran)} ({fmt.rupiah(e.realisasi_anggaran)} dari "
            f"{fmt.rupiah(e.anggaran)}), sehingga tingkat efisiensi "
            f"{fmt.points(e.efisiensi)} poin: penggunaan sumber daya {kata}.")


def summary_sentence(summary, total, year: int) -> str:
    n = len(summary)
    met = sum(1 for k in summary["keterangan"] if k == "Mencapai Target")
    if met == n:
        status = f"seluruh {count(n)} indikator kinerja utama mencapai target"
    else:
        status = f"{count(met)} dari {count(n)} indikator kinerja utama mencapai target"
    return (f"Pada tahun {year} {status}. Pagu anggaran seluruh program "
            f"{fmt.rupiah(total['anggaran'])} terealisasi {fmt.rupiah(total['realisasi'])} "
            f"({fmt.percent(total['persentase'])}).")


def absorption_sentence(programs) -> str:
    df = programs[programs["persentase"].notna()]
    low = df.loc[df["persentase"].map(Decimal).idxmin()]
    high = df.loc[df["persentase"].map(Decimal).idxmax()]
    return (f"Penyerapan tertinggi pada {high['program']} ({fmt.percent(high['persentase'])}) "
            f"dan terendah pada {low['program']} ({fmt.percent(low['persentase'])}).")
