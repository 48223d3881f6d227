"""Build the whole report from the seed in a temporary folder and read it as a user would."""

import hashlib
import re
import shutil

import nbformat
import pytest
from pypdf import PdfReader

from pipeline import config
from pipeline.errors import InputError
from pipeline.run import runner

from .conftest import ROOT, SEED_RAW, copy_build

pytestmark = pytest.mark.e2e

FIGURES = ["113,65%", "337,56%", "29,03%", "2.394", "+242,69", "Rp3.116.944.236",
           "Rp20.619.848.861", "18 Februari 2025", "94,87%"]


def _digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_outputs_are_all_there(built):
    _, folder = built
    assert (folder / "LKIP_2024.html").stat().st_size > 50_000
    assert (folder / "LKIP_2024.pdf").read_bytes()[:5] == b"%PDF-"
    assert (folder / "findings.csv").is_file() and (folder / "findings.json").is_file()
    for stage in config.STAGES:
        nb = nbformat.read(folder / "notebooks" / stage, as_version=4)
        assert all(c.get("outputs") is not None for c in nb.cells if c.cell_type == "code")
        assert "start_time" not in nb.metadata.get("papermill", {})
    pngs = sorted(p.name for p in (folder / "figures").glob("*.png"))
    svgs = sorted(p.name for p in (folder / "figures").glob("*.svg"))
    assert len(pngs) == len(svgs) >= 6


def test_html_states_the_recomputed_figures(built):
    _, folder = built
    html = (folder / "LKIP_2024.html").read_text(encoding="utf-8")
    for figure in FIGURES:
        assert figure in html, figure
    # the printed efficiency -91,49 is disclosed as a difference, not used
    assert "−91,49" in html or "-91.49" in html
    assert "Penyediaan Permakanan" in html and "2.036.000.00" in html  # the correction
    assert "Catatan Verifikasi Data" in html
    # the wrong sub-kegiatan percentage is marked in the table and listed as a finding (its
    # figures each kept whole in a span of their own)
    assert "Persentase realisasi Peningkatan Kemampuan Potensi Sumber Kesejahteraan Sosial " \
           "Keluarga Kewenangan Kabupaten/ Kota: tercetak 22.64 %, seharusnya 75,64%" in \
           re.sub(r"<[^>]+>", "", html)


def test_html_is_self_contained(built):
    _, folder = built
    html = (folder / "LKIP_2024.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<link" not in html.lower()
    assert html.count('src="data:image/svg+xml;base64,') >= 6


def test_pdf_prints_the_charts_as_png_and_nothing_else_differs(built):
    from pipeline.present import charts, render

    _, folder = built
    html = (folder / "LKIP_2024.html").read_text(encoding="utf-8")
    made = [charts.Chart(p.stem, "", p, p.with_suffix(".svg"))
            for p in sorted((folder / "figures").glob("*.png"))]
    printed = render.for_print(html, made)
    assert "data:image/svg+xml" not in printed
    assert printed.count('src="data:image/png;base64,') == len(made)

    def without_images(text):
        return re.sub(r'src="data:image/[^"]*"', 'src=""', text)

    # links to the quarterly reports beside it keep their text, not their target
    links = re.findall(r'<a class="berkas" href="([^"]*)">', html)
    assert links == [f"../2024-TW{n}/LKIP_2024_TW{n}.pdf" for n in (1, 2, 3, 4)]
    assert 'class="berkas" href' not in printed
    assert without_images(printed) == without_images(
        re.sub(r'<a class="berkas" href="[^"]*">', '<a class="berkas">', html))
    reader = PdfReader(folder / "LKIP_2024.pdf")
    shared = {x.idnum: x.get_object() for page in reader.pages  # pages share resources
              for x in (page["/Resources"].get("/XObject") or {}).values()}
    images = [x for x in shared.values() if x["/Subtype"] == "/Image"]
    assert len(images) == len(made)
    assert {(i["/Width"], i["/ColorSpace"], "/SMask" in i) for i in images} == {
        (round(charts.WIDTH * charts.PRINT_DPI), "/DeviceGray", False)}


def test_pdf_text_carries_the_same_figures(seed_pdf_pages):
    text = "\n".join(seed_pdf_pages)
    assert len(seed_pdf_pages) >= 20
    for figure in FIGURES:
        assert figure in text, figure
    assert "DAFTAR ISI" in text and "Halaman 2" in text


def test_bad_input_leaves_previous_outputs_untouched(built, tmp_path):
    base, folder = built
    before = _digest(folder)
    raw = tmp_path / "raw"
    shutil.copytree(SEED_RAW / "2024", raw / "2024")
    (raw / "2024" / "iku.csv").unlink()
    with pytest.raises(InputError):
        runner.build("2024", raw, base / "outputs", base / "processed", config.NOTEBOOKS)
    assert _digest(folder) == before
    assert not list((base / "outputs").glob(".build-*"))


def test_failing_cell_names_notebook_and_keeps_it(minimal_built, tmp_path):
    """On a copy of the smallest build (conftest: minimal_built), whose stages must run."""
    base = copy_build(minimal_built.base, tmp_path / "salinan")
    folder = base / "outputs" / "2025"
    before = _digest(folder)
    notebooks = base / "notebooks"
    nb = nbformat.read(notebooks / "02_indicators.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('sel rusak')"))
    nbformat.write(nb, notebooks / "02_indicators.ipynb")
    with pytest.raises(runner.StageError, match=r"02_indicators\.ipynb.*ValueError: sel rusak"):
        runner.build("2025", base / "raw", base / "outputs", base / "processed", notebooks)
    assert _digest(folder) == before
    assert (base / "outputs" / ".failed-2025" / "02_indicators.ipynb").is_file()


