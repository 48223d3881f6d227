"""`make bench`: how fast the build is, as ratios of two commands run alternately in one run.

Each goal compares two commands on this machine, run in turn (A, B, A, B, ...) so that both
see the same load; the figure is the ratio of their medians. Timings are never asserted by
tests: this script prints them, with the goal each one is held to.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
NOTEBOOKS = ROOT / "notebooks"
STAGES = ("01_clean.ipynb", "02_indicators.ipynb", "03_verify.ipynb", "04_report.ipynb")
QUARTER = "05_triwulan.ipynb"
ONE_BUILD = "import sys; from pipeline.run import runner; runner.build_year(*sys.argv[1:])"
FIXTURES = ROOT / "tests" / "fixtures"


def run(cmd: list[str], cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    # batch and audit exit 1 when what they check has errors: that is their result
    if done.returncode not in (0, 1) or (done.returncode == 1 and not
                                         {"batch", "audit"} & set(cmd)):
        sys.exit(f"gagal: {' '.join(map(str, cmd))}\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def alternate(first, second, rounds: int) -> tuple[list[float], list[float]]:
    a, b = [], []
    for _ in range(rounds):
        a.append(first())
        b.append(second())
    return a, b


def build_cmd(raw: Path, out: Path, processed: Path, year: int, force=True) -> list[str]:
    return [PY, "-m", "pipeline", "report", "--year", str(year), "--raw", str(raw),
            "--out", str(out), "--processed", str(processed)] + (["--force"] if force else [])


def papermill(notebook: str, output: Path, **parameters) -> None:
    args = [str(Path(PY).with_name("papermill")), notebook, str(output), "--no-progress-bar"]
    for key, value in parameters.items():
        args += ["-p", key, str(value)]
    run(args, cwd=NOTEBOOKS)


def naive_chain(raw: Path, work: Path, year: int, quarters: list[str]) -> float:
    """What `make report` runs, each notebook by papermill's command line in its own process
    with the same parameters: the four stages, then the quarterly notebook per quarter."""
    shutil.rmtree(work, ignore_errors=True)
    (work / "out" / "notebooks").mkdir(parents=True)
    (work / "processed").mkdir()
    start = time.perf_counter()
    for name in STAGES:
        papermill(name, work / "out" / "notebooks" / name, year=year,
                  raw_dir=raw / str(year), processed_dir=work / "processed",
                  out_dir=work / "out", notebooks_dir=".")
    for tw in quarters:
        (work / f"tw{tw}" / "notebooks").mkdir(parents=True)
        papermill(QUARTER, work / f"tw{tw}" / "notebooks" / QUARTER, year=year, triwulan=tw,
                  raw_dir=raw / str(year), out_dir=work / f"tw{tw}", notebooks_dir=".")
    return time.perf_counter() - start


def median(values: list[float]) -> float:
    return statistics.median(values)


class Table:
    def __init__(self):
        self.rows: list[dict] = []

    def ratio(self, goal: str, a: list[float], b: list[float], limit: float, what_a: str,
              what_b: str, at_least: bool = False) -> None:
        r = median(a) / median(b)
        met = r >= limit if at_least else r <= limit
        self.rows.append({"tujuan": goal, "a": what_a, "b": what_b, "median_a": median(a),
                          "median_b": median(b), "rasio": r,
                          "batas": f"{'≥' if at_least else '≤'} {limit}", "terpenuhi": met,
                          "a_semua": a, "b_semua": b})
        self.show(self.rows[-1])

    def absolute(self, goal: str, a: list[float], limit: float, what: str) -> None:
        met = median(a) <= limit
        self.rows.append({"tujuan": goal, "a": what, "median_a": median(a),
                          "batas": f"≤ {limit} dtk", "terpenuhi": met, "a_semua": a})
        self.show(self.rows[-1])

    def note(self, goal: str, text: str) -> None:
        self.rows.append({"tujuan": goal, "catatan": text})
        print(f"  {goal}: {text}", flush=True)

    @staticmethod
    def show(row: dict) -> None:
        mark = "TERPENUHI" if row["terpenuhi"] else "BELUM"
        if "rasio" in row:
            print(f"  {row['tujuan']}: {row['a']} {row['median_a']:.2f} s / {row['b']} "
                  f"{row['median_b']:.2f} s = {row['rasio']:.3f} ({row['batas']}) {mark}",
                  flush=True)
        else:
            print(f"  {row['tujuan']}: {row['a']} {row['median_a']:.2f} s ({row['batas']}) "
                  f"{mark}", flush=True)


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": cpu, "inti": os.cpu_count(), "memori_gb": round(memory, 1),
            "python": platform.python_version(), "sistem": platform.platform()}


def bench_single(table: Table, work: Path, rounds: int) -> None:
    raw, year = ROOT / "data" / "raw", 2024
    out, processed = work / "out", work / "processed"
    print("Satu laporan (data/raw/2024):", flush=True)
    full = build_cmd(raw, out, processed, year)
    run(full)  # a first build: caches warm, outputs to compare with
    quarters = sorted(p.name.split("-TW")[1] for p in out.glob(f"{year}-TW*"))
    a, b = alternate(lambda: run(full),
                     lambda: naive_chain(raw, work / "chain", year, quarters), rounds)
    table.ratio("1a bangun penuh / rantai papermill", a, b, 0.4,
                f"make report FORCE=1 (tahunan + {len(quarters)} triwulan)",
                f"{len(STAGES) + len(quarters)}x papermill CLI")
    pages = sorted(out.glob(f"{year}*/*.html"))

    def weasy() -> float:
        return sum(run([str(Path(PY).with_name("weasyprint")), str(html), str(work / "x.pdf")])
                   for html in pages)

    a, b = alternate(lambda: run(full), weasy, rounds)
    table.ratio("1b bangun penuh / WeasyPrint CLI", a, b, 1.3, "make report FORCE=1",
                f"weasyprint pada {len(pages)} HTML keluarannya")
    noop = build_cmd(raw, out, processed, year, force=False)
    a, b = alternate(lambda: run(noop), lambda: run(full), rounds)
    table.ratio("2 tanpa perubahan / bangun penuh", a, b, 0.03, "make report (tanpa ubahan)",
                "make report FORCE=1")


def bench_narrative(table: Table, work: Path, rounds: int) -> None:
    year = 2024
    raw = work / "raw"
    shutil.copytree(ROOT / "data" / "raw" / str(year), raw / str(year))
    out, processed = work / "out-narasi", work / "processed-narasi"
    run(build_cmd(raw, out, processed, year))
    text = raw / str(year) / "narasi" / "penutup.md"
    original = text.read_text(encoding="utf-8")
    print("Menyunting narasi (narasi/penutup.md):", flush=True)
    edits = iter(range(10**6))

    def edit() -> None:
        text.write_text(original + f"\nSuntingan {next(edits)}.\n", encoding="utf-8")

    preview = [PY, "-m", "pipeline", "preview", "--year", str(year), "--raw", str(raw),
               "--out", str(out), "--processed", str(processed)]
    times = []
    for _ in range(rounds):
        edit()
        times.append(run(preview))
    table.absolute("3a pratinjau HTML setelah suntingan", times, 2.0, "make preview")
    report_times = []
    for _ in range(rounds):
        edit()
        report_times.append(run(build_cmd(raw, out, processed, year, force=False)))
    table.note("3b make report setelah suntingan narasi",
               f"median {median(report_times):.2f} s (hanya tahap laporan yang dijalankan)")


def agencies(root: Path, count: int) -> Path:
    """`count` agency-years from the seed and the test agencies, under root/<agency>/<year>/."""
    sources = [(ROOT / "data" / "raw" / "2024", "2024")] + [
        (FIXTURES / name / "2025", "2025") for name in ("provinsi", "kota", "kementerian",
                                                      "minimal")]
    for i in range(count):
        source, year = sources[i % len(sources)]
        shutil.copytree(source, root / f"instansi-{i + 1:02d}" / year)
    return root


def bench_batch(table: Table, work: Path, count: int) -> None:
    raw = agencies(work / "kumpulan", count)
    print(f"Batch {count} instansi-tahun:", flush=True)
    seq_out = work / "berurutan"

    def sequential() -> float:
        """Each agency-year by its own process, one after another, building what a batch
        task builds (the annual report and its quarters: runner.build_year, as make report),
        into folders of the same shape."""
        shutil.rmtree(seq_out, ignore_errors=True)
        start = time.perf_counter()
        for agency in sorted(raw.iterdir()):
            for year in sorted(agency.iterdir()):
                run([PY, "-c", ONE_BUILD, year.name, str(agency), str(seq_out / agency.name),
                     str(seq_out / agency.name / ".olahan")])
        return time.perf_counter() - start

    par_out = work / "paralel"
    printed: list[str] = []

    def parallel() -> float:
        shutil.rmtree(par_out, ignore_errors=True)
        start = time.perf_counter()
        done = subprocess.run([PY, "-m", "pipeline", "batch", "--raw", str(raw), "--out",
                               str(par_out), "--workers", "2"], cwd=ROOT, capture_output=True,
                              text=True)
        if done.returncode != 0:
            sys.exit(f"batch gagal:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
        printed.append(done.stdout)
        return time.perf_counter() - start

    a, b = alternate(sequential, parallel, 1)
    table.ratio("4 batch: berurutan / 2 pekerja", a, b, 1.8,
                f"{count} x make report berurutan", "make batch (2 pekerja)", at_least=True)
    worker, kernel = peak_memory(printed[-1])
    table.note("4 memori puncak per pekerja",
               f"proses pekerja {worker:.0f} MB, kernel Jupyter-nya {kernel:.0f} MB")


def peak_memory(printed: str) -> tuple[float, float]:
    """The largest worker and kernel RSS in the batch's closing table (`141 MB  199 MB`)."""
    def mb(text: str) -> float:
        return float(text.replace(".", "").replace(",", "."))

    pairs = re.findall(r"([\d.,]+) MB\s+([\d.,]+) MB", printed)
    return (max((mb(w) for w, _ in pairs), default=0.0),
            max((mb(k) for _, k in pairs), default=0.0))


