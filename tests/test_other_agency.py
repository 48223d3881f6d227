"""A fictional agency and year: the same code builds its LKIP from its own data folder."""

import pytest
from pypdf import PdfReader

from pipeline.compute import results
from pipeline.read import clean
from pipeline.read.numbers import round_half_up

from .conftest import ROOT

CONTOH = ROOT / "tests" / "fixtures" / "contoh"
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def contoh_report(fixture_build):
    """The agency's report as published (conftest: fixture_build, built once a session)."""
    return fixture_build("contoh").folder


def test_negative_polarity_and_zero_target():
    ds = clean.load_raw(CONTOH / "2025", 2025)
    series = results.compute(ds)["kinerja_seri.csv"].set_index(["kode_iku", "tahun"])
    # lower is better: (2 x 10 - 8) / 10 x 100 = 120
    assert round_half_up(series.loc[("K1", 2025), "capaian"], 2) == 120
    assert series.loc[("K2", 2023), "capaian"] is None
    assert series.loc[("K2", 2023), "capaian_alasan"] == "target bernilai nol"


def test_report_speaks_of_the_other_agency_only(contoh_report):
    html = (contoh_report / "LKIP_2025.html").read_text(encoding="utf-8")
    for text in ("Dinas Ketahanan Pangan", "Pemerintah Kabupaten Contoh", "14 Februari 2026",
                 "120,00%", "95,00%", "+30,00", "+6,00", "Rp1.000.000.000"):
        assert text in html, text
    for other in ("Barito", "PMKS", "Desa Mandiri", "Kalimantan", "Suparmi"):
        assert other not in html, other
    # a consistent data set: every printed derived figure matches its recomputation
    assert "Seluruh angka turunan tercetak sesuai dengan hasil hitung ulang" in html
    assert "Tidak ada koreksi atas angka tercetak" in html
    # polarity-aware sentences: 8,00% of desa rawan pangan has not yet reached 6,00% (2029)
    assert "baru mencapai capaian 66,67% terhadap target akhir periode Renstra tahun 2029" in html
    assert ("berada di atas target provinsi sebesar 75,00%, selisih 1,00 poin: lebih baik dari "
            "target provinsi") in html


def test_other_agency_pdf(contoh_report):
    text = "\n".join(p.extract_text() for p in PdfReader(contoh_report / "LKIP_2025.pdf").pages)
    assert "Persentase Desa Rawan Pangan" in text and "120,00%" in text
