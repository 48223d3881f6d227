"""`make import DOC=`: a received LKIP turned into the project's own workbook. The seed as
text and as Word gives the seed's data (approaching data/raw/2024, typed by hand), and the
report built from the imported workbook reproduces the document's figures."""

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pipeline import cli
from pipeline.errors import InputError
from pipeline.read import ingest
from pipeline.run import importer

from .conftest import MINIMAL, SEED_RAW, build_html

DOCUMENTS = Path(__file__).parent / "documents"
CHECK, UNKNOWN = ingest.IMPORT_SHEETS


def _import(tmp_path_factory, name: str) -> importer.Result:
    raw = tmp_path_factory.mktemp(f"import-{name}") / "raw"
    return importer.run(DOCUMENTS / name, "2024", raw, None, force=False)


@pytest.fixture(scope="module")
def from_text(tmp_path_factory):
    return _import(tmp_path_factory, "seed.md")


@pytest.fixture(scope="module")
def from_word(tmp_path_factory):
    return _import(tmp_path_factory, "seed.docx")


@pytest.fixture(params=["from_text", "from_word"])
def imported(request):
    return request.getfixturevalue(request.param)


def sheet(path: Path, name: str) -> list[dict]:
    """A sheet's rows below its header, every cell as the text written."""
    ws = openpyxl.load_workbook(path)[name]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    return [{h: ("" if v is None else v) for h, v in zip(header, row)} for row in rows[1:]
            if any(v not in (None, "") for v in row)]


