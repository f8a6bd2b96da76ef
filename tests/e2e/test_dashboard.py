"""The Dashboard in real Chromium: headline numbers and charts on demo data, drill-down
from a bar and from a point to the answers behind it and on to their interview, and
the empty state.

Streamlit draws Altair charts with Vega's SVG renderer: every mark is a ``<path>``
inside ``g.role-mark`` (legends are ``g.role-legend``), labelled for screen readers
with its data (``aria-label="...; Category: technical; ..."``). The tests read which
mark they clicked from that label and compare it with what ``analysis`` computes.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Locator, Page, expect

from analysis import demo, metrics, store

from .conftest import StreamlitServer, database_file, open_app, running_server, wait_idle

pytestmark = pytest.mark.e2e

# Glide Data Grid geometry used by st.dataframe (pixels).
ROW_HEIGHT = 35
ROW_MARKER_WIDTH = 30
# Columns of a drill-down's answers table (0 is the row marker).
DATE, COMPANY, CATEGORY = 1, 2, 5
ANSWERS_SHOWN = 200  # metrics.answers_behind's default limit: the page lists at most these

# The charts of each of the Dashboard's views (its tabs); only the open view's are drawn.
VIEW_CHARTS = {
    "Answers": ("Rating trend by category (monthly mean)", "Weakest categories"),
    "Outcomes": ("Outcomes over time", "Stage funnel: rounds reached and passed"),
    "Calibration": (
        "Calibration: does feeling good predict advancing?",
        "Your rating against the interviewer's reaction",
    ),
    # The whole history's insights, whatever the filters.
    "Whole history": (
        "Your predictions against what happened",
        "Brier score by quarter",
        "How long companies take to answer",
        "How often you get past each stage",
    ),
}
CHART_TITLES = tuple(title for titles in VIEW_CHARTS.values() for title in titles)


@dataclass(frozen=True)
class DemoHistory:
    """A demo database file and what ``analysis`` says about it, computed before any server opens it."""

    path: Path
    headline: metrics.Headline
    grain: str
    trend: pd.DataFrame  # metrics.rating_trend
    strength: pd.DataFrame  # metrics.category_strength, weakest first
    latest_answer: dict[str, dict]  # category -> newest answer behind it (metrics.answers_behind's first row)


@pytest.fixture(scope="module")
def demo_history(tmp_path_factory) -> DemoHistory:
    """150 demo interviews (seed 3) written once for the module; the module's server opens a copy."""
    path = tmp_path_factory.mktemp("demo") / "template.duckdb"
    con = store.connect(path).cursor()
    try:
        demo.generate(con, interviews=150, seed=3)
        unfiltered = metrics.DashboardFilter()
        options = metrics.filter_options(con)
        grain = metrics.trend_grain(unfiltered, (options["start"], options["end"]))
        strength = metrics.category_strength(con, unfiltered)
        latest = {
            category: metrics.answers_behind(con, unfiltered, category=category).iloc[0].to_dict()
            for category in strength["category"]
        }
        history = DemoHistory(
            path=path,
            headline=metrics.headline(con, unfiltered),
            grain=grain,
            trend=metrics.rating_trend(con, unfiltered, grain),
            strength=strength,
            latest_answer=latest,
        )
        store.checkpoint(con)  # everything in the file itself, none in a write-ahead log beside it
    finally:
        store.close(path)
    return history


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, demo_history) -> Iterator[StreamlitServer]:
    """One app for the module's tests on demo data, which only read: on a copy of the demo history."""
    folder = tmp_path_factory.mktemp("demo-server")
    shutil.copyfile(demo_history.path, database_file(folder))
    with running_server(folder) as running:
        yield running


def charts(page: Page) -> Locator:
    return page.get_by_test_id("stVegaLiteChart")


def chart(page: Page, title: str) -> Locator:
    """The chart whose Vega title is ``title``."""
    return charts(page).filter(has=page.locator("g.role-title text", has_text=re.compile(f"^{re.escape(title)}$")))


def marks(chart: Locator, kind: str) -> Locator:
    """The data marks of one kind ("rect", "symbol", "line") in a chart, legends left out."""
    return chart.locator(f"svg g.mark-{kind}.role-mark path")


