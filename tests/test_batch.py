"""make batch: every agency under one folder built in parallel on Dask, one summary table.

One batch run (two agencies: `dinsos`, the seed as it is, and `rusak`, a copy of `minimal` with
a target that is not a number, plus entries that must be skipped) is shared by the tests of this
module; its `dinsos` is compared byte for byte with the seed as `make report` built it (the
session's seed_report).
"""

import contextlib
import csv
import io
import os
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.errors import DefectCollector, InputError
from pipeline.run import batch

from .conftest import ROOT, SEED_RAW
from .test_batch_cluster import _kernels
from .test_commands import _command, _make, needs_make

FIXTURES = ROOT / "tests" / "fixtures"
BROKEN_TARGET = "tujuh puluh lima"
SEED = "dinsos"  # the seed, as one agency of the batch


def _agency(raw: Path, name: str, fixture: str) -> Path:
    shutil.copytree(FIXTURES / fixture / "2025", raw / name / "2025")
    return raw / name


def _break_target(agency: Path) -> None:
    """The first target_pk.csv target becomes words: the build must refuse it."""
    path = agency / "2025" / "target_pk.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("target")] = BROKEN_TARGET
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _python(*args) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    """dinsos (the seed, good), rusak (bad data), an unsafe folder name and a link to dinsos."""
    raw = tmp_path_factory.mktemp("kiriman")
    shutil.copytree(SEED_RAW / "2024", raw / SEED / "2024")
    _break_target(_agency(raw, "rusak", "minimal"))
    _agency(raw, "nama tidak aman", "minimal")  # would build if it were not skipped
    (raw / "tautan").symlink_to(raw / SEED, target_is_directory=True)
    return raw


@pytest.fixture(scope="module")
def batch_run(raw, tmp_path_factory):
    """`python -m pipeline batch` on a local cluster of two worker processes: the bad agency
    fails at once in one while the seed builds in the other."""
    out = tmp_path_factory.mktemp("keluaran")
    started = time.perf_counter()
    done = subprocess.run(_python("batch", "--raw", str(raw), "--out", str(out),
                                  "--workers", "2"),
                          cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "DASK_SCHEDULER": ""})
    done.seconds = time.perf_counter() - started
    done.out = out
    return done


