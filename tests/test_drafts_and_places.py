"""Issue 19, points 2-4: a draft is marked DRAF until its data and narrative are complete;
a report built from a workbook cites the sheet and cell the analyst edits; the exported
workbook (narrative included) builds alone; a year with only its first quarter builds that
quarter and says what the annual report still needs.
Each build here is made once, in the session's kernel (conftest: kernel_session): the year
begun from 2024 (draft_build: its annual report, 26 pages, one table running over five of
them), read by the tests of its report and of `make report`'s last line; the year under way
(early_year), whose TW I report `make report` and `make batch` then find built; the exported
workbook of tests/fixtures/minimal with a value planted, which verify then rebuilds corrected.
The other tests read their data in this process."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline import cli
from pipeline.check import draft, findings
from pipeline.compute import results
from pipeline.errors import InputError
from pipeline.present import narrative, render, workbook
from pipeline.read import clean
from pipeline.run import batch, runner, verify

from .conftest import EARLY, MINIMAL, ROOT, SEED_RAW, Built, build_into, copy_build

SEED = SEED_RAW / "2024"
BOOK_2025, BOOK_2024 = "lkip_2025.xlsx", "lkip_2024.xlsx"
# the seed's anggaran, with the printed slip 2.036.000.00 typed right: koreksi.csv, which
# corrects it in the seed, is not carried into a new year
SLIP = ("2.036.000.00", "2.036.000.000")
# the tests that read one module build run in one test process (pytest-xdist --dist
# loadgroup), so that it is built once
DRAFT_GROUP = pytest.mark.xdist_group(f"{__name__}-draf")
EARLY_GROUP = pytest.mark.xdist_group(f"{__name__}-tw1")


def _text(ws, cell: str, value: str) -> None:
    """A cell typed as text, as the analyst's spreadsheet keeps what `make workbook` wrote."""
    ws[cell] = value
    ws[cell].data_type = "s"


def _seed_rows(name: str) -> list[dict]:
    with open(SEED / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _filled_2025(root: Path) -> Path:
    """`make workbook YEAR=2025 FROM=2024`, then what the build requires typed in (signing
    date, PK targets, the year's number of desa, the pagu) and nothing else: no realisasi,
    the narrative as written, the desa mandiri list as carried over."""
    shutil.copytree(SEED, root / "2024")
    path = workbook.start_year(2025, 2024, root)
    book = load_workbook(path)
    _text(book["instansi"], "U2", "17 Februari 2026")
    _text(book["target_pk"], "C2", "22,36%")
    _text(book["target_pk"], "C3", "8,70%")
    _text(book["jumlah_desa"], "B9", "103")
    _text(book["jumlah_desa"], "C9", "BPS Kabupaten")
    for row, r in enumerate(_seed_rows("pk_program.csv"), 2):
        _text(book["pk_program"], f"C{row}", r["anggaran"])
    for row, r in enumerate(_seed_rows("realisasi_anggaran.csv"), 2):
        if r["anggaran"]:
            _text(book["realisasi_anggaran"], f"F{row}", r["anggaran"].replace(*SLIP))
    book.save(path)
    return root / "2025"


def _found(raw: Path, year: int):
    """The findings a report publishes, in this process (data, then narrative)."""
    ds = clean.load_raw(raw, year)
    res = results.compute(ds)
    return ds, res, draft.with_narrative(findings.run(ds, res), ds)


@pytest.fixture(scope="module")
def year_2025(tmp_path_factory):
    raw = _filled_2025(tmp_path_factory.mktemp("raw"))
    return (raw, *_found(raw, 2025))


@pytest.fixture(scope="module")
def draft_build(year_2025, kernel_session, tmp_path_factory) -> Built:
    """year_2025 built through its notebooks, once: its annual report (it has no quarter).
    The seed's year, not a smaller one: its pages include those a long table runs over (the
    97 sub-kegiatan), each of which must carry the mark too."""
    return build_into(tmp_path_factory.mktemp("draf"), year_2025[0], shared=kernel_session)


def _charts(ds, res, tmp: Path) -> dict[str, Path]:
    """The report's charts, drawn in this process: key -> SVG."""
    from pipeline.present import report

    return {c.key: c.svg for c in report.figures(ds, res, tmp / "figures")}


def _pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF, as a reader's tool extracts it: pdftotext (poppler-utils,
    which `make test` installs), a third of pypdf's time on the draft's 26 pages."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]  # each page ends with a form feed


