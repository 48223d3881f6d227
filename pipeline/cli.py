"""Command line: `python -m pipeline report --year 2024` (what `make report` calls), and
`batch`, `verify`, `audit`, `workbook`, `import`, `lab`, `schema-doc`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from pathlib import Path

from . import config
from .run import cluster


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"bilangan bulat positif, bukan {text!r}")
    return int(text)


def _build_options(parser: argparse.ArgumentParser, force: str | None = None) -> None:
    """The year and folders every building command takes (report, triwulan, preview)."""
    parser.add_argument("--year", default=None, help="tanpa --year: tahun terakhir di --raw")
    parser.add_argument("--raw", default=str(config.RAW), help="folder berisi <tahun>/")
    parser.add_argument("--out", default=str(config.OUTPUTS))
    parser.add_argument("--processed", default=str(config.PROCESSED))
    parser.add_argument("--notebooks", default=str(config.NOTEBOOKS))
    if force:
        parser.add_argument("--force", action="store_true", help=force)
        _strict_option(parser)
    parser.add_argument("--debug", action="store_true", help="tampilkan traceback Python")


def _strict_option(parser: argparse.ArgumentParser) -> None:
    """`STRICT=1`: for scripts and CI, a published report whose findings hold an error fails
    the command."""
    from .present.summary import STRICT_EXIT

    parser.add_argument("--strict", action="store_true",
                        help=f"keluar dengan kode {STRICT_EXIT} bila temuan verifikasi berisi "
                             "kesalahan (keluaran tetap ditulis)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lkip", description="LKIP dari data mentah")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="bangun LKIP (HTML dan PDF) untuk satu tahun")
    _build_options(rep, force="jalankan semua tahap, juga yang masukannya tidak berubah")
    tw = sub.add_parser("triwulan", help="bangun Laporan Kinerja Triwulan (HTML dan PDF)")
    tw.add_argument("--tw", default=None, help="triwulan I-IV atau 1-4; tanpa --tw: yang "
                                               "terakhir berisi data")
    _build_options(tw, force="jalankan ulang, juga bila masukannya tidak berubah")
    bat = sub.add_parser("batch", help="bangun LKIP setiap instansi dalam satu folder, "
                                        "paralel (Dask), dengan satu tabel ringkasan")
    bat.add_argument("--raw", required=True, help="folder berisi <instansi>/<tahun>/")
    bat.add_argument("--out", default=str(config.OUTPUTS),
                     help="keluaran: <out>/<instansi>/<tahun>/ dan <out>/ringkasan.csv, .html")
    bat.add_argument("--workers", type=_positive, default=None,
                     help="jumlah proses paralel (bawaan 2; diabaikan bila DASK_SCHEDULER ada)")
    bat.add_argument("--worker-wait", type=_positive, default=None, metavar="DETIK",
                     help="hentikan batch bila cluster Dask tanpa worker selama DETIK "
                          f"(bawaan {cluster.NO_WORKER_SECONDS})")
    bat.add_argument("--year", default=None, help="hanya tahun ini (bawaan: setiap tahun)")
    bat.add_argument("--force", action="store_true",
                     help="jalankan semua tahap, juga yang masukannya tidak berubah")
    _strict_option(bat)
    bat.add_argument("--debug", action="store_true")
    for name, text in (("preview", "pratinjau HTML saja (tanpa PDF), cepat setelah menyunting"),
                       ("watch", "pratinjau HTML yang diperbarui setiap kali data disimpan")):
        _build_options(sub.add_parser(name, help=text))
    ver = sub.add_parser("verify", help="bangun ulang dan bandingkan, atau periksa satu PDF")
    ver.add_argument("--year", default=None, help="tanpa --year dan --pdf: tahun terakhir")
    ver.add_argument("--raw", default=str(config.RAW))
    ver.add_argument("--out", default=str(config.OUTPUTS),
                     help="folder keluaran; perbandingan panjang ke <out>/<tahun>-verifikasi/")
    ver.add_argument("--published", default=None,
                     help="folder keluaran terbit yang diperiksa (bawaan: <out>/<tahun>/)")
    ver.add_argument("--pdf", default=None, help="periksa PDF saja dari data tertanamnya")
    ver.add_argument("--debug", action="store_true")
    aud = sub.add_parser("audit", help="periksa angka tabel LKIP yang diterima (PDF, Word, "
                                       "HTML, teks) dan tulis temuannya")
    aud.add_argument("--doc", default=None,
                     help="dokumen yang diperiksa (.pdf .docx .doc .odt .rtf .html .md .txt)")
    aud.add_argument("--out", default=str(config.OUTPUTS / "audit"),
                     help="folder keluaran: audit ke <out>/<nama dokumen>-audit/")
    aud.add_argument("--raw", default=str(config.RAW),
                     help="folder data, yang tidak boleh berisi atau berada di dalam --out")
    aud.add_argument("--debug", action="store_true")
    wb = sub.add_parser("workbook", help="lembar kerja Excel: ekspor data satu tahun (--out), "
                                         "atau mulai folder tahun baru (--from)")
    wb.add_argument("--year", default=None, help="tahun data (ekspor tanpa --year: terakhir)")
    wb.add_argument("--raw", default=str(config.RAW), help="folder berisi <tahun>/")
    wb.add_argument("--out", default=None, help="file .xlsx yang ditulis")
    wb.add_argument("--from", dest="from_year", default=None,
                    help="mulai data --year dari folder tahun ini")
    wb.add_argument("--debug", action="store_true")
    imp = sub.add_parser("import", help="workbook data dari dokumen LKIP (PDF, Word, …): "
                                         "yang dikenali terisi, yang ragu ditandai")
    imp.add_argument("--doc", required=True, help="dokumen LKIP (.pdf .docx .doc .odt .rtf "
                                                  ".html .md .txt)")
    imp.add_argument("--year", default=None, help="tahun laporan (tanpa --year: dari PK)")
    imp.add_argument("--raw", default=str(config.RAW), help="folder berisi <tahun>/")
    imp.add_argument("--out", default=None,
                     help="file .xlsx yang ditulis (bawaan <raw>/<tahun>/lkip_<tahun>.xlsx)")
    imp.add_argument("--force", action="store_true",
                     help="tulis juga bila workbook atau data tahun itu sudah ada (yang ada "
                          "dipindahkan ke <raw>/<tahun>-sebelum-impor/)")
    imp.add_argument("--debug", action="store_true")
    lab = sub.add_parser("lab", help="JupyterLab pada proyek ini (127.0.0.1)")
    lab.add_argument("--jupyter", default=str(Path(sys.executable).with_name("jupyter")))
    lab.add_argument("--allow-root", action="store_true",
                     help="selalu --allow-root (sebagai root diberikan sendiri)")
    lab.add_argument("--port", type=int, default=None)
    lab.add_argument("--no-browser", action="store_true")
    lab.add_argument("--dry-run", action="store_true", help="cetak perintahnya saja")
    doc = sub.add_parser("schema-doc", help="tulis kamus data (Markdown) ke README data")
    doc.add_argument("--write", default=str(config.RAW / "README.md"))
    doc.add_argument("--debug", action="store_true")
    return parser


def _latest(raw: Path, doing: str) -> str:
    from .run.runner import latest_year

    year = latest_year(raw)
    print(f"YEAR tidak disebut: {doing} tahun terakhir, {year}", flush=True)
    return str(year)


def _report(args) -> int:
    from .present import summary
    from .run.progress import Board
    from .run.runner import build_year, quarters_missing

    year = args.year or _latest(Path(args.raw), "membangun")
    with Board() as board:  # the annual report's line and its quarters' line, never mixed
        built = build_year(year, Path(args.raw), Path(args.out), Path(args.processed),
                           Path(args.notebooks), force=args.force, progress=board.progress(),
                           beside=board.progress())
    folder = built.annual
    if folder is not None:
        year = folder.name
        print(f"LKIP {year} selesai: {folder / config.report_name(int(year), 'html')}")
        print(f"                   {folder / config.report_name(int(year), 'pdf')}")
    failed = [(tw, error) for tw, error in built.quarters if isinstance(error, BaseException)]
    missing = quarters_missing(year, Path(args.raw)) if built.quarters else {}
    documents = [(summary.annual_title(year), folder)] if folder is not None else []
    for tw, result in built.quarters:
        if not isinstance(result, BaseException):
            _said_quarter(result, int(year), tw, missing.get(tw))
            documents.append((summary.quarter_title(tw, year), result))
    code = _findings_said(documents, args.strict)
    if folder is None:  # last, what the user must know: what the annual report still needs
        _said_waiting(built, str(year), Path(args.raw))
    else:  # or that it is a draft
        _said_draft(folder, year)
    for _, error in failed:
        raise error  # the first failure, reported as any build's (exit code and message)
    return code


def _findings_said(documents: list[tuple[str, Path]], strict: bool) -> int:
    """Each published document's findings, last, where the user reads; with STRICT=1 an
    error among them fails the command."""
    from .present import summary

    for line in summary.lines(documents):
        print(_shown(line))  # messages quote values from received files
    with_errors = summary.errors_in(documents) if strict else {}
    if with_errors:
        print(_shown(summary.strict_line(with_errors)))
        return summary.STRICT_EXIT
    return 0


def _said_draft(folder: Path, year: str) -> None:
    """A draft says so in the build's last line (draft.py)."""
    from .check import draft

    line = draft.build_line(folder, f"LKIP {year}")
    if line:
        print(_shown(line))


