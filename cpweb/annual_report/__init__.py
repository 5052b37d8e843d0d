"""The annual report: a draft built from the year's records, as a page and as Markdown."""
