"""Follow-up screens, one module per screen: rounds (list, open, close), the round's
dashboard, a unit's report (with its htmx fragments and the period's values), the
report PDFs and the annual wheel. URLs in ``followup/urls.py``."""