def _said_waiting(built, year: str, raw: Path) -> None:
    """A year under way: its quarters are built; what its annual report still needs, and the
    command for a quarter alone (exit code 0: nothing more could be built)."""
    from .read.schema import TRIWULAN
    from .run.runner import waiting_line

    print(f"{waiting_line(year, built)}:")
    for defect in built.waiting.defects:
        print(_shown(f"  - {defect}"))
    where = "" if raw.resolve() == config.RAW.resolve() else f" RAW={raw}"
    last = TRIWULAN.index(built.quarters[-1][0]) + 1
    print(f"Satu laporan triwulan saja: make triwulan YEAR={year} TW={last}{where}. LKIP "
          f"tahunan dibangun oleh make report setelah hal di atas dilengkapi.")


def _said_quarter(folder: Path, year: int, tw: str, missing: str | None = None) -> None:
    """The quarter's report, and what it leaves out for want of data."""
    from .read.schema import TRIWULAN

    n = TRIWULAN.index(tw) + 1
    print(f"Laporan Triwulan {tw} {year} selesai: "
          f"{folder / config.quarter_report_name(year, n, 'pdf')}")
    if missing:
        print(f"  Catatan: {missing}.")


def _triwulan(args) -> int:
    from .compute.quarterly import latest, parse_triwulan
    from .present import summary
    from .run.progress import Board
    from .run.runner import build_quarter, check_year, quarters_missing

    raw = Path(args.raw)
    year = check_year(args.year or _latest(raw, "membangun"), raw.resolve())
    if args.tw is None:
        tw = latest(raw.resolve() / str(year), year)
        print(f"TW tidak disebut: membangun triwulan terakhir yang berisi data, {tw}",
              flush=True)
    else:
        tw = parse_triwulan(args.tw)
    with Board() as board:
        folder = build_quarter(str(year), tw, raw, Path(args.out), Path(args.processed),
                               Path(args.notebooks), force=args.force,
                               progress=board.progress())
    _said_quarter(folder, year, tw, quarters_missing(str(year), raw).get(tw))
    return _findings_said([(summary.quarter_title(tw, year), folder)], args.strict)


