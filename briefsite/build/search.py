"""The search index: Pagefind's command-line binary (from the pinned `pagefind[bin]` wheel)
run over a built site, as the last step of a build.

The index is made from the written pages, so it is made after them: `build` indexes the
staged site before swapping it in; `serve` indexes the live one in the background after
the page reload, so that an edit is never kept waiting for it. Its folder, `pagefind/`,
holds a marker naming the build it indexes (`INDEXED`): an index made for another build
is stale and is made again. Pagefind's file names are not reproducible, so the index is
outside the manifest: two builds of the same input give the same pages, and indexes that
find the same things.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from briefsite.errors import BriefsiteError, SourceLocation

BUNDLE = "pagefind"
INDEXED = "briefsite-build"  # in the bundle: the id of the build the index was made from


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
    """The build a site's search index was made from, if it has one."""
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


def make_index(site: Path, build: str, bundle: Path | None = None) -> None:
    """Index the HTML pages of `site` into `bundle` (its `pagefind/` folder unless told),
    replacing what was there, and record which build it indexes."""
    target = bundle if bundle is not None else site / BUNDLE
    shutil.rmtree(target, ignore_errors=True)
    # Run from an empty folder: a stray pagefind.yml must not change what a build makes.
    with tempfile.TemporaryDirectory(prefix="briefsite-pagefind-") as empty:
        done = subprocess.run(
            index_command(site, target),
            cwd=empty,
            env=index_environment(),
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        raise index_failed(site, done.stderr or done.stdout)
    mark_index(target, build)


def index_failed(site: Path, output: str) -> BriefsiteError:
    """The error for a Pagefind run that failed, with its last words."""
    lines = output.strip().splitlines()
    return BriefsiteError.at(
        SourceLocation(str(site)),
        "the search index could not be made: " + (lines[-1] if lines else "Pagefind failed"),
        "the previous output is unchanged",
    )


def copy_index(source: Path, site: Path) -> bool:
    """Hard-link a site's index into another holding the same pages; whether it could."""
    origin = source / BUNDLE
    target = site / BUNDLE
    shutil.rmtree(target, ignore_errors=True)
    if not origin.is_dir():
        return False
    try:
        shutil.copytree(origin, target, copy_function=os.link)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True


def set_indexed(site: Path, build: str) -> None:
    """Record that a site's index (copied from a build with the same pages) is that of
    `build`."""
    mark_index(site / BUNDLE, build)


def mark_index(bundle: Path, build: str) -> None:
    """Record in a bundle which build it indexes."""
    # Written beside and renamed over: the marker may be a hard link to another site's.
    temporary = bundle / f"{INDEXED}.new"
    temporary.write_text(f"{build}\n", encoding="utf-8")
    os.replace(temporary, bundle / INDEXED)
