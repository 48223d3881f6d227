"""What each notebook stage does, as plain functions the notebooks call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import clean, findings, ledger, manifest, render, report, results
from .config import report_name

FINDINGS = "verifikasi"


def run_clean(year: int, raw_dir: Path, processed_dir: Path) -> clean.Dataset:
    ds = clean.load_raw(Path(raw_dir), int(year))
    clean.write_processed(ds, Path(processed_dir))
    return ds


def run_indicators(year: int, processed_dir: Path) -> dict:
    ds = clean.load_processed(Path(processed_dir), int(year))
    tables = results.compute(ds)
    results.write(tables, Path(processed_dir))
    return tables


def run_verify(year: int, processed_dir: Path, out_dir: Path) -> list[findings.Finding]:
    ds = clean.load_processed(Path(processed_dir), int(year))
    found = findings.run(ds, results.read(Path(processed_dir)))
    findings.write(found, Path(processed_dir) / FINDINGS)
    findings.write(found, Path(out_dir))
    return found


def attachments(raw_dir: Path, out_dir: Path, base: dict) -> list[tuple[str, bytes, str]]:
    """What the PDF carries so that it alone is enough to re-check the report."""
    files = [(f"data/{p.relative_to(raw_dir).as_posix()}", p.read_bytes(), "data mentah")
             for p in sorted(Path(raw_dir).rglob("*")) if p.is_file()]
    for name in ("findings.csv", "findings.json"):
        files.append((name, (out_dir / name).read_bytes(), "temuan verifikasi data"))
    files.append((ledger.NAME, (out_dir / ledger.NAME).read_bytes(),
                  "buku besar angka: rumus dan sumber setiap angka laporan"))
    files.append((manifest.BASE_NAME, manifest.dumps(base).encode("utf-8"),
                  "manifest masukan, olahan dan lingkungan"))
    return files


def run_report(year: int, processed_dir: Path, out_dir: Path, raw_dir: Path = None,
               notebooks_dir: Path = Path(".")) -> dict[str, Path]:
    ds = clean.load_processed(Path(processed_dir), int(year))
    res = results.read(Path(processed_dir))
    found = findings.read(Path(processed_dir) / FINDINGS)
    out_dir = Path(out_dir)
    entries = ledger.build(ds, res, found)
    ledger.write(entries, out_dir / ledger.NAME)
    charts = report.figures(ds, res, out_dir / "figures")
    html = render.render_html(ds, res, {c.key: c.svg for c in charts}, found, entries)
    html_path = out_dir / report_name(int(year), "html")
    html_path.write_text(html, encoding="utf-8")
    pdf_path = out_dir / report_name(int(year), "pdf")
    base = manifest.base(int(year), Path(raw_dir), Path(processed_dir), Path(notebooks_dir))
    signed = ds["instansi.csv"].iloc[0]["tanggal_penandatanganan"]
    render.render_pdf(html, pdf_path, attachments(Path(raw_dir), out_dir, base),
                      dt.datetime(signed.year, signed.month, signed.day, tzinfo=dt.timezone.utc))
    return {"html": html_path, "pdf": pdf_path,
            **{f"figure:{c.key}": c.png for c in charts}}
