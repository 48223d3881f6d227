"""What a build says to its user (issue 19, points 1, 6, 7 and 8): the findings at the end of
every build, one line per document while it runs, `make verify` in the order an auditor reads
it, and none of the noise (English, raw make lines, lock files, private files, Jupyter's log).
"""

import csv
import functools
import io
import os
import queue
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.check import findings
from pipeline.compute import ledger, results
from pipeline.errors import InputError
from pipeline.present import summary
from pipeline.read import clean
from pipeline.run import batch, comparison, figure_order, lab, preview, progress, runner, verify

from .conftest import ROOT, SEED_RAW, default_sigint
from .test_commands import lab_around, needs_make

MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
AGENCY = "dinsos"  # the seed, as one agency of a batch
DOCUMENTS = [("LKIP 2024", "2024"), ("Laporan Triwulan I 2024", "2024-TW1"),
             ("Laporan Triwulan II 2024", "2024-TW2"), ("Laporan Triwulan III 2024", "2024-TW3"),
             ("Laporan Triwulan IV 2024", "2024-TW4")]
# the seed's findings (error, warning, info) as its reports list them
SEED_COUNTS = {"2024": (27, 11, 9), "2024-TW1": (3, 1, 3), "2024-TW2": (5, 5, 0),
               "2024-TW3": (4, 3, 3), "2024-TW4": (7, 4, 10)}


def _python(*args) -> list[str]:
    return [sys.executable, "-m", "pipeline", *args]