def label_field(mark: Locator, name: str) -> str:
    """One field of a mark's aria-label ("period (year-month): Jun 2025; Category: technical; ...")."""
    label = mark.get_attribute("aria-label") or ""
    fields = dict(part.split(": ", 1) for part in label.split("; ") if ": " in part)
    assert name in fields, f"no {name!r} in the mark's label {label!r}"
    return fields[name]


def metric_value(page: Page, label: str) -> Locator:
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def drill_heading(page: Page, title: str) -> Locator:
    """The line "**title** · N answers" above a drill-down's answers table."""
    return page.get_by_test_id("stMarkdownContainer").filter(
        has=page.locator("strong", has_text=re.compile(f"^{re.escape(title)}$"))
    )


def answers_table(page: Page) -> Locator:
    """The drill-down's answers (the only table on the Dashboard with a Company column)."""
    table = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text=re.compile("^Company$")))
    expect(table.get_by_test_id("data-grid-canvas")).to_be_visible()
    return table


def shown(total: int) -> str:
    """How the drill-down counts its answers."""
    return f"the latest {ANSWERS_SHOWN} of {total:,}" if total > ANSWERS_SHOWN else f"{total:,}"


def topmost(marks: Locator) -> Locator:
    """The largest of ``marks`` that no other mark covers at its centre, so a click lands on it."""
    hits = marks.evaluate_all(
        """els => els.map((e, i) => {
            const r = e.getBoundingClientRect();
            const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return [i, top === e, r.width * r.height];
        })"""
    )
    clickable = [(area, index) for index, on_top, area in hits if on_top]
    assert clickable, "every mark is covered by another"
    return marks.nth(max(clickable)[1])


def test_headline_numbers_and_every_chart_on_demo_data(page: Page, demo_server, demo_history) -> None:
    """The five metrics show what analysis.metrics.headline computes, and every view's charts draw their marks."""
    head = demo_history.headline
    assert head.interviews == 150 and head.questions_rated > 0 and head.decided > 0  # the held ones, not those ahead

    open_app(page, demo_server, "/dashboard")
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    expect(metric_value(page, "Interviews")).to_have_text(f"{head.interviews:,}")
    expect(metric_value(page, "Questions rated")).to_have_text(f"{head.questions_rated:,}")
    expect(metric_value(page, "Average rating")).to_have_text(f"{head.average_rating:.2f}")
    expect(metric_value(page, "Pass rate")).to_have_text(f"{head.pass_rate:.0%}")
    expect(metric_value(page, "Offers")).to_have_text(f"{head.offers:,}")
    # All time has no previous period to compare the average with.
    expect(page.get_by_test_id("stMetricDelta")).to_have_count(0)

    # The marks are the analysis layer's numbers: a bar per category, weakest on top,
    # a point per category and month.
    bars = marks(chart(page, "Weakest categories"), "rect")
    expect(bars).to_have_count(len(demo_history.strength))
    assert [label_field(bars.nth(i), "Category") for i in range(bars.count())] == list(
        demo_history.strength["category"]
    )
    points = marks(chart(page, CHART_TITLES[0]), "symbol")
    expect(points).to_have_count(len(demo_history.trend))

    # Each view, opened by its tab, draws its own charts and only those, and the address names it.
    for view, titles in [*list(VIEW_CHARTS.items())[1:], *list(VIEW_CHARTS.items())[:1]]:
        page.get_by_role("tab", name=view, exact=True).click()
        for title in titles:
            one = chart(page, title)
            expect(one, f"chart {title!r}").to_have_count(1)
            expect(one.locator("svg").first).to_be_visible()
            # Drawn: some mark has an area (a bar for a 0% pass rate is a flat, hidden path).
            drawn = one.locator("svg g.role-mark path").filter(visible=True)
            expect(drawn.first, f"no marks drawn in {title!r}").to_be_visible()
        expect(charts(page)).to_have_count(len(titles))
        if view == "Answers":  # the first view is the default: the address drops it
            expect(page).not_to_have_url(re.compile(r"view="))
        else:
            expect(page).to_have_url(re.compile(r"[?&]view=" + re.escape(view).replace(r"\ ", r"(\+|%20)")))


