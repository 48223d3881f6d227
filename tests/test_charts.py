import gc
import math
import warnings
from decimal import Decimal as D

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib import font_manager, rcParams
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image

from pipeline.present import charts
from pipeline.read.units import PERCENT, Unit

# a warning while drawing (missing glyph, font fallback, collapsed layout) is a broken chart
pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module", autouse=True)
def _earlier_tests_garbage():
    """What earlier modules left to the garbage collector (a subprocess's pipe, a file) warns
    as it is collected, in whatever test runs then: collected before this module's tests, whose
    warnings are errors, so that one of theirs fails for its own chart only."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()

LONG = ("Persentase penyandang masalah kesejahteraan sosial yang memperoleh pelayanan dasar "
        "dan rehabilitasi sosial di dalam dan di luar panti sesuai standar pelayanan minimal")
DOKUMEN = Unit.of("dokumen", desimal=0)


def long_name(i: int) -> str:
    return f"{i}. {LONG}"


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, dtype=object)


def seri(values, tahun=None) -> pd.DataFrame:
    tahun = tahun or list(range(2020, 2020 + len(values)))
    return frame({"tahun": tahun, "target": [t for t, _ in values],
                  "realisasi": [r for _, r in values]})


def capaian_rows(indicators: int, drop=()) -> pd.DataFrame:
    return frame([{"indikator": long_name(i), "tahun": y, "capaian": D(60 + 5 * i + y - 2018)}
                  for i in range(indicators) for y in range(2018, 2025) if (i, y) not in drop])


def desa() -> pd.DataFrame:
    return frame({"tahun": [2022, 2023, 2024], "desa_mandiri": [7, 14, 1270],
                  "desa_baru": [3, 7, 1256], "persentase": [D("7.53"), D("15.05"), D("29.03")]})


def programs(n: int) -> pd.DataFrame:
    return frame({"program": [long_name(i) for i in range(n)],
                  "persentase": [D(40 + 7 * i) for i in range(n)]})


def kinerja(codes=("IKU1", "IKU2"), missing=()) -> pd.DataFrame:
    return frame([{"kode_iku": code, "triwulan": tw, "target": D(10 * (q + 1)),
                   "realisasi": None if (code, tw) in missing else D(8 * (q + 1))}
                  for code in codes for q, tw in enumerate(charts.TRIWULAN)])


def keuangan() -> pd.DataFrame:
    return frame({"triwulan": list(charts.TRIWULAN),
                  "target_persen": [D("15.7"), D("26.2"), D("41.9"), D(100)],
                  "realisasi_persen": [D(0), D("8.17"), D("25.8"), D("91.9")]})


def drawn_texts(fig, monkeypatch) -> list[Text]:
    """The Text artists a render really draws (ticks out of view and empty titles are not)."""
    drawn, original = [], Text.draw

    def record(self, renderer):
        if self.get_visible() and self.get_text().strip():
            drawn.append(self)
        return original(self, renderer)

    monkeypatch.setattr(Text, "draw", record)
    fig.canvas.draw()
    monkeypatch.setattr(Text, "draw", original)
    return drawn


def outside(fig, monkeypatch) -> list[str]:
    box = fig.bbox
    renderer = fig.canvas.get_renderer()
    bad = []
    for text in drawn_texts(fig, monkeypatch):
        ext = text.get_window_extent(renderer)
        if (ext.x0 < box.x0 - 1 or ext.y0 < box.y0 - 1 or ext.x1 > box.x1 + 1
                or ext.y1 > box.y1 + 1):
            bad.append(f"{text.get_text()[:40]!r} at {ext.bounds}")
    return bad


def all_text(fig, monkeypatch) -> str:
    return " ".join(t.get_text() for t in drawn_texts(fig, monkeypatch))


LONG_CHARTS = {
    "target_vs_realisasi": lambda: charts.target_vs_realisasi(
        seri([(D(1200), D(1100)), (None, D(1700)), (D(1800), None), (D(2000), D(1980))]),
        long_name(1), DOKUMEN),
    "target_vs_realisasi_rupiah": lambda: charts.target_vs_realisasi(
        seri([(D(3385637000), D(3185637000))] * 7), long_name(1), Unit.of("Rp")),
    "capaian_trend": lambda: charts.capaian_trend(capaian_rows(8, drop={(2, 2021)})),
    "desa_mandiri": lambda: charts.desa_mandiri(desa()),
    "composition": lambda: charts.composition(
        frame({"kategori": [long_name(i) for i in range(12)],
               "jumlah": [1896 - 150 * i for i in range(12)]}),
        "Komposisi " + LONG + " tahun 2024", "orang"),
    "budget_absorption": lambda: charts.budget_absorption(programs(12)),
    "triwulan_mixed_units": lambda: charts.triwulan_progress(
        kinerja(tuple(f"IKU{i}" for i in range(8))), keuangan(),
        {"IKU0": PERCENT, "IKU1": DOKUMEN}),
    "triwulan_only_keuangan": lambda: charts.triwulan_progress(pd.DataFrame(), keuangan()),
    "triwulan_only_kinerja": lambda: charts.triwulan_progress(kinerja(), pd.DataFrame()),
}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize("name", LONG_CHARTS)
def test_every_text_stays_inside_the_figure(name, monkeypatch):
    fig = LONG_CHARTS[name]()
    assert outside(fig, monkeypatch) == []


@pytest.mark.parametrize("name", ["target_vs_realisasi", "capaian_trend", "composition",
                                  "budget_absorption"])
def test_long_names_wrap_instead_of_being_cut(name, monkeypatch):
    text = all_text(LONG_CHARTS[name](), monkeypatch)
    assert "…" not in text
    assert " ".join(text.split()).count("sesuai standar pelayanan minimal") >= 1
    assert "\n" in text


def test_titles_are_centred_over_the_whole_figure():
    fig = LONG_CHARTS["budget_absorption"]()
    assert fig._suptitle.get_text() == "Penyerapan anggaran per program"
    assert (fig._suptitle.get_position()[0], fig._suptitle.get_ha()) == (0.5, "center")


def test_figure_grows_with_the_number_of_bars():
    short = charts.budget_absorption(programs(3)).get_figheight()
    tall = charts.budget_absorption(programs(20)).get_figheight()
    assert tall > short * 3


def plot_height(fig) -> float:
    fig.canvas.draw()
    return fig.axes[0].get_position().height * fig.get_figheight()


def test_figure_grows_with_the_number_of_legend_entries():
    one, eight = charts.capaian_trend(capaian_rows(1)), charts.capaian_trend(capaian_rows(8))
    assert eight.get_figheight() > one.get_figheight() + 1.5
    assert plot_height(one) == pytest.approx(plot_height(eight), abs=0.02)


def ticks(axis) -> list[str]:
    axis.figure.canvas.draw()
    low, high = sorted(axis.get_view_interval())
    return [t.get_text() for t, loc in zip(axis.get_ticklabels(), axis.get_ticklocs())
            if low <= loc <= high]


def test_count_ticks_group_thousands_with_a_dot():
    fig = charts.target_vs_realisasi(seri([(D(1500), D(1800)), (D(2000), D(1950))]), "Dokumen",
                                     DOKUMEN)
    labels = ticks(fig.axes[0].yaxis)
    assert {"1.500", "2.000"} & set(labels)
    assert not [t for t in labels if "," in t or (t.isdigit() and len(t) > 3)]


def test_percent_ticks_carry_the_percent_sign():
    labels = ticks(charts.capaian_trend(capaian_rows(2)).axes[0].yaxis)
    assert "40%" in labels
    assert labels[0] == "0%"


def test_fractional_ticks_use_a_decimal_comma():
    fig = charts.target_vs_realisasi(seri([(D("3.2"), D("3.05")), (D("3.4"), D("3.62"))]),
                                     "Indeks", Unit.of("skor", "indeks"))
    labels = ticks(fig.axes[0].yaxis)
    assert "0,5" in labels
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize("top", [D("0.9"), D("1.9"), D("18"), D("36"), D("2200")])
def test_tick_labels_read_back_as_their_values(top):
    fig = charts.target_vs_realisasi(seri([(top, top / 2)]), "Persentase", PERCENT)
    axis = fig.axes[0].yaxis
    labels = ticks(axis)
    low, high = sorted(axis.get_view_interval())
    locs = [v for v in axis.get_ticklocs() if low <= v <= high]
    read = [float(t.rstrip("%").replace(".", "").replace(",", ".")) for t in labels]
    assert read == pytest.approx(locs)


def test_rupiah_ticks_are_whole_numbers_grouped():
    labels = ticks(LONG_CHARTS["target_vs_realisasi_rupiah"]().axes[0].yaxis)
    assert "1.000.000.000" in labels


def test_font_is_source_sans_pro(monkeypatch):
    found = font_manager.findfont(FontProperties(family=rcParams["font.family"]),
                                  fallback_to_default=False)
    assert found.endswith("SourceSansPro-Regular.ttf")
    fig = LONG_CHARTS["triwulan_mixed_units"]()
    assert {t.get_fontname() for t in drawn_texts(fig, monkeypatch)} == {"Source Sans Pro"}


def test_title_uses_the_bold_face():
    bold = FontProperties(family=rcParams["font.family"], weight="bold")
    assert font_manager.findfont(bold, fallback_to_default=False).endswith(
        "SourceSansPro-Bold.ttf")


def bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def notes(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_missing_realisasi_draws_no_bar_and_says_so():
    fig = charts.target_vs_realisasi(seri([(D(20), D(21)), (D(21), None), (D(22), D(23))]),
                                     "Persentase", PERCENT)
    ax = fig.axes[0]
    assert len(bars(ax)) == 5  # three targets, two realisasi
    assert not [b for b in bars(ax) if b.get_height() == 0]
    assert "realisasi: tidak ada data" in notes(ax)


def test_missing_target_draws_no_bar_and_says_so():
    fig = charts.target_vs_realisasi(seri([(None, D(21)), (D(21), D(22))]), "Persentase",
                                     PERCENT)
    ax = fig.axes[0]
    assert len(bars(ax)) == 3
    assert "target: tidak ada data" in notes(ax)


def test_year_absent_from_the_data_keeps_its_place():
    fig = charts.target_vs_realisasi(seri([(D(20), D(21)), (D(22), D(23))], [2020, 2022]),
                                     "Persentase", PERCENT)
    ax = fig.axes[0]
    assert ticks(ax.xaxis) == ["2020", "2021", "2022"]
    assert sorted({round(b.get_x() + b.get_width() / 2) for b in bars(ax)}) == [0, 2]
    gap = [t for t in ax.texts if t.get_text() == "tidak ada data"]
    assert [t.xy[0] for t in gap] == [1]


def line(ax, label: str) -> Line2D:
    return next(ln for ln in ax.get_lines() if ln.get_label() == label)


def test_missing_capaian_breaks_the_line():
    rows = capaian_rows(2, drop={(0, 2022)})
    rows.loc[(rows["indikator"] == long_name(1)) & (rows["tahun"] == 2020), "capaian"] = None
    ax = charts.capaian_trend(rows).axes[0]
    first, second = line(ax, long_name(0)), line(ax, long_name(1))
    assert list(first.get_xdata()) == list(range(2018, 2025))
    assert [math.isnan(v) for v in first.get_ydata()] == [y == 2022 for y in range(2018, 2025)]
    assert [math.isnan(v) for v in second.get_ydata()] == [y == 2020 for y in range(2018, 2025)]
    assert any("tidak ada data" in label for label in ax.get_legend_handles_labels()[1])


def test_many_indicators_get_distinct_line_styles():
    ax = charts.capaian_trend(capaian_rows(16)).axes[0]
    styles = {(ln.get_marker(), ln.get_linestyle(), ln.get_color())
              for ln in ax.get_lines() if ln.get_label().split(".")[0].isdigit()}
    assert len(styles) == 16


def test_desa_mandiri_labels_count_and_share():
    ax = charts.desa_mandiri(desa()).axes[0]
    assert "1.270 (29,03%)" in notes(ax)


def test_desa_year_absent_keeps_its_place():
    df = desa().drop(index=1)
    ax = charts.desa_mandiri(df).axes[0]
    assert ticks(ax.xaxis) == ["2022", "2023", "2024"]
    assert len(bars(ax)) == 4
    assert "tidak ada data" in notes(ax)


def test_composition_total_in_title_and_shares():
    fig = charts.composition(frame({"kategori": ["BPNT", "PKH"], "jumlah": [1896, 504]}),
                             "Komposisi Jumlah PMKS Mandiri tahun 2024", "orang")
    assert fig._suptitle.get_text() == ("Komposisi Jumlah PMKS Mandiri tahun 2024 "
                                        "(total 2.400 orang)")
    assert "1.896 (79,0%)" in notes(fig.axes[0])
    assert fig.axes[0].get_xlabel() == "Jumlah orang"


def test_budget_without_persentase_draws_no_bar():
    df = programs(3)
    df.loc[1, "persentase"] = None
    ax = charts.budget_absorption(df).axes[0]
    assert len(bars(ax)) == 3 + 2  # three 100% backgrounds, two realisasi
    assert "tidak ada data" in notes(ax)


def test_triwulan_same_unit_plots_values():
    ax = charts.triwulan_progress(kinerja(), keuangan(), {"IKU1": DOKUMEN, "IKU2": DOKUMEN}).axes[0]
    assert list(line(ax, "Realisasi IKU1").get_ydata()) == [8, 16, 24, 32]
    assert ax.get_ylabel() == "(dokumen)"


def test_triwulan_mixed_units_plots_capaian():
    ax = charts.triwulan_progress(kinerja(missing={("IKU2", "III")}), keuangan(),
                                  {"IKU1": PERCENT, "IKU2": DOKUMEN}).axes[0]
    assert list(line(ax, "Capaian IKU1").get_ydata()) == [80, 80, 80, 80]
    assert [math.isnan(v) for v in line(ax, "Capaian IKU2").get_ydata()] == [0, 0, 1, 0]
    assert ax.get_ylabel() == "Capaian (%)"


def test_triwulan_uses_polarity_aware_capaian_when_given():
    df = kinerja(("IKU1",))
    df["capaian"] = [D(150)] * 4
    ax = charts.triwulan_progress(df, keuangan(), {"IKU1": PERCENT, "IKU9": DOKUMEN}).axes[0]
    assert list(line(ax, "Realisasi IKU1").get_ydata()) == [8, 16, 24, 32]
    mixed = kinerja(("IKU1", "IKU9"))
    mixed["capaian"] = [D(150)] * 8
    ax = charts.triwulan_progress(mixed, keuangan(), {"IKU1": PERCENT, "IKU9": DOKUMEN}).axes[0]
    assert list(line(ax, "Capaian IKU1").get_ydata()) == [150] * 4


def test_triwulan_missing_realisasi_breaks_the_line():
    ax = charts.triwulan_progress(kinerja(missing={("IKU1", "II")}), keuangan()).axes[0]
    assert [math.isnan(v) for v in line(ax, "Realisasi IKU1").get_ydata()] == [0, 1, 0, 0]


def test_triwulan_draws_only_the_panels_it_has_data_for():
    assert len(charts.triwulan_progress(pd.DataFrame(), keuangan()).axes) == 1
    only_kinerja = charts.triwulan_progress(kinerja(), pd.DataFrame())
    assert [ax.get_title() for ax in only_kinerja.axes] == ["Kinerja IKU per triwulan"]


def test_join_words_drops_a_repeated_prefix():
    assert charts.join_words("Jumlah", "Jumlah PMKS Mandiri") == "Jumlah PMKS Mandiri"
    assert charts.join_words("jumlah", "JUMLAH desa") == "JUMLAH desa"


def test_join_words_keeps_a_different_prefix():
    assert charts.join_words("Komposisi", "Jumlah PMKS Mandiri") == "Komposisi Jumlah PMKS Mandiri"
    assert charts.join_words("Jumlah", "Jumlahan") == "Jumlah Jumlahan"


def test_save_is_byte_identical_on_rebuild(tmp_path):
    made = [charts.save(LONG_CHARTS["capaian_trend"](), tmp_path / run, "g", "x")
            for run in ("a", "b")]
    assert made[0].png.read_bytes() == made[1].png.read_bytes()
    assert made[0].svg.read_bytes() == made[1].svg.read_bytes()
    assert b"Date" not in made[0].svg.read_bytes()


def test_layout_is_frozen_so_saving_only_renders(tmp_path):
    fig = LONG_CHARTS["budget_absorption"]()
    assert fig.get_layout_engine() is None
    before = [ax.get_position().bounds for ax in fig.axes]
    charts.save(fig, tmp_path, "g", "x")
    assert [ax.get_position().bounds for ax in fig.axes] == before


def test_png_is_grey_at_print_resolution(tmp_path):
    fig = LONG_CHARTS["capaian_trend"]()
    height = fig.get_figheight()
    with Image.open(charts.save(fig, tmp_path, "g", "x").png) as png:
        assert png.mode == "L"
        assert png.size == pytest.approx((charts.WIDTH * charts.PRINT_DPI,
                                          height * charts.PRINT_DPI), abs=1)


def test_png_keeps_colour_when_a_chart_has_some(tmp_path):
    fig, (ax,) = charts._figure()
    ax.plot([0, 1], [0, 1], color="red", linewidth=3)
    with Image.open(charts.save(charts._fit(fig, charts.PLOT_HEIGHT), tmp_path, "g", "x").png) \
            as png:
        assert png.mode == "RGB"
        assert (255, 0, 0) in {colour for _, colour in png.getcolors(1 << 24)}
