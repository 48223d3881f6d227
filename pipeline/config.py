"""Paths and names in one place (cookiecutter-data-science style)."""

from __future__ import annotations

import os
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
# data shipped with the code: levels of government, scales, document roles
DEFAULTS = PACKAGE / "defaults"
RAW = ROOT / "data" / "raw"
PROCESSED = ROOT / "data" / "processed"
OUTPUTS = ROOT / "outputs"
NOTEBOOKS = ROOT / "notebooks"
# a notebook run by hand (JupyterLab, papermill) writes here, never over outputs/<year>/
SCRATCH = OUTPUTS / ".scratch"

STAGES = ("01_clean.ipynb", "02_indicators.ipynb", "03_verify.ipynb", "04_report.ipynb")
QUARTER_NOTEBOOK = "05_triwulan.ipynb"  # a quarterly report: one notebook of its own
YEAR_PATTERN = re.compile(r"^\d{4}$")
KERNEL = "python3"
# JupyterLab (`make lab`): bound to this machine only; as root (containers, WSL) it needs
# --allow-root, which LAB_ALLOW_ROOT=1 passes for any user
LAB_IP = "127.0.0.1"


def report_name(year: int, suffix: str) -> str:
    return f"LKIP_{year}.{suffix}"


def quarter_folder(year: int, triwulan_number: int) -> str:
    """`2024-TW2`: a quarter's output folder under outputs/ (and outputs/.scratch/)."""
    return f"{year}-TW{triwulan_number}"


def quarter_report_name(year: int, triwulan_number: int, suffix: str) -> str:
    """`LKIP_2024_TW2.pdf`: year first, as its folder, so a year's files sort together and
    beside the annual `LKIP_2024.pdf`; the quarter as a digit, as `make triwulan TW=2`."""
    return f"LKIP_{year}_TW{triwulan_number}.{suffix}"


def cores() -> int:
    """The cores this process may run on: the parallel parts (charts, quarters) use two."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
