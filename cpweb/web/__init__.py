"""How a request is answered, shared by every feature's views: rendering a page or one block of it for
htmx, forms and the macros' helpers, error pages, security headers and sessions, the menu,
confirmations before a mail or what cannot be undone, kept guest pages, the site's URLs, Markdown,
QR codes, spreadsheets, the lists secretaries keep (one list page for every feature) and the home
page's sections.

Web imports `cpweb.core`, never a feature; features import both. tests/test_layers.py keeps this rule.
"""
