"""ledmot.clock: the moment writes record. Inside ``recorded_at`` every stamp a service
sets, every auto-stamped field and every history record carries the moment given; outside
it, and in any other thread, the real time."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.utils import timezone

from followup.models import FollowUpRound, Report, ReportStatus
from followup.services import report_approve, report_submit, round_close
from goals.models import Measurement
from goals.services import ValueInput, measurements_save
from ledmot import clock
from priorities.models import ItemKind, PriorityItem
from priorities.services import item_save, round_open
from tests.followup.helpers import open_round
from tests.priorities.helpers import COMPLETE

MOMENT = datetime.datetime(2025, 5, 12, 10, 30, tzinfo=datetime.UTC)


def near_real_now(moment: datetime.datetime) -> bool:
    return abs(timezone.now() - moment) < datetime.timedelta(minutes=5)


def test_outside_a_recorded_moment_now_is_the_real_time():
    assert not clock.is_recorded()
    assert near_real_now(clock.now())
    with clock.recorded_at(MOMENT):
        assert clock.is_recorded()
        assert clock.now() == MOMENT
    assert not clock.is_recorded()
    assert near_real_now(clock.now())


def test_moments_nest_and_a_callable_gives_the_moment_of_each_write():
    ticks = iter([MOMENT, MOMENT + datetime.timedelta(seconds=1)])
    with clock.recorded_at(MOMENT - datetime.timedelta(days=1)):
        with clock.recorded_at(lambda: next(ticks)):
            assert [clock.now(), clock.now()] == [MOMENT, MOMENT + datetime.timedelta(seconds=1)]
        assert clock.now() == MOMENT - datetime.timedelta(days=1)


def test_the_moment_is_left_behind_when_the_block_fails():
    with pytest.raises(RuntimeError), clock.recorded_at(MOMENT):
        raise RuntimeError
    assert near_real_now(clock.now())


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError), clock.recorded_at(datetime.datetime(2025, 5, 12)):
        pass


def test_another_thread_keeps_the_real_time():
    """A server thread answering requests while the demo is seeded is not in the story."""
    seen = []
    with clock.recorded_at(MOMENT):
        thread = threading.Thread(target=lambda: seen.append(clock.now()))
        thread.start()
        thread.join()
        assert clock.now() == MOMENT
    assert len(seen) == 1 and near_real_now(seen[0])


def _fill(report):
    for a in report.assessments.all():
        a.chosen, a.analysis = a.proposed, "Analys"
        a.save()


@pytest.mark.django_db
def test_followup_stamps_and_their_history_carry_the_recorded_moment(world):
    opened, submitted = MOMENT, MOMENT + datetime.timedelta(days=3)
    approved, closed = MOMENT + datetime.timedelta(days=5), MOMENT + datetime.timedelta(days=9)
    with clock.recorded_at(opened):
        rnd = open_round(world)
    report = Report.objects.get(round=rnd, org_unit=world.skola1)
    _fill(report)
    with clock.recorded_at(submitted):
        report = report_submit(report=report, user=world.editor, expected_version=report.version)
    with clock.recorded_at(approved):
        report = report_approve(
            report=report, user=world.controller, expected_version=report.version
        )
    with clock.recorded_at(closed):
        round_close(rnd=rnd, user=world.controller)

    report = Report.objects.get(pk=report.pk)
    assert report.status == ReportStatus.APPROVED
    assert (report.submitted_at, report.approved_at) == (submitted, approved)
    rnd = FollowUpRound.objects.get(pk=rnd.pk)
    assert (rnd.created_at, rnd.closed_at) == (opened, closed)
    # History: the reports bulk-created when the round opened, each step, the round's.
    dates = {str(h.history_change_reason or ""): h.history_date for h in report.history.all()}
    assert dates == {"": opened, "Inlämnad": submitted, "Godkänd": approved}
    assert {h.history_date for h in rnd.history.all()} == {opened, closed}
    assert {
        h.history_date for h in report.assessments.first().history.filter(history_type="+")
    } == {opened}


@pytest.mark.django_db
def test_outside_a_recorded_moment_the_services_stamp_the_real_time(world):
    rnd = open_round(world)
    report = Report.objects.get(round=rnd, org_unit=world.skola1)
    _fill(report)
    report = report_submit(report=report, user=world.editor, expected_version=report.version)
    assert near_real_now(report.submitted_at)
    assert near_real_now(FollowUpRound.objects.get(pk=rnd.pk).created_at)
    assert all(near_real_now(h.history_date) for h in report.history.all())


@pytest.mark.django_db
def test_values_and_priority_items_carry_the_recorded_moment(world):
    with clock.recorded_at(MOMENT):
        measurements_save(
            values=[ValueInput(world.indicator, "2024", Decimal("71"))], user=world.editor
        )
        rnd = round_open(
            title="Prioriteringar inför budget 2026", year=2026, plan_years=2,
            scope=world.kf, resource_frame=1_000_000, user=world.controller,
        )  # fmt: skip
        sheet = rnd.worksheets.get(committee=world.bun)
        item = item_save(
            item=PriorityItem(worksheet=sheet, kind=ItemKind.EXPANSION, title="Fler lärare",
                              **COMPLETE),
            user=world.controller, expected_version=None,
        )  # fmt: skip
    m = Measurement.objects.get(indicator=world.indicator, period="2024")
    assert m.entered_at == MOMENT
    assert [h.history_date for h in m.history.all()] == [MOMENT]
    item = PriorityItem.objects.get(pk=item.pk)
    assert (item.created_at, item.updated_at) == (MOMENT, MOMENT)
    assert {h.history_date for h in item.history.all()} == {MOMENT}
    # An update outside the block: the real time again.
    measurements_save(
        values=[ValueInput(world.indicator, "2024", Decimal("72"))], user=world.editor
    )
    m = Measurement.objects.get(pk=m.pk)
    assert near_real_now(m.entered_at)
    assert near_real_now(m.history.first().history_date)
