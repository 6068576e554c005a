"""The goals app's screens, one module per screen (see goals/urls.py)."""
