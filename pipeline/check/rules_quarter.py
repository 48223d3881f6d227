"""Rules that only a quarter-by-quarter view needs: a part, an IKU or a signature block the
quarter's report leaves out, the year's data not there yet to compare TW IV with, a name
printed differently from the other quarters, figures printed in a foreign number format."""

from __future__ import annotations

from .rules import Outcome, Row, rule
from .severity import INFO, WARNING


def absent(field: str, expected: str, fact: str = "ada"):
    """A rule's test for something the report should hold (the fact false): printed `–`,
    and what was expected (a template over the row's facts)."""
    def test(row: Row) -> Outcome | None:
        if row.facts[fact]:
            return None
        return Outcome(field, "–", expected.format(**row.facts))
    return test


rule("TAHUNAN-BELUM-ADA", "tahunan", ("ada",), INFO,
     "Realisasi TW IV belum dapat dibandingkan dengan realisasi tahunan: data tahunan belum "
     "lengkap ({masalah})")(absent("realisasi", "realisasi tahunan"))
rule("TRIWULAN-BAGIAN-TIDAK-ADA", "bagian_triwulan", ("ada",), INFO, "{catatan}")(
    absent("triwulan", "baris triwulan {triwulan}"))
rule("TRIWULAN-IKU-TIDAK-ADA", "iku_triwulan", ("ada",), INFO,
     "{indikator} tidak dilaporkan pada triwulan {triwulan}")(absent("kode_iku", "{kode_iku}"))
rule("TANDA-TANGAN-TIDAK-ADA", "bagian_triwulan", ("ditandatangani",), WARNING,
     "{bagian_nama} Triwulan {triwulan} tercetak tanpa blok tanda tangan")(
    absent("bagian", "{bagian}", fact="ditandatangani"))


@rule("NAMA-BERBEDA-ANTAR-TRIWULAN", "nama_triwulan", ("nama",), WARNING,
      "Nama {jenis} pada realisasi no. {no} tercetak berbeda dengan triwulan {triwulan_lain}")
def renamed(row: Row) -> Outcome | None:
    """The name most quarters print is taken as meant (nama_dimaksud)."""
    from .rules_identity import same_words

    printed, meant = row.facts["nama"], row.facts["nama_dimaksud"]
    return None if same_words(printed, meant) else \
        Outcome(row.facts["kolom"], printed, meant)


@rule("FORMAT-ANGKA", "angka_triwulan", ("asing",), INFO,
      "Angka laporan TW {triwulan} tercetak dengan tanda desimal titik atau pemisah ribuan "
      "koma; dibaca dengan benar, format Indonesia memakai koma desimal dan titik ribuan")
def foreign_format(row: Row) -> Outcome | None:
    """Figures read right but printed `22.05%`, `480,000,000`: one note per row, the cells
    as printed and in Indonesian format (`asing`: column, printed, Indonesian)."""
    cells = row.facts["asing"]
    if not cells:
        return None
    return Outcome(", ".join(c[0] for c in cells), "; ".join(c[1] for c in cells),
                   "; ".join(c[2] for c in cells))
