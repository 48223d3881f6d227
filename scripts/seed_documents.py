"""Make the seed LKIP into the documents an agency sends: Word (.docx) and PDF made by
LibreOffice Writer from a text whose tables are real tables (merged header cells, header rows
repeated on each page, landscape pages for the quarterly annexes and for tables too wide for a
portrait page, page numbers).

    python scripts/seed_documents.py [OUT_DIR] [--seed FILE]

writes, by default into tests/documents/ from its copy of the seed (seed.md): seed.docx,
seed.pdf, seed.html, and from the capaian section of BAB III alone: kecil.odt, kecil.doc and
tanpa_garis.pdf (its tables without ruling lines); and lkip_sukamaju.pdf from the fictional
LKIP with planted errors the audit's tests read (lkip_sukamaju.md). The text's tables are read as
pipeline.read.document reads them (the same rule turns a header's empty cells into merges); a run
of three or more blank lines is where the original's page broke, and becomes a page break.
LibreOffice Writer is needed (scripts/system-deps.sh --test installs it).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.read.document import layout, read_text  # noqa: E402
from pipeline.read.document.figures import looks_numeric  # noqa: E402

DOCUMENTS = Path(__file__).resolve().parents[1] / "tests" / "documents"
SEED = DOCUMENTS / "seed.md"  # a copy of shared/seed/000_5e1ffe83f80c3643.txt
PLANTED = DOCUMENTS / "lkip_sukamaju.md"  # fictional, one error of each kind (audit tests)
PAGE_BREAK_GAP = 3  # blank lines where the original's page broke
LANDSCAPE = ("Realisasi Keuangan Triwulan I", "PROSES BISNIS URUSAN SOSIAL")  # first, last+1
EXCERPT = ("A. Capaian Kinerja Organisasi", "Analisis penyebab keberhasilan")
TEXT_WIDTH = {"portrait": 16.5, "landscape": 25.2}  # cm between the margins
CONVERT_TIMEOUT = 300  # seconds for one LibreOffice conversion
MAX_WIDTH = 40  # characters of a column's text its width follows, at most
CHAR_CM = 0.17  # width of a character of the tables' 8-point condensed font
BOLD_WIDER = 1.15  # a header's bold characters, to the body's
PADDING_CM = 0.35

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"')

STYLES = """<office:font-face-decls>
 <style:font-face style:name="DejaVu Serif" svg:font-family="'DejaVu Serif'"/>
 <style:font-face style:name="DejaVu Sans Condensed"
  svg:font-family="'DejaVu Sans Condensed'"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:margin-bottom="0.2cm"/>
  <style:text-properties style:font-name="DejaVu Serif" fo:font-size="11pt" fo:language="id"
   fo:country="ID"/>
 </style:default-style>
 <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
 <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph"
  style:parent-style-name="Standard">
  <style:paragraph-properties fo:text-align="justify" fo:margin-bottom="0.25cm"/>
 </style:style>
 HEADINGS
 <style:style style:name="Table_20_Contents" style:display-name="Table Contents"
  style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:margin-bottom="0cm"/>
  <style:text-properties style:font-name="DejaVu Sans Condensed" fo:font-size="8pt"/>
 </style:style>
 <style:style style:name="Table_20_Number" style:display-name="Table Number"
  style:family="paragraph" style:parent-style-name="Table_20_Contents">
  <style:paragraph-properties fo:text-align="end"/>
 </style:style>
 <style:style style:name="Table_20_Heading" style:display-name="Table Heading"
  style:family="paragraph" style:parent-style-name="Table_20_Contents">
  <style:paragraph-properties fo:text-align="center"/>
  <style:text-properties fo:font-weight="bold"/>
 </style:style>
 <style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard">
  <style:paragraph-properties fo:text-align="center"/>
  <style:text-properties fo:font-size="9pt"/>
 </style:style>
