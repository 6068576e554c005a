"""The API's one write: indicator results pushed by a source system, checked by the
rules the results screen and the import use, then saved by ``measurements_save`` (the
one write path, with its locks and history; the history user is the token's system
user). A batch is all or nothing."""

from __future__ import annotations

from django.utils.translation import gettext as _

from api.errors import ApiError, bad_input
from api.models import ApiToken
from goals import rules
from goals.models import Gender, Indicator, IndicatorSource
from goals.models.indicators import Frequency
from goals.periods import ReportingPeriod
from goals.services import ValueInput, ValuesChanged, ValuesLocked, measurements_save
from ledmot.access import Cap, access_for, refusal
from ledmot.lib.text import COMMENT_LENGTH


def results_save(*, token: ApiToken, rows) -> int:
    """Save ``rows`` (:class:`api.schemas.ResultIn`) for ``token``; the number written.
    Raises :class:`ApiError`: 403 for a read-only token or an indicator the system
    user may not write, 400 with a message per field for bad input, 409 for a value a
    closed round has locked. Nothing is written unless every row is good."""
    if not token.can_write_results:
        raise ApiError(
            403, _("Tokenet får bara läsa. Be administratören om ett som får skriva utfall.")
        )
    user = token.user
    access = access_for(user)
    indicators = {
        i.pk: i
        for i in Indicator.objects.select_related("responsible_unit").filter(
            pk__in={r.indicator for r in rows}
        )
    }
    errors: dict[str, list[str]] = {}
    refused: dict[str, list[str]] = {}
    values: list[ValueInput] = []
    seen: dict[tuple, int] = {}
    frequencies = dict(Frequency.choices)
    for n, row in enumerate(rows):
        at = f"values[{n}]"
        here: dict[str, str] = {}
        indicator = indicators.get(row.indicator)
        if indicator is None:
            here["indicator"] = _("Indikatorn %(id)s finns inte.") % {"id": row.indicator}
        elif not access.can(Cap.EDIT, indicator.responsible_unit):
            refused[f"{at}.indicator"] = [str(refusal(Cap.EDIT, indicator.responsible_unit))]
        period = None
        try:
            period = ReportingPeriod.entered(row.period)
        except ValueError as e:
            here["period"] = str(e)
        if (
            period
            and indicator
            and not rules.period_fits_frequency(period.key, indicator.frequency)
        ):
            here["period"] = _(
                "Perioden ”%(period)s” finns inte för indikatorn, som mäts per %(freq)s."
            ) % {"period": period.key, "freq": str(frequencies[indicator.frequency]).lower()}
        if row.gender not in Gender.values:
            here["gender"] = _("Ange T (totalt), K (kvinnor) eller M (män).")
        elif indicator and row.gender != Gender.TOTAL and not indicator.gender_breakdown:
            here["gender"] = _("Indikatorn är inte uppdelad på kön: ange T.")
        if (
            row.value is not None
            and indicator
            and (error := rules.indicator_number_error(row.value, unit=indicator.unit))
        ):
            here["value"] = error
        if row.comment is not None and len(row.comment) > COMMENT_LENGTH:
            here["comment"] = _("Högst %(n)s tecken.") % {"n": COMMENT_LENGTH}
        if period:
            key = (row.indicator, period.key, row.gender)
            if key in seen:
                here["period"] = _(
                    "Samma indikator, period och kön finns redan i values[%(n)s]."
                ) % {"n": seen[key]}
            seen.setdefault(key, n)
        for field, message in here.items():
            errors[f"{at}.{field}"] = [message]
        if not here and indicator is not None:
            values.append(
                ValueInput(
                    indicator=indicator,
                    period=period.key,
                    value=row.value,
                    gender=row.gender,
                    comment=row.comment,
                    source=IndicatorSource.IMPORT,
                )
            )
    if refused:
        raise ApiError(
            403,
            _("Tokenets systemanvändare får inte skriva alla värdena: inget sparades."),
            refused,
        )
    if errors:
        raise bad_input(errors)
    where = {id(v): f"values[{n}]" for n, v in enumerate(values)}
    try:
        return len(
            measurements_save(
                values=values, user=user, reason=_("API: %(name)s") % {"name": token.name}
            )
        )
    except ValuesLocked as e:
        locked: dict[str, list[str]] = {}
        for v, message in e.locked:
            locked.setdefault(f"{where[id(v)]}.period", []).append(message)
        raise ApiError(
            409, _("En stängd uppföljning har låst värden: inget sparades."), locked
        ) from None
    except ValuesChanged as e:
        changed = {
            f"{where[id(v)]}.value": [m] for (v, _m), m in zip(e.changed, e.messages, strict=True)
        }
        raise ApiError(409, _("Någon annan sparade samtidigt: inget sparades."), changed) from None
