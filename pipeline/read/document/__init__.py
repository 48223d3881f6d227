"""Received LKIP documents read into typed tables: what `make audit DOC=` checks.

    from pipeline.read.document import read, understand
    document = read(Path("lkip_2024.pdf"))     # tables and paragraphs, as printed
    reading = understand(document)              # column and row roles, figures, formats

Formats: PDF with a text layer (pdfplumber), DOCX (python-docx), DOC/ODT/RTF (made into DOCX
by LibreOffice headless), HTML, Markdown and text with tab or pipe tables. The file is
measured before it is parsed (bounds.py); a refusal is a DocumentError whose message names the
file, what was found and what was expected.
"""

from __future__ import annotations

from pathlib import Path

from . import bounds, office
from .model import Cell, Document, DocumentError, Paragraph, Table
from .understand import Reading, understand

KINDS = {".pdf": "pdf", ".docx": "docx", ".doc": "office", ".odt": "office", ".rtf": "office",
         ".html": "html", ".htm": "html", ".md": "text", ".markdown": "text", ".txt": "text"}
EXPECTED = ".pdf, .docx, .doc, .odt, .rtf, .html, .md atau .txt"
_MAGIC = {"pdf": (b"%PDF-",), "docx": (b"PK\x03\x04",)}
_MAGIC_OFFICE = {".odt": (b"PK\x03\x04",), ".doc": (b"\xd0\xcf\x11\xe0",), ".rtf": (b"{\\rtf",)}
MAGIC_WITHIN = 1024  # bytes before a PDF's header that readers tolerate


def _check_kind(name: str, suffix: str, kind: str, data: bytes) -> None:
    """The bytes are what the name says: a renamed file is refused before a reader sees it."""
    magic = _MAGIC.get(kind) or _MAGIC_OFFICE.get(suffix)
    if magic is None:
        return
    head = data[:MAGIC_WITHIN] if kind == "pdf" else data[:8]
    if not any((m in head) if kind == "pdf" else head.startswith(m) for m in magic):
        raise DocumentError(name, f"isi file bukan dokumen {suffix}",
                            expected=f"file {suffix} yang sebenarnya (bukan file lain yang "
                            "diganti namanya)")


def _decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM); else Windows-1252, as older Indonesian office files are."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read(path: Path | str) -> Document:
    """The document's tables and paragraphs, or DocumentError."""
    path = Path(path)
    name, suffix = path.name, path.suffix.lower()
    kind = KINDS.get(suffix)
    if kind is None:
        raise DocumentError(name, "jenis dokumen tidak dikenal", suffix or "tanpa akhiran",
                            EXPECTED)
    data = bounds.read_bytes(path)
    _check_kind(name, suffix, kind, data)
    if kind == "office":
        data, kind = office.to_docx(name, suffix, data), "docx"
    if kind == "pdf":
        from . import read_pdf

        return read_pdf.read(name, data)
    if kind == "docx":
        from . import read_docx

        return read_docx.read(name, data)
    if kind == "html":
        from . import read_html

        return read_html.read(name, data)
    from . import read_text

    return read_text.read(name, _decode_text(data))


__all__ = ["Cell", "Document", "DocumentError", "Paragraph", "Reading", "Table", "read",
           "understand"]
