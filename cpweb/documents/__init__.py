"""Documents: the shared library of files (workbooks, letters, minutes, plans), with versions,
access levels, a bin, and Dutch full-text search over the files' own text.

Other features use the public API in `logic` (visible_documents_query, can_view, store_upload,
link_document, documents_for, register_link_kind) and never the tables directly.
"""
