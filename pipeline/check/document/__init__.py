"""The audit of a received document: its tables read (read/document), turned into rows of the
kinds the data route's rules read, and checked by the same rules (check/rules.py)."""
