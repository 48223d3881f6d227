"""`.doc` and `.odt` made into `.docx` by LibreOffice headless, as the project's Writer
documents are made: in a private temporary folder (its own profile too, with macros off),
the received file under a fixed name, within a time limit after which LibreOffice and every
process it started are stopped. Nothing is written anywhere else.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from . import bounds
from .model import DocumentError

TIMEOUT = 120  # seconds; the seed's 90 pages convert in about 10
CONVERTED = {".doc": "Word 97-2003", ".odt": "OpenDocument", ".rtf": "RTF"}
FILTER = "docx:MS Word 2007 XML"
INSTALL = ("LibreOffice Writer (apt-get install libreoffice-writer, atau bash "
           "scripts/system-deps.sh --test)")
# the profile LibreOffice starts with: no macro runs and no linked image is fetched, whatever
# the document asks
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop
 oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop
 oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop
 oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(name: str, suffix: str, data: bytes, timeout: float = TIMEOUT) -> bytes:
    """The document converted to .docx bytes, or DocumentError saying why not."""
    program = soffice()
    if program is None:
        raise DocumentError(name, f"file {suffix} perlu LibreOffice untuk dibaca, dan "
                            "LibreOffice tidak terpasang", expected=INSTALL)
    with tempfile.TemporaryDirectory(prefix="lkip-dokumen-") as folder:
        work = Path(folder)
        source = work / f"masukan{suffix}"
        source.write_bytes(data)
        profile = work / "profil" / "user"
        profile.mkdir(parents=True)
        (profile / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
        out = work / "keluaran"
        command = [program, f"-env:UserInstallation={(work / 'profil').as_uri()}",
                   "--headless", "--norestore", "--nologo", "--nolockcheck",
                   "--convert-to", FILTER, "--outdir", str(out), str(source)]
        _run(name, command, timeout, work)
        made = out / "masukan.docx"
        if not made.is_file() or made.is_symlink():
            raise DocumentError(name, f"LibreOffice tidak dapat mengubah file {suffix} ini "
                                "menjadi .docx", expected=f"file {suffix} yang dapat dibuka "
                                "pengolah kata")
        return bounds.read_bytes(made)


def _run(name: str, command: list[str], timeout: float, work: Path) -> None:
    """LibreOffice in a session of its own, killed with all it started when time runs out."""
    env = {**os.environ, "HOME": str(work), "TMPDIR": str(work)}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL, cwd=work, env=env,
                               start_new_session=True)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise DocumentError(name, f"LibreOffice tidak selesai mengubah dokumen dalam "
                            f"{timeout:g} detik", expected="dokumen yang lebih kecil, atau "
                            "simpan sebagai .docx dari pengolah kata") from None
    finally:
        with contextlib.suppress(ProcessLookupError):  # what it left running, if anything
            os.killpg(process.pid, signal.SIGKILL)
