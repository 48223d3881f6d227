"""Untrusted inputs: a received PDF or data folder must never write, fetch or disclose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.compute import ledger
from pipeline.errors import InputError
from pipeline.present import charts, narrative, render
from pipeline.read import clean, inputs, numbers
from pipeline.run import manifest, verify

from .conftest import MINIMAL, ROOT

CONTOH = ROOT / "tests" / "fixtures" / "contoh" / "2025"


def hostile_pdf(tmp_path: Path, names: list[str]) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_attachment(manifest.BASE_NAME, b'{"tahun": 2025, "masukan": {}}')
    writer.add_attachment(ledger.NAME, b"key,label,value,unit,formula,inputs\n")
    for name in names:
        writer.add_attachment(name, b"import os\n")
    path = tmp_path / "kiriman.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


@pytest.mark.parametrize("name", [
    "data//tmp/zz.pth", "data/../../zz.pth", "data/narasi/../../x.md", "data/..\\x.csv",
    "data/catatan.txt", "data/sub/dir/x.csv", "skrip.py"])
def test_verify_pdf_refuses_names_a_build_never_writes(tmp_path, name, monkeypatch):
    victim = tmp_path / "korban"
    victim.mkdir()
    monkeypatch.chdir(victim)
    aimed = f"data/{victim}/owned.pth"  # an absolute path, as the repro aimed at site-packages
    pdf = hostile_pdf(tmp_path, [name, aimed])
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = verify.from_pdf(pdf)
    assert not result.ok
    assert "ditolak, bukan data yang ditanam laporan ini" in "\n".join(result.lines)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert not (Path("/tmp") / "zz.pth").exists()


def test_verify_pdf_refuses_what_is_not_a_pdf(tmp_path):
    for data in (b"", b"%PDF-1.7 terpotong", b"bukan pdf"):
        path = tmp_path / "x.pdf"
        path.write_bytes(data)
        result = verify.from_pdf(path)
        assert not result.ok
        assert "tidak dapat dibaca sebagai PDF" in result.lines[0]


def test_the_pdf_fetches_nothing_from_outside():
    fetcher = render.safe_fetcher()
    for url in ("file:///etc/passwd", "file:///dev/zero", "http://127.0.0.1:9/x.png",
                "https://example.invalid/x.png", "ftp://127.0.0.1/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok") is not None
    font = render.font_faces_css().split('url("')[1].split('")')[0]
    assert fetcher.fetch(font) is not None  # the pinned fonts still load


def test_narrative_images_become_a_visible_note():
    html = narrative.markdown("Lihat ![peta](http://127.0.0.1:8765/x.png) dan ![f](/etc/passwd)")
    assert "<img" not in html
    assert "[gambar tidak dimuat: peta (http://127.0.0.1:8765/x.png)]" in html


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw" / "2025"
    shutil.copytree(CONTOH, folder)
    return folder


def test_only_known_files_are_inputs(raw, tmp_path):
    (raw / "catatan.txt").write_text("rahasia", encoding="utf-8")
    secret = tmp_path / "rahasia.md"
    secret.write_text("x", encoding="utf-8")
    (raw / "narasi" / "tautan.md").symlink_to(secret)
    names = [p.relative_to(raw).as_posix() for p in inputs.files(raw)]
    assert "catatan.txt" not in names and "narasi/tautan.md" not in names
    assert "iku.csv" in names and "narasi/penutup.md" in names


def test_a_symlinked_table_is_refused(raw, tmp_path):
    target = tmp_path / "elsewhere.csv"
    shutil.move(raw / "sasaran.csv", target)
    (raw / "sasaran.csv").symlink_to(target)
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, 2025)
    assert "sasaran.csv: file adalah tautan (symlink)" in str(err.value)


def test_a_symlinked_narrative_is_refused(raw, tmp_path):
    target = tmp_path / "lain.md"
    target.write_text("teks", encoding="utf-8")
    (raw / "narasi" / "penutup.md").unlink()
    (raw / "narasi" / "penutup.md").symlink_to(target)
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, 2025)
    assert "narasi/penutup.md: file narasi adalah tautan" in str(err.value)


def _replace(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_codes_cannot_climb_out_of_a_folder(raw):
    _replace(raw / "sasaran.csv", "S1,", "../../S1,")
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, 2025)
    assert "kolom 'kode_sasaran'" in str(err.value) and "kode dari huruf, angka" in str(
        err.value)


def test_a_duplicated_column_is_refused(raw):
    path = raw / "target_pk.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",target"] + [line + ",99%" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, 2025)
    assert "target_pk.csv, baris 1, kolom 'target': kolom ganda" in str(err.value)


@pytest.mark.parametrize("text", ["1" * 31, "22," + "0" * 50, "٢٢", "２２"])
def test_numbers_beyond_reason_are_refused(text):
    with pytest.raises(numbers.NumberFormatError):
        numbers.parse_decimal(text)


def test_control_characters_in_text_are_refused(raw):
    _replace(raw / "sasaran.csv", "S1,", "S1,\x07")
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, 2025)
    assert "karakter kendali" in str(err.value)


def test_outputs_inside_the_data_folder_are_refused(raw):
    from pipeline.run import runner

    with pytest.raises(InputError) as err:
        runner.build("2025", raw.parent, raw.parent / "keluaran", raw.parent.parent / "proc")
    assert "folder keluaran berada di dalam folder data" in str(err.value)
    assert not (raw.parent / "keluaran").exists()


def test_small_leaks_closed():
    from pipeline.read import formatting

    assert formatting.percent(-0.004) == "0,00%"  # never -0,00%
    assert narrative.markdown("a\x00b\x07c") == "<p>abc</p>\n"
    toc = render._toc('<h4 id="s-1">Sasaran 1: Mutu &#34;A&#34; &amp; B</h4>')
    assert toc == [("s-1", 'Sasaran 1: Mutu "A" & B', 4)]  # escaped once, by the template


def test_an_output_that_cannot_be_written_gets_a_sentence(raw, tmp_path, capsys):
    from pipeline import cli

    blocked = tmp_path / "keluaran"
    blocked.write_text("sebuah file, bukan folder", encoding="utf-8")
    code = cli.main(["report", "--year", "2025", "--raw", str(raw.parent), "--out",
                     str(blocked), "--processed", str(tmp_path / "proc")])
    err = capsys.readouterr().err
    assert code == 4
    assert f"Tidak dapat membaca atau menulis {blocked}" in err and "Traceback" not in err


def test_a_dead_kernel_is_a_stage_failure(monkeypatch, tmp_path):
    import papermill
    from nbclient.exceptions import DeadKernelError

    from pipeline.run import runner

    def die(*args, **kwargs):
        raise DeadKernelError("Kernel died")

    monkeypatch.setattr(papermill, "execute_notebook", die)
    with pytest.raises(runner.StageError, match="kernel Jupyter berhenti atau tidak menjawab"):
        runner._execute(tmp_path / "01_clean.ipynb", tmp_path / "out.ipynb", {})


def test_a_huge_word_in_narrative_is_refused(raw):
    (raw / "narasi" / "penutup.md").write_text("kata " + "x" * 50_000, encoding="utf-8")
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, 2025)
    assert "narasi/penutup.md: kata sepanjang 50000 karakter" in str(err.value)


def test_a_second_build_sharing_the_processed_folder_is_refused(raw, tmp_path):
    import fcntl

    from pipeline.run import runner

    processed = tmp_path / "proc"
    processed.mkdir()
    with open(processed / ".lock-2025", "w") as held:  # a first build, still running
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(InputError) as err:
            runner.build("2025", raw.parent, tmp_path / "keluaran-lain", processed)
    assert "pembangunan laporan tahun ini sedang berjalan" in str(err.value)
    assert not (processed / "2025").exists()


@pytest.mark.slow
def test_a_build_naming_a_local_server_sends_it_no_request(tmp_path):
    """The smallest data folder's report, whose closing narrative shows an image from the
    server, built and printed with another image from it."""
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    requests = []

    class Listener(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server name
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Listener)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/gambar.png"
    try:
        raw = tmp_path / "raw" / "2025"
        shutil.copytree(MINIMAL / "2025", raw)
        (raw / "narasi" / "penutup.md").write_text(f"Lihat ![peta]({url}).\n", encoding="utf-8")
        from .conftest import build_html

        html, *_ = build_html(raw, 2025, tmp_path / "build")
        drawn = [charts.Chart(svg.stem, "", svg.with_suffix(".png"), svg)
                 for svg in (tmp_path / "build" / "figures").glob("*.svg")]
        # printed as the report stage prints it (charts as PNG), with an image of the server
        render.render_pdf(render.for_print(html, drawn) + f'<img src="{url}">',
                          tmp_path / "x.pdf")
    finally:
        server.shutdown()
    assert requests == []
    assert "[gambar tidak dimuat: peta" in html
