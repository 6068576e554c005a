"""Extension points for the apps that build on the core (dependencies point one way:
``ledmot`` never imports goals or followup; they register here instead).

``OPEN_WORK``: callables ``(unit_ids) -> [(label, count), …]`` naming the work still
open on those org units: live goals, open activities, reports in an open round. The
organisation screens ask them before a unit is deactivated (``ledmot.rules``), so a
unit is not retired while work would be left behind on it.
"""

from collections.abc import Callable

OPEN_WORK: list[Callable[[list[int]], list[tuple[str, int]]]] = []
