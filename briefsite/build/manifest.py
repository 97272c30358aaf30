"""What an output folder holds and what it was made from, kept in the cache by build id."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from briefsite.build.codec import Plain, decode_diagnostics, encode_diagnostics
from briefsite.build.files import Files, Listing
from briefsite.build.stamps import FileState, SortedDigest, stamp_of, still_valid
from briefsite.build.store import Store
from briefsite.build.write import OutputStamp, output_stamp
from briefsite.errors import Diagnostic


@dataclass(frozen=True, slots=True)
class PageEntry:
    """A file of the site: what it was made from (`fingerprint`), its bytes' digest, and
    its stamp in the output folder once written there."""

    fingerprint: str
    digest: str
    stamp: OutputStamp | None


@dataclass(frozen=True)
class Manifest:
    """An output folder: its files, the sources they were made from, and what the build
    that made them reported."""

    build: str
    files: Mapping[str, FileState]
    pages: Mapping[str, PageEntry]
    diagnostics: tuple[Diagnostic, ...]
    briefs: int
    notes: int
    seal: str  # the digest of the brief states it was made from (`Knowledge.seal`)


class BuildIds:
    """Works out the ids of one output's builds, one after another. An output's id comes
    from its files' names and bytes alone: the same site has the same id. After a build that
    changed a few files, only those are looked at again."""

    def __init__(self) -> None:
        self._last = ""  # the id last given
        self._parts: SortedDigest[PageEntry] = SortedDigest(_page_digest)

    def of(self, pages: Mapping[str, PageEntry], since: str | None, changed: Iterable[str]) -> str:
        """The id of `pages`; `changed` names every file whose digest may differ from the
        build `since` (the id this object last gave, else everything is looked at)."""
        self._last = self._parts.of(pages, changed if since == self._last else None)
        return self._last


def _page_digest(entry: PageEntry) -> str:
    return entry.digest


def sources_as_made(
    manifest: Manifest, listing: Listing, files: Files, output: Path
) -> Mapping[str, FileState] | None:
    """The project's files as they are now, when each holds the bytes the output was made
    from and the output is intact; None otherwise. A file is read only when its stamp is
    not the one recorded (touched, or looked at too soon after a change)."""
    shown_files = listing.files()
    if shown_files.keys() != manifest.files.keys():
        return None
    found: dict[str, FileState] | None = None
    for shown, (kind, path) in shown_files.items():
        known = manifest.files[shown]
        stamp = stamp_of(path)
        if stamp is not None and still_valid(known, stamp):
            continue
        now = files.state_now(shown, kind, path, known)
        if now is None or now.digest != known.digest:
            return None
        if found is None:
            found = dict(manifest.files)
        found[shown] = now
    # Looked at last: after an edit, the sources differ and the output need not be.
    if not _output_intact(manifest, output):
        return None
    return manifest.files if found is None else found


def _output_intact(manifest: Manifest, output: Path) -> bool:
    """Whether every file of the output is as the build wrote it (by its stamp)."""
    folder = f"{output}{os.sep}"  # joined as strings: a Path each costs more than the lstat
    return all(
        entry.stamp is not None and output_stamp(folder + out) == entry.stamp
        for out, entry in manifest.pages.items()
    )


def _key(output: Path, build: str, preview: bool) -> str:
    # Two output folders may hold the same build, each with its own files' stamps; and a
    # preview's builder does not trust a build's output, nor a build a preview's.
    return f"{output}\0{build}" + ("\0preview" if preview else "")


def save_manifest(store: Store, output: Path, manifest: Manifest, preview: bool = False) -> None:
    """Keep the manifest of an output folder (written by the store's next commit)."""
    store.put("manifest", _key(output, manifest.build, preview), _encode(manifest))


def forget_manifest(store: Store, output: Path, build: str, preview: bool = False) -> None:
    """Drop the manifest of a build the output folder no longer holds."""
    store.delete("manifest", _key(output, build, preview))


def load_manifest(
    store: Store, output: Path, build: str | None, preview: bool = False
) -> Manifest | None:
    """The manifest of the build an output folder holds, if the cache has it whole (and it
    was made by a builder of the same kind: a preview's or a build's)."""
    if build is None:
        return None
    value = store.get("manifest", _key(output, build, preview))
    if value is None:
        return None
    try:
        return _decode(build, value)
    except Exception:
        return None


def _encode(m: Manifest) -> Plain:
    return (
        {s: (f.stamp, f.digest, f.racy) for s, f in m.files.items()},
        {out: (p.fingerprint, p.digest, p.stamp) for out, p in m.pages.items()},
        encode_diagnostics(m.diagnostics),
        m.briefs,
        m.notes,
        m.seal,
    )


def _decode(build: str, value: Plain) -> Manifest:
    files, pages, diagnostics, briefs, notes, seal = value
    return Manifest(
        build,
        {s: FileState(tuple(stamp), d, racy) for s, (stamp, d, racy) in files.items()},
        {
            out: PageEntry(fp, d, tuple(stamp) if stamp is not None else None)
            for out, (fp, d, stamp) in pages.items()
        },
        decode_diagnostics(diagnostics),
        int(briefs),
        int(notes),
        str(seal),
    )
