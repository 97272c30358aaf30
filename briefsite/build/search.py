"""The search index: Pagefind's command-line binary (from the pinned `pagefind[bin]` wheel)
run over a built site, as the last step of a build.

Pagefind indexes a whole site at once, about 12 ms of processor time a brief page: some
ten seconds for a thousand briefs, which no edit of one note should wait for. So the
index is in two parts: the *base* (`pagefind/`), made from every page, and the *delta*
(`pagefind-delta/`), made from only the pages that changed since the base was made, with
the list of those pages and of the pages removed (`CHANGES`). The search page asks both
and drops the base's results for pages the delta replaces (each indexed page carries a
`page` filter naming it, so this is exact). Once more than `DELTA_LIMIT` pages changed,
the base is made again and the delta dropped.

`build` brings the index up to date on the staged site before swapping it in, starting as
soon as the run has rendered its pages: a delta reads each page where it is meanwhile
(`Staged`), and only a full index waits for the staged site to be whole. `serve` makes the
index on the live site in the background after the page reload. Each part holds a marker
naming the build it indexes (`INDEXED`). Pagefind's file names are not reproducible, so
the index is outside the manifest: two builds of the same input give the same pages, and
indexes that find the same things.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Set
from pathlib import Path
from typing import TYPE_CHECKING

from briefsite.build.modes import modes_follow_umask
from briefsite.build.write import link_tree
from briefsite.errors import BriefsiteError, SourceLocation

if TYPE_CHECKING:
    import subprocess

BUNDLE = "pagefind"  # the base: every indexed page as the base was made
DELTA = "pagefind-delta"  # the pages changed since then
INDEXED = "briefsite-build"  # in the base: the build the index (base and delta) is for
PAGES = "briefsite-pages.json"  # in the base: the page files it was made from, and digests
CHANGES = "briefsite-changes.json"  # in the delta: the pages it replaces or removes
BODY = b"data-pagefind-body"  # what marks a page to index (Pagefind's own attribute)
# Up to this many changed pages to index go into the delta; beyond, the base is made again.
# Each build indexes its delta whole, so the limit trades one cost for the other: a full
# index of 1,000 briefs takes 10-20 s here (about 12 ms a page, see benchmarks/), and a
# one-note edit changes 2-3 pages (one indexed), so edits spread over different briefs
# cost about 12 ms x the pages changed since the base, plus a full index every ~60 of
# them; edits to the same brief keep the delta at one page. 64 is about where the two
# costs meet, and a delta of 64 pages indexes in under a second.
DELTA_LIMIT = 64
# Changed pages that are not indexed (entity and list pages) cost nothing to index, but
# each is a name in the list the search page reads; past this many, a full index.
REPLACED_LIMIT = 8 * DELTA_LIMIT


def pagefind_binary() -> Path:
    """Pagefind's executable, as the `pagefind_bin` wheel installs it."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - a broken install
        raise BriefsiteError.at(
            SourceLocation("pyproject.toml"),
            "Pagefind is not installed, so the search index cannot be made",
            "install briefsite's dependencies: pip install -e .",
        ) from exc
    found: object = get_executable()
    assert isinstance(found, Path)
    return found


def indexed_build(site: Path) -> str | None:
    """The build a site's search index was made for, if it has one."""
    try:
        return (site / BUNDLE / INDEXED).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def index_command(site: Path, bundle: Path) -> list[str]:
    """The command that indexes the HTML pages of `site` into `bundle`."""
    return [str(pagefind_binary()), "--site", str(site), "--output-path", str(bundle), "--silent"]


