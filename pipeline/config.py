"""Paths and names in one place (cookiecutter-data-science style)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
PROCESSED = ROOT / "data" / "processed"
OUTPUTS = ROOT / "outputs"
NOTEBOOKS = ROOT / "notebooks"
# a notebook run by hand (JupyterLab, papermill) writes here, never over outputs/<year>/
SCRATCH = OUTPUTS / ".scratch"

STAGES = ("01_clean.ipynb", "02_indicators.ipynb", "03_verify.ipynb", "04_report.ipynb")
YEAR_PATTERN = re.compile(r"^\d{4}$")
KERNEL = "python3"
# JupyterLab (`make lab`): bound to this machine only; as root (containers, WSL) it needs
# --allow-root, which LAB_ALLOW_ROOT=1 passes for any user
LAB_IP = "127.0.0.1"


def report_name(year: int, suffix: str) -> str:
    return f"LKIP_{year}.{suffix}"