def _preview(args) -> int:
    from .run import preview

    year = args.year or _latest(Path(args.raw), "mempratinjau")
    where = (Path(args.raw), Path(args.out), Path(args.processed), Path(args.notebooks))
    if args.command == "watch":
        try:
            preview.watch(year, *where)
        except KeyboardInterrupt:
            print("Pemantauan dihentikan.", file=sys.stderr)
        return 0
    print(preview.say(preview.build(year, *where)))
    return 0


def _workbook(args) -> int:
    from .errors import parameter
    from .run.runner import check_year

    raw = Path(args.raw)
    if args.from_year and args.out:
        print("Pilih salah satu: OUT=<file.xlsx> (ekspor) atau FROM=<tahun> (tahun baru)",
              file=sys.stderr)
        return 2
    if args.from_year:
        if not args.year:
            print("Sebutkan tahun baru: make workbook YEAR=<tahun> FROM=<tahun sebelumnya>",
                  file=sys.stderr)
            return 2
        if not config.YEAR_PATTERN.match(str(args.year)):
            raise parameter("YEAR", "tahun laporan tidak sah", str(args.year),
                            "tahun empat digit, mis. YEAR=2025")
        from_year = check_year(args.from_year, raw)
        from .present.workbook import start_year

        path = start_year(int(args.year), from_year, raw)
        print(f"Data tahun {args.year} dimulai dari tahun {from_year}: {path}")
        return 0
    if not args.out:
        print("Sebutkan OUT=<file.xlsx> (ekspor data satu tahun) atau FROM=<tahun sebelumnya> "
              "(mulai tahun baru)", file=sys.stderr)
        return 2
    from .present.workbook import check_target, export

    check_target(Path(args.out), raw)  # before any data is read
    year = check_year(args.year or _latest(raw, "mengekspor"), raw)
    path = export(year, raw, Path(args.out))
    print(f"Lembar kerja {year} ditulis: {path}")
    return 0