def index_environment() -> dict[str, str]:
    """The environment Pagefind runs in: none of its own settings (PAGEFIND_*), so that
    nothing outside the project changes what a build makes."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}


# Told of each Pagefind process as it starts (the preview stops one when a build starts).
Watch = Callable[["subprocess.Popen[str]"], None]


def run_pagefind(site: Path, bundle: Path, watch: Watch | None = None) -> None:
    """Index the pages of `site` into `bundle`, replacing what was there."""
    import subprocess  # here: a build with nothing to do never starts a process

    shutil.rmtree(bundle, ignore_errors=True)
    # Run from an empty folder: a stray pagefind.yml must not change what a build makes.
    with tempfile.TemporaryDirectory(prefix="briefsite-pagefind-") as empty:
        process = subprocess.Popen(
            index_command(site, bundle),
            cwd=empty,
            env=index_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if watch is not None:
            watch(process)
        output, _ = process.communicate()
    if process.returncode != 0:
        shutil.rmtree(bundle, ignore_errors=True)
        raise index_failed(site, output)


def index_failed(site: Path, output: str) -> BriefsiteError:
    """The error for a Pagefind run that failed, with its last words."""
    lines = output.strip().splitlines()
    return BriefsiteError.at(
        SourceLocation(str(site)),
        "the search index could not be made: " + (lines[-1] if lines else "Pagefind failed"),
        "the previous output is unchanged",
    )


def base_pages(site: Path) -> dict[str, str] | None:
    """The pages a site's base index was made from (file -> digest), if it has one."""
    try:
        found = json.loads((site / BUNDLE / PAGES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def html_pages(pages: Mapping[str, str]) -> dict[str, str]:
    """The HTML pages of a site's files (file -> digest): what Pagefind reads."""
    return {out: digest for out, digest in pages.items() if out.endswith(".html")}


class Staged:
    """A site being staged while its index is made. The pages the run rendered are in it
    already; every other page is the live output's (same bytes) until the site is `whole`.
    A full index needs the site whole, and waits for it."""

    def __init__(self, site: Path, live: Path, rendered: Set[str]) -> None:
        import threading

        self.site = site
        self._live = live
        self._rendered = rendered
        self._settled = threading.Event()
        self._whole = False

    def page(self, output: str) -> Path:
        """Where the page `output` can be read now."""
        if self._whole or output in self._rendered:
            return self.site / output
        return self._live / output

    def settle(self, whole: bool) -> None:
        """Say that the site is whole now, or never will be (the build gave it up)."""
        self._whole = whole
        self._settled.set()

    def wait_whole(self) -> bool:
        """Wait until the build settles the site; whether it is whole."""
        self._settled.wait()
        return self._whole


def index_staged(
    staged: Staged,
    live: Path,
    build: str,
    pages: Mapping[str, str],
    before: Mapping[str, str],
    current: bool,
) -> None:
    """Bring a staged site's index up to date (its files' digests: `pages`); `live` is the
    output it replaces, whose files had the digests `before`, and whose index is `current`
    when it was made for them."""
    site = staged.site
    html = html_pages(pages)
    # The same pages as the live output's, whose index is theirs: no new run.
    same = current and html == html_pages(before) and copy_index(live, site)
    if not same and update_index(site, build, html, live, staged=staged) == "given up":
        return
    mark_index(site / BUNDLE, build)
    # Pagefind's files, and those kept from an older build (hard links), as the umask says;
    # each part's list of pages is written with it and followed last.
    modes_follow_umask(site / BUNDLE, PAGES)
    modes_follow_umask(site / DELTA, CHANGES)


class Indexing:
    """A call that makes the index (`index_staged`) of a `Staged` site in a thread of its
    own, from its start to `wait`: a build stages its site and saves its cache meanwhile
    (Pagefind runs as a process of its own either way)."""

    def __init__(self, index: Callable[[], None], staged: Staged) -> None:
        import threading

        self._staged = staged
        self._started = time.perf_counter()
        self._seconds = 0.0
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(index,), daemon=True)
        self._thread.start()

    def _run(self, index: Callable[[], None]) -> None:
        try:
            index()
        except BaseException as exc:  # raised again by `wait`, in the build's own thread
            self._failure = exc
        finally:
            self._seconds = time.perf_counter() - self._started

    def wait(self) -> float:
        """Wait for the index; what it raised is raised here. How long it took, in s."""
        self._thread.join()
        if self._failure is not None:
            raise self._failure
        return self._seconds

    def staged_whole(self) -> None:
        """Say that the staged site is whole: a full index may start."""
        self._staged.settle(True)

    def give_up(self) -> None:
        """Stop waiting for a staged site the build gave up, and let the index end."""
        self._staged.settle(False)
        self._thread.join()


def update_index(
    site: Path,
    build: str,
    pages: Mapping[str, str],
    base: Path | None,
    watch: Watch | None = None,
    staged: Staged | None = None,
) -> str:
    """Bring the search index of `site` (whose HTML pages and digests are `pages`) up to
    date: reuse the base index of `base` (a site holding one, possibly `site` itself) and
    index only what changed since, or make the base again. `staged` says where each page is
    while `site` is being staged. Says what it did: `delta`, `full`, or `given up` (the
    build gave up the staged site before it was whole)."""
    page = staged.page if staged is not None else site.joinpath
    made_from = base_pages(base) if base is not None else None
    changed: list[str] = []
    removed: list[str] = []
    indexed: list[str] = []
    if made_from is not None:
        changed = sorted(out for out, d in pages.items() if made_from.get(out) != d)
        removed = sorted(set(made_from) - set(pages))
        if len(changed) + len(removed) <= REPLACED_LIMIT:
            indexed = [out for out in changed if BODY in page(out).read_bytes()]
    if (
        made_from is None
        or len(changed) + len(removed) > REPLACED_LIMIT
        or len(indexed) > DELTA_LIMIT
    ):
        if staged is not None and not staged.wait_whole():
            return "given up"
        run_pagefind(site, site / BUNDLE, watch)
        write_json(site / BUNDLE / PAGES, dict(sorted(pages.items())))
        make_delta(site, [], [], [], page)  # an empty one: the search page always finds its list
        mark_index(site / BUNDLE, build)
        return "full"
    assert base is not None
    if (
        base != site
        and not _same_base(base, site)
        and not copy_bundle(base / BUNDLE, site / BUNDLE)
    ):
        return update_index(site, build, pages, None, watch, staged)
    make_delta(site, indexed, changed, removed, page, watch)
    mark_index(site / BUNDLE, build)
    return "delta"


def _same_base(one: Path, other: Path) -> bool:
    """Whether two sites hold the very same base index: its list of pages is one file,
    linked into both (a base made again is a new file), so the other needs no copy."""
    try:
        return os.path.samefile(one / BUNDLE / PAGES, other / BUNDLE / PAGES)
    except OSError:
        return False


def make_delta(
    site: Path,
    indexed: list[str],
    changed: list[str],
    removed: list[str],
    page: Callable[[str], Path],
    watch: Watch | None = None,
) -> None:
    """Index the changed pages of `site` that Pagefind indexes (`indexed`, read where
    `page` says) into its delta, with the list of the pages the delta stands for."""
    delta = site / DELTA
    shutil.rmtree(delta, ignore_errors=True)
    if indexed:
        with tempfile.TemporaryDirectory(prefix=".briefsite-delta-", dir=site.parent) as pages:
            for out in indexed:
                target = Path(pages) / out
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(page(out), target)
            run_pagefind(Path(pages), delta, watch)
    else:
        delta.mkdir()
    write_json(
        delta / CHANGES,
        {
            "indexed": [_address(out) for out in indexed],
            "replaced": [_address(out) for out in sorted({*changed, *removed})],
        },
    )


def _address(output: str) -> str:
    """A page's address from the site's root, as Pagefind and the `page` filter name it."""
    return output.removesuffix("index.html")


def copy_bundle(source: Path, target: Path) -> bool:
    """Hard-link an index bundle into another site; whether it could."""
    shutil.rmtree(target, ignore_errors=True)
    return source.is_dir() and link_tree(source, target)


def copy_index(source: Path, site: Path) -> bool:
    """Hard-link a site's whole index (base and delta) into another holding the same pages."""
    if not copy_bundle(source / BUNDLE, site / BUNDLE):
        return False
    if (source / DELTA).is_dir():
        return copy_bundle(source / DELTA, site / DELTA)
    shutil.rmtree(site / DELTA, ignore_errors=True)
    return True


def write_json(path: Path, value: object) -> None:
    """Write a small JSON file beside and rename it over (it may be a hard link)."""
    temporary = path.with_name(f"{path.name}.new")
    temporary.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def mark_index(bundle: Path, build: str) -> None:
    """Record in a base which build the index is for."""
    temporary = bundle / f"{INDEXED}.new"
    temporary.write_text(f"{build}\n", encoding="utf-8")
    os.replace(temporary, bundle / INDEXED)
