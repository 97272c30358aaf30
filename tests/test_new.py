"""`./build.py new ARTICLE`: an article imported as a seed, and its brief started.

Plain text is tidied, Markdown converted, and a web page reduced to its article (trafilatura);
what changed is reported; nothing is overwritten; the brief starts with the editor schema line,
the keys the article told, and one commented example of each type of note, each of which
checks once uncommented with a real quote.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from briefsite.cli import main as cli
from briefsite.model import NOTE_TYPES
from tests.conftest import write_project
from tests.helpers import check, errors

TODAY = dt.date.today().isoformat()
PAGE = """\
<!DOCTYPE html>
<html lang="en"><head>
<title>Council backs a four-day week | The Millbrook Courier</title>
<meta name="author" content="Ada Penrose">
<meta property="article:published_time" content="2024-03-05T09:00:00Z">
<meta property="og:site_name" content="The Millbrook Courier">
<link rel="canonical" href="https://courier.example/2024/four-day-week">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Council backs a four-day week for its staff</h1>
<p>The Millbrook council voted on Tuesday to try a four-day week for its 600 office staff,
starting in the spring, in a trial that will last twelve months.</p>
<h2>What changes</h2>
<p>Staff will work 32 hours over four days on the same pay, the council&rsquo;s leader said,
and offices will stay open five days a week on a rota.</p>
<ul><li>Libraries keep their hours</li><li>Bin collections are not affected</li></ul>
<blockquote><p>We will measure everything, and we will stop if the service suffers, said the
leader of the council at the meeting.</p></blockquote>
<p>The trial will be reviewed by an outside panel in twelve months, and the results will be
published in full, the council said in a statement after the vote.</p>
</article>
<aside>Most read: Parking fees rise again</aside>
<footer>Copyright 2024 The Millbrook Courier. Subscribe today.</footer>
</body></html>
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """An empty project: site settings only."""
    return write_project(
        tmp_path / "project",
        {"content/site.yaml": "title: Briefs\nbase_url: https://briefs.example.org/\n"},
    )


def _new(root: Path, *argv: str | Path) -> int:
    return cli.main(["new", *(str(a) for a in argv), "--project", str(root)])


def test_a_text_article_is_tidied_and_every_change_reported(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "Library Sundays.txt"
    article.write_bytes(
        b"\xef\xbb\xbfLibrary to open on Sundays\r\n\r\n"
        b"The library will open on Sundays from May,\r\nthe council said.\r\n\r\n"
        b"\xe2\x80\xa2 Opening hours: 10 to 4\r\n\xe2\x80\xa2 Staff:\tfour volunteers\r\n"
    )
    assert _new(root, article) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:6] == [
        "Imported Library Sundays.txt as seeds/library-sundays.txt: 1 paragraph, 2 list items",
        "To fit the seed format, new:",
        "  - removed the byte-order mark at the start",
        "  - made Windows or old Mac line endings plain line breaks",
        "  - replaced 1 tab with spaces",
        "  - made 2 bulleted lines list items (`- `)",
    ]
    # Two lines in the article, one in the seed: a `---` keeps it from being the standfirst.
    assert out[6] == (
        "Note: put a `---` line under the headline: the first paragraph is short and would "
        "show as the standfirst; remove the line if it is one"
    )
    assert out[7] == "Started content/briefs/library-sundays.yaml"
    assert (root / "seeds/library-sundays.txt").read_text(encoding="utf-8") == (
        "Library to open on Sundays\n\n---\n\n"
        "The library will open on Sundays from May, the council said.\n\n"
        "- Opening hours: 10 to 4\n"
        "- Staff: four volunteers\n"
    )
    assert check(root).diagnostics == ()