</office:styles>"""

HEADING = """<style:style style:name="Heading_20_{n}" style:display-name="Heading {n}"
  style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="{n}">
  <style:paragraph-properties fo:margin-top="0.3cm" fo:margin-bottom="0.2cm"
   fo:keep-with-next="always"/>
  <style:text-properties fo:font-size="{size}pt" fo:font-weight="bold"/>
 </style:style>"""

PAGES = """<style:page-layout style:name="pm{name}">
  <style:page-layout-properties fo:page-width="{w}cm" fo:page-height="{h}cm"
   style:print-orientation="{orientation}" fo:margin-top="2cm" fo:margin-bottom="1.2cm"
   fo:margin-left="2.5cm" fo:margin-right="2cm"/>
  <style:footer-style><style:header-footer-properties fo:min-height="0.6cm"
   fo:margin-top="0.3cm"/></style:footer-style>
 </style:page-layout>"""

MASTER = """<style:master-page style:name="{name}" style:page-layout-name="pm{name}">
  <style:footer><text:p text:style-name="Footer"><text:page-number
   text:select-page="current"/></text:p></style:footer>
 </style:master-page>"""

AUTOMATIC = """<style:style style:name="Pbreak" style:family="paragraph"
  style:parent-style-name="Standard"><style:paragraph-properties fo:break-before="page"/>
 </style:style>
 <style:style style:name="Plandscape" style:family="paragraph"
  style:parent-style-name="Standard" style:master-page-name="Landscape"/>
 <style:style style:name="Pstandard" style:family="paragraph"
  style:parent-style-name="Standard" style:master-page-name="Standard"/>
 <style:style style:name="Tbold" style:family="text">
  <style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="Titalic" style:family="text">
  <style:text-properties fo:font-style="italic"/></style:style>
 <style:style style:name="Row" style:family="table-row">
  <style:table-row-properties fo:keep-together="always"/></style:style>
 <style:style style:name="Cell" style:family="table-cell">
  <style:table-cell-properties fo:padding="0.1cm" fo:border="{border}"/></style:style>"""

_LATEX_TEXT = re.compile(r"\\(?:text|mathrm|mbox)\{([^{}]*)\}")
_LATEX_FRAC = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
_LATEX_SYMBOLS = {r"\times": "×", r"\leq": "≤", r"\geq": "≥", r"\le": "≤", r"\ge": "≥",
                  r"\lt": "<", r"\gt": ">", r"\%": "%"}
_MATH = re.compile(r"\$([^$]+)\$")
_RUNS = re.compile(r"(\*\*.+?\*\*|<b>.+?</b>|<strong>.+?</strong>|(?<![\w*])\*(?!\s).+?(?<!\s)\*"
                   r"|<i>.+?</i>)", re.IGNORECASE)
_PARTS = re.compile(r"<\s*(?:br|/li|/p)\s*/?\s*>", re.IGNORECASE)
_ITEM = re.compile(r"^\s*[-*+]\s+")
LINE_BREAK = "\ue000"  # a private character standing for a line break while runs are found


def plain_math(text: str) -> str:
    """$\\frac{\\text{A}}{\\text{B}} \\times 100$ as a reader sees it typeset: (A) / (B) × 100."""
    def math(match: re.Match) -> str:
        body = _LATEX_TEXT.sub(r"\1", match.group(1))
        body = _LATEX_FRAC.sub(r"(\1) / (\2)", body)
        for command, symbol in _LATEX_SYMBOLS.items():
            body = body.replace(command, symbol)
        return " ".join(body.replace("\\", "").split())
    return _MATH.sub(math, text)


def runs(text: str) -> str:
    """Inline Markdown and HTML as ODF text with bold and italic spans."""
    text = plain_math(text)
    out = []
    for piece in _RUNS.split(text):
        if not piece:
            continue
        style = None
        if piece.startswith(("**", "<b>", "<B>", "<strong>")):
            style, piece = "Tbold", re.sub(r"^(\*\*|<b>|<strong>)|(\*\*|</b>|</strong>)$", "",
                                           piece, flags=re.IGNORECASE)
        elif piece.startswith(("*", "<i>")) and len(piece) > 2:
            style, piece = "Titalic", re.sub(r"^(\*|<i>)|(\*|</i>)$", "", piece)
        shown = escape(read_text.inline(piece) if "<" in piece or "[" in piece
                       else html.unescape(piece).replace("\\", ""))
        out.append(f'<text:span text:style-name="{style}">{shown}</text:span>' if style
                   else shown)
    return "".join(out)


def paragraph(block: read_text.Block, style: str) -> str:
    """A paragraph or heading, its lines kept as line breaks (bold may span them)."""
    lines = [_ITEM.sub("", line.strip(), count=1) for line in block.lines]
    body = runs(LINE_BREAK.join(lines)).replace(LINE_BREAK, "<text:line-break/>")
    if block.heading:
        return (f'<text:h text:style-name="Heading_20_{block.heading}" '
                f'text:outline-level="{block.heading}">{body}</text:h>')
    return f'<text:p text:style-name="{style}">{body}</text:p>'


def _widths(cells: list[list[layout.Cell]], width: int, header: int) -> tuple[list, list]:
    """Each column's width in cm: its longest word fits (a number is never broken), and what
    is left of the page is shared after the length of its texts."""
    places = layout.grid(cells)
    word, longest = [1] * width, [1] * width
    for r, row in enumerate(cells):
        starts = sorted({o for o in places[r] if o and o[0] == r}, key=lambda o: o[1])
        for (_, c), cell in zip(starts, row):
            if cell.colspan > 1:
                continue
            text = read_text.inline(cell.text)
            scale = BOLD_WIDER if r < header else 1
            word[c] = max([word[c]] + [round(len(w) * scale) for w in text.split()])
            longest[c] = max(longest[c], min(len(text), MAX_WIDTH))
    return [w * CHAR_CM + PADDING_CM for w in word], [max(n - w, 0) for n, w in
                                                      zip(longest, word)]


def orientation_of(cells: list[list[layout.Cell]], header: int) -> str:
    """Landscape for a table whose longest words do not fit across a portrait page."""
    width = max(sum(c.colspan for c in row) for row in cells)
    least, _ = _widths(cells, width, header)
    return "landscape" if sum(least) > TEXT_WIDTH["portrait"] else "portrait"


def table(number: int, cells: list[list[layout.Cell]], header: int,
          orientation: str) -> tuple[str, str]:
    """A table's automatic styles and its body, header rows repeated on every page."""
    width = max(sum(c.colspan for c in row) for row in cells)
    least, extra = _widths(cells, width, header)
    spare = max(TEXT_WIDTH[orientation] - sum(least), 0)
    widths = [w + spare * e / max(sum(extra), 1) for w, e in zip(least, extra)]
    name = f"Tbl{number}"
    styles = [f'<style:style style:name="{name}" style:family="table"><style:table-properties '
              f'style:width="{TEXT_WIDTH[orientation]}cm" table:align="margins"/></style:style>']
    columns = []
    for c, share in enumerate(widths):
        styles.append(f'<style:style style:name="{name}.C{c}" style:family="table-column">'
                      f'<style:table-column-properties style:column-width="{share:.3f}cm" '
                      f'style:rel-width="{round(share * 1000)}*"/>'
                      "</style:style>")
        columns.append(f'<table:table-column table:style-name="{name}.C{c}"/>')
    covered: set[tuple[int, int]] = set()
    places = layout.grid(cells)
    rows_xml = []
    for r, row in enumerate(cells):
        starts = sorted({o for o in places[r] if o and o[0] == r}, key=lambda o: o[1])
        origin = dict(zip(starts, row))
        xml = []
        for c in range(width):
            if (r, c) in origin:
                cell = origin[(r, c)]
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        covered.add((r + dr, c + dc))
                span = ""
                if cell.colspan > 1:
                    span += f' table:number-columns-spanned="{cell.colspan}"'
                if cell.rowspan > 1:
                    span += f' table:number-rows-spanned="{cell.rowspan}"'
                style = ("Table_20_Heading" if r < header else
                         "Table_20_Number" if looks_numeric(read_text.inline(cell.text))
                         else "Table_20_Contents")
                parts = [p for p in _PARTS.split(cell.text)] or [""]
                body = "".join(f'<text:p text:style-name="{style}">{runs(p)}</text:p>'
                               for p in parts if p.strip() or len(parts) == 1)
                xml.append(f'<table:table-cell table:style-name="Cell" office:value-type='
                           f'"string"{span}>{body or "<text:p/>"}</table:table-cell>')
            elif (r, c) in covered:
                xml.append("<table:covered-table-cell/>")
            else:
                xml.append('<table:table-cell table:style-name="Cell"><text:p/>'
                           "</table:table-cell>")
        rows_xml.append(f'<table:table-row table:style-name="Row">{"".join(xml)}'
                        "</table:table-row>")
    head = "".join(rows_xml[:header])
    body = (f"<table:table-header-rows>{head}</table:table-header-rows>" if head else "")
    body += "".join(rows_xml[header:])
    return "".join(styles), (f'<table:table table:name="{name}" table:style-name="{name}">'
                             f"{''.join(columns)}{body}</table:table>")


