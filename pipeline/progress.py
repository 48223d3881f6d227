"""What a build says while it runs: each step's name and its elapsed time, never silent for
more than about two seconds. On a terminal one line updates in place; in a log (CI, a file)
a line is added every few seconds instead."""

from __future__ import annotations

import sys
import threading
import time
from contextlib import contextmanager

TICK = 1.0  # seconds between updates on a terminal
LOG_TICK = 2.0  # seconds between lines in a log


def seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " dtk"


class Progress:
    """Prints to a stream; `step()` wraps one step of the build."""

    def __init__(self, stream=None, enabled: bool = True, ticking: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.ticking = ticking  # off for work running beside a step that shows its own time
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._lock = threading.Lock()

    def say(self, text: str) -> None:
        if self.enabled:
            with self._lock:
                print(text, file=self.stream, flush=True)

    @contextmanager
    def step(self, label: str):
        """Announce the step, keep its elapsed time showing, and end with the time it took."""
        start = time.monotonic()
        stop = threading.Event()
        self.say(label)
        ticker = threading.Thread(target=self._tick, args=(label, start, stop), daemon=True)
        if self.enabled and self.ticking:
            ticker.start()
        try:
            yield
        finally:
            stop.set()
            if ticker.is_alive():
                ticker.join()
            if self.tty and self.enabled and self.ticking:
                with self._lock:
                    self.stream.write("\r\033[K")
                    self.stream.flush()
        self.say(f"{label}: selesai ({seconds(time.monotonic() - start)})")

    def _tick(self, label: str, start: float, stop: threading.Event) -> None:
        while not stop.wait(TICK if self.tty else LOG_TICK):
            elapsed = seconds(time.monotonic() - start)
            with self._lock:
                if self.tty:
                    self.stream.write(f"\r\033[K  {label} … {elapsed}")
                else:
                    self.stream.write(f"  {label} … {elapsed}\n")
                self.stream.flush()


SILENT = Progress(enabled=False)
