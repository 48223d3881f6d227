"""What a build reads is what it hashes and embeds; what it writes never overlaps its data;
narrative links lead only to the web or to an e-mail address; names from received files reach
the terminal with their control characters escaped."""

from __future__ import annotations

import builtins
import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline import cli, config
from pipeline.errors import Defect, InputError, printable
from pipeline.present import narrative
from pipeline.read import clean, inputs
from pipeline.run import batch, freshness, runner

from .conftest import ROOT, copy_build
from .hostile_cases import KEPT_URIS, LINKS, REFUSED_TARGETS
from .workbook_cases import BOOK, as_workbook

CONTOH = ROOT / "tests" / "fixtures" / "contoh" / "2025"
ESC = "\x1b"


def tree(folder: Path) -> dict[str, str]:
    """Every file under folder with its hash: what must survive a refused command."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw" / "2025"
    shutil.copytree(CONTOH, folder)
    return folder


@pytest.fixture
def opened(monkeypatch):
    """Every file the code under test opens (pathlib and zipfile open through io.open)."""
    seen: list[Path] = []
    real = io.open

    def recording(file, *args, **kwargs):
        if isinstance(file, (str, Path)):
            seen.append(Path(file).resolve())
        return real(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", recording)
    monkeypatch.setattr(builtins, "open", recording)
    return seen


def read_under(seen: list[Path], folder: Path) -> set[str]:
    folder = folder.resolve()
    return {p.relative_to(folder).as_posix() for p in seen if p.is_relative_to(folder)}


def input_names(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in inputs.files(folder)}


# -- one definition of an input (issue 17, item 4) ------------------------------------------

def test_a_workbook_named_with_a_space_is_refused_unread(raw, opened):
    as_workbook(raw)
    (raw / BOOK).rename(raw / "lkip 2025.xlsx")
    opened.clear()
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, 2025)
    assert [str(d) for d in err.value.defects] == [
        "lkip 2025.xlsx: nama file tidak sah; file tidak dibaca, karena laporan hanya memuat "
        "file yang dapat di-hash dan ditanam di PDF; yang diharapkan: nama dari huruf ASCII, "
        "angka, '.', '_' atau '-' (tanpa spasi), diawali huruf atau angka, paling panjang 121 "
        "karakter (mis. lkip_2024.xlsx); ganti nama file"]
    assert "lkip 2025.xlsx" not in read_under(opened, raw)
    assert "lkip 2025.xlsx" not in input_names(raw)


def test_a_refused_workbook_beside_csv_files_is_named_not_read(raw, opened):
    shutil.copy(as_workbook(raw, keep_csv=True), raw / "salinan lkip.xlsx")
    (raw / BOOK).unlink()
    opened.clear()
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, 2025)
    assert [d.file for d in err.value.defects] == ["salinan lkip.xlsx"]
    read = read_under(opened, raw)  # the narrative is still checked, the tables are not
    assert "salinan lkip.xlsx" not in read and read <= input_names(raw)
    assert not any(name.endswith(".csv") for name in read)


def test_the_narrative_of_a_very_long_kode_sasaran_is_refused_by_name(raw):
    code = "S" + "1" * 119  # sasaran_<code>.md: 131 characters
    for path in raw.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?<![A-Za-z0-9])S1(?![A-Za-z0-9])", code, text),
                        encoding="utf-8")
    (raw / "narasi" / "sasaran_S1.md").rename(raw / "narasi" / f"sasaran_{code}.md")
    with pytest.raises(InputError) as err:
        clean.load_raw(raw, 2025)
    assert [str(d) for d in err.value.defects] == [
        f"narasi/sasaran_{code}.md: nama file tidak sah; file tidak dibaca, karena laporan "
        "hanya memuat file yang dapat di-hash dan ditanam di PDF; yang diharapkan: nama dari "
        "huruf ASCII, angka, '.', '_' atau '-' (tanpa spasi), diawali huruf atau angka, paling "
        "panjang 121 karakter (mis. sasaran_S1.md); kode_sasaran paling panjang 110 karakter; "
        "ganti nama file"]
    assert f"narasi/sasaran_{code}.md" not in input_names(raw)


@pytest.mark.parametrize("form", ["csv", "workbook"])
def test_every_file_read_is_hashed_and_embeddable(raw, opened, form):
    if form == "workbook":
        as_workbook(raw)
    (raw / "catatan.txt").write_text("bukan masukan", encoding="utf-8")
    opened.clear()
    clean.load_raw(raw, 2025)
    read = read_under(opened, raw)
    assert read and read <= input_names(raw)
    assert (BOOK in read) == (form == "workbook") and "narasi/penutup.md" in read
    assert all(inputs.allowed(name) for name in input_names(raw))  # verify PDF takes them back


def _digests(raw: Path) -> dict[str, str]:
    ctx = freshness.context(2025, raw, config.NOTEBOOKS)
    return {name: ctx.stage_digest(name, {}) for name in config.STAGES}


@pytest.mark.parametrize("form", ["csv", "workbook"])
def test_an_edit_to_any_file_read_reruns_the_stages_that_read_it(raw, opened, form):
    if form == "workbook":
        as_workbook(raw)
    opened.clear()
    clean.load_raw(raw, 2025)
    read = sorted(read_under(opened, raw))
    before = _digests(raw)
    for name in read:
        path = raw / name
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        after = _digests(raw)
        path.write_bytes(original)
        assert after["04_report.ipynb"] != before["04_report.ipynb"], name
        if not name.startswith("narasi/"):
            assert after["01_clean.ipynb"] != before["01_clean.ipynb"], name


def test_a_refused_name_alone_makes_every_reading_stage_run(raw):
    before = _digests(raw)
    (raw / "lkip 2025.xlsx").write_bytes(b"tidak dibaca")
    after = _digests(raw)
    assert after["01_clean.ipynb"] != before["01_clean.ipynb"]
    assert after["04_report.ipynb"] != before["04_report.ipynb"]


# -- output and data folders apart (item 5) -------------------------------------------------

def _nested(tmp_path: Path) -> dict[str, Path]:
    """`--raw o2/2025 --out o2`: the data root inside the output folder, as in the issue."""
    o2 = tmp_path / "o2"
    data = o2 / "2025"
    shutil.copytree(CONTOH, data / "2025")
    return {"raw": data, "out": o2, "processed": tmp_path / "olahan"}


def _inside(tmp_path: Path) -> dict[str, Path]:
    data = tmp_path / "raw"
    shutil.copytree(CONTOH, data / "2025")
    return {"raw": data, "out": data / "keluaran", "processed": tmp_path / "olahan"}


def _same(tmp_path: Path) -> dict[str, Path]:
    data = tmp_path / "raw"
    shutil.copytree(CONTOH, data / "2025")
    return {"raw": data, "out": data, "processed": tmp_path / "olahan"}


def _linked(tmp_path: Path) -> dict[str, Path]:
    """OUT a link that leads into RAW: apart by name, the same place once followed."""
    data = tmp_path / "raw"
    shutil.copytree(CONTOH, data / "2025")
    (tmp_path / "tautan").symlink_to(data / "2025")
    return {"raw": data, "out": tmp_path / "tautan", "processed": tmp_path / "olahan"}


def _processed_inside(tmp_path: Path) -> dict[str, Path]:
    data = tmp_path / "raw"
    shutil.copytree(CONTOH, data / "2025")
    return {"raw": data, "out": tmp_path / "keluaran", "processed": data / "olahan"}


LAYOUTS = {
    "raw-di-dalam-out": (_nested, "folder data berada di dalam folder keluaran"),
    "out-di-dalam-raw": (_inside, "folder keluaran berada di dalam folder data"),
    "sama": (_same, "folder keluaran sama dengan folder data"),
    "tautan": (_linked, "folder keluaran berada di dalam folder data"),
    "olahan-di-dalam-raw": (_processed_inside, "folder olahan berada di dalam folder data"),
}
COMMANDS = {  # the words after `python -m pipeline`, besides --raw/--out/--processed
    "report": ["report", "--year", "2025"],
    "triwulan": ["triwulan", "--year", "2025", "--tw", "I"],
    "preview": ["preview", "--year", "2025"],
    "watch": ["watch", "--year", "2025"],
    "verify": ["verify", "--year", "2025"],
}


CASES = [(command, layout) for command in sorted(COMMANDS) for layout in sorted(LAYOUTS)
         if not (command == "verify" and layout == "olahan-di-dalam-raw")]  # no --processed


@pytest.mark.parametrize(("command", "layout"), CASES)
def test_each_command_refuses_overlapping_folders_and_the_data_survives(
        tmp_path, capsys, command, layout):
    make, message = LAYOUTS[layout]
    where = make(tmp_path)
    before = tree(where["raw"])
    args = COMMANDS[command] + ["--raw", str(where["raw"]), "--out", str(where["out"])]
    if command != "verify":
        args += ["--processed", str(where["processed"])]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "tidak saling bertumpuk" in err
    assert tree(where["raw"]) == before
    assert not where["processed"].exists() or layout == "olahan-di-dalam-raw"


def test_batch_refuses_data_inside_its_output_folder(tmp_path, capsys):
    o2 = tmp_path / "o2"
    shutil.copytree(CONTOH, o2 / "kiriman" / "dinas" / "2025")
    before = tree(o2)
    assert cli.main(["batch", "--raw", str(o2 / "kiriman"), "--out", str(o2)]) == 2
    assert "folder data berada di dalam folder keluaran" in capsys.readouterr().err
    with pytest.raises(InputError, match="folder keluaran sama dengan folder data"):
        batch.discover(o2 / "kiriman", o2 / "kiriman")
    assert tree(o2) == before


def test_workbook_export_refuses_a_file_inside_the_data(raw, capsys):
    before = tree(raw.parent)
    target = raw / "lkip_2025.xlsx"
    assert cli.main(["workbook", "--year", "2025", "--raw", str(raw.parent),
                     "--out", str(target)]) == 2
    assert "file keluaran berada di dalam folder data" in capsys.readouterr().err
    assert tree(raw.parent) == before


def test_a_build_itself_refuses_data_inside_its_output_folder(tmp_path):
    """runner.build, as a notebook or a batch worker calls it, checks the same."""
    where = _nested(tmp_path)
    before = tree(where["raw"])
    with pytest.raises(InputError, match="folder data berada di dalam folder keluaran"):
        runner.build("2025", where["raw"], where["out"], where["processed"])
    assert tree(where["raw"]) == before


def test_a_linked_year_folder_leading_into_the_output_is_refused(tmp_path):
    out = tmp_path / "keluaran"
    shutil.copytree(CONTOH, out / "simpan")
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "2025").symlink_to(out / "simpan")
    before = tree(out)
    with pytest.raises(InputError, match="folder data berada di dalam folder keluaran"):
        runner.build("2025", tmp_path / "raw", out, tmp_path / "olahan")
    assert tree(out) == before


# -- narrative links (item 6) ---------------------------------------------------------------

def test_narrative_keeps_only_web_and_mail_links():
    html = narrative.markdown(LINKS)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert set(hrefs) == KEPT_URIS
    for target in REFUSED_TARGETS:
        assert f"[tautan tidak dibuat: {target}]" in html
    assert "berbagi <span class=\"tautan-ditolak\">" in html  # the link text stays
    assert "ftp://contoh.invalid/y <span" in html


@pytest.mark.parametrize("href", ["javascript:alert(1)", "http:/etc/passwd", "https://",
                                  "mailto:", "data:text/html,x", "http://[::1", "#bab-1"])
def test_odd_targets_are_not_links(href):
    assert not narrative.kept_link(href)


def _uris(pdf: Path) -> list[str]:
    found = []
    for page in PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get_object().get("/S") == "/URI":
                found.append(str(action.get_object()["/URI"]))
    return found


def _machine_paths(data: bytes) -> list[str]:
    """Absolute paths of this machine that a report could carry."""
    places = {str(ROOT), str(Path.home()), "/tmp/", str(config.NOTEBOOKS),
              str(Path(__file__).resolve().parent.parent / "pipeline")}
    return [p for p in places if p.encode() in data]


def _pdf_bytes(pdf: Path) -> bytes:
    """Every object of the PDF, streams decoded, and its attachments."""
    reader = PdfReader(pdf)
    parts = []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: BLE001 - a free object number
            continue
        if obj is None:
            continue
        parts.append(obj.get_data() if hasattr(obj, "get_data") else repr(obj).encode())
    parts += [data for contents in reader.attachments.values() for data in contents]
    return b"\n".join(parts)


def test_pdf_links_lead_only_to_web_and_mail_and_name_no_machine_path(hostile_built):
    """The links of every kind in its closing chapter (hostile_cases.LINKS), as published
    (conftest: hostile_built)."""
    html = (hostile_built.folder / "LKIP_2025.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="((?!#)[^"]*)"', html)) >= KEPT_URIS
    assert [h for h in re.findall(r'href="((?!#)[^"]*)"', html)
            if h not in KEPT_URIS and not h.startswith("../2025-TW")] == []
    pdf = hostile_built.folder / "LKIP_2025.pdf"
    assert sorted(_uris(pdf)) == sorted(KEPT_URIS)
    assert _machine_paths(_pdf_bytes(pdf)) == []
    assert _machine_paths(html.encode()) == []


@pytest.mark.e2e
def test_a_built_report_names_no_machine_path_anywhere(hostile_built, tmp_path):
    base, folder = hostile_built.base, hostile_built.folder
    pdf = folder / "LKIP_2025.pdf"
    assert sorted(_uris(pdf)) == sorted(KEPT_URIS)
    assert _machine_paths(_pdf_bytes(pdf)) == []
    assert "data/narasi/penutup.md" in PdfReader(pdf).attachments
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix != ".pdf":
            assert _machine_paths(path.read_bytes()) == [], path
    # an input the reading would refuse: the build runs, and says why, not "nothing changed"
    copy = copy_build(base, tmp_path / "salinan")
    raw = copy / "raw" / "2025"
    shutil.copy(raw / "iku.csv", raw / "lkip 2025.xlsx")
    with pytest.raises(InputError, match="lkip 2025.xlsx: nama file tidak sah"):
        runner.build("2025", raw.parent, copy / "outputs", copy / "processed", copy / "notebooks")
    assert (copy / "outputs" / "2025" / "LKIP_2025.pdf").read_bytes() == pdf.read_bytes()


# -- terminal escapes (item 7) --------------------------------------------------------------

def test_control_characters_are_printed_escaped():
    assert printable("a\x1b[31mb\x9b\u202ec\rd") == "a\\x1b[31mb\\x9b\\u202ec\\rd"
    assert printable("satu\ndua\x07", keep="\n") == "satu\ndua\\x07"
    defect = Defect(f"lkip{ESC}]0;judul\a.xlsx, sheet {ESC}[2J", "sheet kosong",
                    column=f"{ESC}[31mmerah", line=1)
    assert ESC not in str(defect) and "\a" not in str(defect)
    assert "\\x1b[2J" in str(defect)


def test_a_header_with_a_terminal_escape_reaches_the_terminal_escaped(raw, tmp_path, capsys):
    path = raw / "sasaran.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += f",{ESC}[31mmerah"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli.main(["preview", "--year", "2025", "--raw", str(raw.parent),
                     "--out", str(tmp_path / "out"),
                     "--processed", str(tmp_path / "olahan")]) == 2
    err = capsys.readouterr().err
    assert ESC not in err
    assert "sasaran.csv, baris 1, kolom '\\x1b[31mmerah': kolom tidak dikenal" in err


def test_a_workbook_and_sheet_name_with_escapes_reach_the_terminal_escaped(raw, capsys):
    from openpyxl import load_workbook

    path = as_workbook(raw)
    book = load_workbook(path)
    book.create_sheet("catatan\x9b5m")  # a C1 CSI: ESC itself cannot be written in XML 1.0
    book.save(path)
    clean.load_raw(raw, 2025)
    err = capsys.readouterr().err
    assert "\x9b" not in err and "catatan\\x9b5m" in err
    path.rename(raw / f"lkip{ESC}[31m.xlsx")
    with pytest.raises(InputError) as info:
        clean.load_raw(raw, 2025)
    assert ESC not in str(info.value)
    assert "lkip\\x1b[31m.xlsx: nama file tidak sah" in str(info.value)


def test_batch_failure_lines_carry_no_escape():
    message = batch.failure_message(RuntimeError(f"kolom {ESC}[31mmerah\ntidak dikenal"))
    assert ESC not in message and "\\x1b[31mmerah" in message
    assert message.count("\n") == 1