def test_year_must_be_four_digits_with_a_folder():
    for bad in ("../../etc", "24", "2023"):
        with pytest.raises(InputError):
            runner.check_year(bad, SEED_RAW)


def test_notebooks_are_committed_without_outputs():
    for stage in config.STAGES:
        nb = nbformat.read(ROOT / "notebooks" / stage, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code)
        assert "parameters" in code[0].metadata.get("tags", [])


def test_no_text_runs_past_a_cell_or_the_page_margin(built):
    from pipeline.present import render

    _, folder = built
    html = (folder / "LKIP_2024.html").read_text(encoding="utf-8")
    assert render.layout_overflows(html) == []


def test_two_builds_are_byte_identical(minimal_built, kernel_session, tmp_path):
    """On the smallest data folder, every stage run again in its own folder, in the session's
    kernel (test_verify.py::test_untouched_build_verifies rebuilds it in another folder with a
    kernel of its own; test_batch.py compares the seed's five documents built by a batch and
    by `make report`)."""
    base = copy_build(minimal_built.base, tmp_path / "salinan")
    folder, year = base / "outputs" / "2025", "2025"
    before, processed = _digest(folder), _digest(base / "processed" / year)
    again = runner.build(year, base / "raw", base / "outputs", base / "processed",
                         base / "notebooks", force=True,  # every stage runs again
                         shared=kernel_session)
    assert _digest(again) == before
    assert _digest(base / "processed" / year) == processed


def test_manifest_lists_inputs_outputs_and_environment(built):
    from pipeline.run import manifest

    _, folder = built
    m = manifest.read(folder / "manifest.json")
    assert m["masukan"]["realisasi_anggaran.csv"] == manifest.sha256(
        SEED_RAW / "2024" / "realisasi_anggaran.csv")
    assert m["keluaran"]["LKIP_2024.pdf"] == manifest.sha256(folder / "LKIP_2024.pdf")
    assert "manifest.json" not in m["keluaran"]
    assert set(m["notebook"]) == set(config.STAGES)
    assert "indikator/efisiensi.csv" in m["olahan"]
    assert m["lingkungan"]["paket"]["weasyprint"] == "70.0"
    assert m["lingkungan"]["pustaka"] == manifest.system_libraries()
    assert m["lingkungan"]["pustaka"]["Pango"]
    assert len(m["kode"]["git_commit"]) == 40 or m["kode"]["git_commit"] == "tidak diketahui"


def test_pdf_is_pdfa_with_project_fonts_and_embedded_data(built):
    _, folder = built
    reader = PdfReader(folder / "LKIP_2024.pdf")
    fonts = {f.get_object()["/BaseFont"].split("+")[-1]
             for page in reader.pages
             for f in (page.get("/Resources", {}).get("/Font") or {}).values()}
    assert fonts and all(name.startswith(("Source-Serif-Pro", "Source-Sans-Pro"))
                         for name in fonts), fonts
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]
    names = set(reader.attachments)
    assert {"data/realisasi_anggaran.csv", "data/koreksi.csv", "findings.csv",
            "manifest-masukan.json"} <= names
    raw = (SEED_RAW / "2024" / "realisasi_anggaran.csv").read_bytes()
    assert reader.attachments["data/realisasi_anggaran.csv"][0] == raw


def test_every_figure_in_the_html_is_in_the_ledger(built):
    from pipeline.compute import ledger

    _, folder = built
    html = (folder / "LKIP_2024.html").read_text(encoding="utf-8")
    entries = ledger.read(folder / "ledger.csv")
    assert len(ledger.figures_in(html)) > 500
    assert ledger.unledgered(html, entries.values()) == []
    # the check can fail: a figure typed into the page is caught
    assert ledger.unledgered(html.replace("</body>", "<p>Rp1.234.567</p></body>"),
                             entries.values()) == ["1.234.567"]
    e = entries["efisiensi:kode_sasaran=S2;kode_iku=IKU2:efisiensi"]
    assert (e.unit, e.formula) == (
        "poin", "capaian kinerja − capaian anggaran, keduanya dibulatkan 2 desimal")
    assert e.inputs == ("efisiensi:kode_sasaran=S2;kode_iku=IKU2:capaian_kinerja; "
                        "efisiensi:kode_sasaran=S2;kode_iku=IKU2:capaian_anggaran")
    assert entries["sub_kegiatan:no=4:persentase"].inputs == (
        "sub_kegiatan:no=4:realisasi; sub_kegiatan:no=4:anggaran")
    assert ('title="Tingkat efisiensi sasaran S2 (Persentase Desa Mandiri): capaian kinerja − '
            'capaian anggaran, keduanya dibulatkan 2 desimal.') in html
