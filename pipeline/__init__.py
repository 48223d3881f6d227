"""Reproducible LKIP reports: raw data in, recomputed indicators and the report out."""

__version__ = "0.1.0"
