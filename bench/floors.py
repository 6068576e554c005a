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
from html import escape

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
            f'<span aria-hidden="true">{SYMBOLS[a]} </span>Förslag: {WORDS[a]}</span>'
        )
    if g["followup"]:
        chosen, label = g["followup"]
        head.append(
            f' <span class="assessment assessment--{chosen} assessment--decided">'
            f'<span aria-hidden="true">{SYMBOLS[chosen]} </span>Bedömt i {escape(label)}: '
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
        children = by_parent.get(g["id"], [])
        if g["children"] or g["activities"] or children:
            g["branch"] = "".join(_row(c) for c in children) or (
                f'<li class="empty">{escape(committee["name"])} har inget mål under detta mål.</li>'
            )
        out.append(_row(g))
    if current is not None:
        out.append("</ul></section>")
    orphans = by_parent.get(None, [])
    if orphans:
        out.append('<section class="perspective"><h2 id="orphans">Nämndmål utan överordnat mål')
        out.append('</h2><ul class="chain">')
        out.extend(_row(g) for g in orphans)
        out.append("</ul></section>")
    return "".join(out)
