"""A received PDF is bounded before its attachments are decoded: a zip bomb of zeros, a lying
/Params /Size, a deep or cyclic name tree, a huge file, a malformed manifest or ledger each
give one Indonesian sentence naming the PDF, and nothing is written outside a temp folder.

The memory attacks run `python -m pipeline verify` in a child process whose address space is
capped at what importing pipeline.run.verify took plus BUDGET, with a timeout as a hang guard."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.compute import ledger
from pipeline.read import embedded, inputs
from pipeline.run import manifest, verify

from .conftest import ROOT

MB = 1024 * 1024
BUDGET = 512 * MB  # the issue's goal: a refused file costs well under ~500 MB
HANG_GUARD = 120  # seconds; a refusal takes about one
BOMB_NAMES = [f"data/narasi/nol{i:02}.md" for i in range(40)]
LEDGER_HEADER = ",".join(ledger.COLUMNS) + "\n"
GOOD_BASE = {"tahun": 2025, "masukan": {}}

LINUX = pytest.mark.skipif(not Path("/proc/self/status").is_file(),
                           reason="the memory cap reads /proc/self/status")


def zeros_flate(size: int) -> bytes:
    """size zero bytes, compressed: about a thousandth of size, stored."""
    packer, chunk = zlib.compressobj(9), bytes(MB)
    parts = [packer.compress(chunk) for _ in range(size // MB)]
    return b"".join(parts) + packer.flush()


def stream(stored: bytes, filters: tuple[str, ...] = ("/FlateDecode",), size: int | None = None,
           parms: dict | None = None) -> dict:
    """An embedded file's stream: the bytes as stored, its filters and its claimed size."""
    return {"stored": stored, "filters": filters, "size": size, "parms": parms}


def plain(data: bytes) -> dict:
    return stream(data, filters=())


def own_files(base=GOOD_BASE, ledger_text: str = LEDGER_HEADER) -> list[tuple[str, dict]]:
    """The manifest and ledger every build embeds, so that a PDF passes the name checks."""
    text = base if isinstance(base, str) else json.dumps(base)
    return [(manifest.BASE_NAME, plain(text.encode("utf-8"))),
            (ledger.NAME, plain(ledger_text.encode("utf-8")))]


def _stream_object(writer, spec: dict):
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
    )

    obj = DecodedStreamObject()
    obj.set_data(spec["stored"])  # written as is: the filters below say how it decodes
    obj[NameObject("/Type")] = NameObject("/EmbeddedFile")
    filters = [NameObject(f) for f in spec["filters"]]
    if filters:
        obj[NameObject("/Filter")] = filters[0] if len(filters) == 1 else ArrayObject(filters)
    if spec["size"] is not None:
        obj[NameObject("/Params")] = DictionaryObject(
            {NameObject("/Size"): NumberObject(spec["size"])})
    if spec["parms"] is not None:
        obj[NameObject("/DecodeParms")] = DictionaryObject(
            {NameObject(k): NumberObject(v) for k, v in spec["parms"].items()})
    return writer._add_object(obj)


def _names_array(writer, files: list[tuple[str, dict]]):
    """[name, filespec, ...] as WeasyPrint writes it; a stream shared by identity is written
    once."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    streams, array = {}, ArrayObject()
    for name, spec in files:
        if id(spec) not in streams:
            streams[id(spec)] = _stream_object(writer, spec)
        filespec = DictionaryObject({
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject(name), NameObject("/UF"): TextStringObject(name),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): streams[id(spec)]})})
        array += [TextStringObject(name), writer._add_object(filespec)]
    return array


def flat(writer, array):
    from pypdf.generic import DictionaryObject, NameObject

    return writer._add_object(DictionaryObject({NameObject("/Names"): array}))


def deep(levels: int):
    """A name tree levels deep: each node's only kid is the next, the names at the bottom."""
    def shape(writer, array):
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject

        node = flat(writer, array)
        for _ in range(levels - 1):
            node = writer._add_object(DictionaryObject({NameObject("/Kids"): ArrayObject([node])}))
        return node
    return shape


