"""The rows built in Python (ledmot.lib.html and the three ``*_rows`` tag modules):
every piece of user-written text comes out escaped, and the words follow the
request's language (nothing is cached in the process between requests)."""

import datetime
from types import SimpleNamespace as NS

import pytest
from django.template import Context
from django.utils import translation
from django.utils.html import format_html

from followup.forms import AssessmentForm
from followup.models import GoalAssessment
from followup.templatetags import followup_rows
from goals.templatetags import goal_rows
from ledmot.lib.html import PkUrl, join
from priorities.templatetags import priorities_rows

HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "&amp;"]
ESCAPED = {
    "<script>alert(1)</script>": "&lt;script&gt;alert(1)&lt;/script&gt;",
    '"><img src=x onerror=alert(1)>': "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
    "&amp;": "&amp;amp;",
}


def goal(text, *, is_open=False, **fields):
    data = {
        "pk": 7,
        "level": "namnd",
        "title": text,
        "owner": NS(name=text),
        "status": "adopted",
        "proposal": "partly",
        "indicator_count": 1,
        "child_count": 2,
        "activity_count": 0,
        "shared": False,
        "chain_broken": True,
        "followup_assessment": "met",
        "followup_round": text,
        "is_open": is_open,
    }
    return NS(**{**data, **fields})


def report_rows(text):
    report = NS(
        pk=5,
        org_unit=NS(name=text),
        submitted_at=datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC),
    )
    return [
        {
            "report": report,
            "committee": NS(name=text),
            "state": "late",
            "symbol": "⚠",
            "state_label": text,
            "late": True,
        }
    ]


def proposal(text):
    return NS(
        pk=3,
        line_before=True,
        frame_row=NS(within=False, cumulative=2_000_000),
        decision="bordlagd",
        title=text,
        effective_rank=1,
        rank=1,
        suggested_rank=2,
        decided_on=datetime.date(2026, 6, 1),
        decision_paragraph=text,
        status="submitted",
        position=1,
        worksheet=NS(committee=NS(name=text)),
        kind="satsning",
        cost_budget=1_000_000,
    )


def assert_escaped(html, text, times):
    html = str(html)
    assert text not in html or text == "&amp;" and "&amp;amp;" in html
    assert html.count(ESCAPED[text]) == times, html


