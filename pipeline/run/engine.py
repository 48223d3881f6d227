"""The papermill engine that runs a notebook in the build's warm kernel (pipeline.run.kernel)."""

from __future__ import annotations

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger

from .kernel import STARTUP_SECONDS, KernelFailure

ENGINE = "lkip"


class _Client(PapermillNotebookClient):
    """papermill's client, with the fresh namespace run before the first cell."""

    prelude = ""

    def papermill_execute_cells(self):
        reply = self.wait_for_reply(self.kc.execute(self.prelude, silent=True,
                                                    store_history=False))
        if reply is None or reply["content"].get("status") != "ok":
            raise KernelFailure("kernel Jupyter tidak dapat dikosongkan untuk tahap berikutnya")
        super().papermill_execute_cells()


class WarmKernelEngine(NBClientEngine):
    """papermill engine: the notebook runs in the build's kernel, which stays up afterwards."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, km=None, kc=None, prelude="",
                                 execution_timeout=None, **kwargs):
        client = _Client(nb_man, km=km, kernel_name=kernel_name, log=logger,
                         timeout=execution_timeout, startup_timeout=STARTUP_SECONDS,
                         log_output=False)
        client.prelude = prelude
        client.kc = kc  # the build's client, when given: nbclient then keeps it open
        try:
            return client.execute()
        finally:
            if kc is None and client.kc is not None and client.kc.channels_running:
                client.kc.stop_channels()


papermill_engines.register(ENGINE, WarmKernelEngine)
