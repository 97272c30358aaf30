"""The commands that help write a brief: `schema` (JSON Schema files for editors) and `new`
(a seed imported from an article, and the start of its brief). Neither runs the builder."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from briefsite.cli.report import print_diagnostics
from briefsite.errors import COMMAND, BriefsiteError, Diagnostic, SourceLocation
from briefsite.read.articles import Article
from briefsite.read.importing import read_article
from briefsite.read.schema import schema_files
from briefsite.read.sources import SCHEMA_FOLDER, SLUG_HINT, SLUG_RE, slug_from
from briefsite.read.starter import brief_text, describe, seed_text

EXIT_OK, EXIT_CONTENT = 0, 1


def write_schemas(root: Path) -> list[str]:
    """Write the JSON Schema files into the project (replacing older ones); the paths
    written, as shown to the user. The folder ignores itself in git: it is made, not
    written by hand."""
    folder = root / SCHEMA_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder.parent / ".gitignore"
    if not ignore.exists():
        replace_text(ignore, "# Made by ./build.py; not for version control.\n*\n")
    written = []
    for name, text in schema_files().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            replace_text(path, text)
        written.append(f"{SCHEMA_FOLDER}/{name}")
    return written


def replace_text(path: Path, text: str) -> None:
    """Write a text file through a temporary file and a rename, so that no reader (an
    editor watching the schema) sees half of it."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def schema_command(root: Path, args: argparse.Namespace) -> int:
    """`schema`: write the JSON Schema of every kind of YAML file, for editors."""
    written = write_schemas(root)
    if not args.quiet:
        print(f"Wrote {', '.join(written)}")
        print(
            "Editors with the YAML language server use them through the first line of each "
            "file, e.g. `# yaml-language-server: $schema=../../.briefsite/schema/brief.json`",
            file=sys.stderr,
        )
    return EXIT_OK


def new_command(root: Path, args: argparse.Namespace) -> int:
    """`new ARTICLE [--slug S]`: import an article as a seed and start its brief."""
    try:
        made = start_brief(root, Path(args.article), args.slug, dt.date.today())
    except BriefsiteError as exc:
        print_diagnostics(exc.diagnostics, root, sys.stderr)
        return EXIT_CONTENT
    if not args.quiet:
        for line in made:
            print(line)
    return EXIT_OK


def start_brief(root: Path, source: Path, slug: str | None, today: dt.date) -> list[str]:
    """Write the seed (unless the article is a seed of the project already), the brief and
    the editor schemas; the report, line by line. Nothing is overwritten."""
    seeds = root / "seeds"
    in_place = source.resolve().parent == seeds.resolve() and source.suffix == ".txt"
    article = read_article(source)
    slug = (
        slug if slug is not None else slug_from(source.stem if in_place else _stem(source, article))
    )
    if not SLUG_RE.fullmatch(slug):
        raise BriefsiteError.at(
            SourceLocation(str(source)),
            f"'{slug}' is not a valid slug",
            f"give one with --slug, using {SLUG_HINT}, e.g. --slug {slug_from(slug)}",
        )
    seed = f"seeds/{slug}.txt"
    brief = f"content/briefs/{slug}.yaml"
    if in_place and source.resolve() != (root / seed).resolve():
        raise BriefsiteError.at(
            SourceLocation(seed),
            f"--slug {slug} names another seed than {source.name}",
            "leave out --slug to start the brief of a seed already in seeds/",
        )
    taken = [p for p in ([] if in_place else [seed]) + [brief] if (root / p).exists()]
    if taken:
        raise BriefsiteError(
            [
                Diagnostic(
                    SourceLocation(p),
                    "already exists: new never overwrites a file",
                    "choose another slug with --slug, or move the file away first",
                )
                for p in taken
            ]
        )
    report = []
    if in_place:
        report.append(f"{seed} is in the project already: only its brief is started")
    else:
        text, notes = seed_text(article)
        _create(root / seed, text)
        report.append(f"Imported {source.name} as {seed}: {describe(article)}")
        if article.changes:
            report.append("To fit the seed format, new:")
            report += [f"  - {change}" for change in article.changes]
        report += [f"Note: {note}" for note in notes]
    _create(root / brief, brief_text(slug, article, today))
    filled = [k for k, v in _source_keys(article) if v]
    report.append(
        f"Started {brief}"
        + (f" (source: {', '.join(filled)} filled in from the article)" if filled else "")
    )
    write_schemas(root)
    report.append(
        f"Next: `{COMMAND} serve`, open http://127.0.0.1:8000/briefs/{slug}/, select words of "
        "the article and paste the note the page offers under `annotations:` in the brief"
    )
    return report


def _stem(source: Path, article: Article) -> str:
    """The name a seed gets by default: the file's, unless that says nothing (`index`)."""
    if source.stem.lower() in ("index", "article", "page", "story", "download", "untitled"):
        return article.pieces[0].text
    return source.stem


def _source_keys(article: Article) -> list[tuple[str, object]]:
    return [
        ("publisher", article.publisher),
        ("published", article.published),
        ("url", article.url),
        ("byline", article.byline),
    ]


def _create(path: Path, text: str) -> None:
    """Write a new file; one that appeared meanwhile is never overwritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except FileExistsError as exc:
        raise BriefsiteError.at(
            SourceLocation(str(path)),
            "already exists: new never overwrites a file",
            "choose another slug with --slug",
        ) from exc
