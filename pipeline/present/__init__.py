"""Stage 4, present: the report and quarterly contexts, charts, narrative, templates, HTML and PDF,
the workbook export and the notebooks' views. Imports read/, compute/ and check/."""
