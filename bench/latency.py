"""Click-to-idle in Chromium: Debrief's pages and actions beside a bare Streamlit rerun, and the CLI beside the app.

Run with ``make bench`` or ``.venv/bin/python bench/latency.py``. Starts, in the
same run, the app on a 300-interview demo database and a bare Streamlit page (a
button that reruns a two-line script), and drives both with headless Chromium
(/usr/bin/chromium). A measure runs from the click until Streamlit's app reports
``notRunning`` and stays so (no further run within ``SETTLE_MS``). Clicks come a
second apart (``--pause``), as a person's do.

Targets: the median page navigation at most 2x the bare rerun; every page and
every action at most 3x. Then, with the app serving and the browser open,
``python -m analysis due --json`` is called 20 times: every call must succeed,
each under 2 s. An action whose control is not on the page (the pages change)
is skipped and said so.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
INTERVIEWS = 300
ROUNDS = 5  # each page visited, and each action done, this many times where it can be
SETTLE_MS = 400
# Seconds between the end of one measure and the next click: a person reads before clicking again.
# 0 measures clicks in a quick burst (``--pause 0``).
PAUSE_S = 1.0
NAVIGATION_GOAL, EVERY_GOAL = 2.0, 3.0
CLI_CALLS, CLI_GOAL_S = 20, 2.0
PAGES = ("Home", "Log interview", "Interviews", "Follow-ups", "Dashboard", "Prepare", "Practice", "Export")
BARE_SCRIPT = 'import streamlit as st\nst.button("Rerun")\n'

# Installed before the page's own scripts: timestamps (performance.now) of the last click
# and of every message from the server. A short run's "running" state may never reach
# the page (React renders it and "notRunning" in one go), its messages always do.
WATCH = """
window.__latency = {click: null, messages: []};
document.addEventListener('click', () => { window.__latency.click = performance.now(); }, true);
const NativeSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new NativeSocket(...args);
  socket.addEventListener('message', () => { window.__latency.messages.push(performance.now()); });
  return socket;
};
window.WebSocket.prototype = NativeSocket.prototype;
Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
"""
RESET = "() => { window.__latency.click = null; window.__latency.messages = []; }"
IDLE = "() => document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state') === 'notRunning'"
READ = "() => [window.__latency.click, window.__latency.messages, performance.now()]"


class Skipped(Exception):
    """The control an action needs is not on the page."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(script: Path, db: Path, folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, DEBRIEF_DB=str(db), TMPDIR=str(folder), STREAMLIT_SERVER_FILE_WATCHER_TYPE="none")
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    log = (folder / f"{script.stem}.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{script.name} did not start: see {log.name}")


def click_to_idle(page, click: Callable[[], None]) -> float:
    """Milliseconds from ``click()``'s click until the app is idle and stays idle; ``Skipped`` if no run followed.

    Idle: the app says ``notRunning`` and no message has come from the server for
    ``SETTLE_MS``; the time is that of the last message (the end of the last run).
    """
    page.wait_for_timeout(PAUSE_S * 1000)
    page.evaluate(RESET)
    click()
    started = time.monotonic()
    while time.monotonic() - started < 60:
        clicked, messages, now = page.evaluate(READ)
        answered = [t for t in messages if clicked is not None and t >= clicked]
        if not answered:
            if time.monotonic() - started > 2:
                raise Skipped("the click started no script run")
        elif now - answered[-1] >= SETTLE_MS and page.evaluate(IDLE):
            return answered[-1] - clicked
        page.wait_for_timeout(20)
    raise Skipped("the app did not become idle within a minute")


def wait_idle(page) -> None:
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for(state="attached")


def open_page(page, url: str) -> None:
    page.goto(url)
    page.locator("[data-testid=stApp][data-test-connection-state=CONNECTED]").wait_for(state="attached")
    wait_idle(page)


def navigate(page, title: str) -> float:
    link = page.locator("[data-testid=stSidebarNav] a").filter(has_text=title).first
    if not link.count():
        raise Skipped(f"no link to {title}")
    return click_to_idle(page, link.click)