def test_a_web_page_gives_its_article_not_its_navigation_and_fills_the_source(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "index.html"
    page.write_text(PAGE, encoding="utf-8")
    assert _new(root, page) == 0
    out = capsys.readouterr().out
    slug = "council-backs-a-four-day-week-for-its-staff"
    counts = "3 paragraphs, 1 subhead, 2 list items, 1 block quote"
    assert f"Imported index.html as seeds/{slug}.txt: {counts}\n" in out
    assert "navigation, sidebars, footers" in out
    seed = (root / f"seeds/{slug}.txt").read_text(encoding="utf-8")
    assert seed.startswith("Council backs a four-day week for its staff\n\n---\n\nThe Millbrook")
    assert "\n\n## What changes\n\n" in seed
    assert "\n\n- Libraries keep their hours\n- Bin collections are not affected\n\n" in seed
    assert "\n\n> We will measure everything, and we will stop" in seed
    assert "council’s leader" in seed  # the page's entity, as the character it stands for
    for furniture in ("Home", "Sport", "Most read", "Copyright", "Subscribe"):
        assert furniture not in seed
    brief = (root / f"content/briefs/{slug}.yaml").read_text(encoding="utf-8")
    assert (
        "source:   # about the article, as the page said it\n"
        "  publisher: The Millbrook Courier\n"
        '  published: "2024-03-05"\n'
        "  url: https://courier.example/2024/four-day-week\n"
        "  byline: Ada Penrose\n"
    ) in brief
    assert f"Started content/briefs/{slug}.yaml (source: publisher, published, url, byline" in out
    assert check(root).diagnostics == ()


def test_a_markdown_article_keeps_its_words_and_structure(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "depot.md"
    article.write_text(
        "---\ntitle: Bus depot to move\ndate: 2024-02-01\nauthor: Ann Lee\n---\n"
        "# Bus depot to move to Quarry Lane\n\n"
        "The depot will *move* to [Quarry Lane](https://example.org) in **2026**.\n\n"
        "## Costs\n\n1. Land: £2 million\n2. Building: £2.2 million\n\n"
        "- 120 new homes\n",
        encoding="utf-8",
    )
    assert _new(root, article, "--slug", "bus-depot") == 0
    out = capsys.readouterr().out
    assert "  - read the front matter and left it out of the seed" in out
    assert "  - kept the words of 2 bold or italic passages, 1 link, without their marks" in out
    assert (root / "seeds/bus-depot.txt").read_text(encoding="utf-8") == (
        "Bus depot to move to Quarry Lane\n\n---\n\n"
        "The depot will move to Quarry Lane in 2026.\n\n"
        "## Costs\n\n"
        "1. Land: £2 million\n"
        "2. Building: £2.2 million\n\n"
        "- 120 new homes\n"
    )
    brief = (root / "content/briefs/bus-depot.yaml").read_text(encoding="utf-8")
    assert '  published: "2024-02-01"\n  byline: Ann Lee\n' in brief


def test_new_never_overwrites(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "story.txt"
    article.write_text("A headline\n\nA paragraph of the story.\n", encoding="utf-8")
    assert _new(root, article, "--slug", "story") == 0
    (root / "seeds/story.txt").write_text("Edited\n\nBy hand.\n", encoding="utf-8")
    capsys.readouterr()
    assert _new(root, article, "--slug", "story") == 1
    err = capsys.readouterr().err
    assert "seeds/story.txt:1:1: error: already exists: new never overwrites a file" in err
    assert "content/briefs/story.yaml:1:1: error: already exists" in err
    assert "hint: choose another slug with --slug, or move the file away first" in err
    assert (root / "seeds/story.txt").read_text(encoding="utf-8") == "Edited\n\nBy hand.\n"


def test_a_seed_without_a_brief_is_a_note_until_new_starts_its_brief(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "seeds").mkdir()
    (root / "seeds/orphan.txt").write_text("A seed\n\nWith no brief yet.\n", encoding="utf-8")
    (note,) = check(root).diagnostics
    assert (str(note.location), note.severity, note.message) == (
        "seeds/orphan.txt:1:1",
        "note",
        "seed 'orphan' has no brief",
    )
    assert note.hint.startswith("start one with `./build.py new seeds/orphan.txt`")
    assert cli.main(["check", "--strict", "--project", str(root)]) == 0, "a note fails nothing"
    capsys.readouterr()
    assert _new(root, root / "seeds/orphan.txt") == 0
    out = capsys.readouterr().out
    assert out.startswith("seeds/orphan.txt is in the project already: only its brief is started")
    assert (root / "seeds/orphan.txt").read_text(
        encoding="utf-8"
    ) == "A seed\n\nWith no brief yet.\n"
    assert check(root).diagnostics == ()


def test_the_brief_starts_with_the_schema_line_and_an_example_of_each_note_type(
    root: Path, tmp_path: Path
) -> None:
    article = tmp_path / "fees.txt"
    article.write_text(
        "Parking fees rise\n\nThe council raised parking fees by 10 percent on Monday.\n",
        encoding="utf-8",
    )
    assert _new(root, article) == 0
    text = (root / "content/briefs/fees.yaml").read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../.briefsite/schema/brief.json\nseed: fees\n"
    )
    assert f"published: {TODAY}" in text
    assert (root / ".briefsite/schema/brief.json").is_file()
    examples = re.findall(r"^#  - id: example-(\S+)$", text, re.MULTILINE)
    assert examples == list(NOTE_TYPES)
    # Every example, uncommented with a real quote, is a valid note.
    head, examples_text = text.split("annotations:\n")
    uncommented = re.sub(r"^#  ", "  ", examples_text, flags=re.MULTILINE).replace(
        "quote: words copied from the seed", "quote: raised parking fees"
    )
    (root / "content/briefs/fees.yaml").write_text(
        f"{head}annotations:\n{uncommented}", encoding="utf-8"
    )
    run = check(root)
    assert errors(run) == []
    assert len(run.anchors["fees"]) == len(NOTE_TYPES)


def test_what_cannot_be_imported_is_a_located_error(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    assert _new(root, pdf) == 1
    assert capsys.readouterr().err.splitlines()[:2] == [
        f"{pdf}:1:1: error: cannot import '.pdf' files",
        "  hint: import an article saved as .txt, .md or .html",
    ]
    article = tmp_path / "a.txt"
    article.write_text("Headline\n\nText.\n", encoding="utf-8")
    assert _new(root, article, "--slug", "Not A Slug") == 1
    assert "error: 'Not A Slug' is not a valid slug" in capsys.readouterr().err
    assert not (root / "seeds").exists()
