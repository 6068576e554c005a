"""Organisation och behörigheter: the screens on which administrators keep the org tree,
people and their roles, in LedMot's own layout (the Django admin is for superusers).
An admin role on the council administers everything; one on a committee (or any unit)
administers that part of the tree and the people whose roles lie in it. Every write goes
through ``ledmot.services``; the rules are in ``ledmot.rules``."""