def _rows(folder: Path) -> list[dict]:
    with open(folder / "findings.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# -- 1. a finished build says what it found ------------------------------------------------

def _with_values(row: dict) -> str:
    """A finding's message as the summary prints it: a value it neither quotes nor speaks of
    is added."""
    missing = [f"{word} {row[name]}" for word, name in (("tercetak", "printed"),
                                                         ("seharusnya", "expected"))
               if row[name] not in ("", "–") and row[name] not in row["message"]
               and word not in row["message"]]
    return row["message"] + (f" ({', '.join(missing)})" if missing else "")


def _expected_summary(out: Path) -> list[str]:
    """The closing block, recomputed from each document's findings.csv."""
    lines = ["Temuan verifikasi (kesalahan: angka tercetak salah atau dokumen saling "
             "bertentangan; diperbaiki di data masukan):"]
    for title, name in DOCUMENTS:
        rows = _rows(out / name)
        n = {s: sum(r["severity"] == s for r in rows) for s in ("error", "warning", "info")}
        lines.append(f"  {title}: {n['error']} kesalahan, {n['warning']} peringatan, "
                     f"{n['info']} catatan")
        errors = [r for r in rows if r["severity"] == "error"]
        lines += [f"    {r['file']}, {r['key']}, kolom '{r['field']}': {_with_values(r)}"
                  for r in errors[:3]]
        cut = f"… dan {len(errors) - 3} kesalahan lagi; " if len(errors) > 3 else ""
        lines.append(f"    {cut}daftar lengkap: {out / name / 'findings.csv'}")
    return lines


def test_a_finished_build_ends_with_each_documents_findings(seed_report):
    out, done = seed_report.out, seed_report.done
    for name, (e, w, i) in SEED_COUNTS.items():  # the seed's counts, by hand
        rows = _rows(out / name)
        assert [sum(r["severity"] == s for r in rows) for s in ("error", "warning", "info")] \
            == [e, w, i], name
    said = done.stdout.splitlines()
    expected = _expected_summary(out)
    assert said[-len(expected):] == expected  # the last thing the user reads
    assert said[:2] == [f"LKIP 2024 selesai: {out / '2024' / 'LKIP_2024.html'}",
                        f"                   {out / '2024' / 'LKIP_2024.pdf'}"]
    assert "  LKIP 2024: 27 kesalahan, 11 peringatan, 9 catatan" in said
    assert ("    realisasi_anggaran.csv, no=4, kolom 'persentase_cetak': Persentase realisasi "
            "Peningkatan Kemampuan Potensi Sumber Kesejahteraan Sosial Keluarga Kewenangan "
            "Kabupaten/ Kota: tercetak 22.64 %, seharusnya 75,64%") in said
    assert f"    … dan 24 kesalahan lagi; daftar lengkap: {out / '2024' / 'findings.csv'}" \
        in said
    assert "  Laporan Triwulan II 2024: 5 kesalahan, 5 peringatan, 0 catatan" in said
    # a message without its values gets them: the PK target check names only the target
    assert ("    triwulan_kinerja.csv, triwulan=I;kode_iku=IKU2, kolom 'target_tahunan_cetak': "
            "Target tahunan pada laporan TW I berbeda dengan target PK 8,60% (tercetak 8.06%)"
            ) in said


def test_strict_fails_a_build_whose_findings_hold_errors_after_saying_them(seed_report):
    out = seed_report.out
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    done = subprocess.run(_python("report", "--year", "2024", "--raw", str(SEED_RAW), "--out",
                                  str(out), "--processed", str(seed_report.processed),
                                  "--strict"),
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == summary.STRICT_EXIT == 5
    errors = {title: sum(r["severity"] == "error" for r in _rows(out / name))
              for title, name in DOCUMENTS}
    each = ", ".join(f"{title}: {n}" for title, n in errors.items())
    said = done.stdout.splitlines()
    assert said[-1] == (f"STRICT=1: perintah gagal karena temuan verifikasi berisi kesalahan "
                        f"({each}); keluaran tetap ditulis.")
    assert each.startswith("LKIP 2024: 27, Laporan Triwulan I 2024: 3, ")
    assert said[-1 - len(_expected_summary(out)):-1] == _expected_summary(out)
    # nothing had changed: the outputs stay, and the findings are still said
    assert "Tidak ada yang berubah sejak pembangunan terakhir" in done.stderr
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_strict_is_a_make_variable_of_report_triwulan_and_batch():
    for target in ("report", "triwulan", "batch"):
        args = _make_command(target, "STRICT=1", "RAW=kiriman")
        assert "--strict" in args, (target, args)
        assert "--strict" not in _make_command(target, "RAW=kiriman")


def _make_command(target: str, *variables) -> list[str]:
    text = subprocess.run(["make", "--no-print-directory", "-n", target, *variables], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=True).stdout
    line = next(ln for ln in text.replace("\\\n", " ").splitlines() if " -m pipeline " in ln)
    return line.split(" -m pipeline ", 1)[1].split()


def _as_an_agency(seed_report, into: Path) -> Path:
    """A copy of the seed's build laid out as a batch lays out an agency (<out>/<agency>/,
    its processed tables in <agency>/.olahan/): a build records its inputs by content, so the
    batch finds nothing to rebuild; into, the batch's output folder."""
    agency = into / AGENCY
    shutil.copytree(seed_report.out, agency, symlinks=True)
    shutil.copytree(seed_report.processed, agency / batch.PROCESSED, symlinks=True)
    return into


@pytest.fixture(scope="module")
def batch_strict(seed_report, tmp_path_factory):
    """`make batch STRICT=1` with the seed as the one agency, into a copy of the seed's build:
    nothing to rebuild, and the table says what each document found; (the finished process,
    its output folder)."""
    raw = tmp_path_factory.mktemp("kiriman")
    shutil.copytree(SEED_RAW / "2024", raw / AGENCY / "2024")
    out = _as_an_agency(seed_report, tmp_path_factory.mktemp("hasil"))
    done = subprocess.run(_python("batch", "--raw", str(raw), "--out", str(out), "--workers",
                                  "1", "--strict"),
                          cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "DASK_SCHEDULER": ""})
    return done, out


def test_batch_table_counts_each_documents_findings_instead_of_a_bare_ok(batch_strict):
    done, base = batch_strict
    out = base / AGENCY
    counts = []
    for label, name in (("LKIP", "2024"), ("TW I", "2024-TW1"), ("TW II", "2024-TW2"),
                        ("TW III", "2024-TW3"), ("TW IV", "2024-TW4")):
        rows = _rows(out / name)
        counts.append(f"{label} " + "/".join(str(sum(r["severity"] == s for r in rows))
                                             for s in ("error", "warning", "info")))
    line = "      temuan (kesalahan/peringatan/catatan): " + ", ".join(counts)
    assert line == ("      temuan (kesalahan/peringatan/catatan): LKIP 27/11/9, TW I 3/1/3, "
                    "TW II 5/5/0, TW III 4/3/3, TW IV 7/4/10")
    said = done.stdout.splitlines()
    row = next(i for i, ln in enumerate(said) if ln.startswith(f"  {AGENCY}  "))
    assert said[row].split()[:3] == [AGENCY, "2024", "ok"] and said[row + 1] == line


def test_batch_strict_fails_with_the_agencies_that_have_errors(batch_strict):
    done, _ = batch_strict
    assert done.returncode == summary.STRICT_EXIT, done.stderr
    said = done.stdout.splitlines()
    assert said[-2:] == ["Semua 1 LKIP selesai dibangun.",
                         f"STRICT=1: perintah gagal karena temuan verifikasi berisi kesalahan "
                         f"({AGENCY} 2024); keluaran tetap ditulis."]


# -- 6. one line per document, never mixed ---------------------------------------------------

class Terminal(io.StringIO):
    def isatty(self):
        return True


def screen(text: str) -> list[str]:
    """What a terminal shows after text: carriage return, line feed, cursor up (ESC[nA) and
    clear to the end of the screen (ESC[J)."""
    rows, row, col, i = [""], 0, 0, 0
    while i < len(text):
        escape = re.match(r"\x1b\[(\d*)([AJK])", text[i:])
        if escape:
            if escape[2] == "A":
                row = max(0, row - int(escape[1] or 1))
            else:
                rows = rows[:row + 1] if escape[2] == "J" else rows
                rows[row] = rows[row][:col]
            i += len(escape[0])
            continue
        char = text[i]
        if char == "\r":
            col = 0
        elif char == "\n":
            row, col = row + 1, 0
            rows += [""] * (row + 1 - len(rows))
        else:
            rows[row] = rows[row][:col].ljust(col) + char + rows[row][col + 1:]
            col += 1
        i += 1
    return rows


GUARD = 120  # seconds a wait in these tests may last before it fails them (never asserted)


def _two_documents(stream, monkeypatch) -> None:
    """The annual report and a quarter built at once, as `make report` does, on one board.
    However loaded the machine, the quarter's first step runs while the annual report's first
    does, and the quarter is done before the annual report's last step ends."""
    monkeypatch.setattr(progress, "TICK", 0.02)
    monkeypatch.setattr(progress, "LOG_TICK", 0.03)
    board = progress.Board(stream)
    quarter_running = threading.Event()

    def build(said: progress.Progress, title: str, steps: int, meanwhile: dict) -> None:
        with said.document():
            for n in range(1, steps + 1):
                with said.step(f"{title}[{n}/{steps}] menjalankan tahap_{n}.ipynb"):
                    time.sleep(0.12)
                    meanwhile.get(n, lambda: None)()

    beside = threading.Thread(target=build, args=(board.progress(), "2024-TW1 ", 2,
                                                  {1: quarter_running.set}))
    with board:
        beside.start()
        build(board.progress(), "", 3, {1: lambda: quarter_running.wait(GUARD),
                                        3: lambda: beside.join(GUARD)})
        beside.join()


LIVE = re.compile(r"(2024-TW1 )?\[\d/\d\] menjalankan tahap_\d\.ipynb"
                  r"( … \d+,\d dtk| …|: selesai \(\d+,\d dtk\))")


def test_on_a_terminal_each_document_has_one_updating_line(monkeypatch):
    out = Terminal()
    _two_documents(out, monkeypatch)
    text = out.getvalue()
    # every state the terminal went through: at most one line per document, each whole
    for cut in [i for i, c in enumerate(text) if c == "\r"] + [len(text)]:
        shown = [ln for ln in screen(text[:cut]) if ln]
        assert all(LIVE.fullmatch(ln) for ln in shown), shown
        assert sum(ln.startswith("[") for ln in shown) <= 1
        assert sum(ln.startswith("2024-TW1 ") for ln in shown) <= 1
    final = screen(text)
    assert final[-1] == ""  # the cursor is on a fresh line for what follows
    assert [re.sub(r"\(\d+,\d dtk\)", "(…)", ln) for ln in final[:-1]] == [
        "2024-TW1 [2/2] menjalankan tahap_2.ipynb: selesai (…)",
        "[3/3] menjalankan tahap_3.ipynb: selesai (…)"]


def test_in_a_log_every_line_is_whole(monkeypatch):
    out = io.StringIO()
    _two_documents(out, monkeypatch)
    text = out.getvalue()
    assert "\r" not in text and "\x1b" not in text and text.endswith("\n")
    lines = text.splitlines()
    plain = re.compile(r"(  )?(2024-TW1 )?\[\d/\d\] menjalankan tahap_\d\.ipynb"
                       r"( … \d+,\d dtk|: selesai \(\d+,\d dtk\))?")
    assert all(plain.fullmatch(ln) for ln in lines), lines
    for title, steps in (("", 3), ("2024-TW1 ", 2)):
        for n in range(1, steps + 1):
            label = f"{title}[{n}/{steps}] menjalankan tahap_{n}.ipynb"
            assert lines.count(label) == 1 and sum(
                ln.startswith(f"{label}: selesai (") for ln in lines) == 1


def test_a_builds_log_has_whole_lines_only(seed_report):
    done = seed_report.done
    line = re.compile(r"(  )?(2024-TW\d )?(menyiapkan kernel Jupyter|\[\d/\d\] menjalankan "
                      r"\d\d_\w+\.ipynb)( … \d+,\d dtk|: selesai \(\d+,\d dtk\))?")
    lines = done.stderr.splitlines()
    assert lines and all(line.fullmatch(ln) for ln in lines), lines


# -- 7. make verify: counted, in dependency order, with values -----------------------------

# four realisasi of tests/fixtures/contoh changed (line: old, new): both sub-kegiatan of
# program A1 (sasaran S1) and both of A2 (sasaran S2)
CHANGED = {2: ("90.000.000", "85.000.000"), 3: ("180.000.000", "170.000.000"),
           4: ("405.000.000", "400.000.000"), 5: ("40.000.000", "1.000")}
# Hand-checked on tests/fixtures/contoh/2025 (anggaran no=1 100.000.000, no=2 200.000.000,
# no=3 450.000.000, no=4 50.000.000; no=6, program A3 without sasaran, 190.000.000 of
# 200.000.000; total anggaran 1.000.000.000):
#   rows:   no=1 85.000.000 / 100.000.000 = 85,00%          (was 90,00%)
#           no=2 170.000.000 / 200.000.000 = 85,00%         (was 90,00%)
#           no=3 400.000.000 / 450.000.000 = 88,888…%  -> 88,89%   (was 90,00%)
#           no=4 1.000 / 50.000.000 = 0,002%  -> 0,00%      (was 80,00%)
#   A1 = S1: 85.000.000 + 170.000.000 = 255.000.000 / 300.000.000 = 85,00%        (was 90,00%)
#   A2 = S2: 400.000.000 + 1.000 = 400.001.000 / 500.000.000 = 80,0002% -> 80,00% (was 89,00%)
#   total:   255.000.000 + 400.001.000 + 190.000.000 = 845.001.000 / 1.000.000.000
#            = 84,5001% -> 84,50%                                                  (was 90,50%)
#   efisiensi S1: K1 is negatif, capaian (2 × 10,00 − 8,00) ÷ 10,00 × 100 = 120;
#                 120 − 85 = +35,00 (was 120 − 90 = +30,00)
#   efisiensi S2: K2 capaian 76,00 / 80,00 × 100 = 95; 95 − 80,0002 = 14,9998 -> +15,00
#                 (was 95 − 89 = +6,00)
# 22 figures: each row's realisasi and persentase (8), each program's (4), each sasaran's
# realisasi and capaian anggaran (4), the total's two (2), each efisiensi row's capaian
# anggaran and efisiensi (4). 11 new findings, none before (the fixture is consistent): each
# row's printed persentase (4), the printed realisasi, capaian anggaran and efisiensi of S1
# and S2 (efisiensi_cetak.csv, 6), and the TW IV realisasi of no=3 (triwulan_keuangan.csv
# prints 405.000.000, no longer the year's).
CONTOH = ROOT / "tests" / "fixtures" / "contoh"
FIGURES = "Angka yang berubah (22)"


@pytest.fixture(scope="module")
def verified(fixture_build, kernel_session, tmp_path_factory):
    """`make verify` of tests/fixtures/contoh (conftest: fixture_build) after four realisasi
    were changed: a long comparison. Its rebuild runs in the session's kernel (conftest:
    kernel_session): what verify compares is built the same in any kernel."""
    published = fixture_build("contoh").folder
    raw = tmp_path_factory.mktemp("verifikasi") / "raw"
    shutil.copytree(CONTOH / "2025", raw / "2025")
    path = raw / "2025" / "realisasi_anggaran.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, (old, new) in CHANGED.items():
        assert f",{old}," in lines[number - 1]
        lines[number - 1] = lines[number - 1].replace(f",{old},", f",{new},")
    path.write_text("".join(lines), encoding="utf-8")
    out = raw.parent / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "build", functools.partial(runner.build, shared=kernel_session))
        report = verify.rebuild("2025", raw, out, published)
    return report, out / "2025-verifikasi", published


