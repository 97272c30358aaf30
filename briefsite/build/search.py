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


def make_index(site: Path, build: str, bundle: Path | None = None) -> None:
    """Index the HTML pages of `site` into `bundle` (its `pagefind/` folder unless told),
    replacing what was there, and record which build it indexes."""
    target = bundle if bundle is not None else site / BUNDLE
    shutil.rmtree(target, ignore_errors=True)
    # Run from an empty folder with none of Pagefind's own settings from the environment:
    # a stray pagefind.yml or PAGEFIND_* variable must not change what a build makes.
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory(prefix="briefsite-pagefind-") as empty:
        done = subprocess.run(
            [
                str(pagefind_binary()),
                "--site",
                str(site),
                "--output-path",
                str(target),
                "--silent",
            ],
            cwd=empty,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        message = (done.stderr or done.stdout).strip().splitlines()
        raise BriefsiteError.at(
            SourceLocation(str(site)),
            "the search index could not be made: "
            + (message[-1] if message else "Pagefind failed"),
            "the previous output is unchanged",
        )
    _mark(target, build)


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
    _mark(site / BUNDLE, build)


def _mark(bundle: Path, build: str) -> None:
    # Written beside and renamed over: the marker may be a hard link to another site's.
    temporary = bundle / f"{INDEXED}.new"
    temporary.write_text(f"{build}\n", encoding="utf-8")
    os.replace(temporary, bundle / INDEXED)
