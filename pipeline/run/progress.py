"""What a build says while it runs: each step's name and its elapsed time, never silent for
more than about two seconds.

The documents one command builds at once (the annual report, and its quarters beside it)
share one Board: on a terminal each has one line, updated in place below what is already said
and left as it last read when the document is done; in a log (CI, a file) whole lines are
added instead, one when a step starts, one every LOG_TICK while it runs and one when it ends.
Every write goes through the board's lock, so two documents' lines never mix."""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager

TICK = 1.0  # seconds between updates on a terminal
LOG_TICK = 2.0  # seconds between lines in a log
WIDTH = 100  # of a terminal that does not say its width
# on a terminal: back to the first live line and clear from there to the end of the screen
UP, CLEAR_BELOW = "\033[{}A", "\033[J"


def seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " dtk"


def _is_tty(stream) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)())


class Line:
    """One document's line on a terminal: what it says now."""

    def __init__(self, text: str = ""):
        self.text = text


class Board:
    """The lines of the documents being built, on one stream (see the module's docstring)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = _is_tty(self.stream)
        self._lock = threading.RLock()
        self._live: list[Line] = []
        self._drawn = 0  # live lines on screen; the cursor is at the end of the last one
        self._closed = False

    def progress(self, ticking: bool = True) -> Progress:
        """A Progress for one builder (a thread building documents one after another)."""
        return Progress(self.stream, ticking=ticking, board=self)

    def lasting(self, text: str) -> None:
        """A line that stays, above the live ones."""
        with self._lock:
            self._redraw([text])

    def show(self, line: Line) -> None:
        """A live line, added or changed (a terminal only; a log gets lasting lines)."""
        with self._lock:
            if not self.tty or self._closed:
                return
            if line not in self._live:
                self._live.append(line)
            self._redraw([])

    def settle(self, line: Line) -> None:
        """A live line is done: it stays as it last read."""
        with self._lock:
            if line in self._live:
                self._live.remove(line)
                self._redraw([line.text])

    def close(self) -> None:
        """Every live line stays as it last read; the cursor is on a fresh line."""
        with self._lock:
            settled, self._live = [line.text for line in self._live], []
            self._closed = True
            self._redraw(settled)

    def __enter__(self) -> Board:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _redraw(self, lasting: list[str]) -> None:
        parts = []
        if self._drawn:
            parts.append("\r" + (UP.format(self._drawn - 1) if self._drawn > 1 else "")
                         + CLEAR_BELOW)
        parts += [text + "\n" for text in lasting]
        live = [self._fit(line.text) for line in self._live]
        parts.append("\n".join(live))
        self._drawn = len(live)
        text = "".join(parts)
        if text:
            self.stream.write(text)
            self.stream.flush()

    def _fit(self, text: str) -> str:
        """A live line never wraps: a wrapped line would throw the way back up off."""
        try:
            width = os.get_terminal_size(self.stream.fileno()).columns or WIDTH
        except (OSError, ValueError, AttributeError):
            width = WIDTH  # not a real terminal, or one that does not say (0 columns)
        return text if len(text) < width else text[:max(width - 2, 1)] + "…"


class Progress:
    """Says a builder's steps on a board (its own when none is given); `step()` wraps one
    step of the build, `document()` the steps of one document."""

    def __init__(self, stream=None, enabled: bool = True, ticking: bool = True,
                 board: Board | None = None):
        self.board = board or Board(stream)
        self.stream = self.board.stream
        self.enabled = enabled
        self.ticking = ticking  # off for work whose time another line already shows
        self.tty = self.board.tty
        self._line: Line | None = None  # the document being built, on a terminal

    def say(self, text: str) -> None:
        if not self.enabled:
            return
        if self.tty and self._line is not None:
            self._line.text = text
            self.board.show(self._line)
        else:
            self.board.lasting(text)

    @contextmanager
    def document(self):
        """One document: its steps update one line on a terminal, which stays when done."""
        if self._line is not None or not self.enabled:
            yield
            return
        self._line = Line()
        try:
            yield
        finally:
            line, self._line = self._line, None
            self.board.settle(line)

    @contextmanager
    def step(self, label: str):
        """Announce the step, keep its elapsed time showing, and end with the time it took."""
        start = time.monotonic()
        stop = threading.Event()
        line = self._line or Line()
        self._running(line, label)
        ticker = threading.Thread(target=self._tick, args=(label, start, stop, line),
                                  daemon=True)
        if self.enabled and self.ticking:
            ticker.start()
        failed = False
        try:
            yield
        except BaseException:
            failed = True
            raise
        finally:
            stop.set()
            if ticker.is_alive():
                ticker.join()
            how = "gagal" if failed else "selesai"
            self._ended(line, f"{label}: {how} ({seconds(time.monotonic() - start)})")

    def _running(self, line: Line, label: str) -> None:
        if not self.enabled:
            return
        if self.tty:
            line.text = f"{label} …"
            self.board.show(line)
        else:
            self.board.lasting(label)

    def _ended(self, line: Line, text: str) -> None:
        if not self.enabled:
            return
        if not self.tty:
            self.board.lasting(text)
            return
        line.text = text
        self.board.show(line)
        if line is not self._line:  # a step outside a document is its own line
            self.board.settle(line)

    def _tick(self, label: str, start: float, stop: threading.Event, line: Line) -> None:
        while not stop.wait(TICK if self.tty else LOG_TICK):
            elapsed = seconds(time.monotonic() - start)
            if self.tty:
                line.text = f"{label} … {elapsed}"
                self.board.show(line)
            else:
                self.board.lasting(f"  {label} … {elapsed}")


SILENT = Progress(enabled=False)