def _parts(folder: Path) -> dict[str, list[dict]]:
    with open(folder / comparison.CSV_NAME, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    parts: dict[str, list[dict]] = {}
    for row in rows:
        parts.setdefault(row["bagian"], []).append(row)
    return parts


def test_verify_counts_what_the_terminal_leaves_out(verified):
    report, folder, _ = verified
    parts = _parts(folder)
    assert {part: len(rows) for part, rows in parts.items()} == {
        "Masukan berubah sejak laporan dibangun": 4, FIGURES: 22,
        "Temuan verifikasi (11 baru)": 11}
    for part, rows in parts.items():
        at = report.lines.index(f"{part}:")
        assert report.lines[at + 4] == f"  … dan {len(rows) - 3} lainnya", part
    assert report.lines[-3:] == ["Perbandingan lengkap ditulis ke:",
                                 f"  {folder / comparison.HTML_NAME}",
                                 f"  {folder / comparison.CSV_NAME}"]


def test_verify_writes_every_changed_figure_with_its_values(verified):
    _, folder, _ = verified
    values = {row["kunci"]: (row["lama"], row["baru"]) for row in _parts(folder)[FIGURES]}
    assert values["sub_kegiatan:no=3:persentase"] == ("90,00%", "88,89%")
    assert values["sub_kegiatan:no=4:persentase"] == ("80,00%", "0,00%")
    assert values["program:kode_program=A2:realisasi"] == ("445.000.000", "400.001.000")
    assert values["sasaran:kode_sasaran=S2:persentase"] == ("89,00%", "80,00%")
    assert values["total:realisasi"] == ("905.000.000", "845.001.000")
    assert values["total:persentase"] == ("90,50%", "84,50%")
    assert values["efisiensi:kode_sasaran=S1;kode_iku=K1:efisiensi"] == ("+30,00", "+35,00")
    assert values["efisiensi:kode_sasaran=S2;kode_iku=K2:efisiensi"] == ("+6,00", "+15,00")


def test_verify_lists_the_inputs_then_the_figures_they_changed_in_dependency_order(verified):
    report, folder, published = verified
    lines = report.lines
    assert lines[:2] == ["Masukan berubah sejak laporan dibangun:",
                         "  realisasi_anggaran.csv baris 2 (no=1): realisasi 90.000.000 → "
                         "85.000.000"]
    figures = [row["kunci"] for row in _parts(folder)[FIGURES]]
    # first the figures the changed rows are (named by `realisasi_anggaran.csv baris n`)
    assert figures[:4] == [f"sub_kegiatan:no={n}:realisasi" for n in (1, 2, 3, 4)]
    first = lines.index(f"{FIGURES}:") + 1
    assert lines[first].endswith("[sub_kegiatan:no=1:realisasi]: 90.000.000 → 85.000.000")
    # every figure after the changed figures its ledger inputs name
    entries = ledger.read(published / ledger.NAME)
    graph = figure_order.Graph(entries)
    for at, key in enumerate(figures):
        assert graph.sources(key) & set(figures) <= set(figures[:at]), key
    for sasaran, iku in (("S1", "K1"), ("S2", "K2")):
        assert figures.index(f"sasaran:kode_sasaran={sasaran}:realisasi") < \
            figures.index(f"sasaran:kode_sasaran={sasaran}:persentase") < \
            figures.index(f"efisiensi:kode_sasaran={sasaran};kode_iku={iku}:capaian_anggaran") \
            < figures.index(f"efisiensi:kode_sasaran={sasaran};kode_iku={iku}:efisiensi")
    assert set(figures[-2:]) == {"efisiensi:kode_sasaran=S1;kode_iku=K1:efisiensi",
                                 "efisiensi:kode_sasaran=S2;kode_iku=K2:efisiensi"}


def test_every_finding_in_verify_has_its_values(tmp_path):
    """EFISIENSI-SUMBER's message names no value; verify adds what was printed and expected."""
    shutil.copytree(SEED_RAW / "2024", tmp_path / "2024")
    path = tmp_path / "2024" / "efisiensi_cetak.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("S1,IKU1,22.05 %,",
                                                             "S1,IKU1,21.05 %,"),
                    encoding="utf-8")
    ds = clean.load_raw(tmp_path / "2024", 2024)
    found = findings.run(ds, results.compute(ds))
    changes = [d.text for d in comparison.finding_changes([], found)
               if "EFISIENSI-SUMBER" in d.text]
    assert changes == ["  baru: EFISIENSI-SUMBER efisiensi_cetak.csv "
                       "kode_sasaran=S1;kode_iku=IKU1 kolom target: (kesalahan) Target pada "
                       "tabel efisiensi berbeda dengan PK/realisasi tahunan (tercetak 21.05 %, "
                       "seharusnya 22,05%)"]


