"""Stage 1, read: the data dictionary, CSV and workbook reading, numbers, units and corrections;
what a build takes in, checked and typed. Imports nothing of the other stages."""
