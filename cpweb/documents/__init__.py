"""Documents: the shared library of files (workbooks, letters, minutes, plans), with versions,
an audience per document, a bin, and Dutch full-text search over the files' own text.

Other features use `places` (attach a file to one of their places, list what a person may see or
choose, the audience) and, in views, `attaching` (the form and its answer); never the tables.
Who may see a document is decided in one place: `access`.
"""
