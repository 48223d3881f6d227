"""One Jupyter kernel per build, started and warmed while the build checks the data.

The four stages used to start a kernel each and import pandas, matplotlib and WeasyPrint four
times. Here one kernel imports them once, in the background, and papermill runs each notebook
in it through the `lkip` engine (pipeline/engine.py), which clears the namespace and the
execution count first, so each executed notebook reads as if it had its own kernel. Only
jupyter_client is imported here: the kernel starts before papermill is even loaded.
"""

from __future__ import annotations

import queue
import shutil
import tempfile
import time
from pathlib import Path

from .. import config

WARM = "import pipeline.run.stages as _stages\n_stages.warm()\ndel _stages"
STARTUP_SECONDS = 120
# a Unix socket's path holds at most 107 bytes on Linux (103 on macOS); the kernel's five
# sockets are named <folder>/k-<port>, the port up to five digits
SOCKET_PATH_MAX = 103
SHORT_TEMP = "/tmp"  # where the sockets go when the temporary folder's path is too long


def sockets_folder(preferred: Path) -> tuple[Path, bool]:
    """Where the kernel's sockets go: the build's private folder, or, when its path is too
    long for a socket (a deep TMPDIR), a private folder of its own in SHORT_TEMP; True when
    that folder is the kernel's to remove."""
    if len(str(Path(preferred) / "k-65535").encode()) <= SOCKET_PATH_MAX:
        return Path(preferred), False
    return Path(tempfile.mkdtemp(prefix="lkip-k-", dir=SHORT_TEMP)), True


class KernelFailure(RuntimeError):
    """The kernel could not start or import what the stages need; carries its message."""


def fresh_namespace(environment: dict[str, str]) -> str:
    """Code run silently before each notebook: an empty namespace, counts from 1, and the
    environment the stage expects (a fixed SOURCE_DATE_EPOCH for identical rebuilds)."""
    lines = ["get_ipython().reset(new_session=True)", "import os as _os"]
    lines += [f"_os.environ[{k!r}] = {v!r}" for k, v in sorted(environment.items())]
    lines.append("del _os")
    return "\n".join(lines)


class WarmKernel:
    """A kernel started in `cwd`; `ready()` waits until its imports are done."""

    def __init__(self, cwd: Path, sockets: Path):
        from jupyter_client import KernelManager

        self.sockets, self._own_sockets = sockets_folder(sockets)
        self.manager = KernelManager(kernel_name=config.KERNEL, transport="ipc",
                                     ip=str(self.sockets / "k"))
        self.manager.start_kernel(cwd=str(cwd),
                                  extra_arguments=["--HistoryManager.hist_file=:memory:"])
        self._client = self.manager.client()
        self._client.start_channels()
        self._warm_id = self._client.execute(WARM, silent=True, store_history=False)
        self._warmed = False

    def ready(self, timeout: float = STARTUP_SECONDS) -> None:
        """Block until the warm-up imports answered; short waits keep Ctrl-C responsive."""
        if self._warmed:
            return
        deadline = time.monotonic() + timeout
        while True:
            if not self.manager.is_alive():
                raise KernelFailure("kernel Jupyter berhenti saat dimulai")
            try:
                reply = self._client.get_shell_msg(timeout=0.2)
            except queue.Empty:
                if time.monotonic() > deadline:
                    raise KernelFailure("kernel Jupyter tidak menjawab saat dimulai") from None
                continue
            if reply["parent_header"].get("msg_id") == self._warm_id:
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelFailure(f"{content.get('ename')}: {content.get('evalue')}")
        self._warmed = True

    @property
    def warmed(self) -> bool:
        return self._warmed

    @property
    def client(self):
        """The one client every stage talks through: connecting a new one costs a round trip."""
        return self._client

    def shutdown(self) -> None:
        if self._client.channels_running:
            self._client.stop_channels()
        if self.manager.has_kernel:
            self.manager.shutdown_kernel(now=True)
        self.remove_sockets()

    def remove_sockets(self) -> None:
        """The sockets' own folder, when the kernel made one (sockets_folder)."""
        if self._own_sockets:
            shutil.rmtree(self.sockets, ignore_errors=True)
