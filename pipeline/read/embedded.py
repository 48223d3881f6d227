"""The files a received PDF embeds: counted and measured before any is decoded, each decoded
with a cap.

pypdf's `PdfReader.attachments` inflates every embedded file (each up to 75 MB) to give its
size: forty streams of zeros in a 21 KB PDF took 3 GB. Here the PDF's own size is checked
before it is parsed; the EmbeddedFiles name tree is walked with bounds on its names, depth
and nodes (a hostile tree may be deep or cyclic); the names and the sizes the stream
dictionaries claim (/Params /Size) are checked; only then is each stream decoded, with a cap
that applies while decoding, since the claimed size may lie.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path

from . import inputs

MB = 1024 * 1024
MAX_PDF = inputs.MAX_TOTAL + 20 * MB  # every input stored as it is, and the report itself
MAX_TREE_DEPTH = 8  # levels of the name tree; a build writes one
MAX_TREE_NODES = 64  # nodes of the name tree, empty ones included; a build writes one
MAX_JSON_DEPTH = 32  # nesting of an embedded JSON file; a build writes at most four levels
MAX_OBJECTS = 500_000  # objects a PDF's cross-reference lists; a report lists about 200 a page
MAX_ELEMENTS = 4 * inputs.MAX_FILES  # of one array or dictionary read (the name list included)
MAX_PARSED = 4 * MB  # of compressed objects parsed in all; a build's name tree takes a few KB


class Unreadable(Exception):
    """The file is not a PDF that can be read at all (the message says why, in Indonesian)."""


class Refused(Exception):
    """A readable PDF whose embedded files are not what a build embeds, or exceed a limit."""


def megabytes(size: int) -> str:
    """`50 MB`, `130,5 MB`: a limit in messages, in Indonesian decimals."""
    text = f"{size / MB:.1f}".replace(".", ",").removesuffix(",0")
    return f"{text} MB"


def in_bytes(size: int) -> str:
    """`52.428.801 byte`: a size past a limit, exact, so that it never reads as the limit."""
    return f"{size:,} byte".replace(",", ".")


PER_FILE = f"paling besar {megabytes(inputs.MAX_FILE)} per lampiran"
ALL_FILES = f"paling besar {megabytes(inputs.MAX_TOTAL)} seluruhnya"


@dataclass(frozen=True)
class Embedded:
    """One embedded file as its stream dictionary describes it, not yet decoded."""

    name: str
    stored: bytes  # the stream's bytes as the PDF stores them
    filters: tuple[str, ...]
    claimed: int | None  # /Params /Size, which may lie; the stored size when not compressed

    def decoded(self, cap: int) -> bytes:
        """The contents, decoded no further than one byte past cap."""
        return DECODERS[self.filters](self.name, self.stored, cap)


def _stored(name: str, data: bytes, cap: int) -> bytes:
    return data


def _inflate(name: str, data: bytes, cap: int) -> bytes:
    """zlib, stopping one byte past the cap: a stream of zeros is refused, never inflated."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, cap + 1)
    except zlib.error as exc:
        raise Refused(f"lampiran {name!r} rusak: aliran FlateDecode tidak dapat dibuka "
                      f"({exc})") from None
    if len(out) <= cap and not inflater.eof:
        raise Refused(f"lampiran {name!r} rusak: aliran FlateDecode terpotong")
    return out


# the filter chains a build writes (WeasyPrint compresses each file once); any other is refused
DECODERS = {(): _stored, ("/FlateDecode",): _inflate}


