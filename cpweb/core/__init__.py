"""What every feature builds on and no request needs to know about: the database and its extensions,
settings, the hooks features plug into, jobs and the cron ledger, the audit log, limits on tries,
retention and the processing register, full-text indexes, the file store, keys, guards, the annual
report's sections, reminders, and the language's texts and Dutch dates (logic and mails need those
as much as pages do).

Core imports nothing of `cpweb.web` or of a feature: a feature may be taken away without touching it.
tests/test_layers.py keeps this rule.
"""
