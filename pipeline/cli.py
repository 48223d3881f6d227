"""Command line: `python -m pipeline report --year 2024` (what `make report` calls)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from pathlib import Path

from . import config


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lkip", description="LKIP dari data mentah")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="bangun LKIP (HTML dan PDF) untuk satu tahun")
    rep.add_argument("--year", required=True)
    rep.add_argument("--raw", default=str(config.RAW), help="folder berisi <tahun>/")
    rep.add_argument("--out", default=str(config.OUTPUTS))
    rep.add_argument("--processed", default=str(config.PROCESSED))
    rep.add_argument("--notebooks", default=str(config.NOTEBOOKS))
    rep.add_argument("--debug", action="store_true", help="tampilkan traceback Python")
    ver = sub.add_parser("verify", help="bangun ulang dan bandingkan, atau periksa satu PDF")
    ver.add_argument("--year", default=None)
    ver.add_argument("--raw", default=str(config.RAW))
    ver.add_argument("--out", default=str(config.OUTPUTS))
    ver.add_argument("--pdf", default=None, help="periksa PDF saja dari data tertanamnya")
    ver.add_argument("--debug", action="store_true")
    doc = sub.add_parser("schema-doc", help="tulis kamus data (Markdown) ke README data")
    doc.add_argument("--write", default=str(config.RAW / "README.md"))
    doc.add_argument("--debug", action="store_true")
    return parser


def _report(args) -> int:
    from .runner import build

    folder = build(args.year, Path(args.raw), Path(args.out), Path(args.processed),
                   Path(args.notebooks))
    year = folder.name
    print(f"LKIP {year} selesai: {folder / config.report_name(int(year), 'html')}")
    print(f"                   {folder / config.report_name(int(year), 'pdf')}")
    return 0


def _verify(args) -> int:
    from . import verify

    if args.pdf:
        result = verify.from_pdf(Path(args.pdf))
    else:
        if not args.year:
            print("Sebutkan YEAR=<tahun> atau PDF=<file.pdf>", file=sys.stderr)
            return 2
        result = verify.rebuild(args.year, Path(args.raw), Path(args.out))
    for line in result.lines:
        print(line)
    return 0 if result.ok else 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    debug = getattr(args, "debug", False) or os.environ.get("DEBUG") == "1"
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    try:
        if args.command == "schema-doc":
            from .schema import update_readme

            update_readme(args.write)
            print(f"kamus data ditulis ke {args.write}")
            return 0
        if args.command == "verify":
            return _verify(args)
        return _report(args)
    except KeyboardInterrupt:
        print("Dibatalkan; keluaran sebelumnya tidak diubah.", file=sys.stderr)
        return 130
    except Exception as exc:  # one clear message; traceback only on request
        from .errors import InputError
        from .runner import SetupError, StageError

        if debug:
            traceback.print_exc()
        if isinstance(exc, InputError):
            print(str(exc), file=sys.stderr)
            print("Keluaran sebelumnya tidak diubah.", file=sys.stderr)
            return 2
        if isinstance(exc, StageError):
            print(f"Tahap notebook gagal: {exc}", file=sys.stderr)
            print("Keluaran sebelumnya tidak diubah.", file=sys.stderr)
            return 1
        if isinstance(exc, SetupError):
            print(f"Persiapan gagal: {exc}", file=sys.stderr)
            print("Keluaran sebelumnya tidak diubah.", file=sys.stderr)
            return 3
        print(f"Kesalahan: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