def _summary(out: Path) -> list[dict]:
    with open(out / "ringkasan.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# -- one agency's bad data -------------------------------------------------------------------

def test_batch_builds_the_good_agency_and_reports_the_bad_one(batch_run):
    out = batch_run.out
    assert batch_run.returncode == 1, batch_run.stderr
    assert (out / SEED / "2024" / "LKIP_2024.html").is_file()
    assert (out / SEED / "2024" / "LKIP_2024.pdf").is_file()
    assert (out / SEED / batch.PROCESSED / "2024" / "indikator").is_dir()
    assert not (out / "rusak" / "2025").exists()
    # each finished agency is one progress line when stderr is not a terminal
    assert "[1/2] rusak 2025: gagal" in batch_run.stderr
    assert f"[2/2] {SEED} 2024: ok" in batch_run.stderr
    assert "1 dari 2 LKIP gagal dibangun" in batch_run.stdout
    # the kernel of each stage is a child of the worker process that built the seed (its RSS
    # is counted), and its four quarterly reports were built
    seed = next(ln for ln in batch_run.stdout.splitlines()
                if ln.strip().startswith(f"{SEED} "))
    words = seed.split()
    assert words[2] == "ok" and words[8] == "MB" and words[7] != "0", seed
    assert seed.endswith(" MB  I, II, III, IV"), seed


def test_summary_csv_has_the_good_agencys_iku_and_the_bad_agencys_message(batch_run):
    rows = _summary(batch_run.out)
    assert list(rows[0]) == batch.COLUMNS
    assert [(r["instansi"], r["kode_iku"]) for r in rows] == [
        (SEED, "IKU1"), (SEED, "IKU2"), ("rusak", "")]
    # the seed's target_pk.csv and kinerja_tahunan.csv 2024, both IKU in %:
    #   IKU1 25,06 / 22,05 x 100 = 113,6507... -> 113.65; IKU2 29,03 / 8,60 x 100 = 337,558...
    #   -> 337.56; both >= 100 (Mencapai Target) and >= 91 (Sangat Tinggi)
    seed = {r["kode_iku"]: r for r in rows if r["instansi"] == SEED}
    assert [(r["satuan"], r["target"], r["realisasi"], r["capaian"], r["keterangan"],
             r["predikat"]) for r in seed.values()] == [
        ("%", "22.05", "25.06", "113.65", "Mencapai Target", "Sangat Tinggi"),
        ("%", "8.60", "29.03", "337.56", "Mencapai Target", "Sangat Tinggi")]
    # budget: the sum of the nine programs (tests/test_budget.py), 16.798.152.892 /
    # 20.619.848.861 x 100 = 81,4659... -> 81.47; findings of the annual report: 27 errors,
    # 11 warnings (tests/test_build_speaks.py, SEED_COUNTS)
    for r in seed.values():
        assert (r["tahun"], r["status"], r["nama_instansi"], r["anggaran"],
                r["realisasi_anggaran"], r["penyerapan_anggaran"], r["temuan_error"],
                r["temuan_warning"], r["pesan"]) == (
            "2024", "ok", "Dinas Sosial, Pemberdayaan Masyarakat dan Desa", "20619848861",
            "16798152892", "81.47", "27", "11", "")
    bad = rows[-1]
    assert (bad["tahun"], bad["status"]) == ("2025", "gagal")
    assert "target_pk.csv, baris 2, kolom 'target'" in bad["pesan"]
    assert BROKEN_TARGET in bad["pesan"]


def test_summary_html_is_one_readable_page_in_indonesian_format(batch_run):
    page = (batch_run.out / "ringkasan.html").read_text(encoding="utf-8")
    assert "<title>Ringkasan LKIP 2 instansi</title>" in page
    for shown in ("113,65%", "337,56%", "22,05%", "25,06%", "8,60%", "29,03%", "81,47%",
                  "20.619.848.861", "16.798.152.892", "gagal", "target_pk.csv, baris 2"):
        assert shown in page, shown
    assert page.index(SEED) < page.index("rusak")
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert not list(batch_run.out.glob(".ringkasan*"))  # no temporary file left


def test_summary_keeps_each_iku_in_its_own_unit(tmp_path):
    """kota's IKU count documents, people and a percentage: the CSV has each figure rounded to
    its unit's decimals, the page each in its unit as the report prints it. The summary reads
    what a build wrote (summary_rows): the processed tables and findings are written here as
    the build's stages write them, without the notebooks."""
    from pipeline.check import findings
    from pipeline.compute import results
    from pipeline.read import clean

    processed, published = tmp_path / "olahan" / "2025", tmp_path / "kota" / "2025"
    clean.write_processed(clean.load_raw(FIXTURES / "kota" / "2025", 2025), processed)
    ds = clean.load_processed(processed, 2025)
    results.write(results.compute(ds), processed)
    findings.write(findings.run(ds, results.read(processed)), published)
    job = batch.Job("kota", 2025, str(FIXTURES / "kota"), str(tmp_path / "kota"),
                    str(tmp_path / "olahan"))
    outcome = batch.Outcome("kota", 2025, batch.OK,
                            rows=batch.summary_rows(job, published, processed))
    _, page = batch.write_summary([outcome], tmp_path / "keluaran")
    rows = _summary(tmp_path / "keluaran")
    # tests/fixtures/kota/EXPECTED.md, sections 2 and 6
    assert [(r["kode_iku"], r["satuan"], r["target"], r["realisasi"], r["capaian"],
             r["predikat"]) for r in rows] == [
        ("IKU1", "dokumen", "12", "11", "91.67", "Sangat Tinggi"),
        ("IKU2", "orang", "1200", "1250", "104.17", "Sangat Tinggi"),
        ("IKU3", "%", "85.00", "89.29", "105.05", "Sangat Tinggi")]
    for r in rows:
        assert (r["tahun"], r["status"], r["anggaran"], r["realisasi_anggaran"],
                r["penyerapan_anggaran"], r["temuan_error"], r["temuan_warning"], r["pesan"]) \
            == ("2025", "ok", "3995500000", "3898448900", "97.57", "0", "0", "")
    page = page.read_text(encoding="utf-8")
    for shown in ("12 dokumen", "11 dokumen", "1.200 orang", "1.250 orang", "85,00%",
                  "89,29%", "91,67%", "104,17%", "105,05%", "3.995.500.000", "3.898.448.900",
                  "97,57%"):
        assert shown in page, shown


def test_summary_html_escapes_text_and_rounds_half_up():
    row = {"instansi": "dinas", "tahun": 2025, "status": batch.OK,
           "nama_instansi": "<script>alert(1)</script>", "kode_iku": "IKU1",
           "indikator": "A & B", "satuan": "%", "target": Decimal("80.00"),
           "realisasi": Decimal("84.50"), "capaian": Decimal("105.625"),
           "keterangan": "Mencapai Target", "predikat": "Sangat Tinggi",
           "anggaran": 3807800000, "realisasi_anggaran": 3463201234,
           "penyerapan_anggaran": Decimal("90.945"), "temuan_error": 1, "temuan_warning": 0,
           "pesan": "", "_target": "80,00%", "_realisasi": "84,50%"}
    outcomes = [batch.Outcome("dinas", 2025, batch.OK, rows=[row]),
                batch.Outcome("badan", 2025, batch.FAILED, "Kesalahan: <b>x</b>")]
    page = batch.summary_html(batch.summary_frame(outcomes))
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;" in page
    assert "105,63%" in page and "90,95%" in page and "3.807.800.000" in page
    assert page.index(">badan<") < page.index(">dinas<")  # sorted by agency
    assert page == batch.summary_html(batch.summary_frame(outcomes[::-1]))
    only_failed = batch.summary_html(batch.summary_frame(outcomes[1:]))  # no IKU at all
    assert "Ringkasan LKIP 1 instansi" in only_failed


def test_failure_message_keeps_the_first_lines():
    problems = DefectCollector()
    for line in range(2, 11):
        problems.add("iku.csv", "sel wajib kosong", line=line, column="satuan")
    with pytest.raises(InputError) as error:
        problems.raise_if_any()
    message = batch.failure_message(error.value)
    assert message.splitlines()[0] == "Data masukan tidak valid (9 masalah):"
    assert len(message.splitlines()) == batch.MESSAGE_LINES + 1
    assert message.endswith("(4 baris lagi)")
    assert batch.headline(message).startswith(
        "Data masukan tidak valid (9 masalah): iku.csv, baris 2, kolom 'satuan'")
    assert batch.failure_message(ValueError("x")) == "Kesalahan: ValueError: x"


# -- byte-identical to a single build --------------------------------------------------------

def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def both(batch_run, seed_report):
    """The seed's documents and processed tables as the batch built them and as `make report`
    built them (seed_report)."""
    by_batch = _published(batch_run.out / SEED)
    return (by_batch, _published(seed_report.out, {name.split("/")[0] for name in by_batch}),
            _files(batch_run.out / SEED / batch.PROCESSED / "2024"),
            _files(seed_report.processed / "2024"))


def _published(folder: Path, only: set[str] | None = None) -> dict[str, bytes]:
    """The annual report's folder and each quarter's (2024/, 2024-TW1/, ...); only: those
    named (the seed's outputs/ may hold other folders built beside it)."""
    return {f"{year.name}/{name}": data for year in sorted(folder.glob("20[0-9][0-9]*"))
            if only is None or year.name in only for name, data in _files(year).items()}


def test_batch_outputs_are_byte_identical_to_a_single_build(both):
    """Every published file (HTML, PDF, figures, executed notebooks, ledger, findings,
    manifest) of the annual report and its four quarters, and every processed table, byte
    for byte."""
    by_batch, alone, processed_batch, processed_alone = both
    assert sorted({name.split("/")[0] for name in by_batch}) == [
        "2024", "2024-TW1", "2024-TW2", "2024-TW3", "2024-TW4"]
    assert sorted(by_batch) == sorted(alone)
    for name in ("2024/LKIP_2024.pdf", "2024/manifest.json", "2024/notebooks/04_report.ipynb",
                 "2024-TW1/LKIP_2024_TW1.pdf", "2024-TW4/manifest.json"):
        assert name in by_batch
    assert [name for name in by_batch if by_batch[name] != alone[name]] == []
    assert processed_batch == processed_alone


_STARTED: list[int] = []  # in a worker process: one entry per kernel it started


def _count_kernel_starts() -> None:
    """Run in a worker process: count each kernel it starts from now on."""
    from pipeline.run import kernel

    original = kernel.WarmKernel.__init__

    def counted(self, *args, **kwargs):
        _STARTED.append(1)
        original(self, *args, **kwargs)

    kernel.WarmKernel.__init__ = counted


def _worker_state() -> tuple:
    """Run in a worker process: the kernels it started, whether it still keeps a session, the
    kernels among its child processes and its Dask settings."""
    import dask

    return (len(_STARTED), batch._SESSION is None, _kernels(os.getpid()),
            tuple(dask.config.get(key) for key in batch.QUIET_WORKERS))


def test_a_worker_keeps_its_kernel_across_agencies_and_builds_the_same_bytes(
        minimal_built, tmp_path, monkeypatch):
    """One local worker process builds `a-awal` (a year under way: its TW I report only),
    refuses `b-rusak`, then builds `c-minimal` in the kernel it started for the first (the
    largest job starts first): c-minimal's outputs are still those of its build alone
    (conftest: minimal_built), and the worker lets go of its kernel when the batch ends,
    before the cluster stops. The worker runs without the profiler and with slow monitors:
    the settings reach the worker process itself, where the builds run."""
    raw = tmp_path / "raw"
    _agency(raw, "a-awal", "triwulan_awal")
    _break_target(_agency(raw, "b-rusak", "minimal"))
    _agency(raw, "c-minimal", "minimal")
    jobs, _ = batch.discover(raw, tmp_path / "out")
    lines = io.StringIO()
    monkeypatch.delenv(batch.SCHEDULER_ENV, raising=False)
    with batch.client(1) as c:  # the batch's own local cluster, one worker process
        c.run(_count_kernel_starts)
        monkeypatch.setattr(batch, "client", lambda workers=None: contextlib.nullcontext(c))
        outcomes = batch.run(jobs, progress=batch.AgencyProgress(3, lines))
        [(started, stopped, held, settings)] = c.run(_worker_state).values()
    assert [o.status for o in outcomes] == [batch.PARTIAL, batch.FAILED, batch.OK]
    assert outcomes[2].message == ""
    assert started == 1  # bad data does not cost the worker its kernel
    assert stopped and held == []  # and the batch's end stopped it
    assert settings == (False, "1s", "2s", "500ms")
    assert lines.getvalue().splitlines()[0].startswith("[1/3] a-awal 2025: sebagian")
    assert outcomes[0].quarters == ["I"] and outcomes[2].quarters == []
    assert _published(tmp_path / "out" / "c-minimal") == _published(minimal_built.base /
                                                                     "outputs")


# -- what is skipped -------------------------------------------------------------------------

def test_batch_skipped_the_unsafe_name_and_the_link(batch_run):
    assert "'nama tidak aman' dilewati: nama folder tidak aman" in batch_run.stderr
    assert "'tautan' dilewati: tautan (symlink) tidak diikuti" in batch_run.stderr
    assert not (batch_run.out / "tautan").exists()
    assert not (batch_run.out / "nama tidak aman").exists()


def test_discover_skips_unsafe_names_links_and_files(tmp_path):
    raw = tmp_path / "raw"
    for name in ("dinas-a", "Dinas_B.2", "-awal", ".tersembunyi", "spasi di nama",
                 "baris\nbaru", "ringkasan.csv", "tanpa-tahun"):
        (raw / name).mkdir(parents=True)
    for agency in ("dinas-a", "Dinas_B.2", "-awal", "baris\nbaru"):
        (raw / agency / "2025").mkdir()
    (raw / "dinas-a" / "2023\n").mkdir()  # not a year folder: ignored
    (raw / "dinas-a" / "2024").mkdir()
    (raw / "dinas-a" / "catatan").mkdir()  # not a year: ignored
    (raw / "Dinas_B.2" / "2023").symlink_to(raw / "dinas-a" / "2024")
    (raw / "tautan").symlink_to(raw / "dinas-a")
    (raw / "berkas.txt").write_text("bukan folder")
    jobs, skipped = batch.discover(raw, tmp_path / "out")
    assert [(j.agency, j.year) for j in jobs] == [
        ("Dinas_B.2", 2025), ("dinas-a", 2024), ("dinas-a", 2025)]
    job = jobs[-1]
    assert Path(job.out_root) == tmp_path / "out" / "dinas-a"
    assert Path(job.processed_root) == tmp_path / "out" / "dinas-a" / batch.PROCESSED
    assert Path(job.raw_root) == raw / "dinas-a"
    text = "\n".join(skipped)
    for name in ("-awal", ".tersembunyi", "spasi di nama", "baris\nbaru"):
        assert f"{name!r} dilewati: nama folder tidak aman" in text
    assert "'ringkasan.csv' dilewati: nama ini dipakai tabel ringkasan" in text
    assert "'tautan' dilewati: tautan (symlink) tidak diikuti" in text
    assert "Dinas_B.2/2023 dilewati: tautan (symlink) tidak diikuti" in text
    assert "'berkas.txt' dilewati: bukan folder" in text
    assert "tanpa-tahun dilewati: tidak ada folder tahun" in text
    jobs, _ = batch.discover(raw, tmp_path / "out", "2024")
    assert [(j.agency, j.year) for j in jobs] == [("dinas-a", 2024)]


def test_discover_refuses_out_inside_raw_and_a_single_agency_folder(tmp_path):
    raw = tmp_path / "raw"
    (raw / "dinas" / "2025").mkdir(parents=True)
    with pytest.raises(InputError, match="saling bertumpuk"):
        batch.discover(raw, raw / "keluaran")
    with pytest.raises(InputError, match="saling bertumpuk"):
        batch.discover(raw, tmp_path)
    with pytest.raises(InputError, match="make report RAW="):
        batch.discover(raw / "dinas", tmp_path / "out")  # one agency's year folders
    with pytest.raises(InputError, match="tahun laporan tidak sah"):
        batch.discover(raw, tmp_path / "out", "25")


def test_an_existing_cluster_named_by_dask_scheduler_is_used(tmp_path, monkeypatch):
    import distributed

    raw = tmp_path / "raw"
    _break_target(_agency(raw, "rusak", "minimal"))
    jobs, _ = batch.discover(raw, tmp_path / "out")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        monkeypatch.setenv(batch.SCHEDULER_ENV, cluster.scheduler_address)
        monkeypatch.setattr(distributed, "LocalCluster", None)  # no cluster of our own
        lines = io.StringIO()
        [outcome] = batch.run(jobs, progress=batch.AgencyProgress(1, lines))
    assert outcome.status == batch.FAILED and BROKEN_TARGET in outcome.message
    assert lines.getvalue().startswith("[1/1] rusak 2025: gagal")


# -- the command -----------------------------------------------------------------------------

@needs_make
def test_make_help_lists_batch_and_workers():
    text = _make("help")
    line = next(ln for ln in text.splitlines() if ln.startswith("  make batch "))
    assert "setiap instansi" in line and "RAW=<folder>/<instansi>/<tahun>/" in line
    assert "WORKERS=<n>" in text
    assert _command("batch", "RAW=kiriman") == [
        "batch", "--raw", "kiriman", "--out", "outputs"]
    assert _command("batch", "RAW=kiriman", "OUT=hasil", "WORKERS=4", "YEAR=2025",
                    "FORCE=1") == ["batch", "--raw", "kiriman", "--out", "hasil", "--workers",
                                   "4", "--year", "2025", "--force"]


def test_cli_help_lists_batch(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0 and "batch" in capsys.readouterr().out
    with pytest.raises(SystemExit) as done:
        cli.main(["batch", "--help"])
    text = capsys.readouterr().out
    assert done.value.code == 0 and "--workers" in text and "<instansi>/<tahun>/" in text
    with pytest.raises(SystemExit) as done:
        cli.main(["batch", "--raw", "x", "--workers", "0"])
    assert done.value.code == 2 and "bilangan bulat positif" in capsys.readouterr().err


def test_a_failed_quarter_fails_the_agency_year_but_keeps_its_annual_figures():
    status, message = batch._quarters_failed(
        [("I", Path("2025-TW1")), ("II", ValueError("sel kosong"))])
    assert (status, message) == (batch.FAILED,
                                 "Laporan triwulan II gagal: Kesalahan: ValueError: sel kosong")
    assert batch._quarters_failed([("I", Path("2025-TW1"))]) == (batch.OK, "")
    row = {"instansi": "dinas", "tahun": 2025, "status": batch.OK, "kode_iku": "IKU1",
           "capaian": Decimal("91.67")}
    frame = batch.summary_frame([batch.Outcome("dinas", 2025, status, message, rows=[row],
                                               quarters=["I"])])
    assert frame[["kode_iku", "capaian", "status", "pesan"]].values.tolist() == [
        ["IKU1", Decimal("91.67"), batch.FAILED, message]]


@needs_make
def test_make_clean_removes_batch_outputs_and_nothing_else(tmp_path):
    for folder in ("outputs/dinas-a/2025", "outputs/dinas-a/.olahan/2025", "outputs/2024-TW1",
                   "outputs/catatan", "data/processed/2024"):
        (tmp_path / folder).mkdir(parents=True)
    for name in ("outputs/ringkasan.csv", "outputs/ringkasan.html", "outputs/catatan/a.txt"):
        (tmp_path / name).write_text("x")
    done = subprocess.run(["make", "-s", "-f", str(ROOT / "Makefile"), "clean"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert left == ["data", "data/processed", "outputs", "outputs/catatan",
                    "outputs/catatan/a.txt"]


def test_the_largest_agency_years_start_first(tmp_path):
    """The seed (the annual report and four quarters, 54 KB of data) before kota (five
    documents, less data) before provinsi (one document, more data than minimal)."""
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / "2024", raw / "seed" / "2024")
    for name in ("kota", "provinsi", "minimal"):
        _agency(raw, name, name)
    jobs, _ = batch.discover(raw, tmp_path / "out")
    costs = {job.agency: batch.estimated_cost(job) for job in jobs}
    assert [costs[a][0] for a in ("seed", "kota", "provinsi", "minimal")] == [5, 5, 1, 1]
    priority = batch._priorities(jobs)
    assert sorted(jobs, key=priority.get, reverse=True) == [
        next(j for j in jobs if j.agency == a) for a in ("seed", "kota", "provinsi", "minimal")]
