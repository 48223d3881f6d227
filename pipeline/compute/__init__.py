"""Stage 2, compute: the indicators, the budget, the declared figures and the ledger.
Imports read/ only."""
