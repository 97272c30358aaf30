"""Build the real site and take screenshots of its brief and claims page, wide and on a phone.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--all]

The README shows the PNG files this writes, so running it after a change to the layouts
keeps them current: a wide brief's top and middle, a note cut short with its "More"
button, a phone with a note open (light and dark), and the claims page. `--all` adds
other pages, print and a phone without JavaScript, for review.
Chromium is Debian's (`/usr/bin/chromium`); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from briefsite.build.builder import Builder
from briefsite.build.store import Store

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
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
BRIEF = "briefs/border-patrol-sanctuary-cities/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 at a free port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _shoot(page: Page, path: Path, clip_from: str | None = None) -> None:
    if clip_from:
        page.evaluate(
            "sel => window.scrollTo(0, document.querySelector(sel).getBoundingClientRect().top"
            " + window.scrollY - 16)",
            clip_from,
        )
    page.screenshot(path=str(path))
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def _cut_note(page: Page, path: Path) -> None:
    """A cut note with its "More" button, and the notes around it, beside their passages."""
    note = page.locator(".article-text .note.cut").nth(2)
    note.scroll_into_view_if_needed()
    box = note.bounding_box()
    assert box is not None, "no note is cut short on the page"
    page.screenshot(
        path=str(path),
        clip={"x": box["x"] - 620, "y": box["y"] - 140, "width": 1060, "height": 360},
    )
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def _open_on_phone(page: Page, path: Path) -> None:
    page.locator(".annotated").scroll_into_view_if_needed()
    page.locator('.article-text a.ref[href="#bortac"]').tap()
    page.wait_for_timeout(600)
    _shoot(page, path)


def take(out: Path, everything: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        built = Builder(ROOT, Store.none()).build(site)
        assert built.ok, [d.format() for d in built.diagnostics]
        with serve(site) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            desktop = browser.new_page(viewport={"width": 1280, "height": 900})
            desktop.goto(base + BRIEF)
            _shoot(desktop, out / "brief-desktop-top.png")
            _shoot(desktop, out / "brief-desktop-article.png", ".annotated")
            _shoot(desktop, out / "brief-desktop-middle.png", "#passage_border-decline")
            _cut_note(desktop, out / "brief-desktop-more.png")
            phone = browser.new_page(
                viewport={"width": 390, "height": 844}, device_scale_factor=2, has_touch=True
            )
            phone.goto(base + BRIEF)
            _shoot(phone, out / "brief-phone-top.png")
            _open_on_phone(phone, out / "brief-phone-note-open.png")
            dark = browser.new_page(
                viewport={"width": 390, "height": 844},
                device_scale_factor=2,
                has_touch=True,
                color_scheme="dark",
            )
            dark.goto(base + BRIEF)
            _open_on_phone(dark, out / "brief-phone-dark-note-open.png")
            desktop.goto(base + "claims/")
            _shoot(desktop, out / "claims-desktop.png")
            if everything:
                dark = browser.new_page(
                    viewport={"width": 1280, "height": 900}, color_scheme="dark"
                )
                dark.goto(base + BRIEF)
                _shoot(dark, out / "brief-desktop-dark.png", ".annotated")
                _shoot(dark, out / "brief-desktop-dark-end.png", ".end-matter")
                desktop.goto(base + BRIEF)
                _shoot(desktop, out / "brief-desktop-end.png", ".end-matter")
                desktop.emulate_media(media="print")
                desktop.screenshot(path=str(out / "brief-print.png"), full_page=True)
                desktop.emulate_media(media="screen")
                for name, url in (("index", ""), ("entity", "entities/ice/"), ("404", "404.html")):
                    desktop.goto(base + url)
                    _shoot(desktop, out / f"{name}-desktop.png")
                nojs = browser.new_context(
                    viewport={"width": 390, "height": 844}, java_script_enabled=False
                ).new_page()
                nojs.goto(base + BRIEF + "#sanctuary-cities")
                nojs.locator("#sanctuary-cities").scroll_into_view_if_needed()
                nojs.screenshot(path=str(out / "brief-phone-nojs-target.png"))
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--all", action="store_true", help="also dark, print and other pages")
    args = parser.parse_args()
    take(args.out.resolve(), args.all)


if __name__ == "__main__":
    main()
