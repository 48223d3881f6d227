"""`make preview` and `make watch`: the report as HTML alone, seconds after an edit.

An analyst rewrites the narrative dozens of times before signing. The preview renders the same
HTML as the full build, in this process and without a kernel or a PDF, into
`outputs/<year>-pratinjau/`. It takes the cleaned data, the computed tables, the findings and
the charts of the last build when their inputs are unchanged (the stage records in its
manifest), and recomputes them here when they are not. The published `outputs/<year>/` is
never touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .. import config, folders
from . import freshness
from .progress import seconds
from .runner import Plan, check_year

SUFFIX = "pratinjau"
DATA_STAGES = config.STAGES[:3]
REPORT_STAGE = config.STAGES[3]
FIGURES = "figures/"


def folder(out_root: Path, year: int) -> Path:
    return Path(out_root) / f"{year}-{SUFFIX}"


@dataclass(frozen=True)
class Preview:
    html: Path
    reused: bool  # the last build's data, tables, findings and charts were still valid
    seconds: float


def _reusable(plan: Plan) -> dict | None:
    """The last build's report record when every data stage before it still holds."""
    for name in DATA_STAGES:
        record = plan.reusable(name)
        if record is None:
            return None
        plan.done(name, record)
    return plan.previous.get(REPORT_STAGE)


def _last_figures(record: dict | None, published: Path) -> dict[str, Path] | None:
    """The last build's charts, when its report stage drew them from the same data and code."""
    if not isinstance(record, dict):
        return None
    drawn = {rel: sha for rel, sha in record.get(freshness.OUTPUT, {}).items()
             if rel.startswith(FIGURES)}
    if not freshness.intact({freshness.OUTPUT: drawn}, published, published):
        return None
    return {Path(rel).stem: published / rel for rel in sorted(drawn) if rel.endswith(".svg")}


def _write(path: Path, text: str) -> None:
    """Atomically: a browser reloading mid-write never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".pratinjau-", suffix=".html")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(tmp, folders.file_mode())  # readable as the report's other files, not 0600
    os.replace(tmp, path)


def build(year, raw_root: Path = config.RAW, out_root: Path = config.OUTPUTS,
          processed_root: Path = config.PROCESSED,
          notebooks: Path = config.NOTEBOOKS) -> Preview:
    from . import stages

    start = time.monotonic()
    folders.check_apart([Path(raw_root)], {folders.OUT: Path(out_root),
                                           folders.PROCESSED: Path(processed_root)})
    raw_root, out_root = Path(raw_root).resolve(), Path(out_root).resolve()
    y = check_year(str(year), raw_root)
    raw_dir = raw_root / str(y)
    published = {freshness.PROCESSED: Path(processed_root).resolve() / str(y),
                 freshness.OUTPUT: out_root / str(y)}
    plan = Plan(freshness.context(y, raw_dir, Path(notebooks)),
                freshness.previous_records(published[freshness.OUTPUT]), published, False)
    record = _reusable(plan)
    target = folder(out_root, y)
    with tempfile.TemporaryDirectory(prefix="lkip-pratinjau-") as tmp:
        processed = published[freshness.PROCESSED]
        figures = _last_figures(record, published[freshness.OUTPUT])
        if record is None:  # data, code or environment changed: compute here, privately
            processed = Path(tmp) / "olahan"
            stages.run_clean(y, raw_dir, processed)
            stages.run_indicators(y, processed)
            stages.run_verify(y, processed)
        if figures is None:
            shutil.rmtree(target / "figures", ignore_errors=True)
        shown = stages.screen(y, processed, raw_dir, target / "figures", figures, preview=True)
        _write(target / config.report_name(y, "html"), shown.html)
    return Preview(target / config.report_name(y, "html"), record is not None,
                   time.monotonic() - start)


def say(result: Preview) -> str:
    how = ("data, tabel dan grafik dari pembangunan terakhir" if result.reused
           else "data dihitung ulang")
    return (f"Pratinjau HTML ditulis ({seconds(result.seconds)}; {how}): "
            f"{result.html.as_uri()}")


def watch(year, raw_root: Path = config.RAW, out_root: Path = config.OUTPUTS,
          processed_root: Path = config.PROCESSED, notebooks: Path = config.NOTEBOOKS,
          report=None, stop_event=None) -> None:
    """Rebuild the preview each time a file of the year's data is saved; Ctrl-C stops."""
    from watchfiles import watch as changes

    from ..errors import InputError

    report = report or _said

    def once() -> None:
        try:
            report(say(build(year, raw_root, out_root, processed_root, notebooks)))
        except InputError as exc:
            report(f"Data belum dapat dipratinjau:\n{exc}")

    y = check_year(str(year), Path(raw_root).resolve())
    raw_dir = Path(raw_root).resolve() / str(y)
    once()
    report(f"Memantau {raw_dir}/ ; buka alamat di atas di peramban dan muat ulang setelah "
           "menyimpan. Ctrl-C untuk berhenti.")
    for changed in changes(raw_dir, stop_event=stop_event, debounce=300, step=50):
        report(f"Tersimpan: {saved(changed, raw_dir)}; memperbarui pratinjau …")
        once()


def _said(text: str) -> None:
    print(text, flush=True)  # at once, also into a log or a pipe


def saved(changed: set, raw_dir: Path) -> str:
    """The files watchfiles saw change, as the analyst names them (`narasi/penutup.md`);
    watchfiles' own line (`1 change detected`) is English and names none."""
    from ..errors import printable

    names = sorted({Path(path).relative_to(raw_dir).as_posix()
                    if Path(path).is_relative_to(raw_dir) else str(path)
                    for _, path in changed})
    return printable(", ".join(names))
