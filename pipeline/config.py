"""Paths and names in one place (cookiecutter-data-science style)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
PROCESSED = ROOT / "data" / "processed"
OUTPUTS = ROOT / "outputs"
NOTEBOOKS = ROOT / "notebooks"

STAGES = ("01_clean.ipynb", "02_indicators.ipynb", "03_verify.ipynb", "04_report.ipynb")
YEAR_PATTERN = re.compile(r"^\d{4}$")
KERNEL = "python3"


def report_name(year: int, suffix: str) -> str:
    return f"LKIP_{year}.{suffix}"
