"""Extension points for the apps that build on the core (dependencies point one way:
``ledmot`` never imports goals or followup; they register here instead).

``OPEN_WORK``: callables ``(unit_ids) -> [(label, count), …]`` naming the work still
open on those org units: live goals, open activities, reports in an open round. The
organisation screens ask them before a unit is deactivated (``ledmot.rules``), so a
unit is not retired while work would be left behind on it.

``OPEN_WORK_TRANSFERS``: callables ``(*, unit_ids, to_unit, user)`` that hand an app's
open work over to the unit that takes it over, through the app's own writes, raising
``ValidationError`` (and moving nothing) when some of it cannot go there. Called by
``ledmot.services.org_unit_set_active`` inside its transaction: what cannot be handed
over (a report in an open round) still blocks the deactivation, and then nothing moves.
"""

from collections.abc import Callable

OPEN_WORK: list[Callable[[list[int]], list[tuple[str, int]]]] = []
OPEN_WORK_TRANSFERS: list[Callable[..., None]] = []
