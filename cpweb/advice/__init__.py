"""Advice dossiers: from a request or an idea to an outcome, with every step on a timeline."""