def test_weakest_category_bar_lists_its_answers_and_one_opens_its_interview(
    page: Page, demo_server, demo_history
) -> None:
    """Clicking the weakest bar lists that category's answers; selecting one opens its interview."""
    open_app(page, demo_server, "/dashboard")
    bars = marks(chart(page, "Weakest categories"), "rect")
    expect(bars).to_have_count(len(demo_history.strength))
    weakest = bars.first
    category = label_field(weakest, "Category")
    expected = demo_history.strength.iloc[0]
    assert category == expected["category"]
    expect(drill_heading(page, f"Answers in {category}")).to_have_count(0)

    weakest.click()
    wait_idle(page)
    heading = drill_heading(page, f"Answers in {category}")
    expect(heading).to_have_text(f"Answers in {category} · {shown(int(expected['answers']))} answers")
    table = answers_table(page)
    latest = demo_history.latest_answer[category]
    expect(table.get_by_test_id(f"glide-cell-{DATE}-0")).to_have_text(f"{latest['date']:%Y-%m-%d}")
    expect(table.get_by_test_id(f"glide-cell-{COMPANY}-0")).to_have_text(latest["company"])
    # Every answer in view is of the clicked category.
    categories = table.locator(f"td[data-testid^='glide-cell-{CATEGORY}-']")
    expect(categories.first).to_be_attached()
    assert set(categories.all_text_contents()) == {category}

    # Select the first answer: the row's checkbox in the row-marker column.
    table.click(position={"x": ROW_MARKER_WIDTH // 2, "y": ROW_HEIGHT + ROW_HEIGHT // 2})
    wait_idle(page)
    expect(page).to_have_url(re.compile(rf"/interviews\?id={int(latest['interview_id'])}$"))
    expect(page.get_by_role("heading", name="Interviews", exact=True)).to_be_visible()
    opened = page.get_by_role("heading", name=re.compile(f"^{re.escape(latest['company'])} · "))
    expect(opened).to_be_visible()
    expect(page.get_by_text(re.compile(f"^{latest['date']:%A %d %B %Y}"))).to_be_visible()


def test_rating_trend_point_lists_that_months_answers(page: Page, demo_server, demo_history) -> None:
    """Clicking a point of the trend lists the answers of that category in that month."""
    assert demo_history.grain == "month"  # 150 interviews over 18 months
    open_app(page, demo_server, "/dashboard")
    points = marks(chart(page, CHART_TITLES[0]), "symbol")
    expect(points).to_have_count(len(demo_history.trend))

    point = topmost(points)
    category = label_field(point, "Category")
    month = dt.datetime.strptime(label_field(point, "Month"), "%B %Y").date()
    trend = demo_history.trend
    row = trend[(trend["category"] == category) & (pd.to_datetime(trend["period"]).dt.date == month)]
    assert len(row) == 1, f"no trend row for {category} in {month:%B %Y}"
    answers = int(row["answers"].iloc[0])
    assert label_field(point, "Answers") == str(answers)

    point.click()
    wait_idle(page)
    title = f"{category}, month of {month:%d %b %Y}"
    expect(drill_heading(page, title)).to_have_text(f"{title} · {shown(answers)} answers")
    table = answers_table(page)
    dates = table.locator(f"td[data-testid^='glide-cell-{DATE}-']")
    expect(dates.first).to_be_attached()
    assert {d[:7] for d in dates.all_text_contents()} == {f"{month:%Y-%m}"}
    categories = table.locator(f"td[data-testid^='glide-cell-{CATEGORY}-']")
    assert set(categories.all_text_contents()) == {category}


def test_empty_database_shows_nothing_to_chart(page: Page, server) -> None:
    """With no interviews the Dashboard says so, links to the Log page and draws no chart or metric."""
    open_app(page, server, "/dashboard")
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile("^Nothing to chart yet."))).to_be_visible()
    expect(page.get_by_test_id("stMain").get_by_role("link", name="Log an interview")).to_be_visible()
    expect(charts(page)).to_have_count(0)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
