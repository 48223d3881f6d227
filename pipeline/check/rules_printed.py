"""Rules on a printed derived figure against its recomputation: a capaian, a persentase, an
efficiency table, a quarterly capaian, a subtotal, a printed total or average, and the words
`Mencapai target` printed beside a capaian. The compute stage (or, for a received document,
the same compute functions on the document's own cells) gives the recomputed value; a rule
only compares (rules.derived)."""

from __future__ import annotations

import functools

from ..compute import printed_totals
from ..read import formatting as fmt
from ..read.numbers import printed_decimals, round_half_up
from . import rules
from .rules import Outcome, Row, rule
from .severity import ERROR, INFO, WARNING

# a realisasi the source left blank but a list fills in: the gap itself is worth a note
FILLED_FROM_LISTS = ("REALISASI-DAFTAR",)
# every printed derived figure: its id, the kind of row it reads and the printed figures of
# that row it compares with their recomputation
DERIVED = {
    "CAPAIAN-TERCETAK": ("capaian_tahunan", ("capaian_cetak",)),
    "REALISASI-DAFTAR": ("capaian_tahunan", ("realisasi",)),
    "PERSENTASE-REALISASI": ("sub_kegiatan", ("persentase_cetak",)),
    "EFISIENSI-TERCETAK": ("efisiensi", ("capaian_kinerja", "anggaran", "realisasi_anggaran",
                                         "capaian_anggaran", "efisiensi")),
    "CAPAIAN-TRIWULAN": ("capaian_triwulan", ("capaian_cetak",)),
    "SUBTOTAL-TERCETAK": ("subtotal", ("anggaran", "realisasi", "persentase_cetak")),
    "TOTAL-RINCIAN": ("rincian_total", ("total_cetak",)),
}


def _declare_derived() -> None:
    for check, (kind, figures) in DERIVED.items():
        listed = check in FILLED_FROM_LISTS
        rule(check, kind, figures, ERROR, rules.DERIVED_MESSAGES)(functools.partial(
            rules.each_derived, names=figures, blank=listed, gap=INFO if listed else ERROR))


_declare_derived()


def labelled(row: Row) -> Outcome | None:
    """A capaian printed for an IKU measured by labels: it has no percentage to check
    against, so a printed one is noted with the label comparison made instead."""
    text = row.figures["capaian_cetak"].text
    if text is None:
        return None
    made = row.facts["capaian_label"] or "tidak dapat dihitung"
    return Outcome("capaian_cetak", text, made, {"made": made.lower()})


LABELLED = ("{what}: tercetak {printed}; IKU diukur dengan label skala {skala}, capaiannya "
            "dinilai dengan membandingkan label (realisasi {realisasi}, target {target}): "
            "{made}")
rule("CAPAIAN-TERCETAK", "capaian_tahunan_label", ("capaian_cetak",), INFO,
     LABELLED)(labelled)
rule("CAPAIAN-TRIWULAN", "capaian_triwulan_label", ("capaian_cetak",), INFO,
     LABELLED)(labelled)


@rule("KETERANGAN-TERCETAK", "capaian_tahunan", ("keterangan_cetak",), ERROR,
      "Keterangan {indikator} {tahun} tidak sesuai capaian")
def printed_verdict(row: Row) -> Outcome | None:
    """`Mencapai target` printed beside a capaian that says otherwise; the words of the
    capaian's label (`Lebih baik`) are accepted too."""
    printed, facts = row.facts["keterangan_cetak"], row.facts
    said = {facts["keterangan"].lower()} | ({facts["capaian_label"].lower()}
                                            if facts.get("capaian_label") else set())
    if not printed or not facts.get("dinilai") or printed.strip().lower() in said:
        return None
    return Outcome("keterangan_cetak", printed, facts["keterangan"])


@rule("RINGKASAN-TERCETAK", "ringkasan", ("nilai_cetak",), ERROR, {
    "unknown": "{what}: tercetak {printed}, tidak dapat dihitung ulang karena capaian yang "
               "mendasarinya tidak tersedia",
    "rounding": "{what}: tercetak {printed}, hasil hitung ulang {expected}; selisih satu "
                "satuan desimal terakhir, setingkat pembulatan (mis. rata-rata dari capaian "
                "yang telah dibulatkan)",
    "wrong": "{what}: tercetak {printed}, seharusnya {expected}"})
def printed_summary(row: Row) -> Outcome | None:
    """A printed average or capaian sasaran against the one recomputed from unrounded
    capaian: one unit of the last printed decimal away is a warning (an average of rounded
    capaian), more an error."""
    figure = row.figures["nilai_cetak"]
    if figure.value is None:
        return None
    if figure.recomputed is None:
        return Outcome("nilai_cetak", figure.text, "–", severity=WARNING, message="unknown")
    found = printed_totals.severity(figure.value, figure.text, figure.recomputed)
    if found is None:
        return None
    places = printed_decimals(figure.text) or 0
    shown = fmt.percent(round_half_up(figure.recomputed, places), places)
    return Outcome("nilai_cetak", figure.text, shown, message=found,
                   severity=WARNING if found == "rounding" else None)