def first(page, locator, what: str):
    found = locator.first
    try:
        found.wait_for(state="visible", timeout=3_000)
    except Exception as exc:  # Playwright's TimeoutError: the control is not there
        raise Skipped(f"no {what} on the page") from exc
    return found


def tick(page) -> float:
    navigate(page, "Follow-ups")
    box = first(
        page,
        page.locator("[data-testid=stMain] [data-testid=stCheckbox] label:not([data-disabled=true])"),
        "checklist tick box",
    )
    return click_to_idle(page, box.click)


def mark_as_sent(page, url: str, unsent: list[int]) -> float:
    if not unsent:
        raise Skipped("no interview with a thank-you still to send")
    open_page(page, f"{url}/followups?id={unsent.pop(0)}")
    button = first(page, page.get_by_role("button", name="Mark as sent"), '"Mark as sent" button')
    return click_to_idle(page, button.click)


def practice_grade(page) -> float:
    navigate(page, "Practice")
    reveal = page.get_by_role("button", name="Reveal my better answer")
    if reveal.count():
        click_to_idle(page, reveal.first.click)
    button = first(page, page.get_by_role("button", name="Good", exact=False), "practice grade button")
    return click_to_idle(page, button.click)


def chart_selection(page) -> float:
    navigate(page, "Dashboard")
    # A bar of the weakest-categories chart (Vega draws each mark as an SVG path).
    bar = first(page, page.locator("[data-testid=stVegaLiteChart] svg g.mark-rect.role-mark path"), "chart bar")
    box = bar.bounding_box()
    if not box or box["width"] < 2 or box["height"] < 2:
        raise Skipped("the chart's first bar has no size")
    return click_to_idle(page, lambda: page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))


def filter_change(page) -> float:
    navigate(page, "Dashboard")
    picker = first(page, page.locator("[data-testid=stMultiSelect]").filter(has_text="Stage"), "Stage filter")
    picker.click()
    option = first(page, page.locator("[role=option]"), "filter option")
    return click_to_idle(page, option.click)


def log_rating(page) -> float:
    """A rating tap on the Log page's first card, on a form whose draft is kept (typed in the first round)."""
    navigate(page, "Log interview")
    company = first(page, page.get_by_label("Company", exact=True), "Company field")
    if not company.input_value():
        for field, words in ((company, "Latency Ltd"), (page.get_by_label("Question 1", exact=True), "Why us?")):
            field.fill(words)
            field.blur()
            wait_idle(page)
    # The first card's first group of buttons is its rating (1 to 5).
    card = page.locator("[class*='st-key-log_card_']").first
    group = first(page, card.get_by_role("radiogroup"), "rating buttons")
    return click_to_idle(page, group.get_by_role("radio", checked=False).first.click)