def _drafts(found) -> list[tuple]:
    return [(f.check, f.key, f.field, f.printed, f.expected, f.place) for f in found
            if f.check in draft.CHECKS]


# -- 2. a draft is a draft -------------------------------------------------------------------

def test_a_year_begun_from_2024_has_a_finding_for_each_thing_left_to_fill(year_2025):
    _, _, _, found = year_2025
    drafts = _drafts(found)
    iku = "DRAF-REALISASI-IKU", "kode_iku=IKU1;tahun=2025", "realisasi", "–", \
        "realisasi tahun 2025", "lkip_2025.xlsx › kinerja_tahunan!D16"
    # 27 desa mandiri by 2024 (none added for 2025) over the 103 desa typed for 2025
    carried = "DRAF-DATA-LAMA", "kode_iku=IKU2;tahun=2025", "realisasi", "26,21%", \
        "baris tahun 2025 di desa_mandiri.csv", "lkip_2025.xlsx › kinerja_tahunan!D17"
    # every row of realisasi_anggaran (sheet rows 2-98), its realisasi column G
    budget = "DRAF-REALISASI-ANGGARAN", "", "realisasi", "Rp0", "realisasi tahun 2025", \
        "lkip_2025.xlsx › realisasi_anggaran!G2:G98"
    assert drafts[:3] == [iku, carried, budget]
    assert [(f.file, f.key) for f in found if f.check == draft.NARRATIVE] == [
        ("narasi/kata_pengantar.md", "baris=1"), ("narasi/gambaran_umum.md", "baris=1"),
        ("narasi/isu_strategis.md", "baris=1"), ("narasi/penutup.md", "baris=1"),
        ("narasi/sasaran_S1.md", "baris=3"), ("narasi/sasaran_S1.md", "baris=7"),
        ("narasi/sasaran_S1.md", "baris=11"), ("narasi/sasaran_S2.md", "baris=3"),
        ("narasi/sasaran_S2.md", "baris=7"), ("narasi/sasaran_S2.md", "baris=11")]
    messages = {f.check: f.message for f in found if f.check in draft.CHECKS}
    assert messages == {
        draft.IKU: "Realisasi Persentase PMKS Mandiri tahun 2025 belum diisi; capaiannya "
                   "belum dapat dihitung",
        draft.CARRIED: "Realisasi Persentase Desa Mandiri 2025 (26,21%) dihitung dari "
                       "desa_mandiri.csv yang belum berisi satu pun baris tahun 2025 "
                       "(terakhir tahun 2024): daftar tahun lalu dihitung ulang. Tambahkan "
                       "baris tahun 2025 ke desa_mandiri.csv, atau ketik realisasi 2025 "
                       "(26,21%) di kinerja_tahunan bila memang tidak ada yang baru",
        # 73 of the 97 sub-kegiatan have a pagu; their sum is the seed's
        draft.BUDGET: "Realisasi anggaran tahun 2025 belum diisi: 73 sub-kegiatan berpagu "
                      "(jumlah Rp20.619.848.861) tanpa realisasi",
        draft.NARRATIVE: "Narasi sasaran_S2.md baris 11 masih berisi teks pengisi dari make "
                         "workbook: (Tulis di sini.)",
    }
    assert {f.severity for f in found if f.check in draft.CHECKS} == {findings.WARNING}
    assert draft.reasons(found) == ("10 baris narasi berisi teks pengisi, 1 IKU tanpa "
                                    "realisasi, realisasi anggaran belum diisi, 1 realisasi "
                                    "IKU dari daftar tahun lalu")


def test_the_report_years_blank_realisasi_is_a_draft_not_a_series_gap(year_2025):
    _, _, _, found = year_2025
    assert not [f for f in found if f.check == "DERET-REALISASI-KOSONG"
                and f.key.endswith("tahun=2025")]


@pytest.mark.e2e
@DRAFT_GROUP
def test_the_summary_of_a_year_without_realisasi_reads_sensibly(draft_build):
    """As the published report reads it (draft_build)."""
    html = (draft_build.folder / "LKIP_2025.html").read_text(encoding="utf-8")
    assert ("Pada tahun 2025, capaian seluruh 2 (dua) indikator kinerja utama belum dapat "
            "dihitung. Pagu anggaran seluruh program Rp20.619.848.861; realisasinya belum "
            "diisi.") in html
    assert ("Pagu APBD seluruh program tahun 2025 menurut rincian sub-kegiatan "
            "Rp20.619.848.861; realisasinya belum diisi.") in html
    assert "terealisasi Rp0" not in html and "Penyerapan tertinggi" not in html


