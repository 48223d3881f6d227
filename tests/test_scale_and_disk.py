"""A budget table of 20.000 rows prints in time proportional to its rows, and a full, read-only
or forbidden disk ends a build with exit code 4 and a sentence naming the folder."""

import csv
import errno
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from papermill.exceptions import PapermillExecutionError
from pypdf import PdfReader

from pipeline import cli, config
from pipeline.present import render
from pipeline.run import manifest, runner, stages

from .conftest import MINIMAL, ROOT, SEED_RAW

# -- the budget table at the row limit -----------------------------------------------------


def _table(rows: int, head: str = '<thead><tr><th scope="col">No</th></tr></thead>') -> str:
    body = "".join(f"<tr><td>{n}</td></tr>" for n in range(rows))
    return f"<table>{head}<tbody>{body}</tbody></table>"


def _tables(html: str) -> list[str]:
    return re.findall(r"<table\b.*?</table>", html, re.S)


def _body_rows(table: str) -> list[str]:
    body = table[table.index("<tbody>"):]
    return re.findall(r"<tr\b.*?</tr>", body, re.S)


def test_a_long_table_prints_as_tables_of_bounded_rows_with_its_header():
    printed = render.print_pieces(_table(20_000))
    pieces = _tables(printed)
    assert len(pieces) == 20_000 // render.PRINT_TABLE_ROWS + 1
    assert max(len(_body_rows(p)) for p in pieces) == render.PRINT_TABLE_ROWS
    rows = [row for piece in pieces for row in _body_rows(piece)]
    assert rows == [f"<tr><td>{n}</td></tr>" for n in range(20_000)]
    assert all('<th scope="col">No</th>' in piece for piece in pieces)
    # the pieces touch, so that they read as one table
    assert pieces[0].startswith('<table class="sambung-bawah">')
    assert pieces[1].startswith('<table class="sambung-atas sambung-bawah">')
    assert pieces[-1].startswith('<table class="sambung-atas">')


def test_a_classed_long_table_keeps_its_class_beside_the_joins():
    table = _table(render.PRINT_TABLE_ROWS + 1).replace("<table>", '<table class="compact">')
    first, second = _tables(render.print_pieces(table))
    assert first.startswith('<table class="compact sambung-bawah">')
    assert second.startswith('<table class="compact sambung-atas">')


def test_a_table_of_the_seeds_size_prints_as_it_is():
    table = _table(render.PRINT_TABLE_ROWS)
    assert render.print_pieces(table) == table


def test_rows_a_rowspan_joins_stay_in_one_piece():
    limit = render.PRINT_TABLE_ROWS
    rows = [f"<tr><td>{n}</td></tr>" for n in range(limit - 2)]
    rows.append('<tr><td rowspan="5">gabung</td><td>a</td></tr>')
    rows += [f"<tr><td>b{n}</td></tr>" for n in range(4)]  # joined to the row above
    rows += [f"<tr><td>c{n}</td></tr>" for n in range(10)]
    table = "<table><thead><tr><th>x</th></tr></thead><tbody>" + "".join(rows) + \
        "</tbody></table>"
    first, second = _tables(render.print_pieces(table))
    assert len(_body_rows(first)) == limit + 3  # up to the rowspan's last row
    assert _body_rows(first)[-1] == "<tr><td>b3</td></tr>"
    assert _body_rows(second)[0] == "<tr><td>c0</td></tr>"


def test_a_table_holding_anything_but_rows_prints_as_it_is():
    table = _table(2 * render.PRINT_TABLE_ROWS).replace("<tbody>", "<tbody><!-- x -->")
    assert render.print_pieces(table) == table


def test_page_references_are_made_once_per_page_added():
    """WeasyPrint asks for every page's reference once per tagged element: pydyf made the
    tuple anew each time, so a long document took time in its pages times its cells."""
    import pydyf

    render.keep_page_references()
    pdf = pydyf.PDF()
    for _ in range(500):
        pdf.add_page(pydyf.Dictionary({}))
    first = pdf.page_references
    assert pdf.page_references is first  # asked again: not made again
    assert first == tuple(f"{n} 0 R".encode("ascii") for n in pdf.pages["Kids"][::3])
    pdf.add_page(pydyf.Dictionary({}))
    assert len(pdf.page_references) == 501
    assert pdf.page_references[-1] == f"{pdf.objects[-1].number} 0 R".encode("ascii")


MINIMAL_BUDGET_ROWS = 3  # sub-kegiatan rows of tests/fixtures/minimal's realisasi_anggaran.csv
# the rows a page of the budget table holds, at least and at most, in a PDF that grows in
# proportion to them (3.000 rows: 150 to 185 pages, 167 measured; 20.000 rows: 940 pages)
ROWS_A_PAGE = (19.2, 25.0)


