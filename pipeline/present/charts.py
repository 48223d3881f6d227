"""Charts for the report: matplotlib, grayscale-safe (hatches, markers and line styles, not only
colour), saved as PNG and SVG with fixed metadata so that rebuilds are identical.

Each chart is laid out once and saved twice from the same figure (figures/<key>.*):
- `<key>.svg` goes into the HTML report: vector, sharp at any zoom in a browser;
- `<key>.png`, at PRINT_DPI, goes into the PDF and is what the notebooks show. WeasyPrint
  paints a raster image in a fraction of the time it takes to paint the SVG, and at print
  resolution the printed page looks the same.

Other agencies' data bring long names, many rows and units other than percent. So names wrap
instead of being cut, legends sit below the plot inside the figure, the figure grows in height
with its content, and every tick is printed the Indonesian way through the indicator's unit.
"""

from __future__ import annotations

import functools
import importlib.resources
import math
import os
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from PIL import Image

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import Formatter, MaxNLocator  # noqa: E402

from .. import config  # noqa: E402
from ..read import formatting  # noqa: E402
from ..read.units import JUMLAH, PERCENT, Unit  # noqa: E402

FONT_FAMILY = "Source Sans Pro"  # the report's heading face, so figures match the text
FONT_FILES = ("Regular", "Bold", "It", "BoldIt")


def _register_fonts() -> None:
    """Use the pinned pip font rather than whatever the machine has, so every build is alike."""
    folder = importlib.resources.files("font_source_sans_pro") / "files"
    for style in FONT_FILES:
        font_manager.fontManager.addfont(str(folder / f"SourceSansPro-{style}.ttf"))


_register_fonts()
plt.rcParams.update({
    "svg.hashsalt": "lkip",
    "font.family": FONT_FAMILY,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#cccccc",
    "grid.linewidth": 0.5,
    "figure.dpi": 100,
    "hatch.linewidth": 0.6,
    # text measures the same at every resolution and in SVG, so the one layout done before
    # saving fits every format; hinted widths vary by a few points with the dpi
    "text.hinting": "no_hinting",
})

DARK, MID, LIGHT = "#222222", "#777777", "#bbbbbb"
WIDTH = 6.6  # inches: the text width of the report page
PLOT_HEIGHT = 2.3  # inches of plotting area for a column or line chart
PRINT_DPI = 200  # the PDF's charts: printed pages look as with 300 dpi, at under half the pixels
BAR = 0.62  # thickness of a horizontal bar, in rows
FIT_TOLERANCE = 0.001  # inches: a plotting area this close to its height is left as it is
TITLE_SIZE, LEGEND_SIZE, NOTE_SIZE, TICK_SIZE = 10, 8, 7, 8
CHAR_EM = 0.5  # an average character is about half an em wide in Source Sans Pro
LINE_EM = 1.25  # line height of wrapped text, in em
MISSING = "tidak ada data"
TRIWULAN = ("I", "II", "III", "IV")
TARGET = {"facecolor": "white", "edgecolor": DARK, "hatch": "///"}
REALISASI = {"facecolor": MID, "edgecolor": DARK}
PAGU = {"facecolor": "white", "edgecolor": LIGHT}
DESA_TOTAL = {"facecolor": LIGHT, "edgecolor": DARK}
DESA_BARU = {"facecolor": DARK, "edgecolor": DARK}
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", "-.", ":")


@dataclass(frozen=True)
class Chart:
    key: str
    caption: str
    png: Path  # the PDF and the notebooks
    svg: Path  # the HTML report