# -- 8. the noise ----------------------------------------------------------------------------

def test_a_quarter_that_does_not_exist_is_a_parameter_error(tmp_path, capsys):
    code = cli.main(["triwulan", "--year", "2024", "--tw", "5", "--raw", str(SEED_RAW),
                     "--out", str(tmp_path / "out"), "--processed", str(tmp_path / "proc")])
    assert code == 2
    assert capsys.readouterr().err == (
        "Parameter perintah tidak sah (1 masalah):\n"
        "  - TW: triwulan tidak sah (nilai: '5'); yang diharapkan: triwulan I, II, III atau IV "
        "(boleh ditulis 1-4), mis. TW=1\n"
        "Keluaran sebelumnya tidak diubah.\n")
    assert not (tmp_path / "out").exists()


@needs_make
def test_through_make_the_pipelines_sentence_comes_before_makes_own_line(tmp_path):
    """make prints `make: *** [...] Error N` after any failing recipe, and nothing in a
    Makefile stops it short of killing make; the pipeline's sentence is the line above it, and
    N is the pipeline's own exit code (the README says so)."""
    done = subprocess.run(["make", "--no-print-directory", "report", "YEAR=20x4",
                           f"OUT={tmp_path / 'out'}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[:3] == ["Parameter perintah tidak sah (1 masalah):",
                         "  - YEAR: tahun laporan tidak sah (nilai: '20x4'); yang diharapkan: "
                         "tahun empat digit, mis. YEAR=2024",
                         "Keluaran sebelumnya tidak diubah."]
    # make[1] when the tests themselves run under make (make test)
    assert len(lines) == 4 and re.fullmatch(
        r"make(\[\d+\])?: \*\*\* \[Makefile:\d+: report\] Error 2", lines[3])


def test_a_failed_batch_names_no_exit_code_the_shell_does_not_get(tmp_path, monkeypatch,
                                                                   capsys):
    for agency in ("a", "b"):
        (tmp_path / "raw" / agency / "2024").mkdir(parents=True)
    outcomes = [batch.Outcome("a", 2024, batch.FAILED, "Data masukan tidak valid (1 masalah):"),
                batch.Outcome("b", 2024, batch.FAILED, "Data masukan tidak valid (1 masalah):")]
    monkeypatch.setattr(batch, "run", lambda jobs, workers=None, wait=None: outcomes)
    code = batch.main(tmp_path / "raw", tmp_path / "out", strict=True)
    said = capsys.readouterr().out.splitlines()
    assert code == 1  # a failure wins over STRICT
    assert said[-1] == "2 dari 2 LKIP gagal dibangun; yang lain selesai."
    assert "Kode keluar" not in "\n".join(said)


def test_a_build_leaves_no_lock_files(seed_report, batch_strict):
    _, base = batch_strict
    for folder in (seed_report.out, seed_report.processed, base / AGENCY,
                   base / AGENCY / batch.PROCESSED):
        assert not list(folder.glob(".lock-*")), folder


def test_a_second_build_is_refused_while_the_first_holds_the_lock(tmp_path):
    with runner._lock(tmp_path, "2024"):
        assert [p.name for p in tmp_path.iterdir()] == [".lock-2024"]
        with pytest.raises(InputError, match="pembangunan laporan tahun ini sedang berjalan"):
            with runner._lock(tmp_path, "2024"):
                pass
        assert (tmp_path / ".lock-2024").exists()  # the refused one removes nothing
    assert list(tmp_path.iterdir()) == []


def test_a_build_that_opened_the_lock_as_it_was_removed_locks_the_new_one(tmp_path,
                                                                         monkeypatch):
    """A opened .lock-2024, B (finishing) removed it and C created a new one: A's lock on the
    removed file would not exclude C, so A locks the file the name now holds."""
    path = tmp_path / ".lock-2024"
    real_open, opened = os.open, []

    def open_as_it_is_replaced(name, flags, mode=0o777):
        descriptor = real_open(name, flags, mode)
        if Path(name) == path and not opened:
            opened.append(descriptor)
            path.unlink()  # B, done, removed it
            path.touch()  # and C made a new one
        return descriptor

    monkeypatch.setattr(os, "open", open_as_it_is_replaced)
    with runner._lock(tmp_path, "2024"):
        monkeypatch.setattr(os, "open", real_open)
        with pytest.raises(InputError, match="sedang berjalan"):
            with runner._lock(tmp_path, "2024"):  # C, locking the current file, is refused
                pass
    assert opened and list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def minimal_raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("pratinjau") / "raw"
    shutil.copytree(MINIMAL / "2025", raw / "2025")
    return raw


def test_the_preview_is_readable_as_the_other_outputs(minimal_raw, tmp_path):
    umask = os.umask(0o022)
    try:
        shown = preview.build(2025, minimal_raw, tmp_path / "out", tmp_path / "proc")
    finally:
        os.umask(umask)
    mode = stat.S_IMODE(shown.html.stat().st_mode)
    assert mode == 0o644
    figure = next((shown.html.parent / "figures").iterdir())
    assert stat.S_IMODE(figure.stat().st_mode) == mode


def _read_until(lines: queue.Queue, said: list[str], enough, meanwhile=lambda: None) -> None:
    """Lines into said until enough(said); meanwhile() each half second without a line."""
    deadline = time.monotonic() + GUARD
    while not enough(said):
        assert time.monotonic() < deadline, said
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            meanwhile()
            continue
        assert line is not None, said  # the command ended before
        said.append(line)


@pytest.mark.slow  # builds the preview twice
def test_watch_says_in_indonesian_what_was_saved(minimal_raw, tmp_path):
    """The file is saved again until the watch sees it: it starts watching just after it says
    so, and a save before then is not seen (on a loaded machine, not even half a second
    later)."""
    process = subprocess.Popen(
        _python("watch", "--year", "2025", "--raw", str(minimal_raw), "--out",
                str(tmp_path / "out"), "--processed", str(tmp_path / "proc")),
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=default_sigint)
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=lambda: [*map(lines.put, process.stdout), lines.put(None)],
                              daemon=True)
    reader.start()
    said: list[str] = []

    def save() -> None:
        (minimal_raw / "2025" / "narasi" / "penutup.md").write_text(
            "Penutup yang disunting.\n", encoding="utf-8")

    try:
        _read_until(lines, said, lambda said: any(ln.startswith("Memantau ") for ln in said))
        _read_until(lines, said, lambda said: any(ln.startswith("Tersimpan: ") for ln in said),
                    save)
        _read_until(lines, said, lambda said: sum(
            ln.startswith("Pratinjau HTML ditulis") for ln in said) >= 2)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        reader.join(timeout=30)
        err = process.stderr.read()
        process.stdout.close()
        process.stderr.close()
    rest = "".join(lines.get_nowait() or "" for _ in range(lines.qsize()))
    assert "Tersimpan: narasi/penutup.md; memperbarui pratinjau …\n" in said
    assert "change" not in "".join(said) + rest + err and "detected" not in err
    assert err == "Pemantauan dihentikan.\n"