def _shaped(rows: list[list[str]]) -> layout.Table:
    cleaned = [[read_text.inline(c) for c in r] for r in rows]
    return layout.shape(layout.Layout(layout.spans_from_gaps(cleaned)), 0, "")


def _tables_joined(blocks: list[read_text.Block]) -> list[tuple[read_text.Block, list]]:
    """Blocks with each table's rows, a table cut by a page break joined again: the text
    repeats the header on the next page, or carries on with body rows."""
    out: list[tuple[read_text.Block, list]] = []
    for block in blocks:
        rows = read_text.table_rows(block.lines)[0] if block.kind == "table" else None
        if rows is not None and out and out[-1][1] is not None:
            first_rows = out[-1][1]
            first, then = _shaped(first_rows), _shaped(rows)
            if layout.join(first, then) is not None:
                same = then.header == first.header
                skip = len(then.header) + (1 if then.numbering and same else 0) if same else 0
                out[-1] = (out[-1][0], first_rows + rows[skip:])
                continue
        out.append((block, rows))
    return out


def fodt(text: str, borders: bool = True) -> str:
    """The Writer document for a seed text."""
    body, automatic = [], []
    orientation, section = "portrait", "portrait"
    started = previous_table = False
    for number, (block, rows) in enumerate(_tables_joined(read_text.blocks(text)), start=1):
        flat = " ".join(block.lines)
        if LANDSCAPE[0] in flat:
            section = "landscape"
        elif LANDSCAPE[1] in flat:
            section = "portrait"
        cells = None
        if rows is not None:
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            spans = layout.spans_from_gaps([[read_text.inline(c) for c in r] for r in rows])
            places = layout.grid(spans)
            cells = [[layout.Cell(rows[r][o[1]], cell.colspan, cell.rowspan)
                      for cell, o in zip(row, sorted({o for o in places[r] if o and o[0] == r},
                                                     key=lambda o: o[1]))]
                     for r, row in enumerate(spans)]
        header = len(_shaped(rows).header) if rows is not None else 0
        wanted = "landscape" if section == "landscape" or (
            cells and orientation_of(cells, header) == "landscape") else "portrait"
        if wanted != orientation:
            master = "Plandscape" if wanted == "landscape" else "Pstandard"
            body.append(f'<text:p text:style-name="{master}"/>')
            orientation = wanted
        elif started and block.gap >= PAGE_BREAK_GAP:
            body.append('<text:p text:style-name="Pbreak"/>')
        elif cells and previous_table:  # as Word: two tables are kept apart by a paragraph
            body.append('<text:p text:style-name="Standard"/>')
        started, previous_table = True, cells is not None
        if cells is None:
            body.append(paragraph(block, "Text_20_body"))
            continue
        styles, xml = table(number, cells, header, orientation)
        automatic.append(styles)
        body.append(xml)
    border = "0.5pt solid #000000" if borders else "none"
    headings = "\n ".join(HEADING.format(n=n, size=size)
                          for n, size in ((1, 16), (2, 14), (3, 12), (4, 11), (5, 11), (6, 11)))
    pages = "".join(PAGES.format(name=name, w=w, h=h, orientation=o) for name, w, h, o in
                    (("Standard", 21, 29.7, "portrait"), ("Landscape", 29.7, 21, "landscape")))
    masters = "".join(MASTER.format(name=name) for name in ("Standard", "Landscape"))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.3"'
            ' office:mimetype="application/vnd.oasis.opendocument.text">'
            f"{STYLES.replace('HEADINGS', headings)}<office:automatic-styles>{pages}"
            f"{AUTOMATIC.format(border=border)}{''.join(automatic)}</office:automatic-styles>"
            f"<office:master-styles>{masters}</office:master-styles>"
            f"<office:body><office:text>{''.join(body)}</office:text></office:body>"
            "</office:document>\n")


