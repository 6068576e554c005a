"""What an indicator shows on a page: its chart, its table and its outcome.

Built from rows loaded in bulk by the views (a fixed number of queries for any
number of indicators), and shared by the indicator page and the goal page.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import DenseRank, RowNumber
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from goals.fulfilment import classify
from goals.models import Gender, Indicator, IndicatorKind, KoladaValue, Measurement, Target
from goals.periods import ReportingPeriod
from ledmot.lib.charts import Point, Series, format_number, line_chart

# The goal page charts each indicator's latest 13 periods: a year of months and the
# same month the year before, four years of tertials, thirteen years.
RECENT_PERIODS = 13

#: What a chart's axis holds, for the note under it on the values it leaves out.
CHART_KIND_LABELS = {
    "year": gettext_lazy("årsvärden"),
    "tertial": gettext_lazy("tertialvärden"),
    "month": gettext_lazy("månadsvärden"),
}


@dataclass
class TableRow:
    period: str
    label: str
    values: dict[str, Measurement | None]
    target: object = None


@dataclass
class IndicatorView:
    indicator: Indicator
    measurements: list[Measurement] = field(default_factory=list)
    targets: dict[int, object] = field(default_factory=dict)
    comparisons: dict[str, dict[int, object]] = field(default_factory=dict)
    # Print (report PDFs): the chart without its tooltips, drawn as an image.
    for_print: bool = False
    chart_image_url: str = ""
    # The goal page: the chart draws only this many latest periods (the indicator page
    # has the whole series); None draws them all.
    recent: int | None = None

    @property
    def genders(self) -> list[tuple[str, str]]:
        keys = [Gender.TOTAL]
        if self.indicator.gender_breakdown:
            keys += [Gender.WOMEN, Gender.MEN]
        labels = dict(Gender.choices)
        return [(k, str(labels[k])) for k in keys]

    def table(self) -> list[TableRow]:
        """One row per period, newest first, with a value per gender and the year's target."""
        by_period: dict[str, dict[str, Measurement]] = defaultdict(dict)
        keys: dict[str, int] = {}
        for m in self.measurements:
            by_period[m.period][m.gender] = m
            keys[m.period] = m.sort_key
        years_with_values = {ReportingPeriod.parse(p).year for p in by_period}
        for year in self.targets:
            if year not in years_with_values and self.indicator.frequency == "year":
                keys[str(year)] = ReportingPeriod.parse(str(year)).sort_key
        rows = []
        for period in sorted(keys, key=keys.get, reverse=True):
            parsed = ReportingPeriod.parse(period)
            target = self.targets.get(parsed.year) if parsed.kind == "year" else None
            rows.append(
                TableRow(
                    period=period,
                    label=parsed.label,
                    values={g: by_period[period].get(g) for g, _label in self.genders},
                    target=target,
                )
            )
        return rows

    @cached_property
    def latest(self) -> Measurement | None:
        totals = [m for m in self.measurements if m.gender == Gender.TOTAL and m.value is not None]
        return max(totals, key=lambda m: m.sort_key) if totals else None

    @property
    def latest_target(self):
        latest = self.latest
        return self.targets.get(latest.year) if latest else None

    @property
    def outcome(self) -> str:
        latest = self.latest
        return classify(
            self.indicator.direction, latest.value if latest else None, self.latest_target
        )

    @property
    def from_kolada(self) -> Measurement | None:
        """The newest value fetched from Kolada, for the "Källa: Kolada" line."""
        fetched = [m for m in self.measurements if m.source == "kolada" and m.fetched_at]
        return max(fetched, key=lambda m: m.fetched_at) if fetched else None

    def fmt(self, value) -> str:
        return format_number(value, self.indicator.decimals, self.indicator.unit)

    @cached_property
    def _all_periods(self) -> set[str]:
        periods = {m.period for m in self.measurements}
        if self.indicator.frequency == "year":
            periods |= {str(y) for y in self.targets}
        return periods

    @cached_property
    def chart_kind(self) -> str:
        """The one frequency on the chart's axis: the indicator's own or, when it has no
        values of its own frequency, the most common."""
        kinds = Counter(ReportingPeriod.parse(p).kind for p in self._all_periods)
        kind = self.indicator.frequency
        if kinds and not kinds[kind]:
            kind = kinds.most_common(1)[0][0]
        return kind

    @cached_property
    def periods(self) -> list[str]:
        """The chart's periods in time order: those with values, and a yearly indicator's
        target years, of :attr:`chart_kind`. Values of another frequency (a yearly
        indicator given a tertial value) are in the table, not on the axis, where they
        would stand evenly spaced as if a year and a tertial were alike: :attr:`off_chart`
        names them under the chart."""
        return sorted(
            (p for p in self._all_periods if ReportingPeriod.parse(p).kind == self.chart_kind),
            key=_sort_key,
        )

    @cached_property
    def off_chart(self) -> list[str]:
        """The labels of the periods with a value that the chart leaves out because they
        are of another frequency than its axis, in time order."""
        kept = set(self.periods)
        return [
            ReportingPeriod.parse(p).label
            for p in sorted(
                {m.period for m in self.measurements if m.value is not None} - kept,
                key=_sort_key,
            )
        ]

    @property
    def chart_kind_label(self) -> str:
        return str(CHART_KIND_LABELS[self.chart_kind])

    @property
    def off_chart_text(self) -> str:
        """:attr:`off_chart` as words: "2025 T1 och 2025 T2"."""
        return str(get_text_list(self.off_chart, _("och")))

    @property
    def has_older(self) -> bool:
        """The chart leaves out older periods (shown on the indicator page)."""
        return self.recent is not None and len(self.periods) > self.recent

    def chart(self, *, width: int = 640, height: int = 260):
        ind = self.indicator
        periods = self.periods[-self.recent :] if self.recent else self.periods
        parsed = {p: ReportingPeriod.parse(p) for p in periods}
        labels = {p: parsed[p].label for p in periods}

        def of_year(by_year: dict, period: str):
            """A yearly figure (target, comparison) at a year's point; none at a month's
            or a tertial's, which a yearly indicator may still have been given."""
            kind_year = parsed[period].kind == "year"
            return by_year.get(parsed[period].year) if kind_year else None

        series = []
        for gender, name in self.genders:
            values = {m.period: m.value for m in self.measurements if m.gender == gender}
            if any(values.get(p) is not None for p in periods):
                series.append(Series(name, tuple(Point(labels[p], values.get(p)) for p in periods)))
        yearly = ind.frequency == "year"
        if self.targets and yearly:
            # Targets are yearly: the target line is drawn for yearly indicators.
            series.append(
                Series(
                    _("Målvärde"),
                    tuple(Point(labels[p], of_year(self.targets, p)) for p in periods),
                    kind="target",
                )
            )
        for code, values in self.comparisons.items() if yearly else ():
            series.append(
                Series(
                    comparison_name(code),
                    tuple(Point(labels[p], of_year(values, p)) for p in periods),
                    kind="comparison",
                )
            )
        return line_chart(
            series,
            title=ind.name,
            unit=ind.unit,
            decimals=ind.decimals,
            width=width,
            height=height,
            chart_id=f"ind{ind.pk}",
            zero_based=False,
            interactive=not self.for_print,
        )


