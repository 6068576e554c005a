"""What the approver sees is what was submitted, approval locks the unit's values, and
approving is a deliberate step that can be undone until the round closes (issue 13,
points 3 and 4).

A submitted report records the period's indicator values it shows; a value changed
since — on the results screen or by the Excel import, both through
``measurements_save`` — is shown to the approver with its submitted and present value.
An approved report's values are locked as a closed round's are (the one lock rule,
``followup.locks``), by every path; undoing the approval lifts the lock."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from followup.models import Report, ReportStatus, SubmittedValue
from followup.services import (
    assessment_save,
    report_approve,
    report_return,
    report_unapprove,
    round_close,
)
from goals import kolada
from goals.kolada import Row
from goals.models import IndicatorSource, Measurement
from goals.services import ValueInput, ValuesLocked, indicator_delete, measurements_save
from goals.workbook.importer import apply_plan, read_plan
from ledmot.models import Role
from ledmot.services import ConflictError, LockedError
from tests.factories import IndicatorFactory, UserFactory, grant
from tests.followup.helpers import open_round
from tests.goals.workbook.helpers import xlsx

# The tertial report per 30 April 2025 reports the yearly indicators' value of 2024.
PERIOD = "2024"
APPROVED_LOCK = (
    "Värdet för 2024 ingår i en godkänd rapport i Tertialrapport 2025 och kan inte ändras."
)
CLOSED_LOCK = "Värdet för 2024 ingår i Tertialrapport 2025, som är stängd, och kan inte ändras."
CHANGED = "Ändrat efter inlämning:"
UNDO_CLOSED = "Uppföljningen är stängd. Godkännandet kan inte längre ångras."
UNDO_NOT_APPROVED = "Bara en godkänd rapport kan få sitt godkännande ångrat."


@pytest.fixture
def w(world):
    w = world
    measurements_save(values=[ValueInput(w.indicator, PERIOD, Decimal("12"))], user=w.editor)
    w.rnd = open_round(w)
    w.report = Report.objects.get(round=w.rnd, org_unit=w.skola1)
    a = w.report.assessments.get(goal=w.unit_goal)
    a.chosen, a.analysis = a.proposed, "Resultaten förbättras."
    assessment_save(assessment=a, user=w.editor, expected_version=None)
    w.approver = UserFactory(username="approver", first_name="Berit", last_name="Chef")
    grant(w.approver, w.bun, Role.APPROVER)
    return w


def report(w) -> Report:
    return Report.objects.select_related("round").get(pk=w.report.pk)


def submit(client, w):
    client.force_login(w.editor)
    url = reverse("followup:report_submit", args=[w.report.pk])
    client.post(url, {"version": report(w).version})
    assert report(w).status == ReportStatus.SUBMITTED


def approve(w):
    r = report(w)
    return report_approve(report=r, user=w.approver, expected_version=r.version)


def page(client, w, user):
    client.force_login(user)
    response = client.get(reverse("followup:report_detail", args=[w.report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def post_results(client, w, value, old="12"):
    client.force_login(w.editor)
    pk = w.indicator.pk
    return client.post(
        reverse("goals:results") + f"?period={PERIOD}",
        {f"p-{pk}": PERIOD, f"v-{pk}-T": value, f"o-{pk}-T": old},
    )


def stored(w):
    m = Measurement.objects.filter(indicator=w.indicator, period=PERIOD).first()
    return m.value if m else None


def state(w):
    """The values, their history and the report, to compare before and after a refusal."""
    r = report(w)
    return (
        list(Measurement.objects.values_list("indicator_id", "period", "gender", "value")),
        Measurement.history.count(),
        (r.status, r.version, r.approved_by_id, r.history.count()),
    )


# --------------------------------------------------------------------------- point 4


def test_submission_records_the_values_the_report_shows(client, w):
    submit(client, w)
    r = report(w)
    assert list(
        SubmittedValue.objects.filter(report=r).values_list(
            "submitted_at", "indicator_id", "period", "gender", "value"
        )
    ) == [(r.submitted_at, w.indicator.pk, PERIOD, "T", Decimal("12"))]


def test_the_approver_sees_the_submitted_values_and_nothing_marked_while_unchanged(client, w):
    submit(client, w)
    html = page(client, w, w.approver)
    assert "Värdena som de var när rapporten lämnades in" in html
    assert w.indicator.name in html and "Totalt 12" in html
    assert CHANGED not in html


def test_a_value_changed_on_the_results_screen_is_marked_with_old_and_new(client, w):
    submit(client, w)
    response = post_results(client, w, "15")
    assert response.status_code == 302
    assert stored(w) == Decimal("15")
    html = page(client, w, w.approver)
    # What was submitted stays what the page shows; the change says both values in words.
    assert "Totalt 12" in html
    assert f"{CHANGED} 12 → 15" in html
    # The unit sees the same mark on its submitted report.
    assert f"{CHANGED} 12 → 15" in page(client, w, w.editor)


def test_a_value_changed_by_the_excel_import_is_marked_with_old_and_new(client, w):
    submit(client, w)
    data = xlsx({"Utfall": [[w.indicator.pk, PERIOD, "T", "9,5", None]]})
    plan = read_plan(io.BytesIO(data), user=w.controller)
    assert plan.ok, plan.problems
    apply_plan(plan, user=w.controller)
    assert stored(w) == Decimal("9.5")
    assert f"{CHANGED} 12 → 9,5" in page(client, w, w.approver)


def test_a_value_emptied_since_submission_is_marked(client, w):
    submit(client, w)
    measurements_save(values=[ValueInput(w.indicator, PERIOD, None)], user=w.editor)
    assert f"{CHANGED} 12 → inget värde" in page(client, w, w.approver)


def test_a_returned_and_resubmitted_report_records_anew(client, w):
    submit(client, w)
    first = report(w).submitted_at
    r = report(w)
    report_return(
        report=r, user=w.approver, comment="Kontrollera värdet.", expected_version=r.version
    )
    measurements_save(values=[ValueInput(w.indicator, PERIOD, Decimal("15"))], user=w.editor)
    submit(client, w)
    r = report(w)
    assert r.submitted_at != first
    assert list(
        SubmittedValue.objects.filter(report=r)
        .order_by("submitted_at")
        .values_list("value", flat=True)
    ) == [Decimal("12"), Decimal("15")]  # the earlier submission's record is kept
    html = page(client, w, w.approver)
    assert "Totalt 15" in html and CHANGED not in html


def test_a_draft_report_shows_no_submitted_values(client, w):
    measurements_save(values=[ValueInput(w.indicator, PERIOD, Decimal("15"))], user=w.editor)
    html = page(client, w, w.editor)
    assert CHANGED not in html and "Värdena som de var när" not in html
    assert not SubmittedValue.objects.exists()


# --------------------------------------------------------------------------- the lock


def test_approval_locks_the_units_values_of_the_rounds_period_in_the_service(client, w):
    submit(client, w)
    approve(w)
    before = state(w)
    with pytest.raises(ValuesLocked) as exc:
        measurements_save(values=[ValueInput(w.indicator, PERIOD, Decimal("99"))], user=w.editor)
    assert exc.value.messages == [APPROVED_LOCK]
    assert state(w) == before
    # Another period of the same indicator, and another unit's indicator, stay open.
    measurements_save(values=[ValueInput(w.indicator, "2025", Decimal("1"))], user=w.editor)
    other = IndicatorFactory(name="Annan enhet", responsible_unit=w.skola2)
    measurements_save(values=[ValueInput(other, PERIOD, Decimal("1"))], user=w.controller)


def test_the_results_screen_shows_the_value_locked_and_refuses_it(client, w):
    submit(client, w)
    approve(w)
    before = state(w)
    client.force_login(w.editor)
    html = client.get(reverse("goals:results") + f"?period={PERIOD}").content.decode()
    assert APPROVED_LOCK in html
    response = post_results(client, w, "99")
    assert response.status_code == 200
    html = response.content.decode()
    assert APPROVED_LOCK in html and "Inget har sparats" in html
    assert state(w) == before


def test_the_import_refuses_the_value_in_the_preview_and_when_applied(client, w):
    submit(client, w)
    data = xlsx({"Utfall": [[w.indicator.pk, PERIOD, "T", "99", None]]})
    plan = read_plan(io.BytesIO(data), user=w.controller)
    assert plan.ok
    approve(w)  # approved between the preview and applying it
    before = state(w)
    with pytest.raises(LockedError) as exc:
        apply_plan(plan, user=w.controller)
    assert exc.value.messages == [APPROVED_LOCK]
    assert state(w) == before
    preview = read_plan(io.BytesIO(data), user=w.controller)
    assert ("Utfall", 2, APPROVED_LOCK) in {(p.sheet, p.row, p.message) for p in preview.problems}


def test_kolada_skips_the_locked_value_with_the_message(client, w):
    submit(client, w)
    Measurement.objects.update(source=IndicatorSource.KOLADA)
    w.indicator.kolada_id = "N15428"
    w.indicator.save()
    approve(w)
    summary = kolada.sync(
        [Row("N15428", "0583", 2024, "T", Decimal("99"))],
        fetched_at=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC),
        own_code="0583",
    )
    assert APPROVED_LOCK in summary.messages
    assert stored(w) == Decimal("12")


def test_the_admin_and_the_service_refuse_to_delete_the_indicator(client, w):
    submit(client, w)
    approve(w)
    before = state(w)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    url = reverse("admin:goals_indicator_delete", args=[w.indicator.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 403
    assert "ingår i en godkänd rapport i Tertialrapport 2025" in response.content.decode()
    with pytest.raises(LockedError):
        indicator_delete(indicator=w.indicator, user=w.controller)
    assert state(w) == before


def test_a_closed_round_names_itself_rather_than_the_approval(client, w):
    submit(client, w)
    approve(w)
    round_close(rnd=w.rnd, user=w.controller)
    with pytest.raises(ValuesLocked) as exc:
        measurements_save(values=[ValueInput(w.indicator, PERIOD, Decimal("99"))], user=w.editor)
    assert exc.value.messages == [CLOSED_LOCK]


# --------------------------------------------------------------------------- point 3: the step


def test_the_approve_button_comes_after_the_content_with_what_approval_does(client, w):
    submit(client, w)
    html = page(client, w, w.approver)
    form = html.index(reverse("followup:report_approve", args=[w.report.pk]))
    assert form > html.index(w.unit_goal.title)
    assert form > html.index("Periodens indikatorvärden")
    assert form > html.index(w.activity.title)
    assert html.index("När du godkänner rapporten:") < form
    assert "låses enhetens indikatorvärden" in html
    assert "Du kan ångra godkännandet tills uppföljningen stängs." in html
    # At the top only a note that points down to it.
    assert html.index("Rapporten väntar på din granskning") < html.index(w.unit_goal.title)
    assert "Godkänn rapporten" not in page(client, w, w.editor)


def test_the_approver_undoes_the_approval_and_the_lock_goes_with_it(client, w):
    submit(client, w)
    approve(w)
    html = page(client, w, w.approver)
    assert "Ångra godkännandet" in html and "Godkänd av Berit Chef" in html
    assert "Ångra godkännandet" not in page(client, w, w.editor)
    client.force_login(w.approver)
    response = client.post(
        reverse("followup:report_unapprove", args=[w.report.pk]),
        {"version": report(w).version},
        follow=True,
    )
    assert "Godkännandet är ångrat" in response.content.decode()
    r = report(w)
    assert (r.status, r.approved_by, r.approved_at) == (ReportStatus.SUBMITTED, None, None)
    last = r.history.first()
    assert (last.history_user, last.history_change_reason) == (w.approver, "Godkännandet ångrat")
    # The values are open again, and the approver can approve once more.
    assert post_results(client, w, "15").status_code == 302
    assert stored(w) == Decimal("15")
    approve(w)
    assert report(w).status == ReportStatus.APPROVED


@pytest.mark.parametrize("who", ["editor", "reader", "other_editor", "other_approver"])
def test_only_an_approver_of_the_report_undoes_it(client, w, who):
    submit(client, w)
    approve(w)
    w.other_approver = UserFactory(username="vonchef")
    grant(w.other_approver, w.von, Role.APPROVER)
    before = state(w)
    client.force_login(getattr(w, who))
    response = client.post(
        reverse("followup:report_unapprove", args=[w.report.pk]), {"version": report(w).version}
    )
    assert response.status_code in (403, 404)
    assert state(w) == before


def test_undo_is_refused_after_the_round_closed(client, w):
    submit(client, w)
    approve(w)
    round_close(rnd=w.rnd, user=w.controller)
    before = state(w)
    client.force_login(w.approver)
    assert "Ångra godkännandet" not in page(client, w, w.approver)
    response = client.post(
        reverse("followup:report_unapprove", args=[w.report.pk]), {"version": report(w).version}
    )
    assert response.status_code == 403
    assert UNDO_CLOSED in response.content.decode()
    with pytest.raises(LockedError, match=UNDO_CLOSED):
        report_unapprove(report=report(w), user=w.approver, expected_version=report(w).version)
    assert state(w) == before


def test_undo_of_a_report_that_is_not_approved_is_refused(client, w):
    submit(client, w)
    before = state(w)
    client.force_login(w.approver)
    response = client.post(
        reverse("followup:report_unapprove", args=[w.report.pk]), {"version": report(w).version}
    )
    assert response.status_code == 403
    assert UNDO_NOT_APPROVED in response.content.decode()
    with pytest.raises(ValidationError, match=UNDO_NOT_APPROVED):
        report_unapprove(report=report(w), user=w.approver, expected_version=report(w).version)
    assert state(w) == before


def test_undo_from_a_stale_page_is_a_conflict_and_changes_nothing(client, w):
    submit(client, w)
    approve(w)
    stale = report(w).version - 1
    before = state(w)
    client.force_login(w.approver)
    response = client.post(
        reverse("followup:report_unapprove", args=[w.report.pk]), {"version": stale}, follow=True
    )
    assert "Rapporten har ändrats av någon annan" in response.content.decode()
    with pytest.raises(ConflictError):
        report_unapprove(report=report(w), user=w.approver, expected_version=stale)
    assert state(w) == before