# Jupyter Server 2.21 and JupyterLab 4.6, as `make lab` ran them (dates and token shortened)
JUPYTER_LOG = """\
[I 2026-12-03 12:22:20.968 ServerApp] jupyter_lsp | extension was successfully linked.
[I 2026-12-03 12:22:21.038 LabApp] JupyterLab application directory is /x/share/jupyter/lab
[I 2026-12-03 12:22:21.098 ServerApp] Jupyter Server 2.21.1 is running at:
[I 2026-12-03 12:22:21.098 ServerApp] http://127.0.0.1:{port}/lab/tree/notebooks?token=t0k3n
[I 2026-12-03 12:22:21.098 ServerApp] Use Control-C to stop this server and shut down all \
kernels (twice to skip confirmation).
[C 2026-12-03 12:22:21.101 ServerApp] \n    \n    To access the server, open this file in a \
browser:
        file:///x/runtime/jpserver-16897-open.html
    Or copy and paste one of these URLs:
        http://127.0.0.1:{port}/lab/tree/notebooks?token=t0k3n
[I 2026-12-03 12:22:21.373 ServerApp] Skipped non-installed server(s): basedpyright, \
bash-language-server, yaml-language-server
"""


def test_jupyters_info_lines_and_url_block_are_not_passed_on():
    log = lab.JupyterLog()
    shown = [ln for line in JUPYTER_LOG.splitlines(keepends=True) for ln in log.feed(line)]
    assert shown + log.close() == []
    warning = "[W 2026-12-03 12:22:22.000 ServerApp] Notebook x.ipynb is not trusted\n"
    failure = ["[C 2026-12-03 12:22:22.000 ServerApp] \n", "    \n",
               "    ERROR: port 8888 is not available\n"]
    traceback = ["Traceback (most recent call last):\n", "  File \"x.py\", line 1\n",
                 "OSError: [Errno 98] Address already in use\n"]
    later = [ln for line in [warning, *failure, *traceback] for ln in log.feed(line)]
    assert later + log.close() == [warning, *failure, *traceback]