AUDIT_PAGES, AUDIT_LIMIT = 60, 15.0  # the goal: a 60-page PDF audited in 15 s


def pages_of(pdf: Path, count: int, work: Path) -> Path:
    """The first `count` pages of a PDF as a PDF of their own (poppler's pdfseparate and
    pdfunite)."""
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdfseparate", "-f", "1", "-l", str(count), str(pdf),
                    str(work / "p-%d.pdf")], check=True)
    out = work / f"lkip-{count}.pdf"
    subprocess.run(["pdfunite", *[str(work / f"p-{i}.pdf") for i in range(1, count + 1)],
                    str(out)], check=True)
    return out


def bench_audit(table: Table, work: Path, rounds: int) -> None:
    """`make audit` of the seed's first 60 pages, outputs (HTML, PDF, XLSX) included."""
    if not shutil.which("pdfseparate") or not shutil.which("pdfunite"):
        table.note("Audit PDF 60 halaman", "pdfseparate/pdfunite (poppler-utils) tidak ada")
        return
    pdf = pages_of(ROOT / "tests" / "documents" / "seed.pdf", AUDIT_PAGES, work / "pages")
    times = [run([PY, "-m", "pipeline", "audit", "--doc", str(pdf), "--out",
                  str(work / "out")]) for _ in range(rounds)]
    table.absolute(f"Audit PDF {AUDIT_PAGES} halaman", times, AUDIT_LIMIT,
                   f"make audit DOC=<{AUDIT_PAGES} halaman seed.pdf>")


