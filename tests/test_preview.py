"""`make preview` and `make watch`: the full build's HTML, in seconds, without the PDF."""

import shutil
import threading

import pytest

from pipeline.errors import InputError
from pipeline.run import preview

from .conftest import build_html, copy_build

YEAR = 2025
BANNER_START = '\n<p class="pratinjau" role="status">'


def _without_banner(html: str) -> str:
    start = html.index(BANNER_START)
    end = html.index("</p>", start) + len("</p>")
    return html[:start] + html[end:]


def _tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(minimal_built, tmp_path_factory):
    """A copy of the session's build of the minimal fixture (conftest: minimal_built)."""
    base = copy_build(minimal_built.base, tmp_path_factory.mktemp("pratinjau") / "salinan")
    return base, base / "outputs" / str(YEAR)


@pytest.fixture
def base(built):
    """The built copy, put back after a test edits its data."""
    root, folder = built
    saved, published = _tree(root / "raw"), _tree(folder)
    yield root
    shutil.rmtree(root / "raw")
    for rel, data in saved.items():
        (root / "raw" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "raw" / rel).write_bytes(data)
    assert _tree(folder) == published  # a preview never touches the published report


def _preview(root):
    return preview.build(YEAR, root / "raw", root / "outputs", root / "processed")


def test_the_preview_is_the_full_builds_html_with_a_banner(base, built):
    result = _preview(base)
    assert result.html == base / "outputs" / f"{YEAR}-pratinjau" / f"LKIP_{YEAR}.html"
    assert result.reused  # data, tables, findings and charts of the last build
    assert not (result.html.parent / "figures").exists()  # no chart drawn again
    shown = result.html.read_text(encoding="utf-8")
    assert "Pratinjau, belum laporan final" in shown
    published = (built[1] / f"LKIP_{YEAR}.html").read_text(encoding="utf-8")
    assert _without_banner(shown) == published
    assert ".pdf" not in "".join(p.name for p in result.html.parent.iterdir())


def test_an_edited_sentence_shows_at_once(base):
    path = base / "raw" / str(YEAR) / "narasi" / "penutup.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nKalimat yang baru ditulis.\n",
                    encoding="utf-8")
    result = _preview(base)
    assert result.reused
    assert "Kalimat yang baru ditulis." in result.html.read_text(encoding="utf-8")


def test_edited_data_is_recomputed_privately(base, tmp_path):
    path = base / "raw" / str(YEAR) / "target_pk.csv"
    text = path.read_text(encoding="utf-8")
    assert "75,00%" in text
    path.write_text(text.replace("75,00%", "80,00%"), encoding="utf-8")
    result = _preview(base)
    assert not result.reused
    expected, *_ = build_html(base / "raw" / str(YEAR), YEAR, tmp_path)
    assert _without_banner(result.html.read_text(encoding="utf-8")) == expected
    assert "80,00%" in expected


def test_bad_data_is_a_clear_error(base):
    path = base / "raw" / str(YEAR) / "target_pk.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("75,00%", "tujuh puluh"),
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"target_pk\.csv, baris 2, kolom 'target'"):
        _preview(base)


def test_watch_rebuilds_the_preview_when_a_file_is_saved(base):
    said, stop = [], threading.Event()
    first, second = threading.Event(), threading.Event()

    def report(text):
        said.append(text)
        if text.startswith("Pratinjau HTML ditulis"):
            (second if first.is_set() else first).set()

    watcher = threading.Thread(target=preview.watch, daemon=True, kwargs=dict(
        year=YEAR, raw_root=base / "raw", out_root=base / "outputs",
        processed_root=base / "processed", report=report, stop_event=stop))
    watcher.start()
    assert first.wait(60)
    path = base / "raw" / str(YEAR) / "narasi" / "penutup.md"
    path.write_text("Paragraf penutup yang disunting.\n", encoding="utf-8")
    assert second.wait(60), said
    stop.set()
    watcher.join(10)
    assert any(line.startswith("Memantau ") for line in said)
    html = (base / "outputs" / f"{YEAR}-pratinjau" / f"LKIP_{YEAR}.html").read_text(
        encoding="utf-8")
    assert "Paragraf penutup yang disunting." in html
