"""Meetings of a body: agenda, stukken, attendance, minutes, decisions and action items."""
