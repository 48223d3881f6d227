"""`make verify`'s differences, without a build: rows by key, figures as printed, findings by
identity, natural order, files when long, and the published folder that is not there."""

from decimal import Decimal

from pipeline import cli
from pipeline.check.findings import Finding
from pipeline.compute.ledger import Entry
from pipeline.read import units
from pipeline.run import comparison, verify

from .conftest import SEED_RAW

HEADER = "no,kode_program,no_program_cetak,kegiatan,sub_kegiatan,anggaran,realisasi," \
         "persentase_cetak\n"


def test_natural_order_compares_numbers_as_numbers():
    names = ["Temuan 20", "no=10", "Temuan 3", "no=2", "no=1", "Temuan 1", "no=10;tahun=9",
             "no=10;tahun=10"]
    assert sorted(names, key=comparison.natural_key) == [
        "no=1", "no=2", "no=10", "no=10;tahun=9", "no=10;tahun=10", "Temuan 1", "Temuan 3",
        "Temuan 20"]


def _table(folder, *rows):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "realisasi_anggaran.csv").write_text(HEADER + "".join(r + "\n" for r in rows),
                                                   encoding="utf-8")
    return folder


def test_rows_are_matched_by_their_key_and_named_by_line_key_and_column(tmp_path):
    old = _table(tmp_path / "old", "1,P02,1,K,S,20.000.000,2.122.000,10.61 %",
                 "2,P02,1,K,S,10.000.000,7.352.500,73.53 %",
                 "10,P02,1,K,S,5.000.000,,")
    new = _table(tmp_path / "new", "2,P02,1,K,S,10.000.000,7.352.500,73.53 %",
                 "10,P02,1,K,S,5.000.000,4.000.000,", "11,P02,1,K,S,1.000,1.000,100 %")
    found = comparison.input_changes("realisasi_anggaran.csv", "berubah", old, new)
    assert [d.text for d in found] == [
        "  realisasi_anggaran.csv baris 2 (no=1): baris dihapus",
        "  realisasi_anggaran.csv baris 3 (no=10): realisasi (kosong) → 4.000.000",
        "  realisasi_anggaran.csv baris 4 (no=11): baris ditambahkan"]
    assert (found[1].key, found[1].column, found[1].old, found[1].new) == (
        "no=10", "realisasi", "", "4.000.000")


def test_a_changed_file_without_its_published_content_says_so(tmp_path):
    new = _table(tmp_path / "new", "1,P02,1,K,S,20.000.000,2.122.000,10.61 %")
    (found,) = comparison.input_changes("realisasi_anggaran.csv", "berubah", None, new)
    assert found.text.startswith("  realisasi_anggaran.csv: berubah; isi lama tidak tersedia")
    (same,) = comparison.input_changes("realisasi_anggaran.csv", "berubah", new, new)
    assert "isi sel sama" in same.text


def _finding(key, printed="99.33 %", expected="97,33%"):
    return Finding("PERSENTASE-REALISASI", "error", "realisasi_anggaran.csv", key,
                   "persentase_cetak", printed, expected, f"{key}: {printed}, {expected}")


def test_findings_are_matched_by_identity_not_by_number():
    old = [_finding("no=10"), _finding("no=2"), _finding("no=4")]
    # a new finding first shifts every number; only it, the changed one and the gone one show
    new = [_finding("no=3"), _finding("no=10", expected="90,00%"), _finding("no=2")]
    found = comparison.finding_changes(old, new)
    assert [d.text for d in found] == [
        "  baru: PERSENTASE-REALISASI realisasi_anggaran.csv no=3 kolom persentase_cetak: "
        "(kesalahan) no=3: 99.33 %, 97,33%",
        "  berubah: PERSENTASE-REALISASI realisasi_anggaran.csv no=10 kolom persentase_cetak: "
        "seharusnya 97,33% → 90,00%",
        "  selesai: PERSENTASE-REALISASI realisasi_anggaran.csv no=4 kolom persentase_cetak: "
        "(kesalahan) no=4: 99.33 %, 97,33%"]
    assert comparison.finding_counts(found) == "1 baru, 1 berubah, 1 selesai"


def _entry(key, value, unit):
    return Entry(key, key.split(":")[0], value, unit, "", "")


