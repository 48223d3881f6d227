"""Rules that compare one figure printed in two places: the PK against the budget's
rincian, a quarterly report against the PK and the year, the efficiency table against its
sources. A typed data folder gives these rows (findings.Checker, quarterly_checks), and so do
the tables read from a received document, where the same indicator or program is found twice.

Each row holds the figure as printed here (`value`) and as printed in the other place
(`recomputed`).
"""

from __future__ import annotations

from ..read import formatting as fmt
from .rules import Outcome, Row, above, difference, rule, unequal
from .severity import ERROR


@rule("JUMLAH-PROGRAM-PK", "program_pk", ("anggaran",), ERROR,
      "Pagu {program} pada PK ({pk}) berbeda dengan jumlah rincian sub-kegiatannya ({sum}), "
      "selisih {gap}")
def program_budget_against_kegiatan(row: Row) -> Outcome | None:
    figure = row.figures["anggaran"]
    if figure.value is None or figure.recomputed is None:
        return None
    return unequal(row, "anggaran", pk=fmt.rupiah(figure.value),
                   sum=fmt.rupiah(figure.recomputed),
                   gap=fmt.rupiah(abs(figure.recomputed - figure.value)))


@rule("IKU-PK", "iku_pk", ("kode_iku",), ERROR,
      "IKU {kode_iku} dalam keputusan IKU tidak ada di Perjanjian Kinerja")
def iku_in_pk(row: Row) -> Outcome | None:
    if row.facts.get("in_pk"):
        return None
    return Outcome("kode_iku", "–", row.facts["kode_iku"])


@rule("TRIWULAN-TARGET-PK", "triwulan_kinerja", ("target_tahunan_cetak",), ERROR,
      "Target tahunan pada laporan TW {triwulan} berbeda dengan target PK {expected}")
def quarter_target_against_pk(row: Row) -> Outcome | None:
    return unequal(row, "target_tahunan_cetak")


@rule("TRIWULAN-IV-TAHUNAN", "triwulan_kinerja", ("realisasi_tahunan",), ERROR,
      "Realisasi TW IV {indikator} ({printed}{counted}) berbeda dengan realisasi tahunan "
      "({expected})")
def fourth_quarter_kinerja_against_year(row: Row) -> Outcome | None:
    return unequal(row, "realisasi_tahunan")


@rule("TRIWULAN-IV-TAHUNAN", "triwulan_keuangan", ("realisasi_tahunan",), ERROR,
      "Realisasi keuangan TW IV {kegiatan} berbeda dengan realisasi tahunan")
def fourth_quarter_keuangan_against_year(row: Row) -> Outcome | None:
    return unequal(row, "realisasi_tahunan")


@rule("TRIWULAN-ANGGARAN", "triwulan_keuangan", ("anggaran_tahunan",), ERROR,
      "Anggaran {kegiatan} pada laporan TW {triwulan} berbeda dengan tabel realisasi anggaran")
def quarter_budget_against_year(row: Row) -> Outcome | None:
    return unequal(row, "anggaran_tahunan")


@rule("TRIWULAN-TARGET-TW-PK", "triwulan_kinerja", ("target_kumulatif",), ERROR,
      {"IV": "{what} berbeda dengan target PK ({pk})",
       "default": "{what} melebihi target PK ({pk})"})
def quarter_target_to_date_against_pk(row: Row) -> Outcome | None:
    """At TW IV the target to date is the PK target; before, an IKU counted up (R/T) never
    has a target to date above it."""
    figure = row.figures["target_kumulatif"]
    if figure.value is None or figure.recomputed is None:
        return None
    pk = row.facts["show"](figure.recomputed)
    if row.facts["triwulan"] == "IV":
        found = unequal(row, "target_kumulatif", pk=pk)
        return None if found is None else Outcome(found.field, found.printed, found.expected,
                                                  found.words, message="IV")
    return above(row, "target_kumulatif", figure.recomputed, pk=pk) \
        if row.facts["rumus"] == "R/T" else None


@rule("TRIWULAN-TARGET-ANGGARAN", "triwulan_keuangan", ("target_kumulatif",), ERROR,
      "Target keuangan TW {triwulan} {kegiatan} melebihi anggarannya")
def quarter_target_against_budget(row: Row) -> Outcome | None:
    return above(row, "target_kumulatif", row.figures["target_kumulatif"].recomputed)


@rule("EFISIENSI-SUMBER", "efisiensi", ("target", "realisasi"), ERROR,
      "{Name} pada tabel efisiensi berbeda dengan PK/realisasi tahunan")
def efficiency_against_sources(row: Row) -> list[Outcome]:
    found = [unequal(row, name, Name=name.capitalize()) for name in ("target", "realisasi")
             if name in row.figures]
    return [outcome for outcome in found if outcome is not None]


@rule("KALIMAT-TABEL", "kalimat", ("nilai",), ERROR,
      "{what}: kalimat \"{kalimat}\" menyebut {printed}, tabel ({tempat_tabel}) mencetak "
      "{expected}")
def sentence_against_table(row: Row) -> Outcome | None:
    """A figure a sentence states about an indicator against the figure its table prints;
    the sentence may round it to fewer decimals."""
    figure = row.figures["nilai"]
    if figure.value is None or figure.recomputed is None:
        return None
    return None if difference(figure.value, figure.text, figure.recomputed) is None else \
        unequal(row, "nilai")


@rule("JUMLAH-KALIMAT", "rincian_kalimat", ("jumlah",), ERROR,
      "{what}: jumlah yang disebut ({printed}) berbeda dengan jumlah {bagian} rinciannya "
      "({expected})")
def stated_total(row: Row) -> Outcome | None:
    return unequal(row, "jumlah")
