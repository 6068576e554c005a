"""Annual wheel (årshjul): models arrive with the wheel (see followup/wheel_views.py)."""
