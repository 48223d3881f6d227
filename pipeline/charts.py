"""Charts for the report: matplotlib, grayscale-safe (hatches and markers, not only colour),
saved as PNG and SVG with fixed metadata so that rebuilds are identical."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from . import formatting  # noqa: E402

plt.rcParams.update({
    "svg.hashsalt": "lkip",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#cccccc",
    "grid.linewidth": 0.5,
    "figure.dpi": 100,
})

DARK, MID, LIGHT = "#222222", "#777777", "#bbbbbb"
SIZE = (6.6, 3.0)


@dataclass(frozen=True)
class Chart:
    key: str
    caption: str
    png: Path
    svg: Path


def _pct_axis(ax, places=0):
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: formatting.percent(v, places)))


def save(fig, folder: Path, key: str, caption: str) -> Chart:
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{key}.png", folder / f"{key}.svg"
    fig.tight_layout()
    fig.savefig(png, dpi=150, metadata={"Software": None})
    fig.savefig(svg, metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return Chart(key, caption, png, svg)


def target_vs_realisasi(series, indikator: str):
    fig, ax = plt.subplots(figsize=SIZE)
    years = [str(y) for y in series["tahun"]]
    x = range(len(years))
    targets = [float(v) if v is not None else 0 for v in series["target"]]
    real = [float(v) if v is not None else 0 for v in series["realisasi"]]
    ax.bar([i - 0.2 for i in x], targets, 0.4, label="Target", color="white",
           edgecolor=DARK, hatch="///")
    ax.bar([i + 0.2 for i in x], real, 0.4, label="Realisasi", color=MID, edgecolor=DARK)
    for i, (t, v) in enumerate(zip(series["target"], series["realisasi"])):
        if t is None:
            ax.annotate("target\ntidak ada", (i - 0.2, 0), ha="center", va="bottom", fontsize=7)
        ax.annotate(formatting.percent(v) if v is not None else "–", (i + 0.2, real[i]),
                    ha="center", va="bottom", fontsize=7)
    ax.set_xticks(list(x), years)
    ax.set_title(f"{indikator}: target dan realisasi")
    _pct_axis(ax)
    ax.legend(frameon=False, loc="upper left")
    return fig


def capaian_trend(series):
    fig, ax = plt.subplots(figsize=SIZE)
    markers = ["o", "s", "^", "D"]
    for i, (name, own) in enumerate(series.groupby("indikator", sort=False)):
        pts = [(str(y), float(c)) for y, c in zip(own["tahun"], own["capaian"]) if c is not None]
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker=markers[i % 4],
                color=[DARK, MID][i % 2], linestyle=["-", "--"][i % 2], label=name)
    ax.axhline(100, color=DARK, linewidth=0.8, linestyle=":")
    ax.annotate("100% (target)", (0, 100), xytext=(2, 3), textcoords="offset points",
                fontsize=7)
    ax.set_title("Capaian kinerja IKU per tahun")
    _pct_axis(ax)
    ax.legend(frameon=False)
    return fig


def desa_mandiri(desa):
    fig, ax = plt.subplots(figsize=SIZE)
    years = [str(y) for y in desa["tahun"]]
    ax.bar(years, list(desa["desa_mandiri"]), color=LIGHT, edgecolor=DARK,
           label="Desa mandiri (kumulatif)")
    ax.bar(years, list(desa["desa_baru"]), color=DARK, label="Baru mandiri tahun itu")
    for i, (n, p) in enumerate(zip(desa["desa_mandiri"], desa["persentase"])):
        ax.annotate(f"{n} ({formatting.percent(p)})", (i, n), ha="center", va="bottom",
                    fontsize=7)
    ax.set_title("Jumlah desa mandiri per tahun")
    ax.set_ylabel("desa")
    ax.legend(frameon=False, loc="upper left")
    return fig


def composition(parts, title: str, unit: str):
    fig, ax = plt.subplots(figsize=(6.6, 2.8))
    df = parts.sort_values("jumlah")
    labels = [k if len(k) <= 45 else k[:42] + "…" for k in df["kategori"]]
    ax.barh(labels, list(df["jumlah"]), color=MID, edgecolor=DARK)
    total = sum(df["jumlah"])
    for i, v in enumerate(df["jumlah"]):
        ax.annotate(f"{formatting.number(v)} ({formatting.percent(v / total * 100, 1)})",
                    (v, i), xytext=(3, 0), textcoords="offset points", va="center", fontsize=7)
    full = f"{title} (total {formatting.number(total)} {unit})".replace(" )", ")")
    fig.suptitle(textwrap.fill(full, 70), fontsize=10)
    ax.set_xlim(0, max(df["jumlah"]) * 1.25)
    ax.grid(axis="y", visible=False)
    return fig


def budget_absorption(programs):
    fig, ax = plt.subplots(figsize=(6.6, 3.4))
    df = programs.iloc[::-1]
    labels = [p if len(p) <= 48 else p[:45] + "…" for p in df["program"]]
    values = [float(v) if v is not None else 0 for v in df["persentase"]]
    ax.barh(labels, [100] * len(values), color="white", edgecolor=LIGHT)
    ax.barh(labels, values, color=MID, edgecolor=DARK)
    for i, v in enumerate(df["persentase"]):
        ax.annotate(formatting.percent(v), (float(v or 0), i), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=7)
    ax.set_xlim(0, 115)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: formatting.percent(v, 0)))
    ax.set_title("Penyerapan anggaran per program")
    ax.grid(axis="y", visible=False)
    return fig


def triwulan_progress(kinerja, keuangan_total):
    fig, axes = plt.subplots(1, 2, figsize=(6.6, 2.8))
    ax = axes[0]
    for i, (code, own) in enumerate(kinerja.groupby("kode_iku", sort=False)):
        ax.plot(list(own["triwulan"]), [float(v or 0) for v in own["realisasi"]],
                marker=["o", "s"][i % 2], color=[DARK, MID][i % 2], label=f"{code} realisasi")
        ax.plot(list(own["triwulan"]), [float(v or 0) for v in own["target"]],
                linestyle=":", color=[DARK, MID][i % 2], label=f"{code} target")
    ax.set_title("Kinerja IKU (kumulatif)")
    _pct_axis(ax)
    ax.legend(frameon=False, fontsize=6)
    ax = axes[1]
    tws = list(keuangan_total["triwulan"])
    ax.bar([i - 0.2 for i in range(len(tws))],
           [float(v or 0) for v in keuangan_total["target_persen"]], 0.4, color="white",
           edgecolor=DARK, hatch="///", label="Target")
    ax.bar([i + 0.2 for i in range(len(tws))],
           [float(v or 0) for v in keuangan_total["realisasi_persen"]], 0.4, color=MID,
           edgecolor=DARK, label="Realisasi")
    ax.set_xticks(range(len(tws)), tws)
    ax.set_title("Keuangan kegiatan dipantau\n(% dari anggaran)")
    _pct_axis(ax)
    ax.legend(frameon=False, fontsize=6)
    return fig
