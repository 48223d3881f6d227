"""The severities of a verification finding and their words, in a module without pandas: the
end of a build that had nothing to do reads its findings without loading it."""

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
LABEL = {ERROR: "kesalahan", WARNING: "peringatan", INFO: "catatan"}
