"""Stage 3, check: the findings, rules over the computed tables of an annual or a quarterly report.
Imports read/ and compute/."""
