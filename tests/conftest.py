from pathlib import Path

import pytest

from pipeline import clean, results

ROOT = Path(__file__).resolve().parent.parent
SEED_RAW = ROOT / "data" / "raw"


@pytest.fixture(scope="session")
def seed():
    """The LKIP 2024 data set as transcribed from the published report."""
    return clean.load_raw(SEED_RAW / "2024", 2024)


@pytest.fixture(scope="session")
def seed_results(seed):
    return results.compute(seed)