@pytest.mark.parametrize("text", HOSTILE)
class TestUserTextIsEscaped:
    def test_goal_row_folded(self, text):
        # title (link and hidden "för …"), owner, follow-up round name
        assert_escaped(goal_rows.goal_row(Context(), goal(text)), text, 4)

    def test_dashboard_rows(self, text):
        # unit, committee, state label
        assert_escaped(followup_rows.dashboard_rows(report_rows(text)), text, 3)

    def test_below_rows(self, text):
        assert_escaped(followup_rows.below_rows(report_rows(text)), text, 2)

    def test_assessment_fields(self, text):
        a = GoalAssessment(pk=9, chosen="met", analysis=text, measures=text, justification=text)
        bound = AssessmentForm(
            {"chosen": text, "analysis": text, "measures": text, "justification": text,
             "version": text}, instance=a,
        )  # fmt: skip
        assert_escaped(followup_rows.assessment_fields(AssessmentForm(instance=a)), text, 3)
        # the three texts, the version, and the refused choice named in its error
        assert_escaped(followup_rows.assessment_fields(bound), text, 5)

    @pytest.mark.django_db
    def test_report_blocks_and_value_rows(self, text, rf):
        """The report page's goals (an opened form filled into its drawn shape, and read
        only), what is missing, and the value rows (also filled into a shape)."""
        from goals.models import Goal
        from goals.periods import ReportingPeriod
        from goals.results import Cell, Row
        from goals.templatetags import result_rows

        a = GoalAssessment(pk=9, proposed="met", chosen="", version=2, goal=Goal(pk=3, title=text))
        a.analysis = a.measures = a.justification = text
        item = {"assessment": a, "form": None, "has_children": False, "distribution": []}
        request = rf.get("/")
        context = Context({"report": NS(pk=5), "request": request, "csrf_token": "t"})
        html = followup_rows.assessment_blocks(context, [item, item], True)
        assert_escaped(html, text, 8)  # per goal: the title and the three texts
        assert_escaped(followup_rows.assessment_blocks(context, [item], False), text, 4)
        missing = followup_rows.missing_items([(a, [text])])
        assert_escaped(missing, text, 2)
        ind = NS(pk=4, name=text, unit=text, responsible_unit=NS(name=text))
        cells = [Cell("T", "Totalt", "v-4-T", "o-4-T", None, text=text, original=text)]
        row = Row(ind, ReportingPeriod(2025, "year"), cells, comment=text, original_comment=text)
        rows = result_rows.result_rows(Context(), [row, row])
        # per row: the name (link, two labels), the unit's name, the unit, the cell's value
        # and original, the comment and its original
        assert_escaped(rows, text, 18)

    def test_overview_rows(self, text):
        # title (link and hidden "om …"), committee, decision paragraph
        rows = priorities_rows.overview_rows(
            [proposal(text)], NS(line_after=None, left=None), True, {}
        )
        assert_escaped(rows, text, 4)

    def test_goal_effect_rows(self, text):
        rows = priorities_rows.goal_effect_rows(
            [{"pk": 1, "title": text, "owner": text, "items": 1, "effect": 2, "within": 1,
              "adopted": 0, "cost": 5}]
        )  # fmt: skip
        assert_escaped(rows, text, 2)

    def test_join_escapes_plain_text_and_keeps_markup(self, text):
        assert_escaped(join(["<b>", text]), text, 1)
        assert str(join([goal_rows.assessment_word("met")])).startswith("<span")


def test_urls_are_escaped_where_inserted():
    detail = PkUrl("goals:goal_detail")
    assert detail(12, query={"q": "a&b", "tom": ""}, fragment="#x") == "/mal/12/?q=a%26b#x"
    assert str(format_html('<a href="{}">', detail(12, query={"a": 1, "b": 2}))) == (
        '<a href="/mal/12/?a=1&amp;b=2">'
    )
    with pytest.raises(ValueError):
        PkUrl("goals:goal_detail")("12) or 1=1")


def test_words_follow_the_language_of_each_render():
    """sv, en, sv in one process: a label cache filled under one language would
    give the next request the wrong words."""
    words = {"sv": ("Ägare", "Bruten kedja", "Förslag"), "en": ("Owner", "Broken chain",
                                                               "Proposal")}  # fmt: skip
    for lang in ("sv", "en", "sv"):
        with translation.override(lang):
            html = str(goal_rows.goal_row(Context(), goal("Titel")))
            badge = str(goal_rows.assessment_badge(Context(), "met"))
        for word in words[lang]:
            assert word in html, (lang, word)
        other = words["en" if lang == "sv" else "sv"]
        assert not any(w in html for w in other), lang
        assert ("Uppfyllt" if lang == "sv" else "Met") in badge


def test_the_row_html_helpers_escape_exactly_as_django_does():
    from django.utils import html as django_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from ledmot.lib import html

    values = [
        '<script>alert("x")</script>',
        "\"'><img src=x onerror=alert(1)>",
        "&amp; & < >",
        mark_safe("<b>safe</b>"),
        gettext_lazy("Utkast"),
        42,
        None,
        "",
    ]
    fmt = "<p title='{}'>{}</p>"
    for value in values:
        assert html.format_html(fmt, value, value) == django_html.format_html(fmt, value, value)
    assert html.join(values, sep="&") == django_html.conditional_escape("&").join(
        django_html.conditional_escape(v) for v in values
    )
    rows = [(v, v) for v in values]
    assert html.format_html_join("<br>", fmt, rows) == django_html.format_html_join(
        "<br>", fmt, rows
    )