def test_a_year_without_its_rincian_pagu_says_so():
    total = {"anggaran": 0, "realisasi": 0, "persentase": None, "anggaran_pk": 20589008861}
    assert narrative.budget_sentence(total, "Pagu anggaran seluruh program") == (
        "Rincian pagu anggaran dan realisasinya belum diisi (pagu Perjanjian Kinerja "
        "Rp20.589.008.861).")


def test_the_seed_is_not_a_draft(seed, seed_results):
    found = draft.with_narrative(findings.run(seed, seed_results), seed)
    assert [f for f in found if f.check.startswith("DRAF")] == []
    assert draft.reasons(found) == "" and not draft.is_draft(found)


def _seed_copy(tmp: Path, change) -> Path:
    raw = tmp / "raw" / "2024"
    shutil.copytree(SEED, raw)
    rows = _seed_rows("realisasi_anggaran.csv")
    change(rows)
    with open(raw / "realisasi_anggaran.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return raw


def _no(number: int, **cells):
    def change(rows):
        rows[number - 1].update(cells)
    return change


def test_one_sub_kegiatan_without_realisasi_is_a_draft_row(tmp_path):
    raw = _seed_copy(tmp_path, _no(3, realisasi="", persentase_cetak=""))
    _, _, found = _found(raw, 2024)
    assert [(f.check, f.severity, f.file, f.key, f.field, f.printed, f.expected, f.message)
            for f in found if f.check in draft.CHECKS] == [(
        "DRAF-REALISASI-ANGGARAN", "warning", "realisasi_anggaran.csv", "no=3", "realisasi",
        "–", "realisasi (0 atau - bila tidak terealisasi)",
        "Realisasi Peningkatan Kemampuan Potensi Tenaga Kesejahteraan Sosial Kecamatan "
        "Kewenangan Kabupaten/ Kota belum diisi (pagu Rp50.000.000); isi 0 atau - bila memang "
        "tidak terealisasi")]
    assert draft.reasons(found) == "1 baris realisasi anggaran belum diisi"


def test_a_realisasi_of_nil_written_as_a_dash_is_not_a_draft(tmp_path):
    raw = _seed_copy(tmp_path, _no(3, realisasi="-", persentase_cetak="0 %"))
    _, _, found = _found(raw, 2024)
    assert not draft.is_draft(found)


def _series_copy(tmp: Path, realisasi: str) -> Path:
    """The seed with IKU1's 2024 realisasi (kinerja_tahunan.csv line 8) as given."""
    raw = tmp / "raw" / "2024"
    shutil.copytree(SEED, raw)
    path = raw / "kinerja_tahunan.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[7] == "IKU1,2024,22.05%,25.06%,113.65%,Mencapai Target"
    lines[7] = f"IKU1,2024,22.05%,{realisasi},113.65%,Mencapai Target"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return raw


@pytest.mark.parametrize("realisasi, check", [
    ("", "DRAF-REALISASI-IKU"),  # left empty: not filled in yet
    ("n/a", "DERET-REALISASI-KOSONG"),  # typed: the year was not measured, as before
])
def test_a_realisasi_left_empty_is_a_draft_one_marked_not_set_is_not(tmp_path, realisasi,
                                                                      check):
    _, _, found = _found(_series_copy(tmp_path, realisasi), 2024)
    mine = [(f.check, f.severity) for f in found if f.key == "kode_iku=IKU1;tahun=2024"
            and f.field == "realisasi"]
    assert mine == [(check, "warning")]
    assert draft.is_draft(found) is (check == draft.IKU)


def _resolved(raw: Path, keep_one_placeholder: bool) -> None:
    """The analyst fills in what the draft findings named: realisasi typed (IKU1, and IKU2
    as the list computes it, to say it has nothing new), every realisasi amount, the
    narrative written; one placeholder line may be left."""
    book = load_workbook(raw / BOOK_2025)
    _text(book["kinerja_tahunan"], "D16", "26,40%")
    _text(book["kinerja_tahunan"], "D17", "26,21%")
    for row, r in enumerate(_seed_rows("realisasi_anggaran.csv"), 2):
        if r["anggaran"]:
            _text(book["realisasi_anggaran"], f"G{row}", r["realisasi"] or "-")
    book.save(raw / BOOK_2025)
    for path in sorted((raw / "narasi").glob("*.md")):
        text = re.sub(r"\(Tulis di sini[^\n]*", "Ditulis analis.", path.read_text("utf-8"))
        path.write_text(text, encoding="utf-8")
    if keep_one_placeholder:
        (raw / "narasi" / "penutup.md").write_text("Ditulis.\n\n(Tulis di sini.)\n", "utf-8")


@pytest.mark.e2e
@DRAFT_GROUP
def test_the_mark_goes_only_when_everything_is_filled_in(year_2025, draft_build, tmp_path):
    """Everything filled in but one placeholder line: still a draft, for that line; that line
    written too: no longer one. The HTML is rendered here, with the charts draft_build drew
    for the same year (the same charts, by key; the banner is not in them)."""
    raw = tmp_path / "raw" / "2025"
    shutil.copytree(year_2025[0], raw)
    _resolved(raw, keep_one_placeholder=True)
    ds, res, found = _found(raw, 2025)
    assert draft.reasons(found) == "1 baris narasi berisi teks pengisi"
    charts = {svg.stem: svg for svg in (draft_build.folder / "figures").glob("*.svg")}
    assert '<p class="draf" role="status">' in render.render_html(ds, res, charts, found)
    (raw / "narasi" / "penutup.md").write_text("Ditulis.\n\nDitulis juga.\n", "utf-8")
    ds, res, found = _found(raw, 2025)
    assert draft.reasons(found) == ""
    assert 'class="draf"' not in render.render_html(ds, res, charts, found)


@pytest.mark.e2e
@DRAFT_GROUP
def test_a_draft_is_built_with_DRAF_on_every_page_and_says_so_last(draft_build, capsys):
    """`make report` over the draft's build, which it finds built (a build records its inputs
    by content), says last that the report is a draft, and why, from what the build
    published."""
    base, folder = draft_build.base, draft_build.folder
    assert cli.main(["report", "--year", "2025", "--raw", str(base / "raw"), "--out",
                     str(base / "outputs"), "--processed", str(base / "processed")]) == 0
    said = capsys.readouterr()
    assert "Tidak ada yang berubah sejak pembangunan terakhir" in said.err
    lines = said.out.strip().splitlines()
    assert lines[0] == f"LKIP 2025 selesai: {folder / 'LKIP_2025.html'}"
    assert lines[-1] == (
        "LKIP 2025 dibangun sebagai DRAF (10 baris narasi berisi teks pengisi, 1 IKU tanpa "
        "realisasi, realisasi anggaran belum diisi, 1 realisasi IKU dari daftar tahun lalu): "
        "tanda DRAF ada di setiap halaman dan hilang setelah semuanya dilengkapi; rinciannya "
        f"temuan DRAF-* di {folder / 'findings.csv'}")
    pages = _pages(folder / "LKIP_2025.pdf")
    assert len(pages) > 20
    assert [n for n, text in enumerate(pages, 1) if "DRAF" not in text] == []
    html = (folder / "LKIP_2025.html").read_text(encoding="utf-8")
    assert '<p class="draf" role="status">DRAF: laporan belum lengkap (10 baris narasi' in html
    published = findings.read(folder)
    assert [f.check for f in published].count(draft.NARRATIVE) == 10
    assert next(f.place for f in published if f.check == draft.IKU) == \
        "lkip_2025.xlsx › kinerja_tahunan!D16"


@pytest.mark.e2e
def test_the_seed_report_has_no_DRAF_mark(built, seed_pdf_pages):
    _, folder = built
    assert [n for n, text in enumerate(seed_pdf_pages, 1) if "DRAF" in text] == []
    assert 'class="draf"' not in (folder / "LKIP_2024.html").read_text(encoding="utf-8")
    assert draft.build_line(folder, "LKIP 2024") is None
    # built from CSV files: cited as always, and findings.csv has the columns it always had
    assert (folder / "findings.csv").read_text(encoding="utf-8").splitlines()[0] == \
        "no,check,severity,file,key,field,printed,expected,message"
    assert all(f.place == "" for f in findings.read(folder))


# -- 3. the cells the analyst edits; the workbook that builds alone ------------------------------

@pytest.fixture(scope="module")
def seed_book(tmp_path_factory) -> Path:
    """The seed exported (`make workbook YEAR=2024 OUT=...`), narrative included: its
    realisasi_anggaran has a printed percentage, its quarterly sheets have rows."""
    return workbook.export(2024, SEED_RAW, tmp_path_factory.mktemp("ekspor") / BOOK_2024)


@pytest.fixture(scope="module")
def minimal_book(tmp_path_factory) -> Path:
    """tests/fixtures/minimal exported (`make workbook YEAR=2025 OUT=...`), narrative
    included: its narasi sheet holds penutup.md, and kata_pengantar.md's line 1 in row 2."""
    return workbook.export(2025, MINIMAL, tmp_path_factory.mktemp("ekspor") / BOOK_2025)


def _alone(tmp: Path, book: Path) -> Path:
    """A year folder holding the workbook (lkip_<year>.xlsx) and nothing else."""
    raw = tmp / "raw" / book.stem.removeprefix("lkip_")
    raw.mkdir(parents=True)
    shutil.copy(book, raw / book.name)
    return raw


def _plant(book: Path, cell: str, value: str) -> None:
    """The analyst keeps realisasi in column E of realisasi_anggaran (swapped with
    sub_kegiatan) and types value in cell."""
    loaded = load_workbook(book)
    ws = loaded["realisasi_anggaran"]
    for row in range(1, ws.max_row + 1):
        e, g = ws[f"E{row}"].value, ws[f"G{row}"].value
        _text(ws, f"E{row}", g or "")
        _text(ws, f"G{row}", e or "")
    _text(ws, cell, value)
    loaded.save(book)


def test_a_workbook_finding_cites_the_sheet_and_cell(seed_book, tmp_path):
    raw = _alone(tmp_path, seed_book)
    _plant(raw / BOOK_2024, "E5", "31.000.000")  # no=4 (sheet row 5), pagu 30.000.000
    _, _, found = _found(raw, 2024)
    planted = [f for f in found if f.key == "no=4"]
    assert [(f.check, f.field, f.printed, f.expected, f.place) for f in planted] == [
        ("PERSENTASE-REALISASI", "persentase_cetak", "22.64 %", "103,33%",
         "lkip_2024.xlsx › realisasi_anggaran!H5"),
        ("REALISASI-MELEBIHI-ANGGARAN", "realisasi", "31.000.000", "≤ 30.000.000",
         "lkip_2024.xlsx › realisasi_anggaran!E5")]
    assert planted[1].where == "lkip_2024.xlsx › realisasi_anggaran!E5"


def test_a_quarterly_finding_from_a_workbook_cites_its_cell(seed_book, tmp_path):
    from pipeline.check import quarterly_checks
    from pipeline.compute import quarterly

    raw = _alone(tmp_path, seed_book)
    q = quarterly.load(raw, 2024, "II")
    found = quarterly_checks.run(q, quarterly.compute(q))
    # the seed's TW II kinerja row of IKU1 (sheet row 4) prints capaian 0,03% for 2,75%
    hit = next(f for f in found if f.check == "CAPAIAN-TRIWULAN"
               and f.key == "triwulan=II;kode_iku=IKU1")
    assert (hit.printed, hit.place) == ("0,03%", "lkip_2024.xlsx › triwulan_kinerja!F4")


def test_verify_names_an_edit_of_the_narrative_sheet_by_its_line(minimal_book, tmp_path):
    from pipeline.run import comparison

    old = _alone(tmp_path / "lama", minimal_book)
    new = _sheet_narrative(tmp_path / "baru", minimal_book, lambda ws: None)
    book = load_workbook(new / BOOK_2025)
    ws = book["narasi"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "penutup.md")
    _text(ws, f"C{row[0].row}", "Kalimat pertama disunting.")
    book.save(new / BOOK_2025)
    assert [d.text for d in comparison.input_changes(BOOK_2025, "berubah", old, new)] == [
        "  lkip_2025.xlsx, sheet narasi (penutup.md): berubah, baris 1"]


def test_a_csv_finding_keeps_its_file_and_row_key(seed, seed_results):
    found = findings.run(seed, seed_results)
    first = found[0]
    assert (first.file, first.key, first.place, first.where) == (
        "realisasi_anggaran.csv", "no=4", "", "realisasi_anggaran.csv, no=4")
    assert list(findings.as_frame(found).columns) == findings.COLUMNS


def test_the_exported_workbook_lists_exactly_its_sheets(minimal_book, year_2025):
    book = load_workbook(minimal_book)
    notes = [row[0] for row in book["PETUNJUK"].iter_rows(values_only=True)]
    listed = [line.split(" ")[0].rstrip(":") for line in notes[notes.index("Sheet dan isinya:")
                                                               + 1:]]
    assert listed == book.sheetnames[1:]
    assert book.sheetnames[-1] == "narasi" and "subtotal_cetak" not in listed
    assert ("Teks narasi (Markdown) ada di sheet narasi: satu baris per baris teks, dengan "
            "kolom file, baris dan teks. Workbook ini dapat dibangun sendiri, tanpa folder "
            "narasi/.") in notes
    # a new year's workbook (year_2025: begun from the seed): its narrative in narasi/ beside
    # it, its list its own sheets
    begun = load_workbook(year_2025[0] / BOOK_2025)
    notes = [row[0] for row in begun["PETUNJUK"].iter_rows(values_only=True)]
    listed = [line.split(" ")[0] for line in notes[notes.index("Sheet dan isinya:") + 1:]]
    assert listed == begun.sheetnames[1:]
    assert "Teks narasi ditulis di folder narasi/ di samping workbook (Markdown)." in notes


def test_the_narrative_travels_in_its_sheet_as_text(tmp_path):
    """A line a spreadsheet would run (`=HYPERLINK`), a line longer than a cell, Windows
    line ends: written as text cells, read back as the same narrative."""
    raw = tmp_path / "raw" / "2025"
    shutil.copytree(MINIMAL / "2025", raw)
    long_line = " ".join(["kata"] * 9000)  # 44.999 characters: three cells
    text = "# Pengantar\r\n\r\n=HYPERLINK(\"http://contoh.test\")\r\n" + long_line + "\r\n"
    (raw / "narasi" / "kata_pengantar.md").write_text(text, encoding="utf-8", newline="")
    book = workbook.export(2025, raw.parent, tmp_path / BOOK_2025)
    sheet = load_workbook(book)["narasi"]
    rows = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "kata_pengantar.md"]
    assert [(r[1].value, len(r[2].value or "")) for r in rows] == [
        ("1", 11), ("2", 0), ("3", 32), ("4", 16000), ("4", 16000), ("4", 12999), ("5", 0)]
    assert {c.data_type for r in sheet.iter_rows() for c in r if c.value is not None} == {"s"}
    alone = _alone(tmp_path / "alone", book)
    ds = clean.load_raw(alone, 2025)
    assert ds.narrative["kata_pengantar.md"] == text.replace("\r\n", "\n")
    assert ds.narrative["penutup.md"] == (MINIMAL / "2025" / "narasi" / "penutup.md"
                                          ).read_text("utf-8")