def test_figures_print_as_the_report_prints_them():
    shown = comparison.Shown({"IKU1": units.Unit.of("orang", desimal=0)})
    old = {e.key: e for e in (
        _entry("sasaran:kode_sasaran=S1:persentase", "84.30849510651295181897347249", "%"),
        _entry("program:kode_program=P02:realisasi", "3463321049", "Rp"),
        _entry("efisiensi:kode_sasaran=S1;kode_iku=IKU1:efisiensi", "29.34", "poin"),
        _entry("kinerja_seri:kode_iku=IKU1;tahun=2024:realisasi", "1200", "orang"),
        _entry("total:persentase", "81.4659", "%"),
        _entry("temuan:1:tercetak", "22.64", ""))}
    new = {**old, **{e.key: e for e in (
        _entry("sasaran:kode_sasaran=S1:persentase", "84.29549779695603010176893383", "%"),
        _entry("program:kode_program=P02:realisasi", "3462321049", "Rp"),
        _entry("efisiensi:kode_sasaran=S1;kode_iku=IKU1:efisiensi", "-29.35", "poin"),
        _entry("kinerja_seri:kode_iku=IKU1;tahun=2024:realisasi", "1250", "orang"),
        _entry("total:persentase", "81.4661", "%"),
        _entry("temuan:1:tercetak", "99.33", ""))}}
    found = comparison.figure_changes(old, new, shown)
    assert [(d.old, d.new) for d in found] == [
        ("+29,34", "−29,35"), ("1.200 orang", "1.250 orang"), ("3.463.321.049", "3.462.321.049"),
        ("84,31%", "84,30%"), ("81,47%", "81,47%")]
    assert found[-1].note == "sama setelah pembulatan; lebih teliti 81,4659 → 81,4661"
    assert comparison.as_typed(Decimal("0.8155"), "indeks") == "0,8155"


def test_a_long_comparison_goes_to_files_and_the_terminal_shows_a_summary(tmp_path):
    report = verify.Report()
    report.add("Angka yang berubah (40):", [comparison.Difference(
        f"  Angka {n} [k:{n}]: 1 → 2", "angka", f"Angka {n}", f"k:{n}", old="1", new="2")
        for n in range(40)])
    report.fail("Masukan sama, hasil berbeda: perbedaan lingkungan (environment).")
    report.fail("  paket pandas 0.0.1 -> 2.0")
    folder = tmp_path / "2024-verifikasi"
    report.finish(folder, "Verifikasi LKIP 2024")
    assert report.lines == [
        "Angka yang berubah (40):", "  Angka 0 [k:0]: 1 → 2", "  Angka 1 [k:1]: 1 → 2",
        "  Angka 2 [k:2]: 1 → 2", "  … dan 37 lainnya",
        "Masukan sama, hasil berbeda: perbedaan lingkungan (environment).",
        "  paket pandas 0.0.1 -> 2.0", "Perbandingan lengkap ditulis ke:",
        f"  {folder / 'verifikasi.html'}", f"  {folder / 'verifikasi.csv'}"]
    csv = (folder / "verifikasi.csv").read_text(encoding="utf-8").splitlines()
    assert csv[0] == "bagian,jenis,subjek,kunci,kolom,lama,baru,keterangan"
    assert len(csv) == 1 + 41 and csv[1] == "Angka yang berubah (40),angka,Angka 0,k:0,,1,2,"
    html = (folder / "verifikasi.html").read_text(encoding="utf-8")
    assert "<th scope=\"col\">subjek</th>" in html and "Angka 39" in html and "<script" not in html
    verify.Report().finish(folder, "lagi")  # a short one leaves no stale files behind
    assert not folder.exists()


def test_missing_published_outputs_say_where_they_are_expected(tmp_path, capsys):
    elsewhere = tmp_path / "arsip" / "2024"
    code = cli.main(["verify", "--year", "2024", "--raw", str(SEED_RAW),
                     "--out", str(tmp_path / "outputs"), "--published", str(elsewhere)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith(f"Keluaran terbit tidak ditemukan: manifest.json, ledger.csv tidak "
                          f"ada di {elsewhere}/\n")
    assert "PUBLISHED=<folder>" in out and "make report" not in out
    cli.main(["verify", "--year", "2024", "--raw", str(SEED_RAW),
              "--out", str(tmp_path / "outputs")])
    assert f"tidak ada di {tmp_path / 'outputs' / '2024'}/" in capsys.readouterr().out