def _import(args) -> int:
    """A document that cannot be read is said in one line (exit 2), like bad data."""
    from .read.document import EXPECTED as KINDS
    from .read.document import DocumentError
    from .run import importer

    if not args.doc.strip():
        print(f"Sebutkan dokumen yang diimpor: make import DOC=<dokumen> YEAR=<tahun> ({KINDS})",
              file=sys.stderr)
        return 2
    if not os.path.lexists(args.doc):  # as make audit says it
        print(_shown(f"{args.doc}: dokumen tidak ditemukan; yang diharapkan: jalur file yang "
                     "ada, mis. DOC=arsip/lkip_2023.pdf"), file=sys.stderr)
        return 2
    try:
        result = importer.run(Path(args.doc), args.year, Path(args.raw),
                              Path(args.out) if args.out else None, args.force)
    except DocumentError as exc:
        print(_shown(exc), file=sys.stderr)
        print("Tidak ada yang ditulis.", file=sys.stderr)
        return 2
    for line in result.lines:  # names and titles from a received document among them
        print(_shown(line))
    return 0


def _lab(args) -> int:
    from .run import lab

    cmd = lab.command(args.jupyter, allow_root=True if args.allow_root else None,
                      port=args.port, browser=not args.no_browser)
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    return lab.run(cmd)


def _batch(args) -> int:
    from .run import batch

    return batch.main(Path(args.raw), Path(args.out), args.workers, args.year, args.force,
                      args.worker_wait, strict=args.strict)


def _verify(args) -> int:
    from .run import verify

    if args.pdf:
        result = verify.from_pdf(Path(args.pdf), Path(args.out))
    else:
        year = args.year or _latest(Path(args.raw), "memeriksa")
        result = verify.rebuild(year, Path(args.raw), Path(args.out),
                                Path(args.published) if args.published else None)
    for line in result.lines:  # names and figures from a received PDF among them
        print(_shown(line))
    return 0 if result.ok else 1