def amount(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", ".") or "0")


def seed_csv(name: str) -> list[dict]:
    with open(SEED_RAW / "2024" / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# -- what the seed gives ----------------------------------------------------------------------

def test_iku_with_sasaran_units_formula_and_polarity(imported):
    iku = sheet(imported.path, "iku")
    assert [(r["kode_iku"], r["kode_sasaran"], r["indikator"], r["satuan"], r["desimal"],
             r["polaritas"], r["pembilang"], r["pengali"]) for r in iku] == [
        ("IKU1", "S1", "Persentase PMKS Mandiri", "%", "2", "positif", "Jumlah PMKS Mandiri",
         "100"),
        ("IKU2", "S2", "Persentase Desa Mandiri", "%", "2", "positif", "Jumlah Desa Mandiri",
         "100")]
    # the units in charge, one per Bidang, as the seed types them
    assert iku[1]["penanggung_jawab"] == ("Bidang Pembinaan Pemerintahan Lembaga "
                                          "Desa/Kelurahan; Bidang UEM")
    sasaran = sheet(imported.path, "sasaran")
    assert [r["uraian"] for r in sasaran] == [r["uraian"] for r in seed_csv("sasaran.csv")]


def test_pk_targets_and_the_realisasi_series(imported):
    assert [(r["kode_iku"], r["tahun"], r["target"])
            for r in sheet(imported.path, "target_pk")] == [
        ("IKU1", "2024", "22,05%"), ("IKU2", "2024", "8,60%")]
    series = {(r["kode_iku"], r["tahun"]): r for r in sheet(imported.path, "kinerja_tahunan")}
    assert sorted(series) == [(f"IKU{i}", str(y)) for i in (1, 2) for y in range(2018, 2025)]
    assert [(series[k]["target"], series[k]["realisasi"], series[k]["capaian_cetak"],
             series[k]["keterangan_cetak"]) for k in (("IKU1", "2024"), ("IKU2", "2024"))] == [
        ("22,05%", "25,06%", "113,65%", "Mencapai Target"),
        ("8,60%", "29,03%", "337,56%", "Mencapai Target")]
    assert (series[("IKU1", "2018")]["realisasi"], series[("IKU2", "2023")]["capaian_cetak"]) \
        == ("2,01%", "199,87%")
    # the seed prints no Desa Mandiri table for 2022: a blank row, to be filled, marked
    assert series[("IKU2", "2022")]["target"] == ""
    [gap] = [r for r in sheet(imported.path, CHECK)
             if r["sheet"] == "kinerja_tahunan" and r["sel"] == "C13"]
    assert gap["alasan"].startswith("tahun 2022 tidak tercetak di dokumen")


def test_programs_and_budgets_as_the_seed_typed_them(imported):
    programs = sheet(imported.path, "pk_program")
    typed = seed_csv("pk_program.csv")
    assert [(r["kode_program"], amount(r["anggaran"]), r["kode_sasaran"]) for r in programs] \
        == [(r["kode_program"], amount(r["anggaran"].strip("Rp. ,-")), r["kode_sasaran"])
            for r in typed]
    assert programs[0]["program"] == "Program Penunjang Urusan Pemerintah Daerah Kabupaten/ Kota"
    assert programs[0]["anggaran"] == "7.537.949.495"
    rows = sheet(imported.path, "realisasi_anggaran")
    typed_rows = seed_csv("realisasi_anggaran.csv")
    for program in ("P01", "P02", "P03", "P09"):  # every program's rows sum as the seed's
        for column in ("anggaran", "realisasi"):
            mine = sum(amount(r[column]) for r in rows if r["kode_program"] == program
                       and r[column] != "2.036.000.00")
            seed = sum(amount(r[column]) for r in typed_rows if r["kode_program"] == program
                       and r[column] != "2.036.000.00")
            assert mine == seed, (program, column)
    # the unread pagu is kept as printed, with the correction the PK's budget gives
    [unread] = [r for r in rows if r["anggaran"] == "2.036.000.00"]
    assert unread["sub_kegiatan"] == "Penyediaan Permakanan"
    [koreksi] = sheet(imported.path, "koreksi")
    assert (koreksi["kunci"], koreksi["kolom"], koreksi["nilai_koreksi"]) == (
        f"no={unread['no']}", "anggaran", "2.036.000.000")
    # a name a page break cut in two is one again
    assert any(r["sub_kegiatan"].endswith("Gerakan Pemberdayaan Masyarakat dan Kesejahteraan "
                                          "Keluarga") for r in rows)


def test_agency_and_head_from_the_signature_printed_most(imported):
    [row] = sheet(imported.path, "instansi")
    assert (row["nama_instansi"], row["pemerintah"], row["tingkat"], row["wilayah"],
            row["provinsi"]) == ("Dinas Sosial, Pemberdayaan Masyarakat dan Desa",
                                 "Pemerintah Kabupaten Barito Utara", "kabupaten",
                                 "Barito Utara", "Kalimantan Tengah")
    assert (row["kepala_nip"], row["kepala_nama"], row["atasan_nama"], row["atasan_jabatan"],
            row["tanggal_penandatanganan"], row["kota_penandatanganan"]) == (
        "19730927 199403 1 006", "Suparmi A. Aspian, S.ST, MT", "Muhlis",
        "Pj. Bupati Barito Utara", "18 Februari 2025", "Muara Teweh")
    assert row["kepala_jabatan"] == ("Kepala Dinas Sosial, Pemberdayaan Masyarakat dan Desa "
                                     "Kabupaten Barito Utara")


def test_uncertain_cells_are_coloured_commented_and_listed(imported):
    book = openpyxl.load_workbook(imported.path)
    unread = book["realisasi_anggaran"]["F8"]
    assert unread.value == "2.036.000.00"
    assert unread.fill.fgColor.rgb.endswith(importer.MARK_FILL)
    assert "angka tak terbaca '2.036.000.00'" in unread.comment.text
    listed = {(r["sheet"], r["sel"]): r for r in sheet(imported.path, CHECK)}
    assert "pemisah titik tidak setiap 3 digit" in listed[("realisasi_anggaran", "F8")]["alasan"]
    assert "kop surat" in listed[("instansi", "B2")]["alasan"]
    assert len(listed) == len({(m.file, m.row, m.column) for m in imported.imported.marks})


def test_what_was_not_recognised_is_listed(imported):
    unknown = sheet(imported.path, UNKNOWN)
    tables = {r["tempat"].split(",")[0].split(" (")[0]: r for r in unknown
              if r["jenis"] == "tabel"}
    assert "Desa Mandiri" in tables["tabel 24"]["teks"]  # the list of villages
    assert tables["tabel 31"]["alasan"].startswith("laporan triwulan yang belum diimpor")
    assert "tabel 26" not in tables and "tabel 9" not in tables  # budget, capaian: used
    paragraphs = [r for r in unknown if r["jenis"] == "paragraf"]
    assert any(r["teks"].startswith("Puji dan syukur") for r in paragraphs)


def test_every_cell_is_a_value_and_the_build_ignores_the_lists(imported):
    book = openpyxl.load_workbook(imported.path)
    assert {CHECK, UNKNOWN} <= set(book.sheetnames) and ingest.NOTES >= {CHECK, UNKNOWN}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)  # no formula
                assert cell.value is None or isinstance(cell.value, str)


# -- what a report built from it says --------------------------------------------------------

@pytest.mark.slow
def test_report_of_the_imported_word_document_reproduces_its_figures(tmp_path, from_word):
    """The report's figures, HTML and findings built from the imported workbook in this
    process (conftest: build_html): the notebooks run the same stages, and the PDF is made
    from this HTML."""
    html, _, found, entries = build_html(from_word.path.parent, 2024, tmp_path)
    ledger = {e.key: e.number for e in entries}

    def shown(key: str) -> Decimal:
        return ledger[key].quantize(Decimal("0.01"))

    assert shown("kinerja_seri:kode_iku=IKU1;tahun=2024:capaian") == Decimal("113.65")
    assert shown("kinerja_seri:kode_iku=IKU2;tahun=2024:capaian") == Decimal("337.56")
    assert (ledger["ringkasan_iku:kode_iku=IKU1:target_pk"],
            ledger["ringkasan_iku:kode_iku=IKU2:target_pk"]) == (Decimal("22.05"),
                                                                  Decimal("8.60"))
    assert (ledger["total:anggaran"], ledger["total:realisasi"]) == (
        Decimal("20619848861"), Decimal("16798152892"))  # the seed's, with its correction
    assert ledger["program:kode_program=P01:anggaran_pk"] == Decimal("7537949495")
    assert "113,65%" in html and "337,56%" in html
    errors = {(f.check, f.key, f.printed, f.expected) for f in found if f.severity == "error"}
    # what the audit finds in the document (test_document_across), found from its data
    assert {("PERSENTASE-REALISASI", "no=4", "22,64%", "75,64%"),
            ("JUMLAH-PROGRAM-PK", "kode_program=P01", "7.537.949.495", "7.568.789.495"),
            ("TRIWULAN-IV-TAHUNAN", "triwulan=IV;kode_iku=IKU1", "22,05%", "25,06%"),
            ("TRIWULAN-IV-TAHUNAN", "triwulan=IV;kode_iku=IKU2", "15,05%", "29,03%"),
            ("TRIWULAN-TARGET-PK", "triwulan=I;kode_iku=IKU2", "8,06%", "8,60%")} <= errors


# -- polarity from the document's formula, else from words -----------------------------------

SMALL = """# LAPORAN KINERJA INSTANSI PEMERINTAH

**PEMERINTAH KOTA CONTOH DINAS KESEHATAN**

Jl. Melati No. 5 Telp. (0123) 45678

**Indikator Kinerja Utama**

No\tSasaran Strategis\tIndikator Kinerja Utama\tFormula\tSumber Data\tPenanggung Jawab
1\tMenurunnya kematian ibu\tAngka Kematian Ibu\tKematian / Kelahiran hidup\tDinkes\tBidang Kesmas
2\tMenurunnya kemiskinan\tPersentase Penduduk Miskin\tMiskin / Penduduk x 100\tBPS\tBidang Sosial

**Perjanjian Kinerja Tahun 2025**

No\tSasaran Strategis\tIndikator Kinerja\tTarget
1\tMenurunnya kematian ibu\tAngka Kematian Ibu\t90
2\tMenurunnya kemiskinan\tPersentase Penduduk Miskin\t5,20%

**Target dan Realisasi Indikator Kinerja Utama Tahun 2025**

No\tIndikator Kinerja\tTarget\tRealisasi\tCapaian\tKeterangan
1\tAngka Kematian Ibu\t90\t80\t111,11%\tMencapai Target
2\tPersentase Penduduk Miskin\t5,20%\t5,00%\t-\t-
"""


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "kecil.md"
    path.write_text(SMALL, encoding="utf-8")
    return importer.run(path, None, tmp_path / "raw", None, force=False)


def test_polarity_from_the_printed_capaian_else_from_words(small):
    assert small.imported.year == 2025  # from the PK's title
    iku = sheet(small.path, "iku")
    # (2 × 90 − 80) ÷ 90 = 111,11 %: the document's own negative formula, not marked
    assert (iku[0]["polaritas"], iku[0]["rumus_negatif"], iku[0]["satuan"]) == (
        "negatif", "2T-R", "")
    # no capaian printed: its words say negative, the document's own formula for such an
    # indicator is taken, as the audit takes it, and the cell says why
    assert (iku[1]["polaritas"], iku[1]["rumus_negatif"], iku[1]["satuan"]) == (
        "negatif", "2T-R", "%")
    reasons = {(r["sheet"], r["sel"]): r["alasan"] for r in sheet(small.path, CHECK)}
    assert 'kata "penduduk miskin" pada nama indikator menandai polaritas negatif' in \
        reasons[("iku", "K3")]
    assert "seperti indikator berpolaritas negatif lain dalam dokumen ini" in \
        reasons[("iku", "K3")]
    assert ("iku", "K2") not in reasons
    assert reasons[("iku", "G2")].startswith("satuan tidak tercetak")
    [row] = sheet(small.path, "instansi")
    assert (row["tingkat"], row["nama_instansi"], row["pemerintah"]) == (
        "kota", "Dinas Kesehatan", "Pemerintah Kota Contoh")


PK_ONLY = """**PERJANJIAN KINERJA TAHUN 2025**

No\tSasaran Strategis\tIndikator Kinerja\tTarget
1\tMeningkatnya kemandirian PMKS\tPersentase PMKS Mandiri\t22,05%
2\tMeningkatnya desa mandiri\tPersentase Desa Mandiri\t8,60%
"""


def test_two_indicators_of_one_pk_are_two_iku_however_alike(tmp_path):
    # `persentase pmks mandiri` and `persentase desa mandiri` are 87 % alike, above the
    # likeness the audit uses to match a name printed twice: a PK's two rows are two IKU
    path = tmp_path / "pk.md"
    path.write_text(PK_ONLY, encoding="utf-8")
    done = importer.run(path, None, tmp_path / "raw", None, force=False)
    assert [(r["kode_iku"], r["indikator"], r["kode_sasaran"])
            for r in sheet(done.path, "iku")] == [
        ("IKU1", "Persentase PMKS Mandiri", "S1"), ("IKU2", "Persentase Desa Mandiri", "S2")]
    assert [(r["kode_iku"], r["target"]) for r in sheet(done.path, "target_pk")] == [
        ("IKU1", "22,05%"), ("IKU2", "8,60%")]
    reasons = {(r["sheet"], r["sel"]): r["alasan"] for r in sheet(done.path, CHECK)}
    assert reasons[("iku", "M2")] == "IKU hanya ditemukan di PK, tanpa tabel IKU: wajib diisi"


# -- what is never overwritten, and documents that cannot be read -----------------------------

def test_an_existing_workbook_or_data_folder_is_not_overwritten(tmp_path, from_text):
    raw = tmp_path / "raw"
    shutil.copytree(MINIMAL / "2025", raw / "2025")
    before = {p.name: p.read_bytes() for p in (raw / "2025").glob("*.csv")}
    with pytest.raises(InputError) as refused:
        importer.run(DOCUMENTS / "seed.md", "2025", raw, None, force=False)
    message = str(refused.value)
    assert "lkip_2025.xlsx: sudah ada data yang tidak ditimpa: iku.csv, instansi.csv, " \
           "kinerja_tahunan.csv, pk_program.csv, realisasi_anggaran.csv dan 7 lainnya" in message
    assert f"FORCE=1 untuk tetap mengimpor (file yang ada dipindahkan ke {raw}/2025-" \
           "sebelum-impor/)" in message
    assert {p.name: p.read_bytes() for p in (raw / "2025").glob("*.csv")} == before
    # FORCE=1: the data are moved aside whole, then the workbook is written
    done = importer.run(DOCUMENTS / "seed.md", "2025", raw, None, force=True)
    assert done.moved == raw / "2025-sebelum-impor"
    aside = done.moved
    assert {p.name: p.read_bytes() for p in aside.glob("*.csv")} == before
    assert sorted(p.name for p in (aside / "narasi").iterdir()) == sorted(
        p.name for p in (MINIMAL / "2025" / "narasi").iterdir())
    assert sorted(p.name for p in (raw / "2025").iterdir()) == ["lkip_2025.xlsx"]
    # a workbook written elsewhere is not replaced either, unless asked
    with pytest.raises(InputError, match="sudah ada data yang tidak ditimpa: x.xlsx"):
        shutil.copy(from_text.path, tmp_path / "x.xlsx")
        importer.run(DOCUMENTS / "seed.md", "2024", raw, tmp_path / "x.xlsx", force=False)


def test_a_workbook_in_the_data_folder_goes_to_its_year(tmp_path):
    with pytest.raises(InputError, match="file keluaran di dalam folder data tetapi bukan di "
                                         "folder tahunnya"):
        importer.run(DOCUMENTS / "seed.md", "2024", tmp_path, tmp_path / "lkip.xlsx",
                     force=True)


def test_an_unknown_or_missing_document_is_said_in_one_line(tmp_path, capsys):
    (tmp_path / "lkip_2023.xyz").write_text("?")
    code = cli.main(["import", "--doc", str(tmp_path / "lkip_2023.xyz"), "--year", "2023",
                     "--raw", str(tmp_path / "raw")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines()[0] == ("lkip_2023.xyz: jenis dokumen tidak dikenal (.xyz); yang "
                                   "diharapkan: .pdf, .docx, .doc, .odt, .rtf, .html, .md "
                                   "atau .txt")
    assert cli.main(["import", "--doc", str(tmp_path / "tidak_ada.pdf"), "--year", "2023",
                     "--raw", str(tmp_path / "raw")]) == 2
    assert "tidak_ada.pdf: dokumen tidak ditemukan; yang diharapkan: jalur file yang ada" in \
        capsys.readouterr().err
    assert not (tmp_path / "raw").exists()  # nothing written