def _many_budget_rows(source, into, rows: int):
    """The data folder `source` copied to `into`, with sub-kegiatan rows added up to `rows`,
    spread over its programs (fifty to a program in turn), ten to a kegiatan; returns `into`."""
    shutil.copytree(source, into)
    path = into / "realisasi_anggaran.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        header, *given = list(csv.reader(handle))
    printed = {row[1]: row[2] for row in given}  # kode_program: no_program_cetak
    codes = list(printed)
    with open(path, "a", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        for i in range(rows - len(given)):
            code = codes[(i // 50) % len(codes)]
            row = [len(given) + 1 + i, code, printed[code],
                   f"Kegiatan Pengembangan Kapasitas Kelembagaan nomor {i // 10}",
                   f"Penyediaan Jasa Pendukung Urusan Pemerintahan nomor {i}",
                   "10.000.000", "5.000.000"]
            out.writerow(row + ["50.00 %"] * ("persentase_cetak" in header))
    return into


def test_the_seeds_print_html_is_as_before(built):
    """The seed's tables are far below the limit: its PDF is made from the HTML it was
    (the published HTML of the session's seed build, conftest: built)."""
    html = (built[1] / "LKIP_2024.html").read_text(encoding="utf-8")
    unlinked = re.sub(r'<a class="berkas" href="[^"]*">', '<a class="berkas">', html)
    assert unlinked != html  # the seed's report links its quarters
    assert render.for_print(html, []) == unlinked


@pytest.mark.e2e
def test_six_hundred_budget_rows_print_as_tables_of_bounded_rows_on_pages_in_proportion(
        minimal_built, tmp_path):
    """The report stage as its notebook runs it, on the smallest data folder with a budget
    table of 600 rows: the PDF is made from its HTML with that table printed as three
    touching tables of at most 300 rows, each row once; the 597 rows added to the folder's
    own 3 hold about 22 a page: 24 to 31 pages added to its own PDF (14 pages, conftest:
    minimal_built; 27 added measured). A table of 20.000 rows is cut by the same code
    (test_a_long_table_prints_as_tables_of_bounded_rows_with_its_header)."""
    rows = 600
    raw = _many_budget_rows(MINIMAL / "2025", tmp_path / "raw" / "2025", rows)
    processed, out = tmp_path / "processed", tmp_path / "out"
    out.mkdir()
    stages.run_clean(2025, raw, processed)
    tables = stages.run_indicators(2025, processed)
    stages.run_verify(2025, processed)
    written = stages.run_report(2025, processed, out, raw, config.NOTEBOOKS)
    assert len(tables["anggaran_sub_kegiatan.csv"]) == rows
    # the HTML the PDF was made from
    html = written.html.read_text(encoding="utf-8")
    printed = render.for_print(html, written.charts)
    pieces = _tables(printed)
    assert max(len(_body_rows(t)) for t in pieces) <= render.PRINT_TABLE_ROWS
    # every sub-kegiatan row added is printed once (grouped by program), in pieces of the table
    subs = re.findall(r"Penyediaan Jasa Pendukung Urusan Pemerintahan nomor (\d+)<", printed)
    assert sorted(map(int, subs)) == list(range(rows - MINIMAL_BUDGET_ROWS))
    joined = re.findall(r'<table class="[^"]*sambung-atas', printed)
    assert len(joined) == 2  # 600 rows and their kegiatan: three pieces, two joins
    assert len(_tables(html)) == len(pieces) - len(joined)
    own_pages = len(PdfReader(minimal_built.folder / "LKIP_2025.pdf").pages)
    added_rows = rows - MINIMAL_BUDGET_ROWS
    added_pages = len(PdfReader(written.pdf).pages) - own_pages
    assert added_rows / ROWS_A_PAGE[1] <= added_pages <= added_rows / ROWS_A_PAGE[0]


# -- a disk that cannot take the build ----------------------------------------------------


@pytest.fixture
def no_kernel(stub_kernel, monkeypatch, tmp_path):
    """publish without a Jupyter kernel (conftest: stub_kernel), one document at a time, and
    a temporary folder of the test's own (to see that nothing is left in it)."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    monkeypatch.setattr(config, "cores", lambda: 1)
    return temp


@pytest.fixture
def previous(tmp_path):
    """A published report (its bytes, to compare) in the output folder of the test."""
    out = tmp_path / "out"
    (out / "2024").mkdir(parents=True)
    (out / "2024" / "LKIP_2024.html").write_text("laporan sebelumnya", encoding="utf-8")
    return out


def _digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _report(tmp_path, capsys, notebooks=config.NOTEBOOKS, raw=SEED_RAW,
            year="2024") -> tuple[int, str]:
    code = cli.main(["report", "--year", year, "--raw", str(raw), "--out",
                     str(tmp_path / "out"), "--processed", str(tmp_path / "proc"),
                     "--notebooks", str(notebooks)])
    return code, capsys.readouterr().err


def _kernel_raised(ename: str, evalue: str):
    """What _run_stage raises when a cell of the kernel raised ename: evalue."""
    def run(plan, kernel, notebooks, staging, processed, *rest, **kw):
        (staging / "notebooks" / "01_clean.ipynb").write_text("{}", encoding="utf-8")
        (processed / "ringkasan.csv").write_text("x", encoding="utf-8")
        cell = PapermillExecutionError(2, 2, "stages.run_report(...)", ename, evalue, [])
        raise runner.StageError(f"04_report.ipynb, sel 2: {ename}: {evalue}",
                                staging / "notebooks" / "04_report.ipynb") from cell
    return run


def _nothing_left(tmp_path, temp, previous, before):
    assert _digest(previous / "2024") == before
    assert sorted(p.name for p in previous.iterdir()) == ["2024"]
    assert sorted(p.name for p in (tmp_path / "proc").iterdir()) == []
    assert list(temp.iterdir()) == []


def test_a_full_disk_in_a_stage_names_the_output_folder(no_kernel, previous, tmp_path,
                                                        capsys, monkeypatch):
    before = _digest(previous / "2024")
    monkeypatch.setattr(runner, "_run_stages", _kernel_raised(
        "OSError", "[Errno 28] No space left on device: 'keluaran/figures/g-anggaran.png'"))
    code, err = _report(tmp_path, capsys)
    assert code == 4
    assert err == (f"Tidak dapat menulis ke folder keluaran {previous}: disk penuh (No space "
                   "left on device); kosongkan ruang disk atau pilih folder lain, lalu "
                   "jalankan ulang.\nKeluaran sebelumnya tidak diubah.\n")
    _nothing_left(tmp_path, no_kernel, previous, before)


def test_a_stage_refused_the_processed_folder_names_it(no_kernel, previous, tmp_path, capsys,
                                                       monkeypatch):
    before = _digest(previous / "2024")
    monkeypatch.setattr(runner, "_run_stages", _kernel_raised(
        "PermissionError", "[Errno 13] Permission denied: 'olahan/indikator/capaian.csv'"))
    code, err = _report(tmp_path, capsys)
    assert code == 4
    assert err.startswith(f"Tidak dapat menulis ke folder data olahan {tmp_path / 'proc'}: "
                          "tidak ada izin (Permission denied); periksa izin folder itu")
    assert ".build-2024" not in err and "keluaran/" not in err
    _nothing_left(tmp_path, no_kernel, previous, before)


@pytest.mark.parametrize("code", sorted(runner.UNWRITABLE))
def test_a_write_refused_here_without_a_file_name_names_the_output_folder(
        code, no_kernel, previous, tmp_path, capsys, monkeypatch):
    """papermill's notebook and the manifest are written by this process; a write that
    fails as its file is closed names no file."""
    before = _digest(previous / "2024")
    monkeypatch.setattr(runner, "_run_stages", lambda *a, **kw: None)

    def refused(*args, **kw):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(manifest, "write", refused)
    exit_code, err = _report(tmp_path, capsys)
    reason, advice = runner.UNWRITABLE[code]
    assert exit_code == 4
    assert err == (f"Tidak dapat menulis ke folder keluaran {previous}: {reason} "
                   f"({os.strerror(code)}); {advice}, lalu jalankan ulang.\n"
                   "Keluaran sebelumnya tidak diubah.\n")
    _nothing_left(tmp_path, no_kernel, previous, before)


def test_a_failed_cell_names_the_notebook_where_it_is_kept(no_kernel, previous, tmp_path,
                                                            capsys, monkeypatch):
    """Not a disk: exit code 1, and the executed notebook named in .failed-2024/, where it
    is, not in the staging folder it was moved from."""
    monkeypatch.setattr(runner, "_run_stages", _kernel_raised("ValueError", "sel rusak"))
    code, err = _report(tmp_path, capsys)
    kept = previous / ".failed-2024" / "04_report.ipynb"
    assert code == 1
    assert f"Notebook hasil eksekusi disimpan untuk diperiksa: {kept}\n" in err
    assert (previous / ".failed-2024" / "01_clean.ipynb").is_file()
    assert not (previous / ".build-2024").exists()


def test_a_missing_file_in_a_stage_is_still_a_failed_stage(no_kernel, previous, tmp_path,
                                                            capsys, monkeypatch):
    monkeypatch.setattr(runner, "_run_stages", _kernel_raised(
        "FileNotFoundError", "[Errno 2] No such file or directory: 'olahan/x.csv'"))
    code, err = _report(tmp_path, capsys)
    assert code == 1
    assert err.startswith("Tahap notebook gagal: 04_report.ipynb, sel 2: FileNotFoundError")


def test_an_unreadable_data_file_names_the_file():
    folders = runner._Folders(runner.annual(2024), SEED_RAW.resolve() / "2024",
                              ROOT / "outputs", ROOT / "data" / "processed", config.NOTEBOOKS)
    said = str(folders.error(errno.EACCES, "data/2024/iku.csv"))
    assert said.startswith(f"Tidak dapat membaca {SEED_RAW.resolve() / '2024' / 'iku.csv'}: "
                           "tidak ada izin")


def test_a_file_written_outside_a_build_is_named(capsys):
    said = runner.os_message(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/x/lkip.xlsx"))
    assert said == ("Tidak dapat membaca atau menulis /x/lkip.xlsx: disk penuh (No space left "
                    "on device); kosongkan ruang disk atau pilih folder lain, lalu jalankan "
                    "ulang.")


@pytest.fixture
def full_disk(tmp_path):
    """A 4 MB tmpfs with 64 KB left (Linux, as root); unmounted after."""
    where = tmp_path / "penuh"
    where.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)],
                          capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root on Linux)")
    try:
        free = os.statvfs(where).f_bavail * os.statvfs(where).f_frsize
        with open(where / "pengisi", "wb") as filler:
            filler.write(b"\0" * (free - 64 * 1024))
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


@pytest.mark.e2e
def test_make_report_on_a_full_disk_exits_4_and_leaves_the_previous_report(full_disk,
                                                                          tmp_path):
    """The smallest data folder: its HTML alone (265 KB) is four times the room left."""
    out = full_disk / "out"
    (out / "2025").mkdir(parents=True)
    (out / "2025" / "LKIP_2025.html").write_text("laporan sebelumnya", encoding="utf-8")
    before = _digest(out / "2025")
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "report", "--year", "2025", "--raw", str(MINIMAL),
         "--out", str(out), "--processed", str(tmp_path / "proc")],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 4, done.stderr
    assert (f"Tidak dapat menulis ke folder keluaran {out}: disk penuh (No space left on "
            "device)") in done.stderr
    assert "Traceback" not in done.stderr and ".build-" not in done.stderr
    assert _digest(out / "2025") == before
    assert not [p for p in out.iterdir() if p.name.startswith((".build-", ".failed-"))]
    assert not [p for p in (tmp_path / "proc").iterdir() if p.name.startswith(".build-")]


@pytest.mark.e2e
def test_a_full_disk_inside_the_kernel_exits_4(tmp_path, capsys, monkeypatch):
    """The OSError of a notebook cell reaches the build as text; its file name is in the
    kernel's folder (`olahan/...`), named here as the processed folder it stands for. The
    smallest data folder: what is built before the cell does not matter."""
    monkeypatch.setattr(config, "cores", lambda: 1)
    notebooks = tmp_path / "notebooks"
    shutil.copytree(config.NOTEBOOKS, notebooks)
    nb = nbformat.read(notebooks / "02_indicators.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import errno, os\n"
        "raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), 'olahan/indikator/x.csv')"))
    nbformat.write(nb, notebooks / "02_indicators.ipynb")
    code, err = _report(tmp_path, capsys, notebooks, MINIMAL, "2025")
    assert code == 4
    said, unchanged = err.splitlines()[-2:]  # after the stages' progress lines
    assert said.startswith(f"Tidak dapat menulis ke folder data olahan {tmp_path / 'proc'}: "
                           "disk penuh (No space left on device)")
    assert unchanged == "Keluaran sebelumnya tidak diubah."
    assert not (tmp_path / "out" / "2025").exists()
    assert not (tmp_path / "out" / ".failed-2025").exists()
    assert sorted(p.name for p in (tmp_path / "proc").iterdir()) == []


def test_a_deep_temporary_folder_puts_the_kernel_sockets_in_a_short_one(tmp_path):
    """A socket path holds at most 107 bytes: under a deep TMPDIR the kernel would fail with
    `ZMQError: File name too long`; its sockets then go to a private folder of their own."""
    from pipeline.run import kernel

    assert kernel.sockets_folder(Path("/tmp/lkip-build-abc")) == (Path("/tmp/lkip-build-abc"),
                                                                    False)
    deep = tmp_path / ("d" * 120)
    folder, own = kernel.sockets_folder(deep)
    try:
        assert own and folder.parent == Path(kernel.SHORT_TEMP)
        assert folder.name.startswith("lkip-k-") and oct(folder.stat().st_mode)[-3:] == "700"
        assert len(str(folder / "k-65535")) <= kernel.SOCKET_PATH_MAX
    finally:
        folder.rmdir()