def _measurements(indicator_ids, recent: int | None, values=None):
    values = (Measurement.objects if values is None else values).filter(
        indicator_id__in=indicator_ids
    )
    if recent is None:
        return values.select_related("entered_by")
    newest_first = F("sort_key").desc()
    missing_last = Case(When(value__isnull=True, then=Value(1)), default=Value(0))
    shown = ("indicator_id", "period", "year", "sort_key", "gender", "value")
    return (
        values.only(*shown)
        .order_by()
        .annotate(
            period_rank=Window(DenseRank(), partition_by=F("indicator_id"), order_by=newest_first),
            # 1 on the newest value that is not missing, per indicator and gender.
            value_rank=Window(
                RowNumber(),
                partition_by=[F("indicator_id"), F("gender")],
                order_by=[missing_last.asc(), newest_first],
                output_field=IntegerField(),
            ),
        )
        .filter(
            Q(period_rank__lte=recent + 1)
            | Q(value_rank=1, gender=Gender.TOTAL, value__isnull=False)
        )
    )


def _sort_key(period: str) -> int:
    return ReportingPeriod.parse(period).sort_key


def comparison_name(code: str) -> str:
    return settings.LEDMOT_KOLADA_NAMES.get(code) or _("Kommun %(code)s") % {"code": code}


KIND_ORDER = {kind: i for i, kind in enumerate(IndicatorKind.values)}


def by_kind(views: list[IndicatorView]) -> list[IndicatorView]:
    """Indicators in Motala's order: resources, then performance (prestationer), then
    results; within a kind in the order given. A screen groups them with ``ifchanged``."""
    return sorted(views, key=lambda v: KIND_ORDER.get(v.indicator.kind, len(KIND_ORDER)))


def indicator_views(
    indicators, *, with_comparisons: bool = False, recent: int | None = None, values=None
) -> list[IndicatorView]:
    """IndicatorViews for many indicators in two queries (three with comparisons).

    ``recent``: load (and chart) only each indicator's latest ``recent`` periods, plus
    its latest total value, so that the page costs what it shows however long the
    series is; one period more is loaded to tell whether older ones exist.

    ``values``: the measurements to draw from (default all; the public portal passes
    only the published ones)."""
    views = {i.pk: IndicatorView(indicator=i, recent=recent) for i in indicators}
    for m in _measurements(views, recent, values):
        views[m.indicator_id].measurements.append(m)
    for t in Target.objects.filter(indicator_id__in=views):
        views[t.indicator_id].targets[t.year] = t.value
    if with_comparisons:
        kpis = {
            v.indicator.kolada_id.strip().upper(): v
            for v in views.values()
            if v.indicator.kolada_id
        }
        codes = [
            c for c in settings.LEDMOT_KOLADA_COMPARE if c != settings.LEDMOT_KOLADA_MUNICIPALITY
        ]
        for kv in KoladaValue.objects.filter(
            kpi__in=kpis, municipality__in=codes, gender=Gender.TOTAL
        ).order_by("municipality", "year"):
            kpis[kv.kpi.upper()].comparisons.setdefault(kv.municipality, {})[kv.year] = kv.value
    return list(views.values())