def save(fig, folder: Path, key: str, caption: str) -> Chart:
    """Both files from the one figure _fit laid out; metadata that would change per run
    (software version, date) is left out."""
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{key}.png", folder / f"{key}.svg"
    _save_png(fig, png)
    fig.savefig(svg, metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return Chart(key, caption, png, svg)


def _save_png(fig, path: Path) -> None:
    """Opaque (the figure's white ground covers it), and in grey levels when the chart has no
    colour (the report's charts have none): the same pixels in a quarter of the bytes of RGBA,
    so a smaller PDF and notebook."""
    dpi = fig.get_dpi()
    fig.set_dpi(PRINT_DPI)
    try:
        rgba, (width, height) = fig.canvas.print_to_buffer()
    finally:
        fig.set_dpi(dpi)
    rgb = np.frombuffer(rgba, np.uint8).reshape(height, width, 4)[..., :3]
    grey = bool((rgb == rgb[..., :1]).all())
    pixels = np.ascontiguousarray(rgb[..., 0] if grey else rgb)
    Image.fromarray(pixels).save(path, format="PNG", dpi=(PRINT_DPI, PRINT_DPI))


@dataclass(frozen=True)
class Spec:
    """A chart to draw: its key and caption, and the function that draws its figure."""

    key: str
    caption: str
    draw: Callable[[], Figure]


PROCESSES_ENV = "LKIP_CHART_PROCESSES"  # "1": draw in this process only (batch workers)


def _cores() -> int:
    return 1 if os.environ.get(PROCESSES_ENV) == "1" else config.cores()


def _draw_in_child(share: list[Spec], folder: Path) -> int | None:
    """Fork a process that draws `share`; None where there is no fork. The child writes
    files only, says nothing (the kernel's output streams are not its own) and exits."""
    if not hasattr(os, "fork"):
        return None
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the child exits
        for spec in share:
            save(spec.draw(), folder, spec.key, spec.caption)
        code = 0
    finally:
        os._exit(code)


def draw_all(specs: list[Spec], folder: Path) -> list[Chart]:
    """Every chart, the work split over two processes where the machine has two cores. Each
    chart is drawn whole by one process from the same state, so its files are the same
    either way; if the second process fails, its charts are drawn here."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    theirs = specs[1::2] if len(specs) > 1 and _cores() > 1 else []
    pid = _draw_in_child(theirs, folder) if theirs else None
    for spec in (specs[0::2] if pid else specs):
        save(spec.draw(), folder, spec.key, spec.caption)
    if pid and os.waitpid(pid, 0)[1] != 0:
        for spec in theirs:
            save(spec.draw(), folder, spec.key, spec.caption)
    return [Chart(s.key, s.caption, folder / f"{s.key}.png", folder / f"{s.key}.svg")
            for s in specs]


# --- words and numbers -------------------------------------------------------------------


join_words = formatting.join_words  # labels are built from names that may carry the word


def _chars(width_in: float, size: float) -> int:
    """How many characters of a given size fit across a width, so wrapping follows the page."""
    return max(8, int(width_in * 72 / (size * CHAR_EM)))


def _wrap(text, width: int) -> str:
    return textwrap.fill(" ".join(str(text).split()), width)


def _lines(text: str) -> int:
    return text.count("\n") + 1


def _value(v) -> float | None:
    """Values arrive as Decimal, float, None or NaN; only real numbers are drawn."""
    return None if v is None or pd.isna(v) else float(v)


def _places(step: float) -> int:
    """Decimals the tick step needs: a 2,5 step printed with none would read 3, 5, 8."""
    exponent = Decimal(str(round(step, 6))).normalize().as_tuple().exponent
    return min(4, max(0, -exponent))


@functools.lru_cache(maxsize=4096)
def _tick_text(value: float, places: int, percent: bool) -> str:
    """Babel is slow per call and layout formats the same ticks many times over."""
    text = formatting.number(value, places)
    return text + "%" if percent else text


class _TickLabels(Formatter):
    """Ticks through the unit (1.500, 40%); fractional steps keep their decimals (0,5).

    The decimals follow from the step between the ticks, found once per set of ticks."""

    def __init__(self, unit: Unit):
        self.percent = unit.is_percent
        self.places = 0

    def format_ticks(self, values):
        self.places = _places(abs(values[1] - values[0])) if len(values) > 1 else 0
        return [self(v) for v in values]

    def __call__(self, x, pos=None):
        return _tick_text(float(x), self.places, self.percent)


def _tick_format(axis, unit: Unit) -> None:
    if unit.jenis == JUMLAH:
        axis.set_major_locator(MaxNLocator(nbins="auto", integer=True))
    axis.set_major_formatter(_TickLabels(unit))


# --- layout --------------------------------------------------------------------------------


def _figure(ncols: int = 1):
    """A tall canvas first, so the layout never collapses; _fit trims it to the content."""
    fig, axes = plt.subplots(1, ncols, figsize=(WIDTH, 20), layout="constrained", squeeze=False)
    fig.get_layout_engine().set(h_pad=0.06, w_pad=0.06)
    return fig, list(axes[0])


def _fit(fig, plot_height: float):
    """Grow or shrink the figure so the plotting area gets its height and text keeps its own.

    Text keeps its size as the figure changes height, so one correction usually lands on the
    height; the last layout is then frozen. Without a layout engine saving only renders (with
    one, even a placeholder, savefig first draws the figure to lay it out again), and every
    saved format has the very same layout."""
    layout = fig.get_layout_engine()
    layout.execute(fig)
    for _ in range(2):
        height = fig.get_figheight()
        have = min(ax.get_position().height for ax in fig.axes) * height
        if abs(have - plot_height) < FIT_TOLERANCE:
            break
        fig.set_figheight(height - have + plot_height)
        layout.execute(fig)
    fig.set_layout_engine(None)  # none at all: figure.autolayout and constrained_layout.use are off
    return fig


def _title(fig, text: str) -> None:
    fig.suptitle(_wrap(text, _chars(WIDTH - 0.3, TITLE_SIZE)), fontsize=TITLE_SIZE,
                 fontweight="bold")


def _legend(fig, handles, labels, width: float = WIDTH) -> None:
    """Below the plot, as many columns as the longest label allows, each label wrapped."""
    if not handles:
        return
    room = _chars(width - 0.2, LEGEND_SIZE)
    longest = max(len(label) for label in labels) + 6  # the handle takes about six characters
    ncols = max(1, min(len(labels), 4, room // longest))
    wrapped = [_wrap(label, room // ncols - 6) for label in labels]
    fig.legend(handles, wrapped, loc="outside lower center", ncols=ncols, frameon=False,
               fontsize=LEGEND_SIZE, handlelength=2.6, columnspacing=1.2)


def _note(ax, x, text: str) -> None:
    """Upright along the empty slot, so it is as narrow as the bar it stands in for."""
    ax.annotate(text, (x, 0), xytext=(0, 3), textcoords="offset points", ha="center",
                va="bottom", rotation=90, fontsize=NOTE_SIZE, color=MID)


def _style(i: int) -> dict:
    """Marker and line style together give 32 distinct lines before any repeats."""
    return {"marker": MARKERS[i % len(MARKERS)],
            "linestyle": LINESTYLES[(i + i // len(MARKERS)) % len(LINESTYLES)],
            "color": (DARK, MID)[i % 2], "markerfacecolor": ("white", MID, DARK)[i % 3],
            "markeredgecolor": DARK, "markersize": 5, "linewidth": 1.2}


def _target_line(ax) -> None:
    ax.axhline(100, color=DARK, linewidth=0.8, linestyle=":", label="100% = target tercapai")


def _years(tahun) -> list[int]:
    """Every year from first to last, so a year absent from the data keeps its place."""
    present = sorted({int(y) for y in tahun})
    return list(range(present[0], present[-1] + 1)) if present else []


def _headroom(ax, values, share: float) -> None:
    """Room above the tallest bar for its label; below zero only when a value is negative."""
    drawn = [v for v in values if v is not None]
    top = max(drawn + [0]) or 1
    bottom = min(drawn + [0])
    ax.set_ylim(bottom * (1 + share) if bottom < 0 else 0, top * (1 + share))


def _hbar_height(labels: list[str]) -> float:
    """Each bar gets the height of its wrapped name, so names never overlap."""
    lines = max((_lines(label) for label in labels), default=1)
    slot = max(0.3, lines * TICK_SIZE * LINE_EM / 72 + 0.1)
    return slot * max(1, len(labels))


def _hbar_labels(names) -> list[str]:
    return [_wrap(name, _chars(WIDTH * 0.45, TICK_SIZE)) for name in names]


# --- charts --------------------------------------------------------------------------------


def target_vs_realisasi(series, indikator: str, unit: Unit) -> Figure:
    """Bars per year on one axis in the indicator's own unit; every year from the first to the
    last keeps its place, so a gap in the data is a visible gap, never a zero."""
    fig, (ax,) = _figure()
    years = _years(series["tahun"])
    rows = {int(r.tahun): (_value(r.target), _value(r.realisasi))
            for r in series.itertuples()}
    labels = {y: unit.show(real) for y, (_, real) in rows.items() if real is not None}
    rotate = _too_wide(labels.values(), len(years))
    for i, year in enumerate(years):
        _year_bars(ax, i, rows.get(year, (None, None)), labels.get(year), rotate)
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_xlim(-0.6, len(years) - 0.4)
    _headroom(ax, [v for pair in rows.values() for v in pair], 0.45 if rotate else 0.15)
    _tick_format(ax.yaxis, unit)
    ax.set_ylabel(unit.header)
    ax.grid(axis="x", visible=False)
    _title(fig, f"{indikator}: target dan realisasi")
    _legend(fig, [Patch(**TARGET), Patch(**REALISASI)], ["Target", "Realisasi"])
    return _fit(fig, PLOT_HEIGHT)


SCALE_STEP = 0.3  # inches of plotting height per label of a scale, so labels never touch


def on_scale(series, indikator: str, unit: Unit) -> Figure:
    """An IKU measured by labels: target and realisasi per year as places on its scale, the
    labels on the axis (best at the top). Places are ranks, not amounts, so they are points
    joined by lines, not bars; a year without a value is a gap, never the lowest label."""
    fig, (ax,) = _figure()
    scale = unit.scale
    years = _years(series["tahun"])
    ax.plot(years, _by_year(series, "target", years), label="Target", color=MID,
            linestyle=":", marker="s", markersize=9, markerfacecolor="white",
            markeredgecolor=DARK, linewidth=1.2)
    ax.plot(years, _by_year(series, "realisasi", years), label="Realisasi", color=DARK,
            linestyle="-", marker="o", markersize=5, markerfacecolor=DARK,
            markeredgecolor=DARK, linewidth=1.4)
    places = range(1, scale.size + 1)
    ax.set_yticks(list(places), [scale.label(p) for p in places], fontsize=TICK_SIZE)
    ax.set_ylim(0.5, scale.size + 0.5)
    ax.set_xticks(years, [str(y) for y in years])
    if years:
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.set_ylabel(_wrap(scale.name, _chars(PLOT_HEIGHT, TICK_SIZE)))
    ax.grid(axis="x", visible=False)
    named = scale.name.lower() in indikator.lower()  # the scale already named: not twice
    _title(fig, f"{indikator}: target dan realisasi pada "
                f"{'skalanya' if named else 'skala ' + scale.name}")
    _legend(fig, *ax.get_legend_handles_labels())
    return _fit(fig, max(PLOT_HEIGHT, SCALE_STEP * scale.size))


def _numeric_only(kinerja, units: dict[str, Unit] | None):
    """The quarterly rows of IKU measured by numbers: a label has no place on a numeric axis
    (the report says so under the chart)."""
    if kinerja is None or kinerja.empty:
        return kinerja
    keep = [(units or {}).get(code, PERCENT).scale is None for code in kinerja["kode_iku"]]
    return kinerja[keep]


def _too_wide(labels, slots: int) -> bool:
    """Value labels such as `Rp3.385.637.000` stand upright when they would touch neighbours."""
    slot = 72 * (WIDTH - 1) / max(1, slots)
    longest = max((len(t) for t in labels), default=0)
    return longest * NOTE_SIZE * CHAR_EM > 0.5 * slot


def _year_bars(ax, i, pair, label, rotate):
    """One year: hatched target and grey realisasi; a missing value is a note, not a zero."""
    target, real = pair
    if target is None and real is None:
        _note(ax, i, MISSING)
        return
    if target is None:
        _note(ax, i - 0.2, f"target: {MISSING}")
    else:
        ax.bar(i - 0.2, target, 0.4, **TARGET)
    if real is None:
        _note(ax, i + 0.2, f"realisasi: {MISSING}")
        return
    ax.bar(i + 0.2, real, 0.4, **REALISASI)
    ax.annotate(label, (i + 0.2, real), xytext=(0, 2), textcoords="offset points",
                ha="center", va="bottom", fontsize=NOTE_SIZE, rotation=90 if rotate else 0)


def capaian_trend(series) -> Figure:
    """Capaian is always percent, so every IKU shares one axis whatever its own unit; a missing
    year breaks the line (NaN) rather than bridging it."""
    fig, (ax,) = _figure()
    years = _years(series["tahun"])
    gaps = False
    for i, (name, own) in enumerate(series.groupby("indikator", sort=False)):
        values = _by_year(own, "capaian", years)
        gaps = gaps or any(math.isnan(v) for v in values)
        ax.plot(years, values, label=str(name), **_style(i))
    _target_line(ax)
    if gaps:
        ax.plot([], [], linestyle="none",
                label=f"Titik yang tidak ada pada garis: {MISSING} capaian tahun itu")
    ax.set_xticks(years, [str(y) for y in years])
    if years:
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    highest = max((float(v) for v in series["capaian"] if v is not None), default=100)
    ax.set_ylim(bottom=0, top=max(highest * 1.08, 110))  # room above the highest marker
    _tick_format(ax.yaxis, PERCENT)
    ax.set_ylabel("Capaian (%)")
    _title(fig, "Capaian kinerja IKU per tahun")
    _legend(fig, *ax.get_legend_handles_labels())
    return _fit(fig, PLOT_HEIGHT)


def _by_year(own, column, years) -> list[float]:
    """NaN where a year has no value, so the line breaks there instead of bridging the gap."""
    found = {int(y): _value(v) for y, v in zip(own["tahun"], own[column])}
    return [math.nan if found.get(y) is None else found[y] for y in years]


def desa_mandiri(desa) -> Figure:
    """Cumulative count with the year's new desa inside it, so growth and level read at once."""
    fig, (ax,) = _figure()
    years = _years(desa["tahun"])
    rows = {int(r.tahun): (_value(r.desa_mandiri), _value(r.desa_baru), r.persentase)
            for r in desa.itertuples()}
    for i, year in enumerate(years):
        total, new, share = rows.get(year, (None, None, None))
        if total is None:
            _note(ax, i, MISSING)
            continue
        ax.bar(i, total, 0.8, **DESA_TOTAL)
        ax.bar(i, new or 0, 0.5, **DESA_BARU)
        ax.annotate(f"{formatting.number(total)} ({formatting.percent(share)})", (i, total),
                    xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                    fontsize=NOTE_SIZE)
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_xlim(-0.6, len(years) - 0.4)
    _headroom(ax, [r[0] for r in rows.values()], 0.15)
    _tick_format(ax.yaxis, Unit.of("desa", JUMLAH))
    ax.set_ylabel("desa")
    ax.grid(axis="x", visible=False)
    _title(fig, "Jumlah desa mandiri per tahun")
    _legend(fig, [Patch(**DESA_TOTAL), Patch(**DESA_BARU)],
            ["Desa mandiri (kumulatif)", "Baru mandiri tahun itu"])
    return _fit(fig, PLOT_HEIGHT)


def composition(parts, title: str, unit_word: str) -> Figure:
    """Horizontal bars because category names are long; each bar carries its count and share."""
    fig, (ax,) = _figure()
    df = parts.sort_values("jumlah", kind="stable")
    counts = [int(v) for v in df["jumlah"]]
    labels = _hbar_labels(df["kategori"])
    ax.barh(range(len(counts)), counts, BAR, **REALISASI)
    total = sum(counts)
    for i, v in enumerate(counts):
        share = formatting.percent(v / total * 100, 1) if total else "–"
        ax.annotate(f"{formatting.number(v)} ({share})", (v, i), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=NOTE_SIZE)
    ax.set_yticks(range(len(counts)), labels, fontsize=TICK_SIZE)
    ax.set_ylim(-0.6, len(counts) - 0.4)
    ax.set_xlim(0, (max(counts, default=0) or 1) * 1.3)
    _tick_format(ax.xaxis, Unit.of(unit_word or "jumlah", JUMLAH))
    ax.set_xlabel(join_words("Jumlah", unit_word))
    ax.grid(axis="y", visible=False)
    total_text = f"total {formatting.number(total)} {unit_word}".strip()
    _title(fig, f"{title} ({total_text})")
    return _fit(fig, _hbar_height(labels))


def budget_absorption(programs) -> Figure:
    """Each program against its own pagu (the 100% frame), so over- and under-spending show."""
    fig, (ax,) = _figure()
    df = programs.iloc[::-1]
    values = [_value(v) for v in df["persentase"]]
    labels = _hbar_labels(df["program"])
    rows = range(len(values))
    ax.barh(rows, [100] * len(values), BAR, **PAGU)
    for i, v in enumerate(values):
        if v is None:
            ax.annotate(MISSING, (0, i), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=NOTE_SIZE, color=MID)
            continue
        ax.barh(i, v, BAR, **REALISASI)
        ax.annotate(formatting.percent(v), (max(v, 0), i), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=NOTE_SIZE)
    ax.set_yticks(rows, labels, fontsize=TICK_SIZE)
    ax.set_ylim(-0.6, len(values) - 0.4)
    ax.set_xlim(0, max([100] + [v for v in values if v is not None]) * 1.18)
    _tick_format(ax.xaxis, PERCENT)
    ax.set_xlabel("Realisasi terhadap pagu anggaran (%)")
    ax.grid(axis="y", visible=False)
    _title(fig, "Penyerapan anggaran per program")
    _legend(fig, [Patch(**PAGU), Patch(**REALISASI)],
            ["Pagu anggaran (100%)", "Realisasi"])
    return _fit(fig, _hbar_height(labels))


def triwulan_progress(kinerja, keuangan_total, units: dict[str, Unit] | None = None) -> Figure:
    """Kinerja and keuangan side by side; a panel without data is left out, not drawn empty."""
    kinerja = _numeric_only(kinerja, units)
    panels = [p for p, df in (("kinerja", kinerja), ("keuangan", keuangan_total))
              if df is not None and not df.empty]
    fig, axes = _figure(max(1, len(panels)))
    handles, labels = [], []
    for ax, panel in zip(axes, panels):
        if panel == "kinerja":
            _kinerja_panel(ax, kinerja, units or {}, len(panels))
        else:
            _keuangan_panel(ax, keuangan_total, len(panels))
        more = ax.get_legend_handles_labels()
        handles, labels = handles + more[0], labels + more[1]
    if not panels:
        axes[0].set_axis_off()
        axes[0].text(0.5, 0.5, MISSING, ha="center", va="center", color=MID)
    _legend(fig, handles, labels)
    return _fit(fig, PLOT_HEIGHT)


def _quarter(tw) -> int | None:
    text = str(tw).strip().upper()
    return TRIWULAN.index(text) if text in TRIWULAN else None


def _quarter_axis(ax, title: str, panels: int) -> None:
    ax.set_xticks(range(len(TRIWULAN)), [f"TW {t}" for t in TRIWULAN])
    ax.set_xlim(-0.5, len(TRIWULAN) - 0.5)
    ax.set_title(_wrap(title, _chars(WIDTH / panels - 0.6, TITLE_SIZE - 1)),
                 fontsize=TITLE_SIZE - 1)


def _kinerja_panel(ax, kinerja, units: dict[str, Unit], panels: int) -> None:
    """One y axis for every IKU: raw values when they share a unit, capaian (%) otherwise."""
    codes = list(dict.fromkeys(kinerja["kode_iku"]))
    own_units = [units.get(code, PERCENT) for code in codes]
    mixed = len({(u.satuan, u.jenis) for u in own_units}) > 1
    for i, (code, own) in enumerate(kinerja.groupby("kode_iku", sort=False)):
        style = _style(i)
        name = own["indikator"].iloc[0] if "indikator" in own else code  # as the tables say
        if mixed:
            ax.plot(range(4), _by_quarter(own, _capaian), label=f"Capaian {name}", **style)
            continue
        ax.plot(range(4), _by_quarter(own, lambda r: _value(r.realisasi)),
                label=f"Realisasi {name}", **style)
        ax.plot(range(4), _by_quarter(own, lambda r: _value(r.target)),
                label=f"Target {name}",
                **{**style, "linestyle": ":", "markerfacecolor": "white", "color": MID})
    if mixed:
        _target_line(ax)
        ax.set_ylabel("Capaian (%)")
        _tick_format(ax.yaxis, PERCENT)
        title = "Capaian IKU per triwulan (satuan IKU berbeda)"
    else:
        ax.set_ylabel(own_units[0].header if own_units else "")
        _tick_format(ax.yaxis, own_units[0] if own_units else PERCENT)
        title = "Kinerja IKU per triwulan"
    ax.set_ylim(bottom=min(0, ax.get_ylim()[0]))
    _quarter_axis(ax, title, panels)


def _capaian(row) -> float | None:
    """The polarity-aware capaian when the data carry it; realisasi over target otherwise."""
    given = _value(getattr(row, "capaian", None))
    if given is not None:
        return given
    target, real = _value(row.target), _value(row.realisasi)
    return None if target in (None, 0) or real is None else real / target * 100


def _by_quarter(own, pick) -> list[float]:
    found = {_quarter(r.triwulan): pick(r) for r in own.itertuples()}
    return [math.nan if found.get(q) is None else found[q] for q in range(4)]


def _keuangan_panel(ax, keuangan, panels: int) -> None:
    for column, shift, style, label in (("target_persen", -0.2, TARGET, "Target keuangan"),
                                        ("realisasi_persen", 0.2, REALISASI,
                                         "Realisasi keuangan")):
        found = {_quarter(r.triwulan): _value(getattr(r, column)) for r in keuangan.itertuples()}
        for q in range(4):
            if found.get(q) is None:
                _note(ax, q + shift, MISSING)
            else:
                ax.bar(q + shift, found[q], 0.4, label=label, **style)
                label = None
    ax.set_ylim(0, max(110, ax.get_ylim()[1]))
    _tick_format(ax.yaxis, PERCENT)
    ax.set_ylabel("% dari anggaran")
    ax.grid(axis="x", visible=False)
    _quarter_axis(ax, "Keuangan kegiatan dipantau, kumulatif s.d. triwulan (% dari anggaran)",
                  panels)


# --- one quarter ---------------------------------------------------------------------------


def quarter_targets(kinerja, jumlah: dict | None, units: dict[str, Unit], triwulan: str) -> Figure:
    """One quarter, target against realisasi: kinerja per IKU on the left, keuangan of the
    kegiatan reported on the right, side by side with the same hatched target and grey
    realisasi as every chart of the report. A panel without data is left out."""
    kinerja = _numeric_only(kinerja, units)
    panels = [p for p, has in (("kinerja", kinerja is not None and not kinerja.empty),
                               ("keuangan", bool(jumlah))) if has]
    fig, axes = _figure(max(1, len(panels)))
    for ax, panel in zip(axes, panels):
        if panel == "kinerja":
            _quarter_kinerja(ax, kinerja, units, len(panels))
        else:
            _quarter_keuangan(ax, jumlah, len(panels))
    if not panels:
        axes[0].set_axis_off()
        axes[0].text(0.5, 0.5, MISSING, ha="center", va="center", color=MID)
    _title(fig, f"Target dan realisasi triwulan {triwulan}")
    _legend(fig, [Patch(**TARGET), Patch(**REALISASI)], ["Target triwulan", "Realisasi"])
    return _fit(fig, PLOT_HEIGHT)


def _quarter_kinerja(ax, kinerja, units: dict[str, Unit], panels: int) -> None:
    """Each IKU in its own unit when all share one; capaian against 100% otherwise, since
    a percentage and a count cannot share an axis."""
    rows = kinerja.to_dict("records")
    own = [units.get(r["kode_iku"], PERCENT) for r in rows]
    mixed = len({(u.satuan, u.jenis) for u in own}) > 1
    unit = PERCENT if mixed or not own else own[0]
    pairs, labels = [], []
    for r, u in zip(rows, own):
        if mixed:
            pairs.append((100 if r["capaian"] is not None else None, _value(r["capaian"])))
            labels.append(formatting.percent(r["capaian"]) if r["capaian"] is not None
                          else None)
        else:
            pairs.append((_value(r["target"]), _value(r["realisasi"])))
            labels.append(u.show(r["realisasi"]) if r["realisasi"] is not None else None)
    rotate = _too_wide([t for t in labels if t], len(rows))
    for i, (pair, label) in enumerate(zip(pairs, labels)):
        _year_bars(ax, i, pair, label, rotate)
    # the axis gets about 70% of its panel: the rest is the y labels and the gap between
    width = _chars(0.7 * WIDTH / panels / max(1, len(rows)), TICK_SIZE)
    ax.set_xticks(range(len(rows)), [_wrap(r["indikator"], width) for r in rows],
                  fontsize=TICK_SIZE)
    ax.set_xlim(-0.6, len(rows) - 0.4)
    _headroom(ax, [v for pair in pairs for v in pair], 0.45 if rotate else 0.15)
    _tick_format(ax.yaxis, unit)
    ax.set_ylabel("Capaian (%)" if mixed else unit.header)
    ax.grid(axis="x", visible=False)
    ax.set_title(_wrap("Kinerja IKU" + (" (capaian; satuan IKU berbeda)" if mixed else ""),
                       _chars(WIDTH / panels - 0.6, TITLE_SIZE - 1)), fontsize=TITLE_SIZE - 1)


def _quarter_keuangan(ax, jumlah: dict, panels: int) -> None:
    """The kegiatan reported, summed: one target and one realisasi bar, in millions of
    rupiah on the axis and in full rupiah on the bar."""
    million = 1_000_000
    target, real = _value(jumlah["target"]), _value(jumlah["realisasi"])
    pair = (None if target is None else target / million, None if real is None
            else real / million)
    _year_bars(ax, 0, pair, formatting.rupiah(jumlah["realisasi"]), False)
    capaian = "–" if jumlah["capaian"] is None else formatting.percent(jumlah["capaian"])
    ax.set_xticks([0], [f"Seluruh kegiatan\ncapaian {capaian}"], fontsize=TICK_SIZE)
    ax.set_xlim(-0.8, 0.8)
    _headroom(ax, list(pair), 0.15)
    _tick_format(ax.yaxis, Unit.of("Rp juta", JUMLAH))
    ax.set_ylabel("Rp juta")
    ax.grid(axis="x", visible=False)
    ax.set_title(_wrap("Keuangan kegiatan", _chars(WIDTH / panels - 0.6, TITLE_SIZE - 1)),
                 fontsize=TITLE_SIZE - 1)