def cyclic(writer, array):
    """A name tree whose node is its own kid."""
    from pypdf.generic import ArrayObject, NameObject

    node = flat(writer, array)
    node.get_object()[NameObject("/Kids")] = ArrayObject([node])
    return node


def pdf(folder: Path, files: list[tuple[str, dict]], shape=flat, name="kiriman.pdf") -> Path:
    """A one-page PDF embedding files through the EmbeddedFiles name tree shape makes."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    tree = shape(writer, _names_array(writer, files))
    writer.root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/EmbeddedFiles"): tree})
    path = Path(folder) / name
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


# -- a child process with a memory cap ------------------------------------------------------
CHILD = """
import re, resource, sys
from pipeline import cli
from pipeline.run import verify

def address_space():
    status = open("/proc/self/status").read()
    return int(re.search(r"VmSize:\\s+(\\d+)", status)[1]) * 1024

cap = address_space() + int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
if sys.argv[2] == "published":
    from pathlib import Path
    into = Path(sys.argv[4])
    print(verify._published_inputs(Path(sys.argv[3]), 2024, {}, into))
    sys.exit(0)
sys.exit(cli.main(sys.argv[2:]))
"""


def capped(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """The child run with its address space capped at its imports plus BUDGET, its temporary
    files in tmp_path/tmp and its working folder tmp_path/kerja."""
    for folder in ("tmp", "kerja"):
        (tmp_path / folder).mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", CHILD, str(BUDGET), *args],
                          cwd=tmp_path / "kerja", env=env, capture_output=True, text=True,
                          timeout=HANG_GUARD)


def tree_of(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def verify_capped(tmp_path: Path, path: Path) -> subprocess.CompletedProcess:
    """`make verify PDF=path` under the cap; nothing may be written anywhere in tmp_path."""
    before = tree_of(tmp_path) + ["kerja", "tmp"]
    done = capped(tmp_path, "verify", "--pdf", str(path), "--out", str(tmp_path / "keluaran"))
    assert sorted(set(tree_of(tmp_path))) == sorted(set(before)), done.stderr
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "MemoryError" not in done.stderr and "Kesalahan" not in done.stderr, done.stderr
    return done


REFUSED = "kiriman.pdf: ditolak, bukan data yang ditanam laporan ini: "


# -- attachments that inflate --------------------------------------------------------------
@LINUX
def test_forty_zero_bombs_past_the_file_limit_are_refused_while_decoding(tmp_path):
    """Each claims 1.000 bytes and inflates to 64 MB: the first is refused at 50 MB + 1."""
    bomb = zeros_flate(64 * MB)
    path = pdf(tmp_path, own_files() + [(n, stream(bomb, size=1000)) for n in BOMB_NAMES])
    done = verify_capped(tmp_path, path)
    assert done.stdout.splitlines() == [
        REFUSED + "lampiran terlalu besar: 'data/narasi/nol00.md' (lebih dari 50 MB setelah "
        "dibuka); yang diharapkan: paling besar 50 MB per lampiran"]


@LINUX
def test_zero_bombs_within_the_file_limit_are_refused_by_the_total(tmp_path):
    """Forty of 30 MB, each within the file limit, claiming 10 bytes: the fourth passes the
    100 MB total while being decoded, never after."""
    bomb = zeros_flate(30 * MB)
    path = pdf(tmp_path, own_files() + [(n, stream(bomb, size=10)) for n in BOMB_NAMES])
    done = verify_capped(tmp_path, path)
    assert done.stdout.splitlines() == [
        REFUSED + "lampiran terlalu besar seluruhnya (lebih dari 100 MB setelah dibuka); yang "
        "diharapkan: paling besar 100 MB seluruhnya"]


@LINUX
def test_the_issues_small_pdf_of_twice_compressed_zeros_is_refused_by_its_filters(tmp_path):
    """Forty streams of zeros compressed twice: a PDF of a few KB that pypdf inflated to
    75 MB each (3 GB). A build compresses once; the chain is refused, nothing inflated."""
    twice = stream(zlib.compress(zeros_flate(75 * MB), 9),
                   filters=("/FlateDecode", "/FlateDecode"), size=10)
    path = pdf(tmp_path, own_files() + [(n, twice) for n in BOMB_NAMES])
    assert path.stat().st_size < 40 * 1024
    done = verify_capped(tmp_path, path)
    assert done.stdout.splitlines() == [
        REFUSED + "filter lampiran tidak didukung ('/FlateDecode /FlateDecode'); yang "
        "diharapkan: /FlateDecode sekali, atau tanpa filter"]


@LINUX
def test_published_inputs_refuse_a_bomb_in_the_published_pdf(tmp_path):
    """`make verify PUBLISHED=` reads the published PDF's data the same bounded way: the old
    inputs are then unavailable, and nothing is written."""
    published = tmp_path / "terbit"
    published.mkdir()
    bomb = zeros_flate(64 * MB)
    pdf(published, own_files() + [(n, stream(bomb, size=1000)) for n in BOMB_NAMES],
        name="LKIP_2024.pdf")
    before = tree_of(tmp_path) + ["kerja", "tmp"]
    done = capped(tmp_path, "published", str(published), str(tmp_path / "lama"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "None"
    assert sorted(set(tree_of(tmp_path))) == sorted(set(before))


def test_a_claimed_size_past_the_file_limit_is_refused_before_decoding(tmp_path):
    """The stream is not even zlib: the refusal comes from /Params /Size alone."""
    path = pdf(tmp_path, own_files() + [("data/iku.csv", stream(b"bukan zlib", size=60 * MB))])
    result = verify.from_pdf(path)
    assert result.lines == [REFUSED + "lampiran terlalu besar: 'data/iku.csv' (62.914.560 byte "
                            "menurut PDF); yang diharapkan: paling besar 50 MB per lampiran"]


def test_claimed_sizes_past_the_total_are_refused_before_decoding(tmp_path):
    """Four claiming 30 MB each (none decodes), and the 66 bytes of the manifest and ledger."""
    files = [(f"data/narasi/n{i}.md", stream(b"bukan zlib", size=30 * MB)) for i in range(4)]
    result = verify.from_pdf(pdf(tmp_path, own_files() + files))
    assert result.lines == [REFUSED + "lampiran terlalu besar seluruhnya (125.829.186 byte "
                            "menurut PDF); yang diharapkan: paling besar 100 MB seluruhnya"]


def test_a_file_stored_uncompressed_is_measured_as_stored(tmp_path):
    """No /Params /Size: the stored bytes are the file, and they are past the limit."""
    path = pdf(tmp_path, own_files() + [("data/iku.csv", plain(bytes(inputs.MAX_FILE + 1)))])
    result = verify.from_pdf(path)
    assert result.lines == [REFUSED + "lampiran terlalu besar: 'data/iku.csv' (52.428.801 byte "
                            "menurut PDF); yang diharapkan: paling besar 50 MB per lampiran"]


def test_a_corrupt_stream_is_named(tmp_path):
    path = pdf(tmp_path, own_files() + [("data/iku.csv", stream(b"bukan zlib", size=10))])
    result = verify.from_pdf(path)
    assert result.lines[0].startswith(REFUSED + "lampiran 'data/iku.csv' rusak: aliran "
                                      "FlateDecode tidak dapat dibuka (Error -3")


def test_a_truncated_stream_is_named(tmp_path):
    cut = zlib.compress(b"kode_iku,nama\n" * 100)[:-8]
    result = verify.from_pdf(pdf(tmp_path, own_files() + [("data/iku.csv", stream(cut))]))
    assert result.lines == [REFUSED + "lampiran 'data/iku.csv' rusak: aliran FlateDecode "
                            "terpotong"]


@pytest.mark.parametrize("spec, shown", [
    (stream(b"x", filters=("/LZWDecode",)), "/LZWDecode"),
    (stream(b"x", filters=("/ASCIIHexDecode", "/FlateDecode")), "/ASCIIHexDecode /FlateDecode"),
    (stream(zlib.compress(b"x"), parms={"/Predictor": 12, "/Columns": 1}),
     "/FlateDecode dengan /DecodeParms"),
])
def test_a_filter_a_build_never_writes_is_refused(tmp_path, spec, shown):
    result = verify.from_pdf(pdf(tmp_path, own_files() + [("data/iku.csv", spec)]))
    assert result.lines == [REFUSED + f"filter lampiran tidak didukung ({shown!r}); yang "
                            "diharapkan: /FlateDecode sekali, atau tanpa filter"]


# -- the name tree ---------------------------------------------------------------------------
def test_more_names_than_files_allowed_are_refused_while_walking(tmp_path):
    one = plain(b"x")  # shared: a name costs a few bytes of PDF
    files = own_files() + [(f"data/narasi/n{i}.md", one) for i in range(inputs.MAX_FILES)]
    result = verify.from_pdf(pdf(tmp_path, files))
    assert result.lines == [REFUSED + "terlalu banyak lampiran (lebih dari 200)"]


def test_a_deep_name_tree_is_refused(tmp_path):
    path = pdf(tmp_path, own_files(), shape=deep(2000))
    result = verify.from_pdf(path)
    assert result.lines == [REFUSED + "pohon nama lampiran terlalu dalam; yang diharapkan: "
                            "paling dalam 8 tingkat, paling banyak 64 simpul"]


def test_a_name_tree_as_deep_as_allowed_is_read(tmp_path):
    entries = embedded.listing(pdf(tmp_path, own_files(), shape=deep(embedded.MAX_TREE_DEPTH)))
    assert [e.name for e in entries] == [manifest.BASE_NAME, ledger.NAME]


def test_a_cyclic_name_tree_is_refused(tmp_path):
    result = verify.from_pdf(pdf(tmp_path, own_files(), shape=cyclic))
    assert result.lines == [REFUSED + "pohon nama lampiran memuat simpul yang sama dua kali "
                            "(berulang)"]


def test_a_name_twice_is_refused(tmp_path):
    files = own_files() + [("data/iku.csv", plain(b"a")), ("data/iku.csv", plain(b"b"))]
    result = verify.from_pdf(pdf(tmp_path, files))
    assert result.lines == [REFUSED + "lampiran ganda: 'data/iku.csv'"]


# -- the file itself ---------------------------------------------------------------------------
def test_a_pdf_past_its_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "besar.pdf"
    with open(path, "wb") as handle:  # sparse: no disk used
        handle.write(b"%PDF-1.7\n")
        handle.truncate(embedded.MAX_PDF + 1)
    result = verify.from_pdf(path)
    assert result.lines == ["besar.pdf: tidak dapat dibaca sebagai PDF (PDF terlalu besar "
                            "(125.829.121 byte); yang diharapkan: paling besar 120 MB)"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipa.pdf")
    result = verify.from_pdf(tmp_path / "pipa.pdf")
    assert result.lines == ["pipa.pdf: tidak dapat dibaca sebagai PDF (bukan file biasa)"]


def test_a_symlink_is_refused(tmp_path):
    real = pdf(tmp_path, own_files())
    (tmp_path / "tautan.pdf").symlink_to(real)
    result = verify.from_pdf(tmp_path / "tautan.pdf")
    assert result.lines == ["tautan.pdf: tidak dapat dibaca sebagai PDF (bukan file biasa)"]


# -- what pypdf would parse unbounded -----------------------------------------------------
def object_stream_pdf(folder: Path, catalog: bytes, others: list[bytes] = (),
                      count: int | None = None) -> Path:
    """A PDF whose catalog (object 2) sits in a compressed object stream (object 1) beside
    others, as WeasyPrint stores its dictionaries, found through a cross-reference stream;
    count: the /N the stream claims."""
    import struct

    bodies = [catalog, *others]
    header, offset = [], 0
    for number, body in enumerate(bodies, 2):
        header.append(b"%d %d " % (number, offset))
        offset += len(body) + 1
    first = len(b"".join(header))
    packed = zlib.compress(b"".join(header) + b" ".join(bodies) + b" ", 9)
    out = bytearray(b"%PDF-1.7\n")
    at_stream = len(out)
    out += (b"1 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
            b"stream\n" % (count or len(bodies), first, len(packed)) + packed
            + b"\nendstream\nendobj\n")
    at_xref, xref = len(out), len(bodies) + 2
    rows = zlib.compress(struct.pack(">BIH", 0, 0, 65535) + struct.pack(">BIH", 1, at_stream, 0)
                         + struct.pack(">BIH", 2, 1, 0) + struct.pack(">BIH", 1, at_xref, 0))
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /Index [0 3 %d 1] /W [1 4 2] /Root 2 0 R "
            b"/Filter /FlateDecode /Length %d >>\nstream\n" % (xref, xref + 1, xref, len(rows))
            + rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % at_xref)
    path = Path(folder) / "kiriman.pdf"
    path.write_bytes(bytes(out))
    return path


UNREADABLE = "kiriman.pdf: tidak dapat dibaca sebagai PDF "


@LINUX
def test_an_object_stream_of_zeros_is_not_parsed_whole(tmp_path):
    """75 MB of arrays of zeros beside the catalog, in a PDF of about 80 KB: pypdf 7.1 parses
    every object of the stream at the first request (minutes); only the catalog is read."""
    zeros = b"[" + b"0 " * 99_000 + b"]"
    path = object_stream_pdf(tmp_path, b"<< /Type /Catalog >>", [zeros] * 375)
    assert path.stat().st_size < 200 * 1024
    done = verify_capped(tmp_path, path)
    assert done.stdout.splitlines() == [
        "kiriman.pdf: tidak memuat data tertanam (manifest-masukan.json, ledger.csv)"]


def test_compressed_objects_past_the_parse_budget_are_refused(tmp_path):
    catalog = b"<< /Type /Catalog /Lang (" + b"id" * (embedded.MAX_PARSED // 2) + b") >>"
    result = verify.from_pdf(object_stream_pdf(tmp_path, catalog))
    assert result.lines == [UNREADABLE + "(objek terkompresi yang harus dibaca lebih dari 4 MB)"]


def test_an_object_stream_claiming_too_many_objects_is_refused_before_decoding(tmp_path):
    path = object_stream_pdf(tmp_path, b"<< /Type /Catalog >>", count=embedded.MAX_OBJECTS + 1)
    result = verify.from_pdf(path)
    assert result.lines == [UNREADABLE + "(aliran objek mendaftar lebih dari 500.000 objek; yang "
                            "diharapkan: paling banyak 500.000)"]


def test_a_cross_reference_table_listing_too_many_objects_is_refused_before_parsing(tmp_path):
    """pypdf accepts one entry per 20 bytes of file: a 110 MB PDF listing 5,5 million objects
    took 1 GB and 40 s. Here 500.001 are listed, in 10 MB."""
    count = embedded.MAX_OBJECTS + 1
    head = (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
    table = (b"xref\n0 %d\n0000000000 65535 f \n" % count
             + b"0000000009 00000 n \n" * (count - 1))
    path = tmp_path / "kiriman.pdf"
    path.write_bytes(head + table + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n"
                     b"%%%%EOF\n" % (count, len(head)))
    result = verify.from_pdf(path)
    assert result.lines == [UNREADABLE + "(PDF mendaftar lebih dari 500.000 objek; yang "
                            "diharapkan: paling banyak 500.000)"]


def test_a_broken_cross_reference_table_is_not_repaired(tmp_path, capsys):
    """pypdf would index every `n 0 obj` of the file, and warn "Rebuilding it"; a build writes
    an intact table."""
    path = pdf(tmp_path, own_files())
    data = path.read_bytes()
    at = data.rindex(b"xref\n0 ") + len(b"xref\n0 ")
    path.write_bytes(data[:at] + b"/" + data[at + 1:])
    result = verify.from_pdf(path)
    assert result.lines == [UNREADABLE + "(tabel rujukan silang (xref) rusak)"]
    assert capsys.readouterr().err == ""


def test_an_encrypted_pdf_is_refused(tmp_path):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(pdf(tmp_path, own_files())))
    writer.encrypt("")
    with open(tmp_path / "kiriman.pdf", "wb") as handle:
        writer.write(handle)
    result = verify.from_pdf(tmp_path / "kiriman.pdf")
    assert result.lines == [UNREADABLE + "(PDF terenkripsi)"]


def test_a_name_list_past_the_element_limit_is_refused_while_parsed(tmp_path):
    one = plain(b"x")
    files = own_files() + [(f"data/narasi/n{i}.md", one) for i in range(embedded.MAX_ELEMENTS)]
    result = verify.from_pdf(pdf(tmp_path, files))
    assert result.lines == [UNREADABLE + "(melampaui batas pembacaan: Reached maximum array "
                            "element count.)"]


# -- a malformed manifest or ledger in an otherwise valid PDF --------------------------------
MANIFEST = "kiriman.pdf, lampiran manifest-masukan.json: manifest tertanam tidak sah: "
BASE_EXPECTED = ('; yang diharapkan: objek JSON dengan "tahun" (empat angka), "masukan" (nama '
                 'file -> sha256) dan "parameter" (boleh dengan "triwulan" I-IV), seperti yang '
                 'ditanam sebuah bangun')


def test_a_deeply_nested_manifest_is_refused_without_recursion(tmp_path):
    nested = "[" * 100_000 + "]" * 100_000
    result = verify.from_pdf(pdf(tmp_path, own_files(base=nested)))
    assert result.lines == [MANIFEST + "bersarang lebih dari 32 tingkat" + BASE_EXPECTED]


def test_a_manifest_that_is_not_json_is_refused(tmp_path):
    result = verify.from_pdf(pdf(tmp_path, own_files(base='{"tahun": 2025,')))
    assert result.lines == [MANIFEST + "bukan JSON yang sah (Expecting property name enclosed "
                            "in double quotes: line 1 column 16 (char 15))" + BASE_EXPECTED]


def test_a_manifest_that_is_not_utf8_is_refused(tmp_path):
    files = [(manifest.BASE_NAME, plain(b'{"tahun": "\xff"}'))] + own_files()[1:]
    result = verify.from_pdf(pdf(tmp_path, files))
    assert result.lines == [MANIFEST + "bukan teks UTF-8 (byte ke-11)" + BASE_EXPECTED]


@pytest.mark.parametrize("base, problem, value", [
    ([2025], "bukan objek JSON", "[2025]"),
    ({"tahun": "2025", "masukan": {}}, '"tahun" bukan tahun empat angka', '"2025"'),
    ({"masukan": {}}, '"tahun" bukan tahun empat angka', "null"),
    ({"tahun": True, "masukan": {}}, '"tahun" bukan tahun empat angka', "true"),
    ({"tahun": 12025, "masukan": {}}, '"tahun" bukan tahun empat angka', "12025"),
    ({"tahun": 2025, "masukan": ["iku.csv"]}, '"masukan" bukan daftar nama file dan sha256',
     '["iku.csv"]'),
    ({"tahun": 2025, "masukan": {"iku.csv": 1}}, '"masukan" bukan daftar nama file dan sha256',
     '{"iku.csv": 1}'),
    ({"tahun": 2025, "masukan": {}, "parameter": "x"}, '"parameter" bukan objek', '"x"'),
    ({"tahun": 2025, "masukan": {}, "parameter": {"triwulan": ["I"]}},
     '"parameter.triwulan" bukan triwulan I-IV', '["I"]'),
])
def test_a_manifest_of_the_wrong_shape_is_named(tmp_path, base, problem, value):
    result = verify.from_pdf(pdf(tmp_path, own_files(base=base)))
    assert result.lines == [MANIFEST + f"{problem} (nilai: {value!r})" + BASE_EXPECTED]


LEDGER = "kiriman.pdf, lampiran ledger.csv"
LEDGER_EXPECTED = "; yang diharapkan: CSV UTF-8 dengan kolom " + ", ".join(ledger.COLUMNS)


@pytest.mark.parametrize("text, line", [
    ("", LEDGER + ": kolom ledger tertanam tidak sah (nilai: 'null')" + LEDGER_EXPECTED),
    ("key,value\nk,1\n", LEDGER + ": kolom ledger tertanam tidak sah "
     """(nilai: '["key", "value"]')""" + LEDGER_EXPECTED),
    (LEDGER_HEADER + "k,l,1,u,f,i\nk,l,1,u,f,i,lebih\n",
     LEDGER + ", baris 3: baris berisi 7 kolom; yang diharapkan: 6 kolom seperti judulnya"),
    (LEDGER_HEADER + "k,l,1\n",
     LEDGER + ", baris 2: baris berisi 3 kolom; yang diharapkan: 6 kolom seperti judulnya"),
    (LEDGER_HEADER + "k,l,1,u,f,i\nk2,l,abc,u,f,i\n",
     LEDGER + ", baris 3, kolom 'value': nilai ledger bukan angka (nilai: 'abc'); yang "
     "diharapkan: angka desimal"),
    (LEDGER_HEADER + "k,l,NaN,u,f,i\n", LEDGER + ", baris 2, kolom 'value': nilai ledger bukan "
     "angka (nilai: 'NaN'); yang diharapkan: angka desimal"),
    (LEDGER_HEADER + 'k,"l\n2",x,u,f,i\n', LEDGER + ", baris 3, kolom 'value': nilai ledger "
     "bukan angka (nilai: 'x'); yang diharapkan: angka desimal"),
    (LEDGER_HEADER + 'k,"tanpa akhir,1,u,f,i\n', LEDGER + ": ledger tertanam tidak terbaca "
     "(unexpected end of data)" + LEDGER_EXPECTED),
])
def test_a_malformed_ledger_is_named(tmp_path, text, line):
    result = verify.from_pdf(pdf(tmp_path, own_files(ledger_text=text)))
    assert result.lines == [line]


def test_a_ledger_that_is_not_utf8_is_named(tmp_path):
    files = own_files()[:1] + [(ledger.NAME, plain(LEDGER_HEADER.encode() + b"k,l,\xff,u,f,i\n"))]
    result = verify.from_pdf(pdf(tmp_path, files))
    assert result.lines == [LEDGER + ": ledger tertanam bukan teks UTF-8 (byte ke-40)"
                            + LEDGER_EXPECTED]


def test_a_deeply_nested_findings_file_is_not_compared(tmp_path):
    nested = ("[" * 100_000 + "]" * 100_000).encode()
    assert verify._embedded_findings({"findings.json": nested}, tmp_path) is None
    assert not (tmp_path / "findings.json").exists()


def test_the_command_prints_the_sentence_and_exits_1(tmp_path, capsys):
    """No `Kesalahan: RecursionError`: the sentence, on the terminal, with exit code 1."""
    path = pdf(tmp_path, own_files(base="[" * 100_000 + "]" * 100_000))
    code = cli.main(["verify", "--pdf", str(path), "--out", str(tmp_path / "keluaran")])
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")
    assert out == MANIFEST + "bersarang lebih dari 32 tingkat" + BASE_EXPECTED + "\n"


# -- the depth guard ----------------------------------------------------------------------------
@pytest.mark.parametrize("text, within", [
    ('{"a": [1, {"b": 2}]}', True),
    ('"[[[[[[" ', True),  # brackets inside a string do not nest
    ('["\\"[[[[", {"x": "\\\\"}]', True),  # nor after an escaped quote or backslash
    ("[" * 33 + "]" * 33, False),
    ("[" * 32 + "]" * 32, True),
])
def test_json_depth_is_counted_outside_strings(text, within):
    assert embedded.json_depth_within(text) is within


# --- the published folder of `make verify PUBLISHED=`: its files are read bounded as well ---

GOOD_PUBLISHED = {"tahun": 2024, "masukan": {}, "keluaran": {}, "olahan": {}, "notebook": {},
                  "kode": {"git_commit": "abc"}, "lingkungan": {"paket": {}, "pustaka": {}}}


@pytest.fixture
def published(tmp_path):
    folder = tmp_path / "terbit"
    folder.mkdir()
    (folder / manifest.NAME).write_text(json.dumps(GOOD_PUBLISHED), encoding="utf-8")
    (folder / ledger.NAME).write_text(LEDGER_HEADER, encoding="utf-8")
    return folder


def _rebuild_refusal(tmp_path, folder) -> list[str]:
    """What rebuild says of a published folder it refuses, before any build runs."""
    report = verify.rebuild("2024", tmp_path / "raw", tmp_path / "out", folder)
    assert not report.ok
    assert not (tmp_path / "out").exists()
    return report.lines


def test_a_published_ledger_that_is_a_link_is_refused(tmp_path, published):
    secret = tmp_path / "rahasia.csv"
    secret.write_text(LEDGER_HEADER, encoding="utf-8")
    (published / ledger.NAME).unlink()
    (published / ledger.NAME).symlink_to(secret)
    assert _rebuild_refusal(tmp_path, published) == [
        f"{published / ledger.NAME}: tidak dapat dibaca sebagai file biasa (tautan atau tanpa "
        "izin: Too many levels of symbolic links); yang diharapkan: file biasa yang ditulis "
        "sebuah bangun"]


def test_a_huge_published_manifest_is_refused_unread(tmp_path, published):
    with open(published / manifest.NAME, "r+b") as file:
        file.truncate(verify.PUBLISHED_FILE + 1)  # sparse: nothing on disk to read but zeros
    assert _rebuild_refusal(tmp_path, published) == [
        f"{published / manifest.NAME}: file terlalu besar: lebih dari 52.428.800 byte; "
        "yang diharapkan: paling besar 50 MB"]


def test_a_deeply_nested_published_manifest_is_refused(tmp_path, published):
    (published / manifest.NAME).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert _rebuild_refusal(tmp_path, published) == [
        f"{published / manifest.NAME}: manifest terbit tidak sah: bersarang lebih dari 32 "
        f"tingkat; yang diharapkan: {verify.PUBLISHED_EXPECTED}"]


def test_a_published_manifest_of_another_shape_is_refused(tmp_path, published):
    (published / manifest.NAME).write_text(
        json.dumps({**GOOD_PUBLISHED, "masukan": ["iku.csv"]}), encoding="utf-8")
    assert _rebuild_refusal(tmp_path, published) == [
        f"{published / manifest.NAME}: manifest terbit tidak sah: \"masukan\" bukan daftar "
        f"nama file dan sha256 (nilai: '[\"iku.csv\"]'); yang diharapkan: "
        f"{verify.PUBLISHED_EXPECTED}"]


def test_a_published_ledger_with_a_word_for_a_value_is_refused(tmp_path, published):
    (published / ledger.NAME).write_text(
        LEDGER_HEADER + "iku:1:capaian,Capaian,abc,%,a/b,iku.csv\n", encoding="utf-8")
    assert _rebuild_refusal(tmp_path, published) == [
        f"{published / ledger.NAME}, baris 2, kolom 'value': nilai ledger bukan angka "
        "(nilai: 'abc'); yang diharapkan: angka desimal"]


def test_published_findings_too_deep_are_not_compared(tmp_path, published):
    (published / "findings.json").write_text("[" * 1000 + "]" * 1000, encoding="utf-8")
    assert verify._published_findings(published, tmp_path) is None


def test_a_published_notebook_that_is_a_fifo_counts_as_changed(tmp_path, published):
    (published / "notebooks").mkdir()
    os.mkfifo(published / "notebooks" / "01.ipynb")  # reading it would wait for ever
    assert verify._published_digest(published / "notebooks" / "01.ipynb") is None