def _sheet_narrative(tmp: Path, book: Path, change) -> Path:
    raw = _alone(tmp, book)
    loaded = load_workbook(raw / book.name)
    change(loaded["narasi"])
    loaded.save(raw / book.name)
    return raw


def test_the_narrative_sheet_is_untrusted_markdown(minimal_book, tmp_path):
    def hostile(ws):  # row 2: kata_pengantar.md, line 1
        _text(ws, "C2", "<script>alert(1)</script> [berkas](file:///etc/passwd)")
    raw = _sheet_narrative(tmp_path, minimal_book, hostile)
    ds, res, found = _found(raw, 2025)
    html = render.render_html(ds, res, _charts(ds, res, tmp_path), found)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[tautan tidak dibuat: file:///etc/passwd]" in html


def test_a_narrative_sheet_beyond_a_tables_rows_is_refused(minimal_book, tmp_path):
    """A narrative line in row 21.002, one past what a sheet may hold: the filled cells are
    what counts, with or without the rows above them filled."""
    def long(ws):
        for cell, value in (("A21002", "penutup.md"), ("B21002", "21001"), ("C21002", "x")):
            _text(ws, cell, value)
    raw = _sheet_narrative(tmp_path, minimal_book, long)
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, 2025)
    assert [str(d) for d in err.value.defects] == [
        "lkip_2025.xlsx, sheet narasi: sheet terlalu besar: sel A21002 terisi; yang "
        "diharapkan: paling banyak 21.001 baris (20.000 baris data, judul dan baris kosong) "
        "dan 200 kolom (A sampai GR) per sheet; hapus isi sel di luar tabel"]


