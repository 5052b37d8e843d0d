"""Signals: what clients experience, good or bad, passed on through a public form.

Anonymous by default; contact details only with consent, erased after the retention period.
Secretaries triage signals; management sees counts by kind ("aard en aantal"), never names.
"""
