"""Browser tests: the built sites served over HTTP and read in Debian's Chromium.

Playwright drives `/usr/bin/chromium` (never a browser of its own); `.ci/run` installs it,
and `npm ci --prefix tests/browser` installs the checkers (axe-core, the Nu HTML checker).
Without Chromium every test here is skipped, with the reason in pytest's summary.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests import helpers

try:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, sync_playwright
except ImportError:  # pragma: no cover - the dev extras install it
    sync_playwright = None  # type: ignore[assignment]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
NODE_MODULES = HERE / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# BRIEFSITE_CHROMIUM points elsewhere, e.g. to check what happens on a machine without it.
CHROMIUM = Path(os.environ.get("BRIEFSITE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROJECTS = {
    # A copy of the example project: the example itself is the user's to change.
    "example": ROOT / "tests" / "fixtures" / "example",
    "golden": ROOT / "tests" / "fixtures" / "golden",
    "hostile": ROOT / "tests" / "fixtures" / "hostile",
    # Briefs made to test the margin: a dense paragraph, a tall note, overlapping quotes.
    "margin": ROOT / "tests" / "fixtures" / "margin",
}
BRIEF = "briefs/border-patrol-sanctuary-cities/"
WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if sync_playwright is None:
        return "the Python package 'playwright' is not installed (pip install -e '.[dev]')"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does this)"
    return None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Site:
    """A built site, served over HTTP at the path of its base URL."""

    name: str
    folder: Path
    url: str

    def pages(self) -> list[str]:
        """Every HTML page's path relative to the site, e.g. `briefs/x/index.html`."""
        return sorted(p.relative_to(self.folder).as_posix() for p in self.folder.rglob("*.html"))


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Site]]:
    """The example, golden and hostile projects, built and each served on its own port."""
    servers: list[http.server.ThreadingHTTPServer] = []
    built: dict[str, Site] = {}
    for name, project in PROJECTS.items():
        docroot = tmp_path_factory.mktemp(f"serve-{name}")
        base = helpers.plan(project).project.site.base_url or "/"
        prefix = urlsplit(base).path.strip("/")
        folder = docroot / prefix if prefix else docroot / "site"
        if not prefix:
            docroot = folder
        helpers.build(project, folder)
        handler = functools.partial(_QuietHandler, directory=str(docroot))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        path = f"/{prefix}/" if prefix else "/"
        built[name] = Site(name, folder, f"http://127.0.0.1:{server.server_address[1]}{path}")
    yield built
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, with no network beyond 127.0.0.1 needed."""
    reason = missing_browser()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watched:
    """A page and what it reported: console errors, uncaught exceptions and dialogs."""

    page: Page
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


Opener = Callable[..., Watched]


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Opener]:
    """Open a URL in a fresh context; `width`, `js`, `touch` and `dark` choose how."""
    contexts = []

    def open_(
        url: str,
        viewport: dict[str, int] | None = None,
        js: bool = True,
        touch: bool = False,
        dark: bool = False,
    ) -> Watched:
        context = browser.new_context(
            viewport=viewport or WIDE,  # type: ignore[arg-type]
            java_script_enabled=js,
            has_touch=touch,
            is_mobile=touch,
            color_scheme="dark" if dark else "light",
            reduced_motion="reduce",
        )
        contexts.append(context)
        page = context.new_page()
        watched = Watched(page)

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                watched.errors.append(f"console: {message.text} at {message.location}")

        def on_dialog(dialog: Dialog) -> None:
            watched.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("console", on_console)
        page.on("pageerror", lambda exc: watched.errors.append(f"uncaught: {exc}"))
        page.on("dialog", on_dialog)
        page.goto(url)
        return watched

    yield open_
    for context in contexts:
        context.close()


def need(path: Path, what: str) -> None:
    """Skip when a checker installed by npm is missing."""
    if not path.exists():
        pytest.skip(f"{what} is not installed: run `npm ci --prefix tests/browser` (.ci/run does)")


def java() -> str:
    found = shutil.which("java")
    if not found:
        pytest.skip("the Nu HTML checker needs Java, and there is no `java` on PATH")
    return found


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    """Say plainly, at the end of the run, that the browser tests did not run and why."""
    reason = missing_browser()
    if reason:
        terminalreporter.write_line(
            f"NOTE: the browser tests in tests/browser/ were skipped: {reason}",
            yellow=True,
            bold=True,
        )
