"""A priority round over the test world (see tests/conftest.build_world).

Besides the four personas of the suite:
- ``bun_staff``: redigerare on Barn- och utbildningsnämnden, who writes its worksheet;
- ``von_staff``: redigerare on Vård- och omsorgsnämnden;
- ``kf_approver``: godkännare on the council, who records the political decisions.
"""

from ledmot.models import Role
from priorities.models import ItemKind, PriorityItem, Worksheet
from priorities.services import item_save, round_open, worksheet_submit
from tests.conftest import build_world
from tests.factories import UserFactory, grant

COMPLETE = {
    "description": "Förslaget beskrivet.",
    "severity": 3,
    "effect": 4,
    "cost_effect": 2,
    "evidence": 3,
    "cost_budget": 1_000_000,
}


def prio_world(frame=3_000_000):
    w = build_world()
    w.bun_staff = UserFactory(username="bunstaff", first_name="Berit", last_name="Budget")
    grant(w.bun_staff, w.bun, Role.EDITOR)
    w.von_staff = UserFactory(username="vonstaff", first_name="Vera", last_name="Omsorg")
    grant(w.von_staff, w.von, Role.EDITOR)
    w.kf_approver = UserFactory(username="kfapprover", first_name="Kim", last_name="Ordförande")
    grant(w.kf_approver, w.kf, Role.APPROVER)
    w.round = round_open(
        title="Prioriteringar inför budget 2026",
        year=2026,
        plan_years=2,
        scope=w.kf,
        resource_frame=frame,
        user=w.controller,
    )
    w.bun_sheet = Worksheet.objects.get(round=w.round, committee=w.bun)
    w.von_sheet = Worksheet.objects.get(round=w.round, committee=w.von)
    return w


def make_item(worksheet, user, *, goals=(), indicators=(), **fields) -> PriorityItem:
    data = {"kind": ItemKind.EXPANSION, "title": "Förslag", **COMPLETE, **fields}
    item = PriorityItem(worksheet=worksheet, **data)
    return item_save(
        item=item,
        user=user,
        expected_version=None,
        goals=list(goals),
        indicators=list(indicators),
    )


def submit(worksheet, user):
    worksheet = Worksheet.objects.get(pk=worksheet.pk)
    return worksheet_submit(worksheet=worksheet, user=user, expected_version=worksheet.version)
