"""`make lab`: JupyterLab on the project, bound to this machine, its URL said clearly.

The server serves the project folder (so a notebook's link to `outputs/.scratch/...` opens)
and starts in `notebooks/`. As root (containers, WSL) Jupyter refuses to start without
`--allow-root`; it is passed then, or always with `make lab LAB_ALLOW_ROOT=1`.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from .. import config

START = "/lab/tree/notebooks"
URL = re.compile(r"https?://127\.0\.0\.1:\d+/\S*")
READY_WAIT = 15  # seconds: Jupyter logs its URL a moment before it accepts connections
# a record of Jupyter's log: `[I 2026-12-03 12:22:20.968 ServerApp] …`, its further lines
# indented; the levels passed on to the user (warnings, errors, critical)
RECORD = re.compile(r"\[([DIWEC]) [^\]]*\]")
SHOWN_LEVELS = "WEC"
URL_BLOCK = "To access the server"  # Jupyter's own block of URLs, which the banner replaces


class JupyterLog:
    """Which lines of Jupyter's log reach the user: its warnings and errors, and any line that
    is not a log record (a traceback, a usage message). Not its INFO records (extensions
    loaded, the language servers it did not find), nor the critical record that repeats the
    URL the banner already gives: that record's head is empty, so it is held until its next
    line tells."""

    def __init__(self):
        self.mode = "show"  # of the current record: show, hide, or hold (not yet known)
        self.held: list[str] = []

    def feed(self, line: str) -> list[str]:
        """The lines to show now, given the next line of Jupyter's log."""
        record = RECORD.match(line)
        if record is None and (not line.strip() or line[0].isspace()):  # a further line
            if self.mode == "hold":
                if URL_BLOCK not in line:
                    self.held.append(line)
                    return []
                self.mode, self.held = "hide", []
            return [line] if self.mode == "show" else []
        shown, self.held = self.held, []
        level = record.group(1) if record else "E"  # not a record: shown
        self.mode = "show" if level in SHOWN_LEVELS else "hide"
        if level == "C" and not line[record.end():].strip():
            self.mode, self.held = "hold", [line]
            return shown
        return shown + ([line] if self.mode == "show" else [])

    def close(self) -> list[str]:
        shown, self.held = self.held, []
        return shown


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def command(jupyter: str | Path, root: Path = config.ROOT, allow_root: bool | None = None,
            port: int | None = None, browser: bool = True) -> list[str]:
    """The `jupyter lab` command line; allow_root None: only when running as root."""
    cmd = [str(jupyter), "lab", f"--ip={config.LAB_IP}", f"--ServerApp.root_dir={root}",
           f"--LabApp.default_url={START}"]
    if is_root() if allow_root is None else allow_root:
        cmd.append("--allow-root")
    if port:
        cmd.append(f"--port={port}")
    if not browser:
        cmd.append("--no-browser")
    return cmd


def banner(url: str) -> str:
    line = "=" * 72
    return (f"\n{line}\nJupyterLab siap. Buka alamat ini di peramban (token sudah termasuk):\n\n"
            f"    {url}\n\nNotebook ada di folder notebooks/. Notebook yang dijalankan di sini "
            f"menulis ke\n{config.SCRATCH.relative_to(config.ROOT)}/<tahun>/, bukan ke "
            f"outputs/<tahun>/. Hentikan dengan Ctrl-C dua kali.\n{line}\n")


def serving(url: str, wait: float = READY_WAIT) -> bool:
    """Whether the server of `url` accepts connections, trying for up to `wait` seconds."""
    parts = urlsplit(url)
    deadline = time.monotonic() + wait
    while True:
        with socket.socket() as s:
            s.settimeout(1)
            if s.connect_ex((parts.hostname, parts.port)) == 0:
                return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)


def run(cmd: list[str], out=None) -> int:
    """Run JupyterLab, pass its warnings and errors through, and say its URL once it
    serves."""
    out = out or sys.stdout
    print("Menjalankan: " + " ".join(cmd), file=out, flush=True)
    try:
        proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, bufsize=1)
    except FileNotFoundError:
        print(f"JupyterLab tidak ditemukan ({cmd[0]}); jalankan `make lab` untuk memasangnya.",
              file=sys.stderr)
        return 3
    # Ctrl-C reaches Jupyter too (same process group): it asks, then stops; we wait for it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: proc.terminate())
    said = False
    log = JupyterLog()
    for line in proc.stderr:
        sys.stderr.writelines(log.feed(line))
        sys.stderr.flush()
        match = None if said else URL.search(line)
        if match:  # the first URL Jupyter logs carries the token
            said = True
            if serving(match.group(0)):
                print(banner(match.group(0)), file=out, flush=True)
            else:
                print(f"JupyterLab belum menjawab di {match.group(0)}; lihat pesannya di atas.",
                      file=sys.stderr, flush=True)
    sys.stderr.writelines(log.close())
    return proc.wait()