TESTS_LIMIT = 10  # issue 20: the whole test suite at most ten full builds of the seed


def bench_tests(table: Table, work: Path, rounds: int) -> None:
    """The whole test suite as `make test` runs it (two processes) against one full build of
    the seed, alternately, so that both see the machine as it is at that moment."""
    full = build_cmd(ROOT / "data" / "raw", work / "out", work / "processed", 2024)
    suite = [PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", "--dist",
             "loadgroup"]
    run(full)  # caches warm
    a, b = alternate(lambda: run(suite), lambda: run(full), rounds)
    table.ratio("5 make test / bangun penuh", a, b, TESTS_LIMIT, "make test (2 proses)",
                "make report FORCE=1")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=24, help="instansi-tahun untuk batch")
    parser.add_argument("--only", choices=("single", "narrative", "batch", "audit", "tests"),
                        default=None, help="tests: make test, hanya bila diminta (beberapa menit)")
    parser.add_argument("--json", default=None, help="tulis hasil ke file JSON ini")
    args = parser.parse_args(argv)
    info = machine()
    print(f"Mesin: {info['cpu']}, {info['inti']} inti, {info['memori_gb']} GB, "
          f"Python {info['python']}", flush=True)
    table = Table()
    with tempfile.TemporaryDirectory(prefix="lkip-bench-") as tmp:
        work = Path(tmp)
        if args.only in (None, "single"):
            bench_single(table, work / "single", args.rounds)
        if args.only in (None, "narrative"):
            bench_narrative(table, work / "narrative", args.rounds)
        if args.only in (None, "batch"):
            bench_batch(table, work / "batch", args.batch)
        if args.only in (None, "audit"):
            bench_audit(table, work / "audit", args.rounds)
        if args.only == "tests":
            bench_tests(table, work / "tests", args.rounds)
    goals = [r for r in table.rows if "terpenuhi" in r]
    met = sum(r["terpenuhi"] for r in goals)
    print(f"{met} dari {len(goals)} tujuan terpenuhi.", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"mesin": info, "hasil": table.rows}, indent=1,
                                              ensure_ascii=False), encoding="utf-8")
    return 0 if met == len(goals) else 1


if __name__ == "__main__":
    sys.exit(main())
