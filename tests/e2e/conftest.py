"""Browser tests: a real ``streamlit run app.py`` driven by Debian's Chromium.

A test that writes, or that needs a fresh server's first request (a bookmark), gets a
server process of its own on a new database file (the ``server`` fixture). Tests that
only read share one server per module, on a database the module prepares once (a
module-scoped fixture using ``running_server``). Every server keeps its temporary files
in its own folder. One Chromium serves the whole session; a module's tests share one
browser context (its cache), each test gets a new page without cookies, so each starts a
new Streamlit session.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from analysis import store

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_DEADLINE_S = 60
STOP_DEADLINE_S = 10

PAGE_ERRORS = pytest.StashKey[list]()
CONSOLE = pytest.StashKey[list]()  # the page's console errors and warnings, for a failure's report

# Servers asked to stop when their tests are done, reaped when the session ends: no test
# waits for Streamlit to shut down unless it reads the database afterwards (``stop``).
_STOPPING: list[subprocess.Popen] = []
T = TypeVar("T")

# A 2-core machine running a server and a browser is slow now and then:
# allow more than Playwright's 5 s for the UI to catch up. These are upper
# bounds for auto-waiting, not delays.
expect.set_options(timeout=20_000)


@dataclass
class StreamlitServer:
    """A running ``streamlit run app.py`` on its own port and database."""

    url: str
    db_path: Path
    process: subprocess.Popen
    log_path: Path
    stopped: bool = False

    def stop(self) -> None:
        """Stop the server (terminate; kill after 10 s), e.g. to read its database file."""
        self.stopped = True
        _stop(self.process)

    def stop_later(self) -> None:
        """Ask the server to stop and return at once; the session waits for it at its end."""
        if self.process.poll() is None:
            self.stopped = True
            self.process.terminate()
            _STOPPING.append(self.process)

    def status(self) -> str:
        code = self.process.poll()
        if code is None:
            return f"running (pid {self.process.pid})"
        if self.stopped:
            return f"stopped by the test (exit code {code})"
        return f"EXITED DURING THE TEST with code {code}" + (
            " (SIGTERM/SIGKILL: something outside this test stopped it)" if code < 0 else ""
        )

    def output(self) -> str:
        """What the server printed so far (stdout and stderr, interleaved)."""
        try:
            return self.log_path.read_text(errors="replace")
        except OSError as exc:
            return f"(could not read {self.log_path}: {exc})"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_DEADLINE_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _launch(tmp_path: Path, db_path: Path, attempt: int) -> StreamlitServer:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path / f"streamlit-{attempt}.log"
    scratch = tmp_path / "tmp"
    scratch.mkdir(exist_ok=True)
    env = dict(
        os.environ,
        DEBRIEF_DB=str(db_path),
        PYTHONUNBUFFERED="1",
        # The server's temporary files (the importer's scratch folder among them) stay
        # in its own folder: no two processes share one.
        TMPDIR=str(scratch),
        # Each test's server runs the code as it was when the server started: a
        # source file saved mid-test must not make Streamlit reload modules under it
        # (which also spares this 2-core machine the watcher's polling).
        STREAMLIT_SERVER_FILE_WATCHER_TYPE="none",
    )
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return StreamlitServer(url=url, db_path=db_path, process=process, log_path=log_path)


def _start_server(tmp_path: Path) -> StreamlitServer:
    db_path = tmp_path / "debrief.duckdb"
    for attempt in range(1, 4):
        server = _launch(tmp_path, db_path, attempt)
        deadline = time.monotonic() + STARTUP_DEADLINE_S
        while not _healthy(server.url):
            if time.monotonic() > deadline:
                server.stop()
                pytest.fail(
                    f"streamlit did not answer {server.url}/_stcore/health within {STARTUP_DEADLINE_S} s.\n"
                    f"--- server output ---\n{server.output()}",
                    pytrace=False,
                )
            try:
                # Poll the health endpoint every 0.1 s; stop early if the server dies.
                server.process.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                continue
            break
        else:
            return server
        # Another process may have taken the free port between our check and
        # streamlit's bind ("Port N is not available"): try another port, but
        # fail on anything else.
        if "is not available" not in server.output() or attempt == 3:
            pytest.fail(
                f"streamlit exited with code {server.process.returncode} before it was ready.\n"
                f"--- server output ---\n{server.output()}",
                pytrace=False,
            )
    raise AssertionError("unreachable")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """On failure, attach the server's output (and a screenshot of the page) to the report."""
    report = yield
    if report.failed and call.when in ("setup", "call"):
        funcargs = getattr(item, "funcargs", {})
        server = next((value for value in funcargs.values() if isinstance(value, StreamlitServer)), None)
        if server is not None:
            report.sections.append(
                (f"streamlit server output; server {server.status()}", server.output() or "(nothing printed)")
            )
            errors = item.stash.get(PAGE_ERRORS, [])
            if errors:
                report.sections.append(("uncaught errors in the page", "\n".join(errors)))
            console = item.stash.get(CONSOLE, [])
            if console:
                report.sections.append(("the page's console (errors and warnings)", "\n".join(console)))
            page = funcargs.get("page")
            if page is not None:
                report.sections.append(("Streamlit's state in the page", _app_state(page)))
                # Named for the test: a shared server's folder collects the failures of several.
                test_name = re.sub(r"[^\w.-]", "_", item.name)
                shot = server.log_path.with_name(f"failure-{test_name}.png")
                try:
                    page.screenshot(path=str(shot), full_page=True)
                    report.sections.append(("screenshot", str(shot)))
                except Exception as exc:  # the page may be gone; the server output is what matters
                    report.sections.append(("screenshot", f"(could not take one: {exc})"))
    return report


