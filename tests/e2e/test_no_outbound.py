"""Nothing leaves the machine: every page, on an empty database and on demo data with hostile text, asks only 127.0.0.1.

Every request the browser makes is routed through the test: one to any host
but 127.0.0.1 or localhost is recorded and aborted, and the record must stay
empty. Chromium's own background traffic is off (see CHROMIUM_ARGS in
conftest.py), so what is recorded comes from the app: a favicon, a font, an
image in user text, a map tile.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from analysis import demo
from tests.app.test_hostile_text import _seed

from .conftest import ROOT, StreamlitServer, fill_database, open_app, running_server, wait_idle
from .test_dashboard import VIEW_CHARTS

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
PAGES = ["/", "/log", "/interviews", "/import", "/followups", "/dashboard", "/prepare", "/stories"]
PAGES += ["/practice", "/export"]
# The Dashboard draws only its open view (the first by default): each of the others by its address,
# where there is data to draw. Their names are test_dashboard's, which clicks every tab by name.
DASHBOARD_VIEWS = [f"/dashboard?view={quote_plus(view)}" for view in list(VIEW_CHARTS)[1:]]


def _empty(con) -> None:
    return None


def _hostile_demo(con) -> int:
    """Demo data (every chart and section has something to draw) plus hostile text in every field."""
    demo.generate(con, interviews=60)
    return _seed(con)


SEEDS = {"empty": _empty, "hostile demo": _hostile_demo}
# Each database at the widths that matter: the full one at a phone's and a desktop's (one load per
# page, then the window is widened: a width can change what is drawn, not what the server sends),
# the empty one (fewer elements) at a phone's.
CASES = [("empty", (390,)), ("hostile demo", (390, 1400))]
SIDEWAYS = """[...document.querySelectorAll('[data-testid=stMain], [data-testid=stMain] *')]
    .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'hidden'
                 && e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.getAttribute('data-testid') || e.tagName)"""


@pytest.fixture(scope="module")
def seeded(request, tmp_path_factory) -> Iterator[tuple[StreamlitServer, int | None]]:
    """A server on a database that is empty, or holds demo data and hostile text in every field."""
    seed = getattr(request, "param", "hostile demo")
    folder = tmp_path_factory.mktemp(f"outbound-{seed.replace(' ', '-')}")
    interview_id = fill_database(folder, SEEDS[seed])
    with running_server(folder) as server:
        yield server, interview_id


def _visit_every_page(
    browser: Browser, server: StreamlitServer, interview_id: int | None, widths: tuple[int, ...]
) -> list[str]:
    """Open every page (and an interview's own pages) at each of ``widths``; return the non-local requests, aborted.

    At each width the page must not scroll sideways and no user text may have become a link or an image.
    """
    outbound: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outbound.append(url)
            route.abort()

    context = browser.new_context(viewport={"width": widths[0], "height": 900}, reduced_motion="reduce")
    try:
        context.route("**/*", guard)
        page = context.new_page()
        # With data: the Dashboard's other views, and an interview's own pages.
        paths = PAGES + (
            DASHBOARD_VIEWS + [f"{p}?id={interview_id}" for p in ("/interviews", "/log", "/followups")]
            if interview_id
            else []
        )
        for index, path in enumerate(paths):
            _reach(page, server, path, first=index == 0)
            # The width the page was reached at first: each resize redraws every chart.
            for width in sorted(widths, key=lambda w: w != page.viewport_size["width"]):
                page.set_viewport_size({"width": width, "height": 900})
                wait_idle(page)
                where = f"{path} at {width} px"
                assert page.locator("a[href*='example.invalid'], img[src*='example.invalid']").count() == 0, where
                _fits(page, where)
            # Whatever the page asked for has gone through the guard (a resize fetches nothing new).
            page.wait_for_load_state("networkidle")
    finally:
        context.close()
    return outbound


def _reach(page: Page, server: StreamlitServer, path: str, first: bool) -> None:
    """Show ``path``: a page of the sidebar by its link, as a user moves between pages; any other by loading it.

    A link keeps the document (its scripts, styles and fonts were fetched, through the guard, at the
    first load) and runs the page on the same session: what it asks for then is what a user's click asks.
    """
    if first or "?" in path:
        open_app(page, server, path)
        return
    page.set_viewport_size({"width": 1400, "height": 900})  # the sidebar's links show at a desktop's width
    page.locator(f"[data-testid=stSidebarNav] a[href='{server.url}{path}']").click()
    # A page may add its own query (Follow-ups names the interview it shows: ?id=).
    expect(page).to_have_url(re.compile(rf"^{re.escape(server.url + path)}(\?.*)?$"))
    wait_idle(page)


def _fits(page: Page, where: str) -> None:
    """Nothing on the page sticks out of the window, once the layout has caught up with a resize."""
    try:
        # A grid sizes itself a moment after the window does: wait for the layout, not for a time.
        page.wait_for_function(f"({SIDEWAYS}).length === 0", timeout=10_000)
    except PlaywrightTimeoutError:
        assert page.evaluate(SIDEWAYS) == [], f"{where} scrolls sideways"


@pytest.mark.parametrize(("seeded", "widths"), CASES, indirect=["seeded"])
def test_no_page_asks_anything_of_another_host_or_scrolls_sideways(browser, seeded, widths):
    server, interview_id = seeded
    assert _visit_every_page(browser, server, interview_id, widths) == []


def test_the_guard_would_see_an_outbound_request(browser, seeded):
    """The route handler is not vacuous: a page's request to another host is recorded and aborted."""
    server, _ = seeded
    context = browser.new_context()
    seen = []
    context.route("**/*", lambda route: (seen.append(route.request.url), route.continue_()))
    try:
        page = context.new_page()
        open_app(page, server)
        page.evaluate("fetch('http://example.invalid/probe').catch(() => null)")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert "http://example.invalid/probe" in seen


def test_the_server_log_names_the_port_it_listens_on(seeded):
    server, _ = seeded
    port = urlsplit(server.url).port
    addresses = re.findall(r"URL: (http://\S+)", server.output())
    assert addresses and all(a.rstrip("/") == f"http://127.0.0.1:{port}" for a in addresses), server.output()


def test_the_config_leaves_the_browser_port_to_the_server():
    config = tomllib.loads(Path(ROOT, ".streamlit", "config.toml").read_text())
    assert "serverPort" not in config.get("browser", {})