FAKE_JUPYTER = """
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
sys.stderr.write({log!r}.format(port=s.getsockname()[1]))
sys.stderr.flush()
time.sleep(60)
"""


def test_make_lab_shows_its_banner_and_none_of_jupyters_log(tmp_path):
    with lab_around(FAKE_JUPYTER.format(log=JUPYTER_LOG), tmp_path) as run:
        pass
    assert "JupyterLab siap" in "".join(run.lines)
    assert run.err == ""  # neither the URL block nor the language servers nor the INFO lines


LAB_PYTHON = ROOT / ".venv-lab" / "bin" / "python"


@pytest.mark.skipif(not (ROOT / ".venv-lab" / "bin" / "jupyter-lab").exists(),
                    reason="JupyterLab is installed by `make lab` (.venv-lab)")
def test_real_jupyterlab_says_nothing_after_the_banner(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "PYTHONPATH": str(ROOT)}
    with open(tmp_path / "err.txt", "w") as err:
        process = subprocess.Popen([str(LAB_PYTHON), "-m", "pipeline", "lab", "--no-browser",
                                    "--port", str(port)], cwd=ROOT, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=err)
    try:
        lines = []
        while not any(ln.startswith(f"    http://127.0.0.1:{port}/") for ln in lines):
            lines.append(process.stdout.readline())
            assert lines[-1], lines
        time.sleep(3)  # the language servers are listed a moment after the URL
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    said = (tmp_path / "err.txt").read_text(encoding="utf-8")
    assert "To access the server" not in said and "Skipped non-installed server" not in said
    assert "[I " not in said, said