def excerpt(text: str) -> str:
    """The capaian section of BAB III: its first table to the analysis after the PMKS table."""
    start, end = text.index(EXCERPT[0]), text.index(EXCERPT[1])
    return text[text.rindex("\n", 0, start) + 1:end]


def convert(source: Path, target: str, out: Path, profile: Path) -> Path:
    """LibreOffice headless, with its own profile, converting source into out/."""
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--norestore", "--convert-to", target, "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=CONVERT_TIMEOUT)
    return out / f"{source.stem}.{target.split(':')[0]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, nargs="?", default=DOCUMENTS)
    parser.add_argument("--seed", type=Path, default=SEED)
    args = parser.parse_args(argv)
    if shutil.which("soffice") is None:
        print("LibreOffice (soffice) tidak ditemukan: jalankan bash scripts/system-deps.sh "
              "--test", file=sys.stderr)
        return 1
    text = args.seed.read_text(encoding="utf-8")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "seed.fodt").write_text(fodt(text), encoding="utf-8")
    (args.out / "kecil.fodt").write_text(fodt(excerpt(text)), encoding="utf-8")
    (args.out / "tanpa_garis.fodt").write_text(fodt(excerpt(text), borders=False),
                                               encoding="utf-8")
    (args.out / "lkip_sukamaju.fodt").write_text(fodt(PLANTED.read_text(encoding="utf-8")),
                                                 encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="lkip-soffice-") as profile:
        for source, targets in (("seed", ("docx:MS Word 2007 XML", "pdf:writer_pdf_Export",
                                          "html:HTML (StarWriter)")),
                                ("kecil", ("odt", "doc:MS Word 97")),
                                ("tanpa_garis", ("pdf:writer_pdf_Export",)),
                                ("lkip_sukamaju", ("pdf:writer_pdf_Export",))):
            for target in targets:
                made = convert(args.out / f"{source}.fodt", target, args.out, Path(profile))
                print(f"{made} ({made.stat().st_size:,} byte)")
    for name in ("seed.fodt", "kecil.fodt", "tanpa_garis.fodt", "lkip_sukamaju.fodt"):
        (args.out / name).unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