def _audit(args) -> int:
    """A received document audited; a refused one is said in one message (exit 2), as bad
    data is, and the previous audit stays."""
    from .read.document import EXPECTED as KINDS
    from .read.document import DocumentError
    from .run import audit

    if not args.doc:
        print(f"Sebutkan dokumen yang diperiksa: make audit DOC=<dokumen> ({KINDS})",
              file=sys.stderr)
        return 2
    if not os.path.lexists(args.doc):
        print(_shown(f"{args.doc}: dokumen tidak ditemukan; yang diharapkan: jalur file yang "
                     "ada, mis. DOC=arsip/lkip_2024.pdf"), file=sys.stderr)
        return 2
    try:
        done = audit.run(Path(args.doc), Path(args.out))
    except DocumentError as exc:
        print(_shown(exc), file=sys.stderr)
        print("Keluaran sebelumnya tidak diubah.", file=sys.stderr)
        return 2
    for line in done.lines:  # names, labels and figures from the received document
        print(_shown(line))
    return done.code


def _apart(args) -> None:
    """Every command that writes checks, before anything runs, that what it writes (OUT, the
    processed folder; for workbook the OUT file) and RAW are apart, links followed."""
    from . import folders

    if getattr(args, "raw", None) is None or args.command == "import":
        return  # an import writes into the data folder by design (importer.existing)
    written = {folders.OUT_FILE if args.command == "workbook" else folders.OUT:
               getattr(args, "out", None), folders.PROCESSED: getattr(args, "processed", None)}
    folders.check_apart([Path(args.raw)],
                        {role: Path(place) for role, place in written.items() if place})


def _shown(text) -> str:
    """A message as the terminal gets it: names, headers and values from received files may
    hold control characters (a colour or title sequence), printed escaped."""
    from .errors import printable

    return printable(text, keep="\n")


# their progress lines say nothing to an analyst, and watchfiles says them in English
QUIET_LOGGERS = ("papermill", "weasyprint", "fontTools", "watchfiles")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    debug = getattr(args, "debug", False) or os.environ.get("DEBUG") == "1"
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    for noisy in QUIET_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        _apart(args)
        if args.command == "schema-doc":
            from .read.schema import update_readme

            update_readme(args.write)
            print(f"kamus data ditulis ke {args.write}")
            return 0
        if args.command == "verify":
            return _verify(args)
        if args.command == "audit":
            return _audit(args)
        if args.command == "batch":
            return _batch(args)
        if args.command == "workbook":
            return _workbook(args)
        if args.command == "import":
            return _import(args)
        if args.command == "lab":
            return _lab(args)
        if args.command == "triwulan":
            return _triwulan(args)
        if args.command in ("preview", "watch"):
            return _preview(args)
        return _report(args)
    except KeyboardInterrupt:
        print("Dibatalkan; keluaran sebelumnya tidak diubah.", file=sys.stderr)
        return 130
    except Exception as exc:  # one clear message; traceback only on request
        from .errors import InputError
        from .run.runner import SetupError, StageError

        if debug:
            traceback.print_exc()
        if isinstance(exc, InputError):
            print(_shown(exc), file=sys.stderr)
            print("Keluaran sebelumnya tidak diubah.", file=sys.stderr)
            return 2
        if isinstance(exc, StageError):
            print(f"Tahap notebook gagal: {_shown(exc)}", file=sys.stderr)
            print("Keluaran sebelumnya tidak diubah.", file=sys.stderr)
            return 1
        if isinstance(exc, SetupError):
            print(f"Persiapan gagal: {_shown(exc)}", file=sys.stderr)
            print("Keluaran sebelumnya tidak diubah.", file=sys.stderr)
            return 3
        if isinstance(exc, OSError):  # read-only or full disk, a link loop, a vanished file
            from .run.runner import os_message

            print(_shown(os_message(exc)), file=sys.stderr)
            print("Keluaran sebelumnya tidak diubah.", file=sys.stderr)
            return 4
        print(f"Kesalahan: {type(exc).__name__}: {_shown(exc)}", file=sys.stderr)
        return 1
