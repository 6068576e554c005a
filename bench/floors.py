"""Hand-written renderers: the least work that produces what a page shows.

A bench case's *floor* is the time of this code in the same run as the page, so the
ratio page/floor says how much the framework (ORM, templates, middleware) costs on top
of fetching the values and joining the markup. A floor must stay honest: it fetches
every value the page shows with raw SQL and joins the same elements (rows, cells,
links, counts, badges) as strings; ``tests/bench/test_floors.py`` checks its goals and
counts against the page's HTML.

What a floor leaves out is what every page pays the same: the session, the user and
their roles (given here as ``view_paths``), the menu of ``base.html``, CSRF and
translation (the strings are the Swedish ones).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from html import escape

from django.conf import settings
from django.templatetags.static import static

from goals.fulfilment import SYMBOLS, Assessment, classify, combine

PUBLIC = ("adopted", "revised", "ended")
COUNTED = ("submitted", "approved")
LEVELS = {"kf": "Kommunfullmäktiges mål", "namnd": "Nämndmål", "enhet": "Enhetsmål"}
STATUSES = {
    "proposed": ("◌", "Förslag"),
    "adopted": ("●", "Antaget"),
    "revised": ("◑", "Reviderat"),
    "ended": ("■", "Avslutat"),
}
CHILDREN = {"kf": ("nämndmål", "nämndmål"), "namnd": ("enhetsmål", "enhetsmål")}
EXPAND = {
    "kf": "Visa nämndmål",
    "namnd": "Visa enhetsmål och aktiviteter",
    "enhet": "Visa aktiviteter",
}
WORDS = {a.value: a.label for a in Assessment}
# How a piece of a report saves (followup_rows.PIECE_TRIGGER): as you type, and "Spara".
PIECE_TRIGGER = "change, input delay:1500ms, submit"


def _tables() -> dict[str, str]:
    from django.db import connection

    from followup.models import FollowUpRound, GoalAssessment, Report, RoundKind
    from goals.models import Activity, Goal, Indicator, MandatePeriod, Perspective, Vision
    from goals.models.indicators import IndicatorLatest
    from ledmot.models import OrgUnit

    q = connection.ops.quote_name
    models = {
        "goal": Goal,
        "activity": Activity,
        "indicator": Indicator,
        "latest": IndicatorLatest,
        "period": MandatePeriod,
        "vision": Vision,
        "perspective": Perspective,
        "unit": OrgUnit,
        "assessment": GoalAssessment,
        "report": Report,
        "round": FollowUpRound,
        "kind": RoundKind,
    }
    t = {name: q(m._meta.db_table) for name, m in models.items()}
    t["link"] = q(Indicator.goals.through._meta.db_table)
    t["order"] = q("order")
    t["end"] = q("end")
    return t


def _in(values) -> str:
    return ", ".join(["%s"] * len(values)) or "NULL"


def _visible(alias: str, unit: str, view_paths: list[str] | None) -> tuple[str, list]:
    """SQL for the goals a user may read: public ones and those their roles cover."""
    if view_paths is None:  # superuser
        return "1 = 1", []
    likes = " OR ".join(f"{unit}.path LIKE %s" for _ in view_paths)
    return (
        f"({alias}.status IN ({_in(PUBLIC)}){' OR ' + likes if likes else ''})",
        [*PUBLIC, *(p + "%" for p in view_paths)],
    )


def _rounds_note(goals: list[dict]) -> str:
    """The note above siblings assessed in different follow-ups (goal_rows._rounds_note)."""
    rounds = list(dict.fromkeys(g["followup"][1] for g in goals if g["followup"]))
    if len(rounds) < 2:
        return ""
    return (
        '<li class="chain-note"><span aria-hidden="true">ⓘ </span>Målen här är bedömda i '
        f"olika uppföljningar: {escape(', '.join(rounds))}.</li>"
    )


def _row(g: dict) -> str:
    """One closed chain row, the elements of ``goals.templatetags.goal_rows._row``."""
    pk, level, status, title = g["id"], g["level"], g["status"], escape(g["title"])
    meta = [f"<span>Ägare: {escape(g['owner'])}</span>"]
    if level in CHILDREN:
        meta.append(f"<span>{g['children']} {CHILDREN[level][g['children'] != 1]}</span>")
    n = g["indicators"]
    meta.append(f"<span>{n} {'indikator' if n == 1 else 'indikatorer'}</span>")
    if level != "kf" or g["activities"]:
        n = g["activities"]
        meta.append(f"<span>{n} {'aktivitet' if n == 1 else 'aktiviteter'}</span>")
    if g["shared"]:
        meta.append("<span>Kommungemensamt</span>")
    symbol, word = STATUSES[status]
    head = [
        f'<div class="goal-row__head"><span class="badge badge--level">{LEVELS[level]}</span> ',
        f'<a class="goal-row__title" href="/mal/{pk}/">{title}</a> ',
        f'<span class="badge badge--{status}"><span aria-hidden="true">{symbol} </span>'
        f"{word}</span>",
    ]
    if g["indicators"] and status != "ended":
        a = g["proposal"]
        head.append(
            f'<span class="assessment assessment--{a}" title="Förslag till bedömning">'
            f'<span aria-hidden="true">{SYMBOLS[a]} </span>Förslag från indikatorerna: '
            f"{WORDS[a]}</span>"
        )
    if g["followup"]:
        chosen, label = g["followup"]
        head.append(
            f' <span class="assessment assessment--{chosen} assessment--decided">'
            f'<span aria-hidden="true">{SYMBOLS[chosen]} </span>Bedömning {escape(label)}: '
            f"{WORDS[chosen]}</span>"
        )
    head.append(f'</div><div class="goal-row__meta">{"".join(meta)}</div>')
    flags = []
    if g["broken"]:
        flags.append('<span class="flag"><span aria-hidden="true">⚠ </span>Bruten kedja</span>')
    if g["indicators"] == 0 and status != "ended":
        flags.append(
            '<span class="flag flag--warn"><span aria-hidden="true">◔ </span>'
            "Saknar indikator – kan inte följas upp</span>"
        )
    if flags:
        head.append(f'<div class="goal-row__flags">{"".join(flags)}</div>')
    branch = g.get("branch")
    if not (g["children"] or g["activities"]):
        details = f"<ul>{branch}</ul>" if branch else ""
    elif branch is not None:
        details = (
            f'<details class="branch" open><summary>{EXPAND[level]} <span '
            f'class="visually-hidden">för {title}</span></summary><ul>{branch}</ul></details>'
        )
    else:
        url = f"/mal/{pk}/gren/"
        details = (
            f'<details class="branch" hx-get="{url}" hx-trigger="toggle once" '
            f'hx-target="find ul" hx-swap="innerHTML"><summary>{EXPAND[level]} '
            f'<span class="visually-hidden">för {title}</span></summary>'
            f'<ul><li><a href="{url}">Öppna grenen</a></li></ul></details>'
        )
    return f'<li class="goal-row goal-row--{level}" id="mal-{pk}">{"".join(head)}{details}</li>'


def chain_floor(cursor, *, period_id: int, committee: dict, view_paths: list[str] | None) -> str:
    """Röda tråden filtered on ``committee`` (``{"code", "name", "path"}``): the filters,
    the vision, every council goal of the period open down to the committee's goals,
    and the committee's goals without a council goal, for a user who reads the units
    under ``view_paths`` (``None``: everything)."""
    t = _tables()
    out: list[str] = []

    # The filters and the vision.
    cursor.execute(f"SELECT id, start_year, end_year FROM {t['period']} ORDER BY start_year DESC")
    periods = cursor.fetchall()
    cursor.execute(
        f"SELECT id, name FROM {t['perspective']} WHERE active ORDER BY {t['order']}, id"
    )
    perspectives = cursor.fetchall()
    cursor.execute(
        f"SELECT code, name FROM {t['unit']} WHERE kind IN ('namnd', 'bolag') AND active "
        f"ORDER BY {t['order']}, name"
    )
    committees = cursor.fetchall()
    cursor.execute(
        f"SELECT text, decision_reference FROM {t['vision']} WHERE mandate_period_id = %s",
        [period_id],
    )
    vision = cursor.fetchone()
    start = next(p for p in periods if p[0] == period_id)
    out.append(f'<h1>Röda tråden <span class="muted">{start[1]}–{start[2]}</span></h1>')
    out.append(
        '<nav aria-label="Röda tråden"><ul class="tabs"><li><a href="/" aria-current="page">'
        'Målkedjan</a></li><li><a href="/oversikt/">Översikt</a></li></ul></nav>'
    )
    if vision:
        out.append(f'<section class="vision"><h2>Vision</h2><p>{escape(vision[0])}</p>')
        if vision[1]:
            out.append(f'<p class="decision">Beslut: {escape(vision[1])}</p>')
        out.append("</section>")
    out.append('<form method="get" class="filters"><select name="period">')
    for pk, first, last in periods:
        sel = " selected" if pk == period_id else ""
        out.append(f'<option value="{first}"{sel}>{first}–{last}</option>')
    out.append('</select><select name="namnd"><option value="">Alla nämnder</option>')
    for code, name in committees:
        sel = " selected" if code == committee["code"] else ""
        out.append(f'<option value="{escape(code)}"{sel}>{escape(name)}</option>')
    out.append('</select><select name="perspektiv"><option value="">Alla perspektiv</option>')
    for pk, name in perspectives:
        out.append(f'<option value="{pk}">{escape(name)}</option>')
    out.append("</select></form>")

    # The goals: council goals, their children of the committee, its orphans.
    visible, vparams = _visible("g", "o", view_paths)
    cursor.execute(
        f"""
        SELECT g.id, g.level, g.status, g.title, g.parent_id, g.shared, o.name,
               g.perspective_id, p.name, pa.status, pa.parent_id, gp.status
        FROM {t["goal"]} g
        JOIN {t["unit"]} o ON o.id = g.owner_id
        JOIN {t["perspective"]} p ON p.id = g.perspective_id
        LEFT JOIN {t["goal"]} pa ON pa.id = g.parent_id
        LEFT JOIN {t["goal"]} gp ON gp.id = pa.parent_id
        WHERE {visible} AND (
            (g.mandate_period_id = %s AND g.level = 'kf')
            OR (o.path LIKE %s AND g.parent_id IN (
                SELECT id FROM {t["goal"]} WHERE mandate_period_id = %s AND level = 'kf'
            ))
            OR (o.path LIKE %s AND g.mandate_period_id = %s AND g.level = 'namnd'
                AND g.parent_id IS NULL)
        )
        ORDER BY p.{t["order"]}, g.{t["order"]}, g.id
        """,
        [
            *vparams,
            period_id,
            committee["path"] + "%",
            period_id,
            committee["path"] + "%",
            period_id,
        ],
    )
    goals = []
    for row in cursor.fetchall():
        pk, level, status, title, parent, shared, owner, persp, persp_name, ps, pp, gps = row
        broken = level != "kf" and (
            parent is None or ps == "ended" or (level == "enhet" and (pp is None or gps == "ended"))
        )
        goals.append(
            {
                "id": pk,
                "level": level,
                "status": status,
                "title": title,
                "parent": parent,
                "shared": shared,
                "owner": owner,
                "perspective": (persp, persp_name),
                "broken": broken,
                "children": 0,
                "activities": 0,
                "indicators": 0,
                "proposal": Assessment.NOT_ASSESSED,
                "followup": None,
            }
        )
    by_id = {g["id"]: g for g in goals}
    ids = list(by_id)

    # Their counts: one grouped query per kind over the goals shown.
    if ids:
        visible, vparams = _visible("c", "o", view_paths)
        cursor.execute(
            f"""
            SELECT c.parent_id, 0, COUNT(*) FROM {t["goal"]} c
            JOIN {t["unit"]} o ON o.id = c.owner_id
            WHERE c.parent_id IN ({_in(ids)}) AND {visible} GROUP BY c.parent_id
            UNION ALL
            SELECT goal_id, 1, COUNT(*) FROM {t["activity"]}
            WHERE goal_id IN ({_in(ids)}) GROUP BY goal_id
            """,
            [*ids, *vparams, *ids],
        )
        for pk, kind, n in cursor.fetchall():
            by_id[pk]["children" if kind == 0 else "activities"] = n
        cursor.execute(
            f"""
            SELECT l.goal_id, i.direction, la.value, la.target
            FROM {t["link"]} l
            JOIN {t["indicator"]} i ON i.id = l.indicator_id
            LEFT JOIN {t["latest"]} la ON la.indicator_id = i.id
            WHERE l.goal_id IN ({_in(ids)})
            """,
            ids,
        )
        outcomes = defaultdict(list)
        for pk, direction, value, target in cursor.fetchall():
            by_id[pk]["indicators"] += 1
            outcomes[pk].append(classify(direction, value, target))
        for pk, found in outcomes.items():
            by_id[pk]["proposal"] = combine(found)
        # The latest counted follow-up assessment of each goal.
        cursor.execute(
            f"""
            SELECT a.goal_id, a.chosen, k.name, r.year
            FROM {t["assessment"]} a
            JOIN {t["report"]} re ON re.id = a.report_id
            JOIN {t["round"]} r ON r.id = re.round_id
            JOIN {t["kind"]} k ON k.id = r.kind_id
            WHERE a.goal_id IN ({_in(ids)}) AND re.status IN ({_in(COUNTED)}) AND a.chosen <> ''
            ORDER BY a.goal_id, r.period_end DESC, a.id DESC
            """,
            [*ids, *COUNTED],
        )
        for pk, chosen, kind, year in cursor.fetchall():
            if by_id[pk]["followup"] is None:
                by_id[pk]["followup"] = (chosen, f"{kind} {year}")

    # The tree: every council goal open, with the committee's goals under it.
    by_parent = defaultdict(list)
    council = []
    for g in goals:
        (council if g["level"] == "kf" else by_parent[g["parent"]]).append(g)
    out.append(
        f'<p class="muted" id="chain-summary">{len(council)} mål för kommunfullmäktige – '
        f"med {escape(committee['name'])}s nedbrytning.</p>"
    )
    current = None
    for g in council:
        if g["perspective"] != current:
            if current is not None:
                out.append("</ul></section>")
            current = g["perspective"]
            out.append(
                f'<section class="perspective"><h2 id="persp-{current[0]}">'
                f'{escape(current[1])}</h2><ul class="chain">'
            )
            out.append(_rounds_note([c for c in council if c["perspective"] == current]))
        children = by_parent.get(g["id"], [])
        if g["children"] or g["activities"] or children:
            g["branch"] = _rounds_note(children) + "".join(_row(c) for c in children) or (
                f'<li class="empty">{escape(committee["name"])} har inget mål under detta mål.</li>'
            )
        out.append(_row(g))
    if current is not None:
        out.append("</ul></section>")
    orphans = by_parent.get(None, [])
    if orphans:
        out.append('<section class="perspective"><h2 id="orphans">Nämndmål utan överordnat mål')
        out.append('</h2><ul class="chain">')
        out.append(_rounds_note(orphans))
        out.extend(_row(g) for g in orphans)
        out.append("</ul></section>")
    out.append(_chain_assignments(cursor, committee))
    return "".join(out)


def _chain_assignments(cursor, committee: dict) -> str:
    """The open assignments given to the committee or its units, by due date (20, and a
    link to the list)."""
    import datetime

    q = _quoted
    cursor.execute(
        f"""
        SELECT a.id, a.title, a.due, a.status, o.name, g.title
        FROM {q("goals.Assignment")} a JOIN {q("ledmot.OrgUnit")} o ON o.id = a.owner_id
        LEFT JOIN {q("goals.Goal")} g ON g.id = a.goal_id
        WHERE a.status IN ('not_started', 'ongoing') AND o.path LIKE %s
        ORDER BY a.due, a.id LIMIT 21
        """,
        [committee["path"] + "%"],
    )
    found = cursor.fetchall()
    if not found:
        return ""
    cursor.execute(f"SELECT id FROM {q('ledmot.OrgUnit')} WHERE code = %s", [committee["code"]])
    (unit_id,) = cursor.fetchone()
    today = datetime.date.today()
    out = [
        '<section class="perspective" aria-labelledby="chain-assignments"><h2 '
        f'id="chain-assignments">Uppdrag till {escape(committee["name"])}</h2><ul '
        'class="chain-assignments">'
    ]
    statuses = {"not_started": "Ej påbörjat", "ongoing": "Pågår"}
    for pk, title, due, status, owner, goal in found[:20]:
        if isinstance(due, str):
            due = datetime.date.fromisoformat(due)
        late = (
            ' · <strong class="overdue"><span aria-hidden="true">⚠ </span>Försenat</strong>'
            if due < today
            else ""
        )
        goal = f' <span class="muted">(Mål: {escape(goal)})</span>' if goal else ""
        out.append(
            f'<li><a href="/uppdrag/{pk}/">{escape(title)}</a> – {escape(owner)} · klart '
            f"{due.isoformat()} · <strong>{statuses[status]}</strong>{late}{goal}</li>"
        )
    more = "Alla uppdrag" if len(found) > 20 else "Till uppdragen"
    out.append(f'</ul><p><a href="/uppdrag/?enhet={unit_id}">{more}</a></p></section>')
    return "".join(out)


# --------------------------------------------------------------------------- the report page

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
REPORT_STATUSES = {
    "draft": "Utkast",
    "submitted": "Inlämnad",
    "returned": "Återsänd",
    "approved": "Godkänd",
}
STATES = {  # state: (symbol, label), in the order of the summary
    "not_started": ("○", "Ej påbörjad"),
    "draft": ("✎", "Utkast"),
    "submitted": ("➜", "Inlämnad"),
    "returned": ("↩", "Återsänd"),
    "approved": ("✓", "Godkänd"),
}
PENDING = ("not_started", "draft", "returned")
GENDERS = {"T": "Totalt", "K": "Kvinnor", "M": "Män"}
CSRF = '<input type="hidden" name="csrfmiddlewaretoken" value="floor">'
PER_PAGE = 50
LONG_TEXT = 32767  # ledmot.lib.text.LONG_TEXT_LENGTH
Q4 = Decimal("0.0001")  # a stored value's decimals


def _date(day) -> str:
    if isinstance(day, str):  # SQLite gives dates as text
        import datetime

        day = datetime.date.fromisoformat(day)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _lines(text: str) -> str:
    return escape(text).replace("\r\n", "\n").replace("\n", "<br>")


def _badge(a: str, words: dict) -> str:
    return (
        f'<span class="assessment assessment--{a}" title="Förslag till bedömning">'
        f'<span aria-hidden="true">{SYMBOLS[a]} </span><span class="visually-hidden">'
        f"Förslag till bedömning: </span>{words[a]}</span>"
    )


def _state_badge(state: str) -> str:
    symbol, label = STATES[state]
    return (
        f'<span class="report-state report-state--{state}"><span aria-hidden="true">{symbol} '
        f"</span>{label}</span>"
    )


def _textarea(prefix: str, name: str, label: str, rows: int, value: str, help_text="") -> str:
    fid = f"id_{prefix}_{name}"
    extra = help_html = ""
    if help_text:
        help_html = f'<p class="help" id="{fid}_helptext">{escape(help_text)}</p>'
        extra = f' aria-describedby="{fid}_helptext"'
    return (
        f'<div class="field"><label for="{fid}">{label}</label>{help_html}<textarea '
        f'name="{name}" id="{fid}" rows="{rows}" cols="40"{extra}>\n{escape(value)}'
        "</textarea></div>"
    )


def _assessment_form(report_id: int, a: dict, choices: list, help_text: str) -> str:
    pk, prefix = a["id"], f"a{a['id']}"
    url = f"/uppfoljning/rapporter/{report_id}/bedomning/{pk}/"
    options = "".join(
        f'<option value="{v}"{" selected" if v == a["chosen"] else ""}>{escape(label)}</option>'
        for v, label in choices
    )
    return (
        f'<form method="post" class="form assessment-form" novalidate id="assessment-{pk}" '
        f'action="{url}" hx-post="{url}" hx-trigger="{PIECE_TRIGGER}" '
        'hx-sync="this:queue last" hx-swap="none">'
        f'{CSRF}<div id="conflict-{prefix}"></div><input type="hidden" name="version" '
        f'value="{a["version"]}" '
        f'id="id_{prefix}_version">'
        f'<div class="field"><label for="id_{prefix}_chosen">Bedömning</label><select '
        f'name="chosen" id="id_{prefix}_chosen">{options}</select></div>'
        + _textarea(prefix, "analysis", "Analys", 4, a["analysis"])
        + _textarea(prefix, "measures", "Åtgärder", 3, a["measures"])
        + _textarea(prefix, "justification", "Motivering", 2, a["justification"], help_text)
        + '<p class="actions"><button type="submit" class="button button--secondary '
        f'button--small">Spara</button><span role="status" id="saved-{prefix}"></span></p></form>'
    )


def _activity_form(report_id: int, u: dict, statuses: dict) -> str:
    pk, prefix = u["id"], f"id_u{u['id']}"
    url = f"/uppfoljning/rapporter/{report_id}/aktivitet/{pk}/"
    options = "".join(
        f'<option value="{v}"{" selected" if v == u["status"] else ""}>{escape(label)}</option>'
        for v, label in statuses.items()
    )
    return (
        f'<form method="post" class="form" novalidate id="update-{pk}" action="{url}" '
        f'hx-post="{url}" hx-trigger="{PIECE_TRIGGER}" hx-sync="this:queue last" '
        f'hx-swap="none">{CSRF}<div id="conflict-u{pk}"></div>'
        f'<input type="hidden" name="version" value="{u["version"]}" id="{prefix}_version">'
        f'<div class="field"><label for="{prefix}_status">Status <span class="required">'
        f'(obligatoriskt)</span></label><select name="status" required id="{prefix}_status">'
        f'<option value="">---------</option>{options}</select></div><div class="field"><label '
        f'for="{prefix}_comment">Kommentar</label><textarea name="comment" cols="40" rows="2" '
        f'maxlength="{LONG_TEXT}" id="{prefix}_comment">\n{escape(u["comment"])}</textarea></div>'
        '<p class="actions"><button type="submit" class="button button--secondary '
        f'button--small">Spara</button><span role="status" id="saved-u{pk}"></span></p></form>'
    )


def _assignments(cursor, report: dict, editable: bool) -> str:
    """The report's assignments (uppdrag): those it has an update for and, while it can
    change, those given to its unit since the round opened, each with its status."""
    import datetime

    from goals.models import AssignmentStatus

    q = _quoted
    statuses = {s.value: str(s.label) for s in AssignmentStatus}
    sql = f"""
        SELECT a.id, a.title, g.name, a.decision_reference, a.due, go.title, u.id,
               COALESCE(u.status, a.status), COALESCE(u.comment, ''), COALESCE(u.version, 0)
        FROM {q("goals.Assignment")} a JOIN {q("ledmot.OrgUnit")} g ON g.id = a.giver_id
        LEFT JOIN {q("goals.Goal")} go ON go.id = a.goal_id
        LEFT JOIN {q("followup.AssignmentUpdate")} u
          ON u.assignment_id = a.id AND u.report_id = %s
        WHERE u.id IS NOT NULL"""
    params = [report["id"]]
    if editable:  # goals.models.AssignmentQuerySet.in_year and the round's period end
        year = report["year"]
        sql += """ OR (a.owner_id = %s AND (a.decided_on IS NULL OR a.decided_on <= %s)
                   AND (a.status IN ('not_started', 'ongoing') OR a.due >= %s))"""
        end = min(report["period_end"], datetime.date(year, 12, 31))
        params += [report["unit_id"], end, datetime.date(year, 1, 1)]
    cursor.execute(sql + " ORDER BY a.due, a.id", params)
    rows = cursor.fetchall()
    if not rows:
        return ""
    out = ['<h2 id="uppdrag">Uppdrag</h2>']
    for pk, title, giver, reference, due, goal, upk, status, comment, version in rows:
        out.append(
            f'<section class="assessment-block" aria-labelledby="uppdrag-{pk}"><h3 '
            f'id="uppdrag-{pk}"><a href="/uppdrag/{pk}/">{escape(title)}</a></h3><p '
            f'class="muted">Från {escape(giver)}'
            + (f" · {escape(reference)}" if reference else "")
            + f" · Ska vara klart {_date(due)}"
            + (f" · Mål: {escape(goal)}" if goal else "")
            + "</p>"
        )
        if editable:
            url = f"/uppfoljning/rapporter/{report['id']}/uppdrag/{pk}/"
            options = "".join(
                f'<option value="{v}"{" selected" * (v == status)}>{escape(label)}</option>'
                for v, label in statuses.items()
            )
            prefix = f"id_g{pk}"
            saved = f' value="{version}"' if upk is not None else ""  # a new one: none
            out.append(
                f'<form method="post" class="form" novalidate id="uppdrag-form-{pk}" '
                f'action="{url}" hx-post="{url}" hx-trigger="{PIECE_TRIGGER}" '
                f'hx-sync="this:queue last" hx-swap="none">{CSRF}<div id="conflict-g{pk}"></div>'
                f'<input type="hidden" name="version"{saved} id="{prefix}_version">'
                f'<div class="field"><label for="{prefix}_status">Status <span class="required">'
                f'(obligatoriskt)</span></label><select name="status" required '
                f'id="{prefix}_status"><option value="">---------</option>{options}</select>'
                f'</div><div class="field"><label for="{prefix}_comment">Kommentar</label>'
                f'<textarea name="comment" cols="40" rows="2" maxlength="{LONG_TEXT}" '
                f'id="{prefix}_comment">\n{escape(comment)}</textarea></div><p class="actions">'
                '<button type="submit" class="button button--secondary button--small">Spara'
                f'</button><span role="status" id="saved-g{pk}"></span></p></form>'
            )
        else:
            note = f" – {escape(comment)}" if comment else ""
            out.append(f"<p>{statuses[status]}{note}</p>")
        out.append("</section>")
    return "".join(out)


OUTCOMES = {  # control.models.ControlOutcome: (symbol, label)
    "none": ("✓", "Inga anmärkningar"),
    "remarks": ("!", "Anmärkningar"),
    "serious": ("⚠", "Allvarliga anmärkningar"),
}


def _controls(cursor, report: dict, editable: bool) -> str:
    """The internal control section: the controls of the unit's adopted plan of the
    round's year asked in rounds of its kind, each with its risk and its result (a form
    when editable)."""
    q = _quoted
    kinds = q("control.Control_round_kinds")
    cursor.execute(
        f"""
        SELECT c.id, c.title, c.method, c.responsible, ri.id, ri.title, cr.outcome,
               cr.comment, cr.measures, cr.version, cr.id
        FROM {q("control.Control")} c
        JOIN {q("control.RiskAnalysis")} an ON an.id = c.analysis_id
        JOIN {q("control.Risk")} ri ON ri.id = c.risk_id
        LEFT JOIN {q("control.ControlResult")} cr ON cr.control_id = c.id AND cr.report_id = %s
        WHERE c.owner_id = %s AND an.year = %s AND an.adopted_on IS NOT NULL
          AND EXISTS (SELECT 1 FROM {kinds} k WHERE k.control_id = c.id
                      AND k.roundkind_id = (SELECT kind_id FROM {q("followup.FollowUpRound")}
                                            WHERE id = %s))
        ORDER BY c.title, c.id
        """,
        [report["id"], report["unit_id"], report["year"], report["round_id"]],
    )
    rows = cursor.fetchall()
    if not rows:
        return ""
    out = [
        '<h2 id="intern-kontroll">Intern kontroll</h2><p class="help">Kontrollerna i nämndens '
        "internkontrollplan som enheten rapporterar i den här uppföljningen.</p>"
    ]
    for pk, title, method, who, risk_pk, risk, outcome, comment, measures, version, saved in rows:
        out.append(
            f'<section class="assessment-block" aria-labelledby="kontroll-{pk}"><h3 '
            f'id="kontroll-{pk}">{escape(title)}</h3><p class="muted">Risk: <a '
            f'href="/kontroll/risker/{risk_pk}/">{escape(risk)}</a> · Hur: {escape(method)} · '
            f"Vem: {escape(who)}</p>"
        )
        prefix = f"kontroll-{pk}"
        if editable:
            url = f"/kontroll/rapporter/{report['id']}/kontroller/{pk}/"
            value = f' value="{version}"' if saved else ""
            radios = "".join(
                f'<div class="field field--checkbox"><input type="radio" name="{prefix}-outcome" '
                f'value="{v}" id="id_{prefix}-outcome_{i}" required'
                f'{" checked" if v == outcome else ""}><label for="id_{prefix}-outcome_{i}">'
                f"{label}</label></div>"
                for i, (v, (_symbol, label)) in enumerate(OUTCOMES.items())
            )
            out.append(
                f'<form method="post" class="form" novalidate action="{url}">{CSRF}<input '
                f'type="hidden" name="{prefix}-version"{value} id="id_{prefix}-version">'
                '<fieldset class="field"><legend>Resultat <span class="required">'
                f"(obligatoriskt)</span></legend>{radios}</fieldset>"
                + "".join(
                    f'<div class="field"><label for="id_{prefix}-{name}">{label}</label><textarea '
                    f'name="{prefix}-{name}" cols="40" rows="2" maxlength="{LONG_TEXT}" '
                    f'id="id_{prefix}-{name}">\n{escape(text or "")}</textarea></div>'
                    for name, label, text in (
                        ("comment", "Kommentar", comment),
                        ("measures", "Åtgärder", measures),
                    )
                )
                + '<p class="actions"><button type="submit" class="button button--secondary '
                'button--small">Spara</button></p></form>'
            )
        elif saved:
            symbol, label = OUTCOMES[outcome]
            out.append(
                f'<p><span class="control-outcome control-outcome--{outcome}"><span '
                f'aria-hidden="true">{symbol} </span>{label}</span>'
                + (f" – {escape(comment)}" if comment else "")
                + (f" · Åtgärder: {escape(measures)}" if measures else "")
                + "</p>"
            )
        else:
            out.append("<p>Inte rapporterad</p>")
        out.append("</section>")
    return "".join(out)


def _value_rows(cursor, t, report: dict, today, editable: bool) -> str:
    """The unit's indicators with the cells of the round's period, as the report shows them."""
    from decimal import Decimal

    from followup.rules import round_period
    from goals.rules import is_stale, measured_in, value_text

    cursor.execute(
        f"""
        SELECT i.id, i.name, i.unit, i.frequency, i.gender_breakdown, i.ended_on, la.sort_key
        FROM {t["indicator"]} i LEFT JOIN {t["latest"]} la ON la.indicator_id = i.id
        WHERE i.responsible_unit_id = %s ORDER BY i.name
        """,
        [report["unit_id"]],
    )
    rows = []
    for pk, name, unit, frequency, genders, ended_on, sort_key in cursor.fetchall():
        if isinstance(ended_on, str):
            import datetime

            ended_on = datetime.date.fromisoformat(ended_on)
        period = round_period(report["period_end"], frequency)
        if not measured_in(ended_on, period):
            continue
        rows.append(
            {
                "id": pk,
                "name": name,
                "unit": unit,
                "period": period,
                "genders": ("T", "K", "M") if genders else ("T",),
                "stale": is_stale(frequency, sort_key, today, ended_on),
                "values": {},
                "comment": "",
                "locked": "",
            }
        )
    if not rows:
        return ""
    by_id = {r["id"]: r for r in rows}
    keys = sorted({r["period"].key for r in rows})
    cursor.execute(
        f"SELECT indicator_id, period, gender, value, comment FROM {t['measurement']} "
        f"WHERE indicator_id IN ({_in(by_id)}) AND period IN ({_in(keys)})",
        [*by_id, *keys],
    )
    for pk, period, gender, value, comment in cursor.fetchall():
        row = by_id[pk]
        if period == row["period"].key:
            if value is not None:
                value = Decimal(str(value)).quantize(Q4)
            row["values"][gender] = value
            if gender == "T":
                row["comment"] = comment
    cursor.execute(  # the unit's closed rounds and approved reports freeze their periods' values
        f"""
        SELECT r.period_end, k.name, r.year, r.status <> 'closed' FROM {t["report"]} re
        JOIN {t["round"]} r ON r.id = re.round_id JOIN {t["kind"]} k ON k.id = r.kind_id
        WHERE (r.status = 'closed' OR re.status = 'approved') AND re.org_unit_id = %s
        ORDER BY r.status <> 'closed', r.period_end
        """,
        [report["unit_id"]],
    )
    locks: dict[str, tuple[str, bool]] = {}
    for period_end, kind, year, approved in cursor.fetchall():
        if isinstance(period_end, str):
            import datetime

            period_end = datetime.date.fromisoformat(period_end)
        for frequency in ("year", "tertial", "month"):
            key = round_period(period_end, frequency).key
            locks.setdefault(key, (f"{kind} {year}", bool(approved)))
    for row in rows:
        if lock := locks.get(row["period"].key):
            label, approved = lock
            key = row["period"].key
            row["locked"] = (
                f"Värdet för {key} ingår i en godkänd rapport i {label} och kan inte ändras."
                if approved
                else f"Värdet för {key} ingår i {label}, som är stängd, och kan inte ändras."
            )
        row["empty"] = any(row["values"].get(g) is None for g in row["genders"])
    rows.sort(key=lambda r: (not r["empty"], r["name"]))  # one unit: its path is the same

    out = ['<h2 id="varden">Periodens indikatorvärden</h2>']
    if not editable and (submitted := _submitted_rows(cursor, t, report, rows)):
        out.append(submitted)
        return "".join(out)
    if not editable:
        out.append("<ul>")
        for r in rows:
            cells = ", ".join(
                f"{GENDERS[g]} {value_text(r['values'].get(g)) or '–'}" for g in r["genders"]
            )
            out.append(
                f'<li><a href="/indikatorer/{r["id"]}/">{escape(r["name"])}</a> '
                f"{r['period'].label}: {cells}</li>"
            )
        out.append("</ul>")
        return "".join(out)
    out.append(
        f'<form method="post" action="/uppfoljning/rapporter/{report["id"]}/varden/" novalidate '
        f'class="results-form">{CSRF}<table class="data results"><caption class="visually-hidden">'
        'Värden att mata in</caption><thead><tr><th scope="col">Indikator</th><th scope="col">'
        'Period</th><th scope="col">Värde</th><th scope="col">Kommentar</th></tr></thead><tbody>'
    )
    for r in rows:
        pk, name, label = r["id"], escape(r["name"]), r["period"].label
        unit = f" · {escape(r['unit'])}" if r["unit"] else ""
        if r["locked"]:
            flag = (
                f'<p class="flag" id="las-{pk}"><svg class="icon" aria-hidden="true"></svg> '
                f"{escape(r['locked'])}</p>"
            )
            ro = f' readonly aria-describedby="las-{pk}"'
        else:
            ro = ""
            flag = (
                '<span class="flag flag--warn"><span aria-hidden="true">⚠ </span>Värde saknas '
                "efter sista dag</span>"
                if r["stale"]
                else ""
            )
        cells = []
        for g in r["genders"]:
            text = value_text(r["values"].get(g))
            cells.append(
                f'<div class="cell"><label for="id_v-{pk}-{g}">{GENDERS[g]}<span '
                f'class="visually-hidden"> – {name}, {label}</span></label><input type="text" '
                f'inputmode="decimal" id="id_v-{pk}-{g}" name="v-{pk}-{g}" value="{text}" size="9" '
                f'autocomplete="off"{ro}><input type="hidden" name="o-{pk}-{g}" value="{text}">'
                "</div>"
            )
        comment = escape(r["comment"])
        out.append(
            f'<tr id="rad-{pk}"><th scope="row"><a href="/indikatorer/{pk}/">{name}</a><div '
            f'class="muted">{escape(report["unit_name"])}{unit}</div>{flag}<input type="hidden" '
            f'name="p-{pk}" value="{r["period"].key}"></th><td data-label="Period">{label}</td>'
            f'<td><div class="cells">{"".join(cells)}</div></td><td data-label="Kommentar"><label '
            f'class="visually-hidden" for="id_c-{pk}">Kommentar – {name}</label><textarea '
            f'id="id_c-{pk}" name="c-{pk}" rows="2" cols="24" maxlength="2000"{ro}>{comment}'
            f'</textarea><input type="hidden" name="oc-{pk}" value="{comment}"></td></tr>'
        )
    out.append(
        '</tbody></table><p class="actions"><button type="submit" class="button '
        'button--secondary">Spara värdena</button></p></form>'
    )
    return "".join(out)


def _submitted_rows(cursor, t, report: dict, rows: list[dict]) -> str:
    """A submitted report's values as submitted, each changed since marked ("" when it
    is not submitted or approved, or was submitted before values were recorded)."""
    if report["status"] not in COUNTED or report["submitted_at"] is None:
        return ""
    from goals.rules import value_text

    cursor.execute(
        f"SELECT indicator_id, period, gender, value FROM {t['submitted']} "
        "WHERE report_id = %s AND submitted_at = %s",
        [report["id"], report["submitted_at"]],
    )
    then = {
        (pk, period, gender): None if value is None else Decimal(str(value)).quantize(Q4)
        for pk, period, gender, value in cursor.fetchall()
    }
    if not then:
        return ""
    out = [
        f'<p class="help">Värdena som de var när rapporten lämnades in den '
        f'{_moment(report["submitted_at"])}.</p><ul class="submitted-values">'
    ]
    for r in rows:
        cells = []
        for g in r["genders"]:
            old = then.get((r["id"], r["period"].key, g))
            was, now = (
                value_text(old) or "inget värde",
                value_text(r["values"].get(g)) or "inget värde",
            )
            cell = f"{GENDERS[g]} {was}"
            if old != r["values"].get(g):
                cell += (
                    ' <strong class="changed-since"><span aria-hidden="true">⚠ </span>Ändrat '
                    f"efter inlämning: {was} → {now}</strong>"
                )
            cells.append(cell)
        out.append(
            f'<li><a href="/indikatorer/{r["id"]}/">{escape(r["name"])}</a> '
            f"{r['period'].label}: {', '.join(cells)}</li>"
        )
    out.append("</ul>")
    return "".join(out)


def _below_reports(cursor, t, report: dict, today, page: int) -> str:
    """The counts of the reports below per state, and a page of them."""
    cursor.execute(
        f"""
        SELECT CASE WHEN r.status = 'draft' AND NOT r.started THEN 'not_started'
                    ELSE r.status END, COUNT(*)
        FROM {t["report"]} r JOIN {t["unit"]} o ON o.id = r.org_unit_id
        WHERE r.round_id = %s AND o.path LIKE %s AND r.id <> %s GROUP BY 1
        """,
        [report["round_id"], report["path"] + "%", report["id"]],
    )
    counts = dict(cursor.fetchall())
    total = sum(counts.values())
    if not total:
        return ""
    late = (
        sum(counts.get(s, 0) for s in PENDING)
        if report["round_status"] != "closed" and report["deadline"] < today
        else 0
    )
    name = escape(report["unit_name"])
    out = [
        f'<h2 id="below-h">Rapporter under {name}</h2>'
        '<ul class="summary-counts" aria-label="Sammanställning">'
    ]
    for state, (symbol, label) in STATES.items():
        out.append(
            f'<li><span aria-hidden="true">{symbol} </span>{label}: '
            f"<strong>{counts.get(state, 0)}</strong></li>"
        )
    out.append(
        '<li class="status-overdue"><span aria-hidden="true">⚠ </span>Sena: '
        f"<strong>{late}</strong></li></ul>"
    )
    pages = -(-total // PER_PAGE)
    page = min(max(page, 1), pages)
    cursor.execute(
        f"""
        SELECT r.id, CASE WHEN r.status = 'draft' AND NOT r.started THEN 'not_started'
                          ELSE r.status END, o.name
        FROM {t["report"]} r JOIN {t["unit"]} o ON o.id = r.org_unit_id
        WHERE r.round_id = %s AND o.path LIKE %s AND r.id <> %s
        ORDER BY o.path, r.id LIMIT %s OFFSET %s
        """,
        [report["round_id"], report["path"] + "%", report["id"], PER_PAGE, (page - 1) * PER_PAGE],
    )
    caption = f"{total} underliggande {'rapport' if total == 1 else 'rapporter'}"
    out.append(
        f'<table class="data"><caption>{caption}</caption><thead><tr><th scope="col">'
        'Organisation</th><th scope="col">Status</th></tr></thead><tbody>'
    )
    badges = {s: _state_badge(s) for s in STATES}
    out.extend(
        f'<tr><th scope="row"><a href="/uppfoljning/rapporter/{pk}/">{escape(unit)}</a></th>'
        f"<td>{badges[state]}</td></tr>"
        for pk, state, unit in cursor.fetchall()
    )
    out.append("</tbody></table>")
    if pages > 1:
        out.append('<nav class="pagination actions" aria-label="Sidor">')
        if page > 1:
            out.append(
                f'<a class="button button--secondary" href="?sida={page - 1}" rel="prev">'
                "Föregående sida</a>"
            )
        out.append(f"<span>Sida {page} av {pages}</span>")
        if page < pages:
            out.append(
                f'<a class="button button--secondary" href="?sida={page + 1}" rel="next">'
                "Nästa sida</a>"
            )
        out.append("</nav>")
    return "".join(out)


def report_floor(
    cursor,
    *,
    report_id: int,
    editable: bool,
    can_approve: bool,
    today,
    page: int = 1,
    can_unapprove: bool = False,
) -> str:
    """A unit's or a committee's report (``/uppfoljning/rapporter/<id>/``) for a user who
    may edit it (``editable``: the forms) or only read it, and approve it or not: the
    header, the own goals with their assessments and the roll-up of the assessments
    below them, the activities, the period's indicator values, the counts of the reports
    below and a page of them, what is missing before submission, and the approval step
    at the end. (The council's table of committees is not drawn here.)"""
    from goals.models import ActivityStatus

    words = {k: str(v) for k, v in WORDS.items()}
    t = _tables()
    t["measurement"] = _quoted("goals.Measurement")
    t["update"] = _quoted("followup.ActivityUpdate")
    t["user"] = _quoted(settings.AUTH_USER_MODEL)
    t["submitted"] = _quoted("followup.SubmittedValue")
    cursor.execute(
        f"""
        SELECT re.id, re.status, re.version, re.return_comment, re.round_id, o.id, o.name,
               o.path, r.status, r.period_end, r.deadline, r.year, k.name, re.submitted_at,
               re.approved_at, u.first_name, u.last_name, u.username
        FROM {t["report"]} re JOIN {t["unit"]} o ON o.id = re.org_unit_id
        JOIN {t["round"]} r ON r.id = re.round_id JOIN {t["kind"]} k ON k.id = r.kind_id
        LEFT JOIN {t["user"]} u ON u.id = re.approved_by_id
        WHERE re.id = %s
        """,
        [report_id],
    )
    row = cursor.fetchone()
    keys = "id status version return_comment round_id unit_id unit_name path round_status"
    keys += " period_end deadline year kind submitted_at approved_at first last username"
    report = dict(zip(keys.split(), row, strict=True))
    import datetime

    for key in ("period_end", "deadline"):
        if isinstance(report[key], str):
            report[key] = datetime.date.fromisoformat(report[key])
    pk, kind, name = report["id"], escape(report["kind"]), escape(report["unit_name"])
    closed = report["round_status"] == "closed"
    out = [
        f'<p><a href="/uppfoljning/{report["round_id"]}/">{kind} {report["year"]}</a></p>'
        f'<h1>{name}</h1><p class="muted">{kind} per {_date(report["period_end"])} · Sista dag '
        f"{_date(report['deadline'])} · <strong>{REPORT_STATUSES[report['status']]}</strong>"
        f"{' · Uppföljningen är stängd: rapporten är låst.' if closed else ''}</p>"
    ]
    if report["status"] == "returned" and report["return_comment"]:
        out.append(
            '<div class="message message--warning" role="note"><p><strong><span '
            'aria-hidden="true">↩ </span>Återsänd för komplettering:</strong> '
            f"{_lines(report['return_comment'])}</p></div>"
        )
    if can_approve:
        out.append(
            '<p class="message" role="note"><span aria-hidden="true">↓ </span>Rapporten väntar '
            "på din granskning. Läs den; längst ned godkänner du den eller återsänder den för "
            'komplettering. <a href="#approve-h">Till granskningen</a></p>'
        )

    # The own goals, the roll-up of the assessments of the goals below them.
    out.append("<h2>Mål</h2>")
    if editable:
        out.append(
            '<p class="help">Allt sparas medan du skriver. Knappen Spara vid varje mål och '
            "aktivitet sparar direkt; i en webbläsare utan JavaScript är den det enda sättet att "
            "spara. Välj bedömning och skriv analys för varje mål; skiljer sig bedömningen från "
            "förslaget krävs en motivering.</p>"
        )
    cursor.execute(
        f"""
        SELECT a.id, a.goal_id, g.title, a.proposed, a.chosen, a.analysis, a.measures,
               a.justification, a.version
        FROM {t["assessment"]} a JOIN {t["goal"]} g ON g.id = a.goal_id
        WHERE a.report_id = %s ORDER BY g.level, g.{t["order"]}, g.id
        """,
        [pk],
    )
    names = [
        "id",
        "goal_id",
        "title",
        "proposed",
        "chosen",
        "analysis",
        "measures",
        "justification",
        "version",
    ]
    items = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    rollup: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if items:
        goal_ids = [i["goal_id"] for i in items]
        cursor.execute(
            f"""
            SELECT g.parent_id, a.chosen, re.status, COUNT(*)
            FROM {t["assessment"]} a JOIN {t["goal"]} g ON g.id = a.goal_id
            JOIN {t["report"]} re ON re.id = a.report_id
            WHERE re.round_id = %s AND g.parent_id IN ({_in(goal_ids)})
            GROUP BY g.parent_id, a.chosen, re.status
            """,
            [report["round_id"], *goal_ids],
        )
        for parent, chosen, status, n in cursor.fetchall():
            shown = chosen if chosen and status in COUNTED else "missing"
            rollup[parent][shown] += n
    choices = [("", "Välj bedömning"), *words.items()]
    justification_help = "Krävs när bedömningen skiljer sig från förslaget."
    labels = [*words.items(), ("missing", "Ej bedömt ännu")]
    for a in items:
        out.append(
            f'<section class="assessment-block" aria-labelledby="goal-{a["id"]}"><h3 '
            f'id="goal-{a["id"]}"><a href="/mal/{a["goal_id"]}/">{escape(a["title"])}</a></h3>'
            f"<p>Förslag: {_badge(a['proposed'], words)}"
        )
        if not editable:
            out.append(f" · Bedömning: {_badge(a['chosen'], words) if a['chosen'] else '–'}")
        out.append("</p>")
        if counts := rollup.get(a["goal_id"]):
            shown = [(label, counts[v]) for v, label in labels if counts.get(v)]
            out.append(
                '<p class="muted">Underliggande bedömningar: '
                + ", ".join(f"{label} {n}" for label, n in shown)
                + "</p>"
            )
        if editable:
            out.append(_assessment_form(pk, a, choices, justification_help))
        else:
            for key, title in (("analysis", "Analys"), ("measures", "Åtgärder")):
                if a[key]:
                    out.append(f"<h4>{title}</h4><p>{_lines(a[key])}</p>")
            if a["justification"]:
                out.append(f"<h4>Motivering</h4><p>{_lines(a['justification'])}</p>")
        out.append("</section>")
    if not items:
        out.append('<p class="empty">Enheten har inga antagna mål i perioden.</p>')

    # The activities.
    cursor.execute(
        f"""
        SELECT u.id, u.status, u.comment, u.version, ac.title
        FROM {t["update"]} u JOIN {t["activity"]} ac ON ac.id = u.activity_id
        WHERE u.report_id = %s ORDER BY ac.{t["end"]}, ac.id
        """,
        [pk],
    )
    updates = cursor.fetchall()
    statuses = {s.value: str(s.label) for s in ActivityStatus}
    if updates:
        out.append("<h2>Aktiviteter</h2>")
    for upk, status, comment, version, title in updates:
        out.append(
            f'<section class="assessment-block" aria-labelledby="act-{upk}"><h3 '
            f'id="act-{upk}">{escape(title)}</h3>'
        )
        if editable:
            u = {"id": upk, "status": status, "comment": comment, "version": version}
            out.append(_activity_form(pk, u, statuses))
        else:
            note = f" – {escape(comment)}" if comment else ""
            out.append(f"<p>{statuses[status]}{note}</p>")
        out.append("</section>")

    out.append(_assignments(cursor, report, editable))
    out.append(_controls(cursor, report, editable))
    out.append(_value_rows(cursor, t, report, today, editable))
    out.append(_below_reports(cursor, t, report, today, page))

    if editable:
        out.append(
            '<section class="panel" aria-labelledby="submit-h"><h2 id="submit-h">Lämna in</h2>'
        )
        missing = []
        for a in items:
            problems = []
            if not a["chosen"]:
                problems.append("bedömning saknas")
            if not a["analysis"].strip():
                problems.append("analys saknas")
            if a["chosen"] and a["chosen"] != a["proposed"] and not a["justification"].strip():
                problems.append("motivering saknas (bedömningen skiljer sig från förslaget)")
            if problems:
                missing.append(
                    f'<li><a href="#goal-{a["id"]}">{escape(a["title"])}</a>: '
                    f"{', '.join(problems)}</li>"
                )
        if missing:
            out.append(f"<p>Innan rapporten kan lämnas in saknas:</p><ul>{''.join(missing)}</ul>")
        else:
            out.append(
                '<p class="status-done"><span aria-hidden="true">✓ </span>Allt som krävs är '
                "ifyllt.</p>"
            )
        out.append(
            f'<form method="post" action="/uppfoljning/rapporter/{pk}/lamna-in/" '
            f"data-waits-for-saves>{CSRF}<input "
            f'type="hidden" name="version" value="{report["version"]}" id="report-version">'
            '<button type="submit" '
            'class="button">Lämna in rapporten</button></form>'
            f'<script src="{static("js/report-submit.js")}" defer></script></section>'
        )
    if can_approve:
        out.append(_approve_panel(pk, report["version"]))
    if can_unapprove:
        out.append(_unapprove_panel(pk, report))
    return "".join(out)


def _approve_panel(pk: int, version: int) -> str:
    return (
        '<section class="panel" aria-labelledby="approve-h"><h2 id="approve-h">Granska '
        'rapporten</h2><details class="confirm"><summary class="button button--secondary">'
        'Godkänn rapporten …</summary><div id="approve-what"><p>När du godkänner rapporten:</p>'
        "<ul><li>räknas enhetens bedömningar i sammanställningen för nämnden och kommunen,</li>"
        "<li>kan rapporten inte längre ändras,</li><li>låses enhetens indikatorvärden för "
        "uppföljningens perioder, som när uppföljningen stängs.</li></ul><p>Du kan ångra "
        'godkännandet tills uppföljningen stängs.</p></div><form method="post" '
        f'action="/uppfoljning/rapporter/{pk}/godkann/" class="actions">{CSRF}<input '
        f'type="hidden" name="version" value="{version}"><button type="submit" class="button" '
        'aria-describedby="approve-what">Godkänn rapporten</button></form></details><h3 '
        'id="return-h">Återsänd för komplettering</h3><form method="post" '
        f'action="/uppfoljning/rapporter/{pk}/aterskicka/" class="form" '
        f'aria-labelledby="return-h">{CSRF}<input type="hidden" name="version" '
        f'value="{version}" id="id_version"><div class="field"><label for="id_comment">Vad ska '
        'kompletteras? <span class="required">(obligatoriskt)</span></label><textarea '
        f'name="comment" cols="40" rows="3" maxlength="{LONG_TEXT}" required id="id_comment">'
        '\n</textarea></div><button type="submit" class="button button--secondary">Återsänd '
        "för komplettering</button></form></section>"
    )


def _unapprove_panel(pk: int, report: dict) -> str:
    who = escape(f"{report['first']} {report['last']}".strip() or report["username"] or "")
    return (
        '<section class="panel" aria-labelledby="unapprove-h"><h2 id="unapprove-h">Rapporten '
        f"är godkänd</h2><p>Godkänd av {who} den {_moment(report['approved_at'])}. Du kan ångra "
        "godkännandet tills uppföljningen stängs: rapporten väntar då på granskning igen och "
        'enhetens indikatorvärden för perioden går att ändra.</p><form method="post" '
        f'action="/uppfoljning/rapporter/{pk}/angra-godkannande/" class="actions">{CSRF}<input '
        f'type="hidden" name="version" value="{report["version"]}"><button type="submit" '
        'class="button button--secondary">Ångra godkännandet</button></form></section>'
    )


def _moment(value) -> str:
    """A stored moment as the page shows it ("j F Y H:i", local time)."""
    import datetime

    from django.utils import timezone

    if isinstance(value, str):  # SQLite gives moments as text
        value = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    value = timezone.localtime(value)
    return f"{_date(value.date())} {value:%H:%M}"


def _quoted(label: str) -> str:
    from django.apps import apps
    from django.db import connection

    return connection.ops.quote_name(apps.get_model(label)._meta.db_table)
