"""The SVG charts: valid, accessible, CSP-safe, honest about gaps, and fast on ten years."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from diary.charts import morning_minutes_chart, night_pain_chart
from diary.rules import BedChange, NightRecord, bed_changes

SVG = "{http://www.w3.org/2000/svg}"
START = date(2026, 10, 1)


def nights_on(*offsets: int, pain: int = 4, minutes: int = 20, bed: str = "Old mattress") -> list[NightRecord]:
    return [
        NightRecord(date=START + timedelta(days=i), night_pain=pain, morning_pain_minutes=minutes, bed_name=bed)
        for i in offsets
    ]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed


def series(root: ET.Element) -> ET.Element:
    return root.find(f".//{SVG}g[@class='series']")


@pytest.mark.parametrize("chart", [night_pain_chart, morning_minutes_chart])
def test_chart_is_valid_svg_with_a_text_alternative(chart):
    nights = nights_on(0, 1, 2, pain=6, minutes=45)

    root = parse(chart(nights, [], START, START + timedelta(days=13)))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 520 260"
    assert root.get("width") == "100%"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "1 Oct 2026 to 14 Oct 2026" in title.text
    assert "3 of 14 nights logged" in desc.text
    assert "No bed changes" in desc.text


def test_description_gives_mean_and_highest():
    nights = [*nights_on(0, pain=2), *nights_on(1, pain=8), *nights_on(2, pain=5)]

    desc = parse(night_pain_chart(nights, [], START, START + timedelta(days=2))).find(f"{SVG}desc").text

    assert "Mean 5 out of 10; highest 8 out of 10 on 2 Oct 2026" in desc


def test_morning_chart_has_the_15_minute_reference_line():
    svg = morning_minutes_chart(nights_on(0, 1, minutes=30), [], START, START + timedelta(days=6))

    assert "15 min" in svg
    assert 'stroke-dasharray="1 3"' in svg


@pytest.mark.parametrize("chart", [night_pain_chart, morning_minutes_chart])
def test_no_inline_styles_anywhere(chart):
    nights = nights_on(*range(0, 40, 2))
    svg = chart(nights, bed_changes(nights), START, START + timedelta(days=40))

    assert "style=" not in svg
    assert "<style" not in svg
    assert "<script" not in svg


def test_bed_change_is_a_dashed_line_with_a_label_and_in_the_description():
    nights = [*nights_on(0, 1, 2, bed="Old mattress"), *nights_on(3, 4, bed="Sofa")]
    changes = bed_changes(nights)

    root = parse(night_pain_chart(nights, changes, START, START + timedelta(days=6)))

    (mark,) = root.findall(f".//{SVG}g[@class='bed-change']")
    assert mark.find(f"{SVG}line").get("stroke-dasharray")
    assert mark.find(f"{SVG}text").text == "Sofa"
    assert "Old mattress → Sofa" in mark.find(f"{SVG}title").text
    assert "1 bed change: 4 Oct 2026 to Sofa" in root.find(f"{SVG}desc").text


def test_bed_names_are_escaped():
    nasty = '<script>alert("x")</script> & co'
    nights = [*nights_on(0), *nights_on(1, bed=nasty)]

    svg = night_pain_chart(nights, bed_changes(nights), START, START + timedelta(days=2))

    assert "<script>" not in svg
    root = parse(svg)
    assert nasty in root.find(f".//{SVG}g[@class='bed-change']/{SVG}title").text


def test_long_bed_names_are_shortened_on_the_chart_only():
    long_name = "The spare room futon at my sister's"
    nights = [*nights_on(0), *nights_on(1, bed=long_name)]

    root = parse(night_pain_chart(nights, bed_changes(nights), START, START + timedelta(days=2)))

    assert root.find(f".//{SVG}g[@class='bed-change']/{SVG}text").text.endswith("…")
    assert long_name in root.find(f"{SVG}desc").text


def test_bed_changes_outside_the_period_are_not_drawn():
    change = BedChange(START - timedelta(days=3), "Old mattress", "Sofa")

    svg = night_pain_chart(nights_on(0, 1), [change], START, START + timedelta(days=6))

    assert 'class="bed-change"' not in svg


def test_gaps_in_logging_are_not_joined():
    # Three runs: days 0-2, day 5 alone, days 8-9.
    nights = nights_on(0, 1, 2, 5, 8, 9)

    root = parse(night_pain_chart(nights, [], START, START + timedelta(days=13)))

    lines = series(root).findall(f"{SVG}polyline")
    assert [len(line.get("points").split()) for line in lines] == [3, 2]
    assert len(series(root).findall(f"{SVG}circle[@class='lone']")) == 1
    assert "Gaps in the line are nights not logged" in root.find(f"{SVG}desc").text


def test_nights_outside_the_period_are_left_out():
    nights = nights_on(-5, -4, 0, 1)  # load_report passes context nights before the period

    root = parse(night_pain_chart(nights, [], START, START + timedelta(days=6)))

    assert "2 of 7 nights logged" in root.find(f"{SVG}desc").text
    assert len(series(root).find(f"{SVG}polyline").get("points").split()) == 2


@pytest.mark.parametrize("chart", [night_pain_chart, morning_minutes_chart])
def test_empty_diary_gives_a_valid_no_nights_yet_chart(chart):
    root = parse(chart([], [], START, START + timedelta(days=29)))

    assert root.get("role") == "img"
    assert "no nights logged yet" in root.find(f"{SVG}desc").text
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "No nights logged in this period yet." in texts
    assert series(root) is None


def test_a_single_day_period_draws_one_dot():
    root = parse(night_pain_chart(nights_on(0), [], START, START))

    assert len(series(root).findall(f"{SVG}circle")) == 1


def test_long_periods_are_weekly_means():
    start = date(2017, 1, 2)  # a Monday
    nights = [
        NightRecord(date=start + timedelta(days=i), night_pain=2 if i % 2 else 6, morning_pain_minutes=10)
        for i in range(3650)
    ]
    end = start + timedelta(days=3649)

    root = parse(night_pain_chart(nights, [], start, end))

    (line,) = series(root).findall(f"{SVG}polyline")
    assert len(line.get("points").split()) == 522  # 3,650 days = 521 weeks + 3 days
    assert "weekly means" in root.find(f"{SVG}desc").text
    # Each full week averages 4 (alternating 6 and 2 with 3 or 4 of each): drawn at y for ~4, not at 2 or 6.
    ys = [float(p.split(",")[1]) for p in line.get("points").split()[:-1]]
    assert max(ys) - min(ys) < 12


def test_weekly_means_keep_gaps_between_weeks():
    start = date(2026, 1, 5)  # a Monday
    days = [*range(0, 28), *range(56, 140)]  # four weeks logged, four weeks missed, then twelve weeks
    nights = [NightRecord(date=start + timedelta(days=i), night_pain=3) for i in days]

    root = parse(night_pain_chart(nights, [], start, start + timedelta(days=139)))

    assert [len(p.get("points").split()) for p in series(root).findall(f"{SVG}polyline")] == [4, 12]


def test_two_charts_on_one_page_have_unique_ids():
    nights = nights_on(0, 1, 2)
    end = START + timedelta(days=6)
    page = "<div>" + night_pain_chart(nights, [], START, end) + morning_minutes_chart(nights, [], START, end)
    page += night_pain_chart(nights, [], START, START + timedelta(days=7)) + "</div>"

    ids = [element.get("id") for element in parse(page).iter() if element.get("id")]
    assert len(ids) == len(set(ids)) == 9


def test_output_is_deterministic():
    nights = nights_on(0, 1, 3)

    assert night_pain_chart(nights, [], START, START + timedelta(days=6)) == night_pain_chart(
        nights, [], START, START + timedelta(days=6)
    )


def test_ten_years_render_as_a_compact_weekly_chart():
    start = date(2016, 11, 26)
    nights = [
        NightRecord(date=start + timedelta(days=i), night_pain=i % 11, morning_pain_minutes=i % 240, bed_name="A")
        for i in range(3650)
    ]
    end = start + timedelta(days=3649)
    # Speed is measured by `python -m benchmarks`, not here: this checks the output stays small.
    svg = night_pain_chart(nights, [], start, end) + morning_minutes_chart(nights, [], start, end)

    assert len(svg) < 60_000
