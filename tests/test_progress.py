"""What a build says while it runs: each step's name and elapsed time, never long silent."""

import io
import time

from pipeline.run import progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_step_in_a_log_says_its_name_keeps_ticking_and_ends_with_its_time(monkeypatch):
    monkeypatch.setattr(progress, "LOG_TICK", 0.05)
    out = io.StringIO()
    with progress.Progress(out).step("[4/4] menjalankan 04_report.ipynb"):
        time.sleep(0.3)
    lines = out.getvalue().splitlines()
    assert lines[0] == "[4/4] menjalankan 04_report.ipynb"
    ticks = [ln for ln in lines if ln.startswith("  [4/4] menjalankan 04_report.ipynb … ")]
    assert len(ticks) >= 2 and all(ln.endswith(" dtk") for ln in ticks)
    assert lines[-1].startswith("[4/4] menjalankan 04_report.ipynb: selesai (")
    assert "\r" not in out.getvalue()  # a log gets whole lines, never terminal controls


def test_on_a_terminal_one_line_updates_in_place_and_stays_as_it_ends(monkeypatch):
    monkeypatch.setattr(progress, "TICK", 0.05)
    out = Terminal()
    with progress.Progress(out).step("menyiapkan kernel Jupyter"):
        time.sleep(0.2)
    text = out.getvalue()
    assert "\r\033[Jmenyiapkan kernel Jupyter … 0," in text
    last = text.split("selesai (")[-1]
    assert text.endswith("\r\033[Jmenyiapkan kernel Jupyter: selesai (" + last)
    assert last.endswith(" dtk)\n") and text.count("\n") == 1  # one line left, not two


def test_seconds_are_written_the_indonesian_way():
    assert progress.seconds(12.34) == "12,3 dtk"
    assert progress.seconds(0.04) == "0,0 dtk"


def test_silent_progress_says_nothing():
    out = io.StringIO()
    quiet = progress.Progress(out, enabled=False)
    with quiet.step("tahap"):
        quiet.say("teks")
    assert out.getvalue() == ""
