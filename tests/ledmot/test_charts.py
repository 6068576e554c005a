"""The server-rendered SVG line chart: well-formed, accessible, escaped, deterministic."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils.safestring import SafeString

from ledmot.lib.charts import Point, Series, format_number, line_chart

NS = "{http://www.w3.org/2000/svg}"
NBSP = "\u00a0"
YEARS = [str(y) for y in range(2019, 2025)]


def series(name, values, kind="actual", labels=YEARS):
    return Series(name, tuple(Point(lab, v) for lab, v in zip(labels, values)), kind)


def parse(svg) -> ET.Element:
    root = ET.fromstring(str(svg))
    assert root.tag == f"{NS}svg"
    return root


def by_id(root, suffix):
    found = [el for el in root.iter() if el.get("id", "").endswith(suffix)]
    assert len(found) == 1, suffix
    return found[0]


def texts(root):
    return ["".join(el.itertext()) for el in root.iter(f"{NS}text")]


def y_ticks(svg):
    """Tick labels of the y axis (right-aligned texts), bottom first."""
    labels = [t for t in parse(svg).iter(f"{NS}text") if t.get("text-anchor") == "end"]
    return ["".join(t.itertext()) for t in labels]


@pytest.fixture
def chart():
    return line_chart(
        [
            series("Totalt", [Decimal("72.5"), 74, None, Decimal("76.2"), Decimal("77.9"), 78.4]),
            series("Kvinnor", [75, 77, 78, 79, 81.2, 80]),
            series("Målvärde", [75, 80], kind="target", labels=["2019", "2024"]),
            series("Riket", [73, 73, 74, 74, 75, 75], kind="comparison"),
        ],
        title="Andel elever med godkända betyg",
        unit="%",
        decimals=1,
    )


@pytest.mark.parametrize(
    ("value", "decimals", "unit", "expected"),
    [
        (0, 0, "", "0"),
        (85, 0, "%", f"85{NBSP}%"),
        (1234.5, 1, "", f"1{NBSP}234,5"),
        (Decimal("1234567.891"), 2, "kr", f"1{NBSP}234{NBSP}567,89{NBSP}kr"),
        (Decimal("-1234.5"), 0, "", f"\u22121{NBSP}235"),
        (-0.42, 2, "", "\u22120,42"),
        (-0.004, 2, "", "0,00"),
        (Decimal("81.25"), 1, "%", f"81,3{NBSP}%"),
        (0.1 + 0.2, 2, "", "0,30"),
        (7, 2, "", "7,00"),
        (None, 0, "%", "\u2013"),
        (float("nan"), 0, "", "\u2013"),
    ],
)
def test_format_number_swedish(value, decimals, unit, expected):
    assert format_number(value, decimals, unit) == expected


def test_well_formed_svg_with_viewbox_and_full_width(chart):
    assert isinstance(chart, SafeString)
    root = parse(chart)
    assert root.get("width") == "100%"
    assert root.get("viewBox").startswith("0 0 640 ")
    assert root.get("height") is None
    assert root.get("font-family") == "DejaVu Sans, Arial, sans-serif"


def test_title_and_desc_are_referenced_by_aria_labelledby(chart):
    root = parse(chart)
    assert root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title.text == "Andel elever med godkända betyg"
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert desc.text == (
        "Diagram över Andel elever med godkända betyg 2019\u20132024. "
        f"Totalt: senaste värde 78,4{NBSP}% (2024). Kvinnor: senaste värde 80,0{NBSP}% (2024). "
        f"Målvärde 2024: 80,0{NBSP}%. Riket: senaste värde 75,0{NBSP}% (2024)."
    )


def test_explicit_description_and_chart_id():
    svg = line_chart(
        [series("A", [1, 2])], title="T", description="Egen text", chart_id="ind-7 <x>"
    )
    root = parse(svg)
    assert root.get("id") == "ind-7--x-"
    assert root.find(f"{NS}desc").text == "Egen text"
    assert root.get("aria-labelledby") == "ind-7--x--title ind-7--x--desc"


def test_ids_differ_between_charts_and_are_unique_within_one():
    a = parse(line_chart([series("A", [1, 2])], title="Indikator 1"))
    b = parse(line_chart([series("A", [1, 2])], title="Indikator 2"))
    assert a.get("id") != b.get("id")
    ids = [el.get("id") for el in a.iter() if el.get("id")]
    assert len(ids) == len(set(ids))


def test_gaps_split_the_line_and_lone_points_keep_their_marker():
    svg = line_chart(
        [series("Totalt", [1, 2, None, 4, None, 6]), series("Män", [1, 2, 3, 4, 5, 6])],
        title="T",
    )
    root = parse(svg)
    gappy, full = by_id(root, "-s0"), by_id(root, "-s1")
    assert len(gappy.findall(f"{NS}polyline")) == 1  # 2019–2020; 2022 and 2024 stand alone
    assert len(full.findall(f"{NS}polyline")) == 1
    assert len(by_id(root, "-m0")) == 4  # 1, 2, 4 and 6 all get a marker
    assert len(by_id(root, "-m1")) == 6
    points = full.find(f"{NS}polyline").get("points").split()
    assert len(points) == 6


def test_gap_makes_two_polylines():
    root = parse(line_chart([series("A", [1, 2, None, 4, 5])], title="T"))
    assert len(by_id(root, "-s0").findall(f"{NS}polyline")) == 2


def test_label_missing_from_a_series_does_not_break_its_line(chart):
    target = by_id(parse(chart), "-s2")
    (line,) = target.findall(f"{NS}polyline")
    assert len(line.get("points").split()) == 2


def test_target_dashed_comparison_dotted_actual_solid(chart):
    root = parse(chart)
    actual = by_id(root, "-s0").find(f"{NS}polyline")
    target = by_id(root, "-s2").find(f"{NS}polyline")
    comparison = by_id(root, "-s3").find(f"{NS}polyline")
    assert actual.get("stroke-dasharray") is None
    assert target.get("stroke-dasharray")
    assert comparison.get("stroke-dasharray")
    assert target.get("stroke-dasharray") != comparison.get("stroke-dasharray")
    assert float(comparison.get("stroke-width")) < float(actual.get("stroke-width"))
    # Targets carry no visible markers, only invisible hover circles with a tooltip.
    hovers = by_id(root, "-m2").findall(f"{NS}circle")
    assert {c.get("fill-opacity") for c in hovers} == {"0"}


def test_series_differ_in_colour_and_in_shape_or_pattern(chart):
    legend = by_id(parse(chart), "-legend")
    items = legend.findall(f"{NS}g")
    colours = [g.find(f"{NS}line").get("stroke") for g in items]
    assert len(set(colours)) == len(colours)
    looks = [(g.find(f"{NS}line").get("stroke-dasharray"), [c.tag for c in g][1:-1]) for g in items]
    assert [tag for _, tags in looks for tag in tags] == [f"{NS}circle", f"{NS}rect"]
    assert len({repr(look) for look in looks}) == len(looks)


def test_four_actual_series_get_four_marker_shapes():
    svg = line_chart([series(n, [1, 2]) for n in "ABCD"], title="T")
    root = parse(svg)
    shapes = [by_id(root, f"-m{i}")[0] for i in range(4)]
    assert [s.tag.removeprefix(NS) for s in shapes] == ["circle", "rect", "path", "path"]
    assert shapes[2].get("d") != shapes[3].get("d")


def test_legend_lists_every_series(chart):
    legend = by_id(parse(chart), "-legend")
    assert texts(legend) == ["Totalt", "Kvinnor", "Målvärde", "Riket"]


def test_marker_tooltips(chart):
    root = parse(chart)
    tips = ["".join(t.itertext()) for g in root.iter(f"{NS}g") for t in g.iter(f"{NS}title")]
    assert f"Kvinnor 2023: 81,2{NBSP}%" in tips
    assert f"Målvärde 2024: 80,0{NBSP}%" in tips


def test_y_axis_ticks_in_swedish_format_with_percent(chart):
    ticks = y_ticks(chart)
    assert ticks[0] == f"0,0{NBSP}%"
    assert ticks[-1] == f"100,0{NBSP}%"
    assert 5 <= len(ticks) <= 7


@pytest.mark.parametrize(
    ("values", "top"),
    [
        ([12, 87], "100"),
        ([Decimal("0.1"), Decimal("0.42")], "0,5"),
        ([100, 3], "100"),
        ([55], "60"),
        ([1234, 4321], f"5{NBSP}000"),
        ([0, 0], "1,0"),
    ],
)
def test_nice_max(values, top):
    ticks = y_ticks(line_chart([series("A", values)], title="T"))
    assert ticks[0] in {"0", "0,0"}  # ticks get the decimals their step needs
    assert ticks[-1] == top
    assert 4 <= len(ticks) <= 6


def test_negative_values_extend_the_axis_below_zero():
    ticks = y_ticks(line_chart([series("A", [-0.42, 0.1, 0.3])], title="T", decimals=2))
    assert ticks[0] == "\u22120,60"
    assert ticks[-1] == "0,40"
    assert "0,00" in ticks


def test_long_unit_is_shown_once_not_on_every_tick():
    svg = line_chart([series("Kostnad", [98000, 123456])], title="T", unit="kr per elev")
    all_text = texts(parse(svg))
    assert all_text.count("kr per elev") == 1
    assert y_ticks(svg)[-1] == f"125{NBSP}000"


def test_malicious_text_is_escaped():
    evil = "<script>alert(1)</script>"
    svg = line_chart(
        [series(evil, [1, 2], labels=['"><b>', "2024"])],
        title=f"{evil} & co",
        unit='"%',
    )
    root = parse(svg)
    assert not [el for el in root.iter() if el.tag.removeprefix(NS) in {"script", "b"}]
    assert "<script>" not in str(svg)
    assert root.find(f"{NS}title").text == f"{evil} & co"
    assert evil in texts(by_id(root, "-legend"))
    assert '"><b>' in texts(root)


def test_control_characters_do_not_break_the_xml():
    parse(line_chart([series("A\x00\x1b", [1, 2])], title="T\x0c"))


def test_no_inline_style_script_or_class():
    svg = str(line_chart([series("A", [1, None, 3]), series("M", [2, 2], "target")], title="T"))
    root = parse(svg)
    for el in root.iter():
        assert "style" not in el.attrib
        assert "class" not in el.attrib
        assert not any(name.startswith("on") for name in el.attrib)
        assert el.tag.removeprefix(NS) in {
            "svg", "g", "line", "polyline", "path", "circle", "rect", "text", "title", "desc",
        }  # fmt: skip
    assert "<style" not in svg


def test_deterministic():
    def make():
        return line_chart(
            [series("Totalt", [Decimal("1.5"), 2.25, None, 3]), series("Mål", [2, 4], "target")],
            title="Samma",
            unit="%",
            decimals=1,
        )

    assert str(make()) == str(make())


@pytest.mark.parametrize("data", [[], [series("A", [None, None])], [Series("A", ())]])
def test_empty_input_renders_a_placeholder(data):
    root = parse(line_chart(data, title="Ny indikator"))
    assert root.find(f"{NS}title").text == "Ny indikator"
    assert root.find(f"{NS}desc").text == "Diagram över Ny indikator. Inga värden ännu."
    assert texts(root) == ["Inga värden ännu"]
    assert not list(root.iter(f"{NS}polyline"))


def test_single_label_is_centred():
    root = parse(line_chart([series("A", [5], labels=["2024"])], title="T"))
    assert "Diagram över T 2024." in root.find(f"{NS}desc").text
    (marker,) = by_id(root, "-m0")
    assert marker.tag == f"{NS}circle"


def test_unknown_kind_is_rejected():
    with pytest.raises(ValueError):
        line_chart([series("A", [1], kind="bar")], title="T")


def test_axis_may_start_near_the_data_when_asked():
    from decimal import Decimal

    from ledmot.lib.charts import _nice_scale

    lo, hi, _step = _nice_scale(Decimal(84), Decimal(90), include_zero=False)
    assert Decimal(75) <= lo <= Decimal(84) and hi >= Decimal(90)
    assert _nice_scale(Decimal(84), Decimal(90))[0] == 0
    # Data crossing zero always includes it.
    assert _nice_scale(Decimal(-3), Decimal(5), include_zero=False)[0] <= -3


def test_wheel_words_follow_the_language_of_each_render():
    """Swedish, English, Swedish in one process: month names (Django's), kind names and
    the title are looked up when drawn, never once at import."""
    import datetime

    from django.utils import translation

    from ledmot.lib.wheel_svg import format_span, wheel_svg

    items = [(datetime.date(2026, 5, 4), None, "Budgetdialog med nämnderna", "budgetdialog")]
    expected = {
        "sv": ["Årshjul 2026", "maj", "okt", "Budgetdialog", "I dag: 4 december 2026"],
        "en": ["Annual cycle 2026", "may", "oct", "Budget dialogue", "4 December 2026"],
    }
    for lang in ("sv", "en", "sv"):
        with translation.override(lang):
            root = parse(wheel_svg(2026, items, today=datetime.date(2026, 12, 4)))
            span = format_span(datetime.date(2026, 5, 28), datetime.date(2026, 6, 2))
        words = texts(root) + [el.text or "" for el in root.iter(f"{NS}title")]
        for word in expected[lang]:
            assert any(word in w for w in words), (lang, word)
        assert span == {"sv": "28 maj–2 jun", "en": "28 may–2 jun"}[lang]
        assert "maj" not in texts(root) if lang == "en" else "may" not in texts(root)


def print_markers(svg, i) -> list[str]:
    """The markers of series ``i`` in a print chart: one path, a subpath each."""
    marks = by_id(parse(svg), f"-m{i}")
    return [d for path in marks.findall(f"{NS}path") for d in path.get("d").split("M")[1:]]


def test_print_marks_a_long_series_sparsely_the_latest_and_lone_values_always():
    """Ten years of monthly values on a chart 55 mm wide: markers every few months, not
    a band of 120 overlapping ones; the latest value and a value alone between gaps
    keep theirs (a lone value has no line to show it)."""
    months = [f"{y}-{m:02d}" for y in range(2016, 2026) for m in range(1, 13)]
    values = [50 + i % 7 for i in range(120)]
    values[60], values[61], values[62] = None, 55, None  # 2021-02 stands alone

    def draw(**kwargs):
        svg = line_chart(
            [series("Totalt", values, labels=months)], title="T", width=320, height=210,
            **kwargs,
        )  # fmt: skip
        return svg, [
            [float(xy.split(",")[0]) for xy in line.get("points").split()]
            for line in by_id(parse(svg), "-s0").findall(f"{NS}polyline")
        ]

    svg, (before, after) = draw(interactive=False)
    # circle markers: "M{x - 4.5},{y} a…"
    centres = [round(float(d.split(",")[0]) + 4.5, 1) for d in print_markers(svg, 0)]
    assert 8 <= len(centres) <= 30

    def marked(x):
        return any(abs(c - x) < 0.2 for c in centres)

    assert marked(after[-1])  # the latest
    assert marked((before[-1] + after[0]) / 2)  # the lone 2021-02
    assert not marked(after[-2])
    screen, _lines = draw()
    assert len(by_id(parse(screen), "-m0")) == 118  # on screen every value is marked


def test_print_marks_every_value_of_a_short_series():
    svg = line_chart([series("Totalt", [1, 2, 3, 4, 5, 6])], title="T", interactive=False)
    assert len(print_markers(svg, 0)) == 6