def _app_state(page: Page) -> str:
    """The app's connection and script-run state as the page shows them (a failure's report says it)."""
    try:
        app = page.locator("[data-testid=stApp]")
        return (
            f"connection {app.get_attribute('data-test-connection-state', timeout=2_000)}, "
            f"script {app.get_attribute('data-test-script-state', timeout=2_000)}, url {page.url}"
        )
    except Exception as exc:  # the page may be gone; the rest of the report still helps
        return f"(could not read it: {exc})"


@pytest.fixture
def server(tmp_path) -> Iterator[StreamlitServer]:
    """A fresh ``streamlit run app.py`` on a free port, with DEBRIEF_DB a new file under tmp_path."""
    running = _start_server(tmp_path)
    try:
        yield running
    finally:
        running.stop_later()


@pytest.fixture(scope="session", autouse=True)
def reap_servers() -> Iterator[None]:
    """At the end of the session, wait for every server asked to stop (kill any after 10 s)."""
    yield
    for process in _STOPPING:
        _stop(process)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Debian Chromium for the whole session (never Playwright's own download)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def kept_context(browser) -> Iterator[Callable[[int, int], BrowserContext]]:
    """``kept_context(width, height)``: the module's browser context at that window size, emptied for a test.

    A fresh context per test cost about 0.8 s of CPU more than a fresh page in a kept one
    (measured here: its cache starts empty, so every test fetched and compiled Streamlit's
    scripts again), and the suite is CPU-bound on two cores. Tests stay apart where it
    matters: each page load is a new Streamlit session with its own state, and a test
    gets the context with no page open and no cookies. A test that needs a context of
    its own (a browser closed and opened again) makes one.
    """
    made: dict[tuple[int, int], BrowserContext] = {}

    def at(width: int, height: int) -> BrowserContext:
        if (width, height) not in made:
            made[width, height] = browser.new_context(viewport={"width": width, "height": height})
            made[width, height].set_default_timeout(30_000)
        context = made[width, height]
        for left_open in context.pages:
            left_open.close()
        context.clear_cookies()
        return context

    try:
        yield at
    finally:
        for context in made.values():
            context.close()


@pytest.fixture
def page(kept_context, request) -> Iterator[Page]:
    """A new page, 1400x1000, in the module's kept browser context."""
    new_page = kept_context(1400, 1000).new_page()
    try:
        errors = request.node.stash.setdefault(PAGE_ERRORS, [])
        new_page.on("pageerror", lambda error: errors.append(str(error)))
        console = request.node.stash.setdefault(CONSOLE, [])
        new_page.on(
            "console",
            lambda message: (
                console.append(f"{message.type}: {message.text}") if message.type in ("error", "warning") else None
            ),
        )
        yield new_page
    finally:
        new_page.close()


def marked_width(request: pytest.FixtureRequest) -> int:
    """The window width a test asks for with ``@pytest.mark.width(px)``.

    Every page is swept at a phone's and a desktop's width by ``test_no_outbound``; a flow
    runs at the one width it is marked with, both only where the two layouts differ.
    """
    marker = request.node.get_closest_marker("width")
    if marker is None:
        raise pytest.UsageError(f"{request.node.nodeid} needs @pytest.mark.width(px)")
    return marker.args[0]


def wait_idle(page: Page) -> None:
    """Wait until Streamlit is connected and no script run is in progress.

    This does not prove that a rerun happened: follow it with an ``expect`` on
    what the rerun should show.
    """
    expect(page.locator("[data-testid=stApp][data-test-connection-state=CONNECTED]")).to_be_attached()
    expect(page.locator("[data-testid=stApp][data-test-script-state=notRunning]")).to_be_attached()


def open_app(page: Page, server: StreamlitServer, path: str = "/") -> None:
    """Load ``path`` of the app and wait until Streamlit is connected and idle.

    The first script run may not have started yet: expect what the page shows.
    """
    page.goto(server.url + path)
    wait_idle(page)


# --- Seeding a test's database before its server starts ------------------------------
# DuckDB lets one process open a database file at a time: a test writes its data
# through ``analysis`` in the test process, lets go of the file, then starts the server.


def database_file(tmp_path: Path) -> Path:
    """The database file a server started under ``tmp_path`` uses (as the ``server`` fixture's)."""
    return tmp_path / "debrief.duckdb"


def fill_database(tmp_path: Path, fill: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run ``fill(cursor)`` on the test's database file in this process, close the file, return the result."""
    path = database_file(tmp_path)
    try:
        return fill(store.connect(path).cursor())
    finally:
        store.close(path)


def database_copy(server: StreamlitServer, folder: Path) -> Path:
    """A copy of a running server's database file and its write-ahead log, to read while the server holds them.

    Take it while the app is idle (after ``wait_idle``): every committed write is then in
    those two files, so the copy, opened, holds what the app stored. A shared server's
    tests check "nothing written" so, without stopping the server the others use.
    """
    copy = folder / f"copy-of-{server.db_path.name}"
    # The app lets go of the file a moment after its last run, checkpointing as it closes:
    # hold the file while copying (waiting for the app to let go), never copy mid-checkpoint.
    holder = store.open_database(server.db_path, read_only=True)
    try:
        shutil.copyfile(server.db_path, copy)
        wal = server.db_path.with_name(server.db_path.name + ".wal")
        if wal.exists():
            shutil.copyfile(wal, copy.with_name(copy.name + ".wal"))
        else:
            copy.with_name(copy.name + ".wal").unlink(missing_ok=True)  # an earlier copy's log is not this one's
    finally:
        holder.close()
    return copy


@contextmanager
def running_server(tmp_path: Path) -> Iterator[StreamlitServer]:
    """What the ``server`` fixture does, for fixtures that fill the database first: start, yield, stop.

    A module-scoped fixture passes a folder of its own (``tmp_path_factory.mktemp``) to share one
    server among the module's tests that only read.
    """
    running = _start_server(tmp_path)
    try:
        yield running
    finally:
        running.stop_later()