def test_a_narrative_in_the_sheet_larger_than_a_file_may_be_is_refused(minimal_book,
                                                                        tmp_path):
    def large(ws):
        for row in range(2, 40):
            ws.append(["penutup.md", str(1000 + row), "kata " * 3000])
    raw = _sheet_narrative(tmp_path, minimal_book, large)
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, 2025)
    assert [str(d) for d in err.value.defects] == [
        "lkip_2025.xlsx, sheet narasi (penutup.md): narasi terlalu besar; yang diharapkan: "
        "teks di bawah 512 KB"]


def test_a_narrative_named_as_a_path_is_refused_at_its_cell(minimal_book, tmp_path):
    raw = _sheet_narrative(tmp_path, minimal_book, lambda ws: _text(ws, "A2", "../kata.md"))
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, 2025)
    assert str(err.value.defects[0]).startswith(
        "lkip_2025.xlsx, sheet narasi, sel A2 (kolom 'file'): nama narasi tidak sah (nilai: "
        "'../kata.md')")


def test_a_narrative_both_in_the_sheet_and_in_narasi_must_read_the_same(minimal_book,
                                                                          tmp_path):
    raw = _alone(tmp_path, minimal_book)
    shutil.copytree(MINIMAL / "2025" / "narasi", raw / "narasi")
    clean.load_raw(raw, 2025)  # the same text in both places: read
    (raw / "narasi" / "penutup.md").write_text("Disunting di file saja.\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, 2025)
    assert [str(d) for d in err.value.defects] == [
        "narasi/penutup.md: narasi berbeda dengan sheet narasi di lkip_2025.xlsx; yang "
        "diharapkan: narasi di satu tempat: hapus narasi/penutup.md atau sheet narasi, atau "
        "samakan isinya"]


@pytest.mark.e2e
def test_the_exported_workbook_alone_builds_and_every_output_cites_its_cells(
        minimal_book, kernel_session, tmp_path):
    """minimal's workbook alone, realisasi kept in column E: no=2 (Pengelolaan Arsip Statis,
    sheet row 3) has a pagu of 120.000.000 and a realisasi of 112.800.000, typed as
    130.000.000, above its pagu. Built (its annual report: minimal has no quarter), the
    finding cites that cell in findings.csv and in the PDF's annex; the cell typed back,
    verify names the finding resolved at it."""
    raw = _alone(tmp_path / "data", minimal_book)
    _plant(raw / BOOK_2025, "E3", "130.000.000")
    built = build_into(tmp_path / "b", raw, shared=kernel_session)
    with open(built.folder / "findings.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    planted = next(r for r in rows if r["check"] == "REALISASI-MELEBIHI-ANGGARAN")
    assert (planted["file"], planted["key"], planted["place"]) == (
        "realisasi_anggaran.csv", "no=2", "lkip_2025.xlsx › realisasi_anggaran!E3")
    annex = " ".join(_pages(built.folder / "LKIP_2025.pdf")[-3:])
    assert "realisasi_anggaran!E3" in annex
    # the planted value corrected: verify names the finding resolved at the cell edited
    edited = built.base / "raw" / "2025" / BOOK_2025
    book = load_workbook(edited)
    _text(book["realisasi_anggaran"], "E3", "112.800.000")
    book.save(edited)
    result = verify.rebuild("2025", built.base / "raw", tmp_path / "verify", built.folder)
    lines = [row.text for block in result.blocks for row in block.rows]
    assert ("  selesai: REALISASI-MELEBIHI-ANGGARAN realisasi_anggaran.csv no=2 kolom realisasi "
            "(lkip_2025.xlsx › realisasi_anggaran!E3): (kesalahan) Realisasi Pengelolaan Arsip "
            "Statis melebihi anggarannya (tercetak 130.000.000, seharusnya ≤ 120.000.000)"
            ) in lines


# -- 4. a year with only its first quarter ------------------------------------------------------

def test_a_year_under_way_has_quarters_but_not_yet_tw_iv():
    assert runner.under_way("2025", EARLY) == ["I"]
    contoh = ROOT / "tests" / "fixtures" / "contoh"  # TW I-IV: its annual report is due
    assert runner.under_way("2025", contoh) == []


@pytest.fixture(scope="module")
def early_year(tmp_path_factory, kernel_session) -> Path:
    """The year under way (triwulan_awal: TW I only) built once by what `make report` calls
    (runner.build_year), in the session's kernel: its TW I report into out/, no annual one;
    the folder holding out/ and olahan/."""
    base = tmp_path_factory.mktemp("tw1")
    built = runner.build_year("2025", EARLY, base / "out", base / "olahan", shared=kernel_session)
    assert built.annual is None and built.quarters == [("I", base / "out" / "2025-TW1")]
    return base


@pytest.mark.e2e
@EARLY_GROUP
def test_report_builds_the_first_quarter_and_says_what_the_annual_report_needs(
        early_year, tmp_path, capsys):
    """`make report` over a copy of early_year's build, which it finds built: what it says."""
    out = copy_build(early_year, tmp_path / "b") / "out"
    assert cli.main(["report", "--year", "2025", "--raw", str(EARLY), "--out", str(out),
                     "--processed", str(tmp_path / "b" / "olahan")]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    # the quarter, its findings (summary.py), then last what the annual report still needs
    assert lines[0] == ("Laporan Triwulan I 2025 selesai: "
                        f"{out.resolve() / '2025-TW1' / 'LKIP_2025_TW1.pdf'}")
    assert lines[2] == "  Laporan Triwulan I 2025: 1 kesalahan, 0 peringatan, 0 catatan"
    assert lines[-12] == ("LKIP 2025 belum dibangun: tahun berjalan, data triwulan baru sampai "
                          "TW I; laporan tahunan masih memerlukan 10 hal:")
    assert lines[-11] == (f"  - kinerja_tahunan.csv: file tidak ditemukan; yang diharapkan: "
                          f"file di {EARLY / '2025'}")
    assert lines[-8] == ("  - instansi.csv, baris 2, kolom 'tanggal_penandatanganan': sel "
                         "kosong, padahal wajib diisi; yang diharapkan: Tanggal laporan "
                         "ditandatangani, berupa tanggal (18 Februari 2025)")
    assert lines[-1] == (f"Satu laporan triwulan saja: make triwulan YEAR=2025 TW=1 "
                         f"RAW={EARLY}. LKIP tahunan dibangun oleh make report setelah hal di "
                         "atas dilengkapi.")
    assert (out / "2025-TW1" / "LKIP_2025_TW1.pdf").is_file()
    assert not (out / "2025").exists()


@pytest.mark.e2e
@EARLY_GROUP
def test_batch_builds_the_quarter_of_a_year_under_way_as_sebagian(
        early_year, kernel_session, tmp_path, capsys, monkeypatch):
    """`make batch` over one agency whose year is under way, its TW I report already built
    (early_year's, copied where the batch publishes it), on a Dask cluster in this process
    whose worker uses the session's kernel (test_batch.py builds such an agency in a worker
    that keeps its own): the year is `sebagian`, with what its annual report still needs."""
    import distributed

    from pipeline.present import charts

    raw, out = tmp_path / "kiriman", tmp_path / "hasil"
    shutil.copytree(EARLY / "2025", raw / "awal" / "2025")
    shutil.copytree(early_year / "out" / "2025-TW1", out / "awal" / "2025-TW1")
    monkeypatch.setattr(batch, "worker_session", lambda: kernel_session)
    monkeypatch.setenv(charts.PROCESSES_ENV, "1")  # what the worker sets, undone after
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        monkeypatch.setenv(batch.SCHEDULER_ENV, cluster.scheduler_address)
        assert batch.main(raw, out) == 0
    with open(out / "ringkasan.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["instansi"], r["tahun"], r["status"]) for r in rows] == [
        ("awal", "2025", "sebagian")]
    assert rows[0]["pesan"].splitlines()[0] == (
        "LKIP 2025 belum dibangun: tahun berjalan, data triwulan baru sampai TW I; laporan "
        "tahunan masih memerlukan 10 hal:")
    said = capsys.readouterr().out.splitlines()
    # its row of the closing table: the quarter it published, and that report's findings
    row = said.index(next(line for line in said if line.startswith("  awal ")))
    assert said[row].split()[2] == "sebagian" and said[row].endswith("  I")
    assert said[row + 1] == "      temuan (kesalahan/peringatan/catatan): TW I 1/0/0"
    assert ("0 dari 1 LKIP tahunan selesai dibangun; 1 tahun berjalan: laporan triwulannya "
            "dibangun, LKIP tahunannya belum (lihat pesan di atas).") in said
    assert "sebagian (tahun berjalan: laporan triwulan saja)" in \
        (out / "ringkasan.html").read_text(encoding="utf-8")