def unsent_thank_yous(db: Path) -> list[int]:
    """The most recent interviews whose thank-you is not marked sent (the demo leaves a few)."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT i.id FROM interviews i LEFT JOIN followups f ON f.interview_id = i.id "
            "WHERE f.thank_you_sent_at IS NULL ORDER BY i.interview_date DESC, i.id DESC LIMIT ?",
            [ROUNDS],
        ).fetchall()
    return [interview_id for (interview_id,) in rows]


def measure_app(page, url: str, unsent: list[int]) -> tuple[dict[str, list[float]], dict[str, list[float]], list[str]]:
    actions_by_name = {
        "checklist tick": tick,
        "Mark as sent": lambda page: mark_as_sent(page, url, unsent),
        "practice grade": practice_grade,
        "chart selection": chart_selection,
        "filter change": filter_change,
        "Log rating tap": log_rating,
    }
    open_page(page, url)
    pages: dict[str, list[float]] = {title: [] for title in PAGES}
    actions: dict[str, list[float]] = {name: [] for name in actions_by_name}
    skipped = []
    for _ in range(ROUNDS):
        for title in PAGES:
            try:
                pages[title].append(navigate(page, title))
            except Skipped as why:
                skipped.append(f"page {title}: {why}")
    for _ in range(ROUNDS):
        for name, action in actions_by_name.items():
            try:
                actions[name].append(action(page))
            except Skipped as why:
                skipped.append(f"{name}: {why}")
    return pages, actions, sorted(set(skipped))


def measure_bare(page, url: str) -> float:
    open_page(page, url)
    button = page.get_by_role("button", name="Rerun")
    times = [click_to_idle(page, button.click) for _ in range(ROUNDS * 4)]
    return statistics.median(times)


def measure_cli(db: Path) -> tuple[list[float], list[str]]:
    """Seconds per ``due --json`` call, and what the failing calls said."""
    times, failures = [], []
    for _ in range(CLI_CALLS):
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "analysis", "due", "--json", "--db", str(db)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        times.append(time.perf_counter() - started)
        if result.returncode != 0:
            failures.append(result.stderr.strip()[-300:])
    return times, failures


def report(bare: float, pages: dict, actions: dict, skipped: list[str], cli: tuple[list[float], int]) -> bool:
    ok = True
    print(f"bare Streamlit rerun: {bare:.0f} ms (median)\n")
    print(f"{'':<24}{'median ms':>10}{'x bare':>8}   target")
    navigation = [t for times in pages.values() for t in times]
    for title, times in [*pages.items(), *actions.items()]:
        if not times:
            continue
        median = statistics.median(times)
        within = median <= EVERY_GOAL * bare
        ok &= within
        print(f"{title:<24}{median:>10.0f}{median / bare:>8.1f}   <= {EVERY_GOAL:g}x {'ok' if within else 'OVER'}")
    if navigation:
        median = statistics.median(navigation)
        within = median <= NAVIGATION_GOAL * bare
        ok &= within
        print(
            f"{'page navigation':<24}{median:>10.0f}{median / bare:>8.1f}   <= {NAVIGATION_GOAL:g}x {'ok' if within else 'OVER'}"
        )
    for line in skipped:
        print(f"skipped: {line}")
    times, failures = cli
    slowest = max(times)
    cli_ok = not failures and slowest < CLI_GOAL_S
    ok &= cli_ok
    for failure in sorted(set(failures)):
        print(f"a call failed: {failure}")
    print(
        f"\npython -m analysis due --json beside the app, {len(times)} calls: {len(times) - len(failures)} succeeded, "
        f"median {statistics.median(times):.2f} s, slowest {slowest:.2f} s "
        f"(target: all succeed, each under {CLI_GOAL_S:g} s): {'ok' if cli_ok else 'OVER'}"
    )
    return ok


def main() -> int:
    import argparse

    from playwright.sync_api import sync_playwright

    global PAUSE_S
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pause", type=float, default=PAUSE_S, help="seconds between clicks (default %(default)s)")
    PAUSE_S = parser.parse_args().pause

    with tempfile.TemporaryDirectory(prefix="debrief-latency-") as name:
        folder = Path(name)
        db = folder / "debrief.duckdb"
        subprocess.run(
            [sys.executable, "-m", "analysis", "demo", "--db", str(db), "--interviews", str(INTERVIEWS)],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        unsent = unsent_thank_yous(db)
        bare_script = folder / "bare.py"
        bare_script.write_text(BARE_SCRIPT)
        app, app_url = start_server(ROOT / "app.py", db, folder)
        bare, bare_url = start_server(bare_script, folder / "unused.duckdb", folder)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.set_default_timeout(30_000)
                context.add_init_script(WATCH)
                bare_median = measure_bare(context.new_page(), bare_url)
                page = context.new_page()
                pages, actions, skipped = measure_app(page, app_url, unsent)
                cli = measure_cli(db)  # the tab is still open on the app
                browser.close()
        finally:
            for process in (app, bare):
                process.terminate()
                process.wait(timeout=10)
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"{INTERVIEWS} demo interviews, {PAUSE_S:g} s between clicks; "
            f"load average {load:.2f} on {os.cpu_count()} cores\n"
        )
        within = report(bare_median, pages, actions, skipped, cli)
    print("\nwithin every target" if within else "\nSOME FIGURES ARE OVER TARGET")
    return 0


if __name__ == "__main__":
    sys.exit(main())