def _read_bounded(pdf: Path) -> bytes:
    """The PDF's bytes, read only when it is a regular file within MAX_PDF: never through a
    symlink, never blocking on a FIFO, never more than MAX_PDF + 1 bytes."""
    try:
        if not stat.S_ISREG(os.lstat(pdf).st_mode):
            raise Unreadable("bukan file biasa")
        fd = os.open(pdf, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                     | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise Unreadable("file tidak ditemukan") from None
    except OSError as exc:
        raise Unreadable(exc.strerror or type(exc).__name__) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("bukan file biasa")
        if info.st_size > MAX_PDF:
            raise Unreadable(f"PDF terlalu besar ({in_bytes(info.st_size)}); yang diharapkan: "
                             f"paling besar {megabytes(MAX_PDF)}")
        data = handle.read(MAX_PDF + 1)
    if len(data) > MAX_PDF:
        raise Unreadable(f"PDF terlalu besar; yang diharapkan: paling besar "
                         f"{megabytes(MAX_PDF)}")
    return data


def _reader_class():
    """pypdf's reader, strict, with what it would do unbounded closed: repairing a broken
    cross-reference table (a build writes an intact one, and the repair indexes every object
    the whole file seems to hold); a classic table listing more than MAX_OBJECTS (pypdf
    allows one per 20 bytes of file, about nine times the file in memory); and parsing every
    object of an object stream at the first request (46 s for a 20 KB PDF of zeros in arrays):
    here one object is parsed alone, its extent known from the stream's header, and no more
    than MAX_PARSED in all. These are pypdf 7.1 internals, pinned in pyproject.toml;
    tests/test_pdf_bounds.py shows each still holds."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    from pypdf.generic import IndirectObject, read_object

    class BoundedReader(PdfReader):
        repaired = False
        listed = 0
        parsed = 0

        def _rebuild_xref_table(self, stream) -> None:
            self.repaired = True  # and nothing read: pypdf may swallow an exception here

        def _read_standard_xref_table__handle_size(self, stream):
            size = super()._read_standard_xref_table__handle_size(stream)
            self.listed += size or 0
            if self.listed > MAX_OBJECTS:
                raise Unreadable(f"PDF mendaftar lebih dari {_count(MAX_OBJECTS)} objek; yang "
                                 f"diharapkan: paling banyak {_count(MAX_OBJECTS)}")
            return size

        def _get_object_from_stream(self, indirect_reference):
            idnum = indirect_reference.idnum
            stmnum, index = self.xref_objStm[idnum]
            data, header, first = self._object_stream(stmnum)
            if not 0 <= index < len(header) // 2 or int(header[2 * index]) != idnum:
                raise PdfReadError(f"object {idnum} not in object stream {stmnum}")
            start = first + int(header[2 * index + 1])
            end = first + int(header[2 * index + 3]) if 2 * index + 3 < len(header) \
                else len(data)
            self.parsed += max(end - start, 0)
            if not first <= start <= end <= len(data):
                raise PdfReadError(f"object {idnum} outside object stream {stmnum}")
            if self.parsed > MAX_PARSED:
                raise Unreadable(f"objek terkompresi yang harus dibaca lebih dari "
                                 f"{megabytes(MAX_PARSED)}")
            obj = read_object(io.BytesIO(data[start:end].lstrip(b" \t\r\n\f\x00")), self)
            self.cache_indirect_object(0, idnum, obj)
            return obj

        def _object_stream(self, stmnum: int) -> tuple[bytes, list[bytes], int]:
            """An object stream's decoded bytes, header numbers and first offset, once."""
            streams = self.__dict__.setdefault("object_streams", {})
            if stmnum not in streams:
                if stmnum in self.xref_objStm:
                    raise PdfReadError("object stream inside an object stream")
                holder = IndirectObject(stmnum, 0, self).get_object()
                count, first = holder.get("/N"), holder.get("/First")
                if holder.get("/Type") != "/ObjStm" or not isinstance(count, int) \
                        or not isinstance(first, int) or count < 0:
                    raise PdfReadError(f"object stream {stmnum}: /N or /First not valid")
                if count > MAX_OBJECTS:
                    raise Unreadable(f"aliran objek mendaftar lebih dari {_count(MAX_OBJECTS)} "
                                     f"objek; yang diharapkan: paling banyak "
                                     f"{_count(MAX_OBJECTS)}")
                data = holder.get_data()
                header = data[:max(first, 0)].split(None, 2 * count)[:2 * count]
                streams[stmnum] = (data, header, first)
            return streams[stmnum]

    return BoundedReader


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _reader(data: bytes):
    reader = _reader_class()(io.BytesIO(data), strict=True,
                             xref_stream_maximum_entries=MAX_OBJECTS)
    if reader.repaired:
        raise Unreadable("tabel rujukan silang (xref) rusak")
    if reader.is_encrypted:
        raise Unreadable("PDF terenkripsi")
    return reader


def _node_key(node) -> tuple | None:
    """An indirect node's object number: what makes a cycle or a shared node visible."""
    from pypdf.generic import IndirectObject

    return (node.idnum, node.generation) if isinstance(node, IndirectObject) else None


def _name_tree(reader):
    """The EmbeddedFiles name tree's root, or None when the PDF embeds nothing."""
    from pypdf.generic import DictionaryObject

    root = reader.trailer.get("/Root")
    root = root.get_object() if root is not None else None
    names = root.get("/Names") if isinstance(root, DictionaryObject) else None
    names = names.get_object() if names is not None else None
    if not isinstance(names, DictionaryObject):
        return None
    return names.get("/EmbeddedFiles")


def _pairs(reader) -> list[tuple[str, object]]:
    """(name, file specification) of every leaf of the name tree, refused as soon as the tree
    holds more than MAX_FILES names, is deeper than MAX_TREE_DEPTH, has more than
    MAX_TREE_NODES nodes, or reaches one node twice (a cycle)."""
    from pypdf.generic import ArrayObject, DictionaryObject

    top = _name_tree(reader)
    stack, seen, nodes, pairs = ([] if top is None else [(top, 1)]), set(), 0, []
    while stack:
        node, depth = stack.pop()
        key = _node_key(node)
        if key is not None and key in seen:
            raise Refused("pohon nama lampiran memuat simpul yang sama dua kali (berulang)")
        seen.add(key)
        nodes += 1
        if depth > MAX_TREE_DEPTH or nodes > MAX_TREE_NODES:
            too = "dalam" if depth > MAX_TREE_DEPTH else "besar"
            raise Refused(f"pohon nama lampiran terlalu {too}; yang diharapkan: paling dalam "
                          f"{MAX_TREE_DEPTH} tingkat, paling banyak {MAX_TREE_NODES} simpul")
        node = node.get_object()
        if not isinstance(node, DictionaryObject):
            raise Refused("pohon nama lampiran rusak: simpul bukan kamus (dictionary)")
        names = node.get("/Names")
        names = ArrayObject() if names is None else names.get_object()
        kids = node.get("/Kids")
        kids = ArrayObject() if kids is None else kids.get_object()
        if not isinstance(names, ArrayObject) or not isinstance(kids, ArrayObject) \
                or len(names) % 2:
            raise Refused("pohon nama lampiran rusak: /Names atau /Kids bukan daftar yang sah")
        for index in range(0, len(names), 2):
            pairs.append((names[index].get_object(), names[index + 1]))
            if len(pairs) > inputs.MAX_FILES:
                raise Refused(f"terlalu banyak lampiran (lebih dari {inputs.MAX_FILES})")
        stack += [(kid, depth + 1) for kid in reversed(kids[:MAX_TREE_NODES + 1])]
    return pairs


def _filters(stream) -> tuple[str, ...]:
    """The stream's filter chain, refused unless a build writes it (and without parameters:
    a predictor is never written)."""
    from pypdf.generic import ArrayObject, NullObject

    chain = stream.get("/Filter")
    chain = () if chain is None else chain.get_object()
    chain = tuple(str(f.get_object()) for f in chain) if isinstance(chain, ArrayObject) \
        else () if isinstance(chain, NullObject) else (str(chain),) if chain != () else ()
    parms = stream.get("/DecodeParms")
    parms = None if parms is None else parms.get_object()
    with_parms = not (parms is None or isinstance(parms, NullObject) or parms in ({}, []))
    if chain not in DECODERS or with_parms:
        shown = " ".join(chain) + (" dengan /DecodeParms" if with_parms else "")
        raise Refused(f"filter lampiran tidak didukung ({shown.strip()!r}); yang diharapkan: "
                      "/FlateDecode sekali, atau tanpa filter")
    return chain


def _claimed(name: str, stream, filters: tuple[str, ...]) -> int | None:
    """The size the stream says it decodes to: exact when stored as is, /Params /Size
    (which may lie) when compressed, None when it does not say."""
    from pypdf.generic import DictionaryObject, NumberObject

    if not filters:
        return len(stream._data)  # stored as is: the stored bytes are the file
    params = stream.get("/Params")
    params = params.get_object() if params is not None else None
    size = params.get("/Size") if isinstance(params, DictionaryObject) else None
    size = size.get_object() if size is not None else None
    if size is None:
        return None
    if not isinstance(size, NumberObject) or size < 0:
        raise Refused(f"ukuran lampiran {name!r} tidak sah (/Size {size!r}); yang diharapkan: "
                      "bilangan bulat byte")
    return int(size)


def _entry(name, spec) -> Embedded:
    """One leaf of the name tree as an Embedded file: the stream is found, not decoded."""
    from pypdf.generic import DictionaryObject, StreamObject

    if not isinstance(name, str):
        raise Refused("nama lampiran bukan teks")
    spec = spec.get_object()
    ef = spec.get("/EF") if isinstance(spec, DictionaryObject) else None
    ef = ef.get_object() if ef is not None else None
    stream = ef.get("/UF", ef.get("/F")) if isinstance(ef, DictionaryObject) else None
    stream = stream.get_object() if stream is not None else None
    if not isinstance(stream, StreamObject):
        raise Refused(f"lampiran {name!r} tidak memuat aliran file (/EF)")
    for key in ("/UF", "/F"):
        other = spec.get(key)
        other = other.get_object() if other is not None else None
        if other is not None and other != name:
            raise Refused(f"lampiran {name!r} bernama lain di spesifikasinya ({str(other)!r})")
    filters = _filters(stream)
    return Embedded(str(name), stream._data, filters, _claimed(name, stream, filters))


def _check_claims(entries: list[Embedded]) -> None:
    """Sizes as the stream dictionaries state them, before anything is decoded."""
    for entry in entries:
        if entry.claimed is not None and entry.claimed > inputs.MAX_FILE:
            raise Refused(f"lampiran terlalu besar: {entry.name!r} ({in_bytes(entry.claimed)} "
                          f"menurut PDF); yang diharapkan: {PER_FILE}")
    total = sum(entry.claimed or 0 for entry in entries)
    if total > inputs.MAX_TOTAL:
        raise Refused(f"lampiran terlalu besar seluruhnya ({in_bytes(total)} menurut PDF); "
                      f"yang diharapkan: {ALL_FILES}")


@contextlib.contextmanager
def _quiet_pypdf():
    """pypdf's warnings about a hostile file ("Rebuilding it") say nothing true to an analyst:
    the refusal is the one sentence."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def listing(pdf: Path) -> list[Embedded]:
    """The PDF's embedded files, named and measured from their stream dictionaries; nothing
    decoded. Unreadable when it is not a PDF that reads; Refused past a limit, for a duplicate
    name or for a filter a build does not write."""
    from pypdf import apply_configuration
    from pypdf.errors import LimitReachedError, PyPdfError

    data = _read_bounded(pdf)
    try:
        with _quiet_pypdf(), apply_configuration(array_maximum_element_count=MAX_ELEMENTS,
                                                 dictionary_maximum_element_count=MAX_ELEMENTS):
            entries = [_entry(name, spec) for name, spec in _pairs(_reader(data))]
    except LimitReachedError as exc:
        raise Unreadable(f"melampaui batas pembacaan: {exc}") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError) as exc:
        raise Unreadable(type(exc).__name__) from None
    names = [entry.name for entry in entries]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise Refused(f"lampiran ganda: {twice[0]!r}")
    _check_claims(entries)
    return entries


def contents(entries: list[Embedded]) -> dict[str, bytes]:
    """Each file decoded in turn with a cap (what is left of MAX_FILE and MAX_TOTAL), so that
    no claim, true or false, makes the decoding hold more than the limits."""
    found, total = {}, 0
    for entry in entries:
        room = min(inputs.MAX_FILE, inputs.MAX_TOTAL - total)
        data = entry.decoded(room)
        if len(data) > inputs.MAX_FILE:
            raise Refused(f"lampiran terlalu besar: {entry.name!r} (lebih dari "
                          f"{megabytes(inputs.MAX_FILE)} setelah dibuka); yang diharapkan: "
                          f"{PER_FILE}")
        if len(data) > room:
            raise Refused(f"lampiran terlalu besar seluruhnya (lebih dari "
                          f"{megabytes(inputs.MAX_TOTAL)} setelah dibuka); yang diharapkan: "
                          f"{ALL_FILES}")
        found[entry.name] = data
        total += len(data)
    return found


_JSON_SPECIAL = re.compile(r'[][{}"\\]')


def json_depth_within(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text nests no deeper than limit, found in one pass that stops at the
    first level too deep: json.loads recurses once per level and fails with RecursionError."""
    depth, in_string, skip = 0, False, -1
    for match in _JSON_SPECIAL.finditer(text):
        at, char = match.start(), match.group()
        if at == skip:
            continue
        if in_string:
            if char == "\\":
                skip = at + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return False
        elif char in "]}":
            depth -= 1
    return True


def load_json(data: bytes):
    """An embedded JSON file; Refused, with a sentence for the caller to place after the
    file's name, unless it is UTF-8 JSON nested at most MAX_JSON_DEPTH levels."""
    import json

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(f"bukan teks UTF-8 (byte ke-{exc.start})") from None
    if not json_depth_within(text):
        raise Refused(f"bersarang lebih dari {MAX_JSON_DEPTH} tingkat")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise Refused(f"bukan JSON yang sah ({exc})") from None
