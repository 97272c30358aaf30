"""Invalid input: every mistake an annotator can make gets an exact, located diagnostic.

Each case starts from the minimal valid project of `conftest.py`, breaks one thing, and
asserts every error of the run: path, line, column, message and (where it helps) the hint.
The same project is then checked through the command line, which must exit with 1 and
print each error compiler-style.

Line numbers below refer to the fixture files. The seed `seeds/agency-move.txt` is:

    1  Agency to move staff to the city
    3  A short standfirst line.
    5  The Agency said on Friday that it would move 40 staff to the city. "We need ...
    7  Critics said the Agency had not explained the cost -- or the plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from briefsite.anchor.anchoring import Anchor
from briefsite.build.builder import Builder
from briefsite.build.store import Store
from briefsite.cli import main as cli
from briefsite.errors import BriefsiteError, Diagnostic
from tests.conftest import BASE_FILES, BRIEF, SEED, ProjectFactory, apply_files, write_project
from tests.helpers import build, check, errors, plan

Files = dict[str, str | bytes | None]
Setup = Callable[[Path], None]

B = "content/briefs/agency-move.yaml"
S = "seeds/agency-move.txt"
SITE_PATH = "content/site.yaml"
ENTITY_PATH = "content/entities/agency.yaml"

EMPTY_TEXT_HINT = "write the text after the key, or use `|` with its lines indented below"
TAB_HINT = "YAML indents with spaces only: replace the tab"
DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2020-02-16"
URL_HINT = "use a full URL starting with https:// or http://"
UTF8_HINT = "re-save the file as UTF-8"
ALIAS_HINT = "an alias must mark one entity only: remove it from one of them"
NOTE_TYPES = "context, definition, claim, source, question, correction"
RATINGS = "accurate, mostly-accurate, missing-context, misleading, false, unsupported"
BRIEF_KEYS = (
    "seed, title, summary, key_points, published, updated, authors, source, topics, "
    "related, corrections, annotations (and 2 more)"
)

# The fixture brief with its one note cut off, so each case writes its own note.
HEAD = (
    "seed: agency-move\n"  # line 1
    "summary: The Agency is moving staff.\n"  # line 2
    "published: 2024-05-01\n"  # line 3
    "topics: [staffing]\n"  # line 4
    "annotations:\n"  # line 5
)


def note(
    quote: str = "move 40 staff", *, type_: str = "context", text: str = "Hi.", extra: str = ""
) -> Files:
    """A brief with one note `staff`: id on line 6, quote 7, type 8, note 9, `extra` from 10."""
    body = f"  - id: staff\n    quote: {quote}\n    type: {type_}\n    note: {text}\n{extra}"
    return {B: HEAD + body}


def brief(old: str, new: str) -> Files:
    """The fixture brief with one piece of text replaced."""
    assert old in BRIEF, old
    return {B: BRIEF.replace(old, new)}


def link_note(target: str) -> Files:
    """A brief whose note is a `|` block whose line 10 reads `      See [x](target) here.`;
    the target's first character is at column 15."""
    return note(text=f"|\n      See [x]({target}) here.")


@dataclass(frozen=True)
class Err:
    """An expected error; `hint=None` leaves the hint unchecked, a pattern must fullmatch."""

    path: str
    line: int
    col: int
    message: str
    hint: str | re.Pattern[str] | None = None

    def head(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: error: {self.message}"


@dataclass(frozen=True)
class Case:
    id: str
    files: Files
    errors: list[Err]
    setup: Setup | None = field(default=None)


def _mkdir(relative: str) -> Setup:
    def setup(root: Path) -> None:
        (root / relative).mkdir(parents=True)

    return setup


def _dangling_symlink(relative: str) -> Setup:
    def setup(root: Path) -> None:
        path = root / relative
        path.unlink(missing_ok=True)
        path.symlink_to(root / "does-not-exist.yaml")

    return setup


def _sorted(errors: Sequence[Diagnostic]) -> list[Diagnostic]:
    return sorted(errors, key=lambda d: (d.location, d.message))


def assert_errors(actual: Sequence[Diagnostic], expected: list[Err]) -> None:
    """Every error of the run, in path/line/col order, equals the expected list; each has a
    hint."""
    assert [d for d in actual if not d.hint] == []
    got = _sorted(actual)
    want = sorted(expected, key=lambda e: (e.path, e.line, e.col, e.message))
    shown: list[Err] = []
    for index, d in enumerate(got):
        loc = d.location
        hint: str | re.Pattern[str] | None = d.hint
        if index < len(want):
            wanted = want[index].hint
            if wanted is None:
                hint = None
            elif isinstance(wanted, re.Pattern) and wanted.fullmatch(d.hint):
                hint = wanted
        shown.append(Err(loc.path, loc.line, loc.col, d.message, hint))
    assert shown == want


CASES: list[Case] = [
    # --- YAML syntax, in plain words at the place to fix -----------------------------------
    Case(
        "yaml-unclosed-quote",
        {B: 'seed: agency-move\npublished: 2024-05-01\ntitle: "unclosed\n'},
        [
            Err(
                B,
                3,
                8,
                'the " that starts this text has no closing "',
                'end the text with " on the same line, or use `|` for several lines',
            )
        ],
    ),
    Case(
        "yaml-apostrophe-ends-single-quoted-string",
        note("'the Agency's staff'"),
        [
            Err(
                B,
                7,
                23,
                "a `'` inside a single-quoted string ends it: write `''` or use double quotes",
                'write "the Agency\'s staff"',
            )
        ],
    ),
    Case(
        "yaml-double-quote-ends-double-quoted-string",
        {B: BRIEF.replace("summary: The Agency is moving staff.", 'summary: "The" Agency')},
        [
            Err(
                B,
                2,
                14,
                'a `"` inside a double-quoted string ends it: write `\\"` or use single quotes',
                "write 'The\" Agency'",
            )
        ],
    ),
    Case(
        "yaml-colon-in-plain-value",
        {B: "seed: agency-move\npublished: 2024-05-01\nsummary: Note: it moved.\n"},
        [
            Err(
                B,
                3,
                14,
                "a `: ` inside a value looks like the start of another key",
                'put the value in double quotes: `summary: "Note: it moved."`',
            )
        ],
    ),
    Case(
        "yaml-key-indented-more-than-the-key-above",
        {B: "seed: agency-move\n  published: 2024-05-01\n"},
        [
            Err(
                B,
                2,
                3,
                "this line is indented more than the key above it",
                "line `published:` up with `seed:` (column 1); a key indented under `seed:` "
                "needs `seed:` to have no value on its own line",
            )
        ],
    ),
    Case(
        "yaml-note-key-indented-less-than-the-others",
        {B: HEAD + "  - id: staff\n    quote: move 40 staff\n   type: context\n    note: Hi.\n"},
        [
            Err(
                B,
                8,
                4,
                "this line is indented less than the keys of the list item above it",
                "indent it to column 5, like the item's other keys, or start a new item with `- `",
            )
        ],
    ),
    Case(
        "yaml-keys-under-verdict-not-indented",
        note(
            type_="claim",
            extra="    verdict:\n    rating: false\n    summary: It was 30.\n",
        ),
        [
            Err(
                B,
                11,
                5,
                "the keys under `verdict:` must be indented under it",
                "indent `rating:` and the other keys of `verdict:` by two more spaces than "
                "`verdict:`",
            )
        ],
    ),
    Case(
        "yaml-no-space-after-colon",
        {B: "seed:agency-move\npublished: 2024-05-01\n"},
        [Err(B, 1, 5, "`seed:` needs a space after the colon", "write `seed: agency-move`")],
    ),
    Case(
        "yaml-block-text-not-indented",
        note(text="|\nSee the plan."),
        [
            Err(
                B,
                10,
                1,
                "the lines of the text under `note:` must be indented under it",
                "indent them by two more spaces than `note:`",
            )
        ],
    ),
    Case(
        "yaml-list-item-out-of-line",
        {B: BRIEF + " - id: second\n"},
        [
            Err(
                B,
                10,
                2,
                "this list item does not line up with the item above it",
                "indent its `- ` to column 3, like the item at line 6",
            )
        ],
    ),
    Case(
        "yaml-unclosed-flow-list",
        {B: "seed: agency-move\npublished: 2024-05-01\ntopics: [staffing\n"},
        [
            Err(
                B,
                3,
                9,
                "the list that starts with `[` here is not closed",
                "close it with `]` on the same line, e.g. `topics: [housing, budget]`",
            )
        ],
    ),
    Case(
        "yaml-undefined-alias",
        {B: BRIEF + "title: *nope\n"},
        [
            Err(
                B,
                10,
                8,
                "a value cannot start with `*` unless it is quoted",
                'put the value in double quotes: `title: "*nope"`',
            )
        ],
    ),
    # --- tabs (libyaml words these differently from pure-Python PyYAML) -------------------
    Case(
        "tab-indenting-note-key",
        {B: HEAD + "  - id: staff\n\tquote: move 40 staff\n    type: context\n    note: Hi.\n"},
        [Err(B, 7, 1, "tab character in indentation", TAB_HINT)],
    ),
    Case(
        "tab-indenting-nested-mapping",
        {B: "seed: agency-move\npublished: 2024-05-01\nsource:\n\tpublisher: Daily\n"},
        [Err(B, 4, 1, "tab character in indentation", TAB_HINT)],
    ),
    # --- unknown keys ----------------------------------------------------------------------
    Case(
        "unknown-key-typo-did-you-mean",
        {B: "seed: agency-move\npublised: 2024-05-01\n"},
        [
            Err(B, 2, 1, "unknown key 'publised' in brief", "did you mean 'published'?"),
            Err(
                B,
                1,
                1,
                "brief is missing required key 'published'",
                "add `published:` (date of the brief (YYYY-MM-DD))",
            ),
        ],
    ),
    Case(
        "unknown-key-in-note-did-you-mean",
        {B: HEAD + "  - id: staff\n    qoute: move 40 staff\n    type: context\n    note: Hi.\n"},
        [
            Err(B, 7, 5, "unknown key 'qoute' in annotation", "did you mean 'quote'?"),
            Err(
                B,
                6,
                5,
                "annotation is missing required key 'quote'",
                "add `quote:` (the passage of the seed the note is about)",
            ),
        ],
    ),
    Case(
        "unknown-key-lists-valid-keys",
        {B: BRIEF + "colour: red\n"},
        [Err(B, 10, 1, "unknown key 'colour' in brief", f"expected one of: {BRIEF_KEYS}")],
    ),
    # --- wrong types ---------------------------------------------------------------------
    Case(
        "string-where-list-expected",
        brief("topics: [staffing]", "topics: staffing"),
        [
            Err(
                B,
                4,
                9,
                "'topics' must be a list, not a single value",
                "write a list: `[a, b]` on one line, or one `- item` per line",
            )
        ],
    ),
    Case(
        "list-where-string-expected",
        brief("seed: agency-move", "seed: [agency-move]"),
        [Err(B, 1, 7, "'seed' must be a slug, not a list")],
    ),
    Case(
        "list-where-markdown-expected",
        {B: BRIEF + "title: [One, Two]\n"},
        [
            Err(
                B,
                10,
                8,
                "'title' must be a string, not a list",
                "put the text on the same line, or use `|` for several lines",
            )
        ],
    ),
    Case(
        "mapping-where-string-expected",
        brief("summary: The Agency is moving staff.", "summary:\n  text: Moving."),
        [
            Err(
                B,
                3,
                3,
                "'summary' must be Markdown text, not a mapping",
                "put the text on the same line, or use `|` for several lines",
            )
        ],
    ),
    Case(
        "list-where-mapping-expected",
        {B: BRIEF + "source: [Daily]\n"},
        [
            Err(
                B,
                10,
                9,
                "'source' must be a mapping (source keys), not a list",
                "write `key: value` pairs, indented under the key",
            )
        ],
    ),
    Case(
        "note-that-is-a-string",
        {B: HEAD + "  - staff\n"},
        [
            Err(
                B,
                6,
                5,
                "item of 'annotations' must be a mapping (annotation keys), not a single value",
                "write `key: value` pairs, indented under the key",
            )
        ],
    ),
    # --- missing required keys -----------------------------------------------------------
    Case(
        "missing-seed",
        brief("seed: agency-move\n", ""),
        [
            Err(
                B,
                1,
                1,
                "brief is missing required key 'seed'",
                "add `seed:` (the seed article: a file stem in seeds/)",
            )
        ],
    ),
    Case(
        "missing-published",
        brief("published: 2024-05-01\n", ""),
        [
            Err(
                B,
                1,
                1,
                "brief is missing required key 'published'",
                "add `published:` (date of the brief (YYYY-MM-DD))",
            )
        ],
    ),
    Case(
        "missing-note-id",
        brief("  - id: staff\n    quote:", "  - quote:"),
        [
            Err(
                B,
                6,
                5,
                "annotation is missing required key 'id'",
                "add `id:` (unique in the brief; the note's URL fragment)",
            )
        ],
    ),
    Case(
        "missing-quote",
        brief("    quote: move 40 staff\n", ""),
        [
            Err(
                B,
                6,
                5,
                "annotation is missing required key 'quote'",
                "add `quote:` (the passage of the seed the note is about)",
            )
        ],
    ),
    Case(
        "missing-type",
        brief("    type: context\n", ""),
        [
            Err(
                B,
                6,
                5,
                "annotation is missing required key 'type'",
                "add `type:` (the kind of note)",
            )
        ],
    ),
    Case(
        "missing-note",
        brief("    note: About [the Agency](entity:agency).\n", ""),
        [
            Err(
                B,
                6,
                5,
                "annotation is missing required key 'note'",
                "add `note:` (the note itself, in Markdown)",
            )
        ],
    ),
    Case(
        "missing-site-title",
        {SITE_PATH: "description: Briefs.\nlanguage: en\n"},
        [
            Err(
                SITE_PATH,
                1,
                1,
                "site is missing required key 'title'",
                "add `title:` (the site's name)",
            )
        ],
    ),
    Case(
        "missing-verdict-summary",
        note(type_="claim", extra="    verdict:\n      rating: false\n"),
        [
            Err(
                B,
                11,
                7,
                "verdict is missing required key 'summary'",
                "add `summary:` (why, in a sentence or two)",
            )
        ],
    ),
    # --- empty values of required keys ----------------------------------------------------
    Case(
        "empty-seed-value",
        brief("seed: agency-move", "seed:"),
        [
            Err(
                B,
                1,
                6,
                "'seed' in brief must not be empty",
                "write a value after `seed:` (the seed article: a file stem in seeds/)",
            )
        ],
    ),
    Case(
        "empty-quoted-quote",
        note('""'),
        [Err(B, 7, 12, "'quote' must not be empty", EMPTY_TEXT_HINT)],
    ),
    Case(
        "blank-quote",
        note("'   '"),
        [Err(B, 7, 12, "'quote' must not be empty", EMPTY_TEXT_HINT)],
    ),
    Case(
        "empty-note-block",
        note(text="|\n"),
        [Err(B, 9, 11, "'note' must not be empty", EMPTY_TEXT_HINT)],
    ),
    Case(
        "empty-site-title",
        {SITE_PATH: "title:\nlanguage: en\n"},
        [
            Err(
                SITE_PATH,
                1,
                7,
                "'title' in site must not be empty",
                "write the site's name after `title:`; for several lines, write `title: |` and "
                "indent the lines under it",
            )
        ],
    ),
    # --- seeds -----------------------------------------------------------------------------
    Case(
        "seed-file-missing",
        brief("seed: agency-move", "seed: agency-mover"),
        [
            Err(
                B,
                1,
                7,
                "unknown seed 'agency-mover': no seeds/agency-mover.txt",
                "did you mean 'agency-move'?",
            )
        ],
    ),
    Case(
        "seed-not-utf8",
        {S: "Agency to move staff\n\nCafé ".encode() + b"\xff bar\n"},
        [Err(S, 3, 6, "file is not valid UTF-8 (byte 0xff)", UTF8_HINT)],
    ),
    Case(
        # The BOM is not a column: an editor shows `Head` starting in column 1.
        "seed-not-utf8-after-bom",
        {S: b"\xef\xbb\xbfHead\xff line\n"},
        [Err(S, 1, 5, "file is not valid UTF-8 (byte 0xff)", UTF8_HINT)],
    ),
    Case(
        # "any newline style tolerated": old Mac files end lines with a lone CR.
        "seed-not-utf8-cr-newlines",
        {S: b"Head\r\rPara \xff\r"},
        [Err(S, 3, 6, "file is not valid UTF-8 (byte 0xff)", UTF8_HINT)],
    ),
    Case(
        "seed-empty",
        {S: ""},
        [
            Err(
                S,
                1,
                1,
                "seed is empty",
                "line 1 is the headline; paragraphs follow, separated by blank lines",
            )
        ],
    ),
    Case(
        "seed-only-blank-lines",
        {S: "\n  \n\t\n"},
        [Err(S, 1, 1, "seed is empty")],
    ),
    # --- anchoring quotes ----------------------------------------------------------------
    Case(
        "quote-not-found",
        note("move 50 staff"),
        [
            Err(
                B,
                7,
                12,
                "quote not found in seed 'agency-move': \"move 50 staff\"",
                # A quote under 15 characters is placed only on an exact match.
                "a quote under 15 characters is placed only where it matches exactly; the "
                "closest passages:\n"
                "  seeds/agency-move.txt:5:41 (92% similar, score 0.92, its figures differ): "
                'quote: "move 40 staff"',
            )
        ],
    ),
    Case(
        "quote-ambiguous-three-times",
        note("Agency"),
        [
            Err(
                B,
                7,
                12,
                "quote is ambiguous: it is in seed 'agency-move' 3 times",
                "add a prefix or suffix to choose one:\n"
                '  seeds/agency-move.txt:1:1: suffix: "to"\n'
                '  seeds/agency-move.txt:5:5: prefix: "The"\n'
                '  seeds/agency-move.txt:7:18: prefix: "the"',
            )
        ],
    ),
    Case(
        # The headline ends at "the city"; a suggested suffix "A" (the first word of the
        # standfirst, another block) is not text an annotator sees after the quote.
        "quote-ambiguous-hint-stays-in-block",
        note("the city"),
        [
            Err(
                B,
                7,
                12,
                "quote is ambiguous: it is in seed 'agency-move' twice",
                "add a prefix or suffix to choose one:\n"
                '  seeds/agency-move.txt:1:25: prefix: "move staff to"\n'
                '  seeds/agency-move.txt:5:58: suffix: "."',
            )
        ],
    ),
    Case(
        "prefix-matches-no-occurrence",
        note("Agency", extra="    prefix: Nowhere\n"),
        [
            Err(
                B,
                7,
                12,
                "quote is in seed 'agency-move' 3 times, but never with the given prefix",
                # How well the given prefix fits at each place, and a fix that picks it.
                "fix the prefix/suffix, or use one of these:\n"
                '  seeds/agency-move.txt:1:1 (context 0%, score 0.71): suffix: "to"\n'
                '  seeds/agency-move.txt:5:5 (context 14%, score 0.76): prefix: "The"\n'
                '  seeds/agency-move.txt:7:18 (context 14%, score 0.76): prefix: "the"',
            )
        ],
    ),
    Case(
        "suffix-matches-no-occurrence",
        note("Agency", extra="    suffix: nowhere\n"),
        [
            Err(
                B,
                7,
                12,
                "quote is in seed 'agency-move' 3 times, but never with the given suffix",
            )
        ],
    ),
    Case(
        "occurrence-out-of-range",
        note("Agency", extra="    occurrence: 4\n"),
        [
            Err(
                B,
                7,
                12,
                "occurrence: 4, but the quote is in seed 'agency-move' only 3 times",
                "choose one of these:\n"
                '  seeds/agency-move.txt:1:1: suffix: "to"\n'
                '  seeds/agency-move.txt:5:5: prefix: "The"\n'
                '  seeds/agency-move.txt:7:18: prefix: "the"',
            )
        ],
    ),
    Case(
        "occurrence-out-of-range-after-prefix",
        note("Agency", extra="    prefix: the\n    occurrence: 2\n"),
        [
            Err(
                B,
                7,
                12,
                "occurrence: 2, but the quote is in seed 'agency-move' only once "
                "with that prefix/suffix",
            )
        ],
    ),
    Case(
        "occurrence-zero",
        note(extra="    occurrence: 0\n"),
        [Err(B, 10, 17, "'occurrence' must be at least 1, not 0")],
    ),
    Case(
        # The annotator did choose an occurrence; an invalid one must not also produce
        # "quote is ambiguous ... add a prefix or suffix".
        "occurrence-zero-on-repeated-quote-no-cascade",
        note("Agency", extra="    occurrence: 0\n"),
        [Err(B, 10, 17, "'occurrence' must be at least 1, not 0")],
    ),
    Case(
        "occurrence-not-a-number",
        note(extra="    occurrence: second\n"),
        [Err(B, 10, 17, "'occurrence' must be a whole number, not 'second'")],
    ),
    Case(
        # YAML 1.1 reads 0x1 as an int; the checker then crashes (exit code 70).
        "occurrence-hex-no-crash",
        note(extra="    occurrence: 0x1\n"),
        [Err(B, 10, 17, "'occurrence' must be a whole number, not '0x1'")],
    ),
    Case(
        # YAML 1.1 reads 1:30 as a base-60 int; the checker then crashes (exit code 70).
        "occurrence-sexagesimal-no-crash",
        note(extra="    occurrence: 1:30\n"),
        [Err(B, 10, 17, "'occurrence' must be a whole number, not '1:30'")],
    ),
    Case(
        "duplicate-note-id",
        {B: BRIEF + "  - id: staff\n    quote: the cost\n    type: context\n    note: Again.\n"},
        [
            Err(
                B,
                10,
                9,
                "duplicate note id 'staff' (first used at line 6)",
                "give every note of a brief its own id",
            )
        ],
    ),
    # --- dangling references ---------------------------------------------------------------
    Case(
        "dangling-entity",
        note(extra="    entities: [agencee]\n"),
        [
            Err(
                B,
                10,
                16,
                "unknown entity 'agencee': no content/entities/agencee.yaml",
                "did you mean 'agency'?",
            )
        ],
    ),
    Case(
        "dangling-topics",
        brief("topics: [staffing]", "topics: [staffin, budget]"),
        [
            Err(
                B,
                4,
                10,
                "unknown topic 'staffin': no content/topics/staffin.yaml",
                "did you mean 'staffing'?",
            ),
            Err(
                B,
                4,
                19,
                "unknown topic 'budget': no content/topics/budget.yaml",
                "expected one of: staffing",
            ),
        ],
    ),
    Case(
        "dangling-related-brief",
        {B: BRIEF + "related: [other-brief]\n"},
        [
            Err(
                B,
                10,
                11,
                "unknown brief 'other-brief': no content/briefs/other-brief.yaml",
                "expected one of: agency-move",
            )
        ],
    ),
    Case(
        "brief-related-to-itself",
        {B: BRIEF + "related: [agency-move]\n"},
        [Err(B, 10, 11, "a brief cannot be related to itself")],
    ),
    Case(
        "link-to-unknown-note-in-same-brief",
        link_note("#nope"),
        [
            Err(
                B,
                10,
                15,
                "link to unknown note 'nope' in brief 'agency-move' (#nope)",
                "expected one of: staff",
            )
        ],
    ),
    Case(
        "link-to-mistyped-note-did-you-mean",
        link_note("#staf"),
        [
            Err(
                B,
                10,
                15,
                "link to unknown note 'staf' in brief 'agency-move' (#staf)",
                "did you mean 'staff'?",
            )
        ],
    ),
    Case(
        "link-to-unknown-brief",
        link_note("brief:nope"),
        [
            Err(
                B,
                10,
                15,
                "link to unknown brief 'nope' (brief:nope)",
                "expected one of: agency-move",
            )
        ],
    ),
    Case(
        "link-to-unknown-note-of-brief",
        link_note("brief:agency-move#nope"),
        [
            Err(
                B,
                10,
                15,
                "link to unknown note 'nope' in brief 'agency-move' (brief:agency-move#nope)",
                "expected one of: staff",
            )
        ],
    ),
    Case(
        "link-to-unknown-entity",
        link_note("entity:nope"),
        [
            Err(
                B,
                10,
                15,
                "link to unknown entity 'nope' (entity:nope)",
                "expected one of: agency",
            )
        ],
    ),
    Case(
        "link-to-unknown-topic",
        link_note("topic:nope"),
        [
            Err(
                B,
                10,
                15,
                "link to unknown topic 'nope' (topic:nope)",
                "expected one of: staffing",
            )
        ],
    ),
    Case(
        # In a one-line plain scalar the link's column is known exactly: point at it, as
        # for `|` blocks, not at the start of the value (column 11).
        "link-in-plain-scalar-points-at-link",
        note(text="See [x](#nope)."),
        [
            Err(
                B,
                9,
                19,
                "link to unknown note 'nope' in brief 'agency-move' (#nope)",
                "expected one of: staff",
            )
        ],
    ),
    Case(
        "note-link-in-entity-summary",
        {ENTITY_PATH: "name: The Agency\nsummary: |\n  See [x](#staff).\n"},
        [
            Err(
                ENTITY_PATH,
                3,
                11,
                "link to note 'staff' outside a brief",
                "write [text](brief:slug#note-id) to point at a note of a brief",
            )
        ],
    ),
    Case(
        "dangling-link-in-topic-summary",
        {"content/topics/staffing.yaml": "name: Staffing\nsummary: |\n  Run by [x](entity:ice).\n"},
        [
            Err(
                "content/topics/staffing.yaml",
                3,
                14,
                "link to unknown entity 'ice' (entity:ice)",
                "expected one of: agency",
            )
        ],
    ),
    # --- note types and verdicts ---------------------------------------------------------
    Case(
        "claim-without-verdict",
        note(type_="claim"),
        [
            Err(
                B,
                6,
                5,
                "claim 'staff' has no verdict",
                f"add `verdict: {{rating: ..., summary: ...}}`; ratings: {RATINGS}",
            )
        ],
    ),
    Case(
        "verdict-on-non-claim",
        note(extra="    verdict: {rating: false, summary: No.}\n"),
        [
            Err(
                B,
                10,
                14,
                "note 'staff' has a verdict but its type is 'context'",
                "only `type: claim` notes take a verdict: change the type or remove the verdict",
            )
        ],
    ),
    Case(
        "retired-note-without-reason",
        note(extra="    status: retired\n"),
        [
            Err(
                B,
                6,
                5,
                "retired note 'staff' has no reason",
                "add `reason:` saying why the passage is gone from the source",
            )
        ],
    ),
    Case(
        "reason-on-a-note-not-retired",
        note(extra="    reason: The paragraph was cut.\n"),
        [
            Err(
                B,
                10,
                13,
                "note 'staff' has a reason but is not retired",
                "add `status: retired`, or remove the reason",
            )
        ],
    ),
    Case(
        "bad-note-status",
        note(extra="    status: gone\n    reason: Cut.\n"),
        [Err(B, 10, 13, "invalid status 'gone'", "expected one of: retired")],
    ),
    Case(
        "bad-reviewed-date",
        note(extra="    reviewed: last week\n"),
        [
            Err(
                B,
                10,
                15,
                "'reviewed' is not a valid date: 'last week' (expected YYYY-MM-DD)",
                DATE_HINT,
            )
        ],
    ),
    Case(
        "bad-rating-did-you-mean",
        note(type_="claim", extra="    verdict:\n      rating: misleding\n      summary: No.\n"),
        [Err(B, 11, 15, "invalid rating 'misleding'", "did you mean 'misleading'?")],
    ),
    Case(
        "bad-rating-lists-ratings",
        note(type_="claim", extra="    verdict: {rating: wrong, summary: No.}\n"),
        [Err(B, 10, 23, "invalid rating 'wrong'", f"expected one of: {RATINGS}")],
    ),
    Case(
        "bad-note-type",
        note(type_="opinion"),
        [Err(B, 8, 11, "invalid type 'opinion'", f"expected one of: {NOTE_TYPES}")],
    ),
    Case(
        "bad-note-type-did-you-mean",
        note(type_="defintion"),
        [Err(B, 8, 11, "invalid type 'defintion'", "did you mean 'definition'?")],
    ),
    # --- dates -----------------------------------------------------------------------------
    Case(
        "date-day-out-of-range",
        brief("2024-05-01", "2020-02-30"),
        [
            Err(
                B,
                3,
                12,
                "'published' is not a valid date: '2020-02-30' (day is out of range for month)",
                DATE_HINT,
            )
        ],
    ),
    Case(
        "date-not-zero-padded",
        brief("2024-05-01", "2020-2-3"),
        [
            Err(
                B,
                3,
                12,
                "'published' is not a valid date: '2020-2-3' (expected YYYY-MM-DD)",
                DATE_HINT,
            )
        ],
    ),
    Case(
        "date-word",
        brief("2024-05-01", "yesterday"),
        [
            Err(
                B,
                3,
                12,
                "'published' is not a valid date: 'yesterday' (expected YYYY-MM-DD)",
                DATE_HINT,
            )
        ],
    ),
    Case(
        # Written as YYYY-MM-DD already: "(expected YYYY-MM-DD)" does not say what is wrong.
        "date-month-out-of-range",
        brief("2024-05-01", "2020-13-01"),
        [
            Err(
                B,
                3,
                12,
                "'published' is not a valid date: '2020-13-01' (month must be in 1..12)",
                DATE_HINT,
            )
        ],
    ),
    Case(
        "date-in-corrections-log",
        {B: BRIEF + "corrections:\n  - date: 2024-04-31\n    note: Fixed a name.\n"},
        [
            Err(
                B,
                11,
                11,
                "'date' is not a valid date: '2024-04-31' (day is out of range for month)",
                DATE_HINT,
            )
        ],
    ),
    # --- URLs ------------------------------------------------------------------------------
    Case(
        "javascript-source-url",
        note(extra="    sources:\n      - title: Report\n        url: javascript:alert(1)\n"),
        [Err(B, 12, 14, "'url' 'javascript:alert(1)' is not a web address", URL_HINT)],
    ),
    Case(
        "entity-url-without-scheme",
        {ENTITY_PATH: "name: The Agency\nurl: www.agency.gov\n"},
        [Err(ENTITY_PATH, 2, 6, "'url' 'www.agency.gov' is not a web address", URL_HINT)],
    ),
    # --- duplicates ------------------------------------------------------------------------
    Case(
        "duplicate-yaml-key",
        {B: BRIEF + "summary: Again.\n"},
        [
            Err(
                B,
                10,
                1,
                "duplicate key 'summary' in brief (first given at line 2)",
                "remove one of the two",
            )
        ],
    ),
    Case(
        "duplicate-yaml-key-in-note",
        note(extra="    type: claim\n"),
        [Err(B, 10, 5, "duplicate key 'type' in annotation (first given at line 8)")],
    ),
    Case(
        "two-briefs-one-output-path",
        {"content/briefs/agency-move.yml": BRIEF},
        [
            Err(
                "content/briefs/agency-move.yml",
                1,
                1,
                "brief 'agency-move' is defined twice: content/briefs/agency-move.yaml and "
                "content/briefs/agency-move.yml would both be published at the same address",
                "delete or rename one of the two files",
            )
        ],
    ),
    Case(
        "file-name-not-a-slug",
        {"content/briefs/Bad Name.yaml": BRIEF},
        [
            Err(
                "content/briefs/Bad Name.yaml",
                1,
                1,
                "file name 'Bad Name.yaml' does not make a valid brief slug",
                "rename it using lowercase letters, digits and single hyphens, "
                "e.g. 'bad-name.yaml'",
            )
        ],
    ),
    Case(
        "seed-file-name-not-a-slug",
        {"seeds/Other_Article.txt": SEED},
        [
            Err(
                "seeds/Other_Article.txt",
                1,
                1,
                "file name 'Other_Article.txt' does not make a valid seed slug",
                "rename it using lowercase letters, digits and single hyphens, "
                "e.g. 'other-article.txt'",
            )
        ],
    ),
    Case(
        "alias-shared-by-two-entities",
        {"content/entities/agency2.yaml": "name: Second Agency\naliases: [Agency]\n"},
        [
            Err(
                "content/entities/agency2.yaml",
                2,
                11,
                "alias 'Agency' also belongs to entity 'agency' "
                "(content/entities/agency.yaml:3:11)",
                ALIAS_HINT,
            )
        ],
    ),
    Case(
        # The clash is on the `name:` values: agency.yaml:1:7 and agency2.yaml:2:7,
        # not on line 1, column 1 of each file.
        "entity-name-shared-points-at-names",
        {"content/entities/agency2.yaml": "kind: agency\nname: The Agency\n"},
        [
            Err(
                "content/entities/agency2.yaml",
                2,
                7,
                "name 'The Agency' also belongs to entity 'agency' "
                "(content/entities/agency.yaml:1:7)",
                ALIAS_HINT,
            )
        ],
    ),
    # --- whole files -----------------------------------------------------------------------
    Case(
        "empty-yaml-file",
        {B: ""},
        [
            Err(
                B,
                1,
                1,
                "file is empty: a brief needs at least 'seed', 'published'",
                "add the required keys, e.g. `seed: ...`",
            )
        ],
    ),
    Case(
        "yaml-file-with-only-a-comment",
        {"content/topics/staffing.yaml": "# to do\n"},
        [
            Err(
                "content/topics/staffing.yaml",
                1,
                1,
                "file is empty: a topic needs at least 'name'",
                "add the required keys, e.g. `name: ...`",
            )
        ],
    ),
    Case(
        "top-level-list",
        {B: "- seed: agency-move\n- published: 2024-05-01\n"},
        [
            Err(
                B,
                1,
                1,
                "the brief file must be a mapping (brief keys), not a list",
                "write `key: value` pairs, indented under the key",
            )
        ],
    ),
    Case(
        "top-level-scalar",
        {ENTITY_PATH: "The Agency\n"},
        [
            Err(
                ENTITY_PATH,
                1,
                1,
                "the entity file must be a mapping (entity keys), not a single value",
            )
        ],
    ),
    Case(
        "folder-named-like-a-yaml-file",
        {},
        [Err("content/topics/budget.yaml", 1, 1, "is a folder, not a file", "move or rename it")],
        setup=_mkdir("content/topics/budget.yaml"),
    ),
    Case(
        "folder-named-like-a-seed",
        {},
        [Err("seeds/other.txt", 1, 1, "is a folder, not a file", "move or rename it")],
        setup=_mkdir("seeds/other.txt"),
    ),
    Case(
        "dangling-symlink",
        {},
        [
            Err(
                "content/entities/ghost.yaml",
                1,
                1,
                "cannot read file: No such file or directory",
                "check that the file exists and is readable (permissions, broken symlink)",
            )
        ],
        setup=_dangling_symlink("content/entities/ghost.yaml"),
    ),
    Case(
        "site-yaml-is-a-dangling-symlink",
        {},
        [Err(SITE_PATH, 1, 1, "cannot read file: No such file or directory")],
        setup=_dangling_symlink(SITE_PATH),
    ),
    Case(
        "missing-site-yaml",
        {SITE_PATH: None},
        [
            Err(
                SITE_PATH,
                1,
                1,
                "site settings file is missing",
                "create content/site.yaml with at least `title: My briefs`",
            )
        ],
    ),
    Case(
        "brief-yaml-not-utf8",
        {B: BRIEF.encode() + b"title: Caf\xe9\n"},
        [Err(B, 10, 11, "file is not valid UTF-8 (byte 0xe9)", UTF8_HINT)],
    ),
]


def _project(make_project: ProjectFactory, case: Case) -> Path:
    root = make_project(case.files)
    if case.setup is not None:
        case.setup(root)
    return root


def _serve_rebuild(tmp_path: Path, case: Case) -> tuple[Diagnostic, ...]:
    """The errors `serve` shows when the case's mistake is saved into a project it has
    built: one long-lived builder, told which paths changed as the watcher tells it."""
    root = write_project(tmp_path / "served", dict(BASE_FILES))
    builder = Builder(root, Store.none())
    assert builder.build(tmp_path / "served-site").ok
    touched: set[Path] | None = apply_files(root, case.files)
    if case.setup is not None:
        case.setup(root)
        touched = None  # a folder or link made by hand: the watcher names no file to read
    rebuilt = builder.build(tmp_path / "served-site", touched)
    assert not rebuilt.ok
    return rebuilt.diagnostics


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_invalid_input_is_reported_exactly(
    case: Case, make_project: ProjectFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(make_project, case)

    result = check(root)
    assert_errors(errors(result), case.errors)
    assert result.pages == {}, "a run with errors must not render pages"

    # `build` and a `serve` rebuild report the very same diagnostics, and write nothing.
    built = Builder(root, Store.none()).build(tmp_path / "site")
    assert not built.ok and built.diagnostics == result.diagnostics
    assert not (tmp_path / "site").exists()
    assert _serve_rebuild(tmp_path, case) == result.diagnostics

    code = cli.main(["check", "--project", str(root)])
    stderr = capsys.readouterr().err
    assert code == 1, stderr
    heads = [line for line in stderr.splitlines() if ": error: " in line]
    want = sorted(case.errors, key=lambda e: (e.path, e.line, e.col, e.message))
    assert heads == [e.head() for e in want]
    count = len(case.errors)
    assert stderr.splitlines()[-1] == f"{count} error{'s' if count != 1 else ''}"


# --- the command line's full report for a few cases ------------------------------------


CLI_REPORTS = [
    pytest.param(
        brief("topics: [staffing]", "topcs: [staffing]"),
        "content/briefs/agency-move.yaml:4:1: error: unknown key 'topcs' in brief\n"
        " 4 | topcs: [staffing]\n"
        "   | ^\n"
        "  hint: did you mean 'topics'?\n"
        "1 error\n",
        id="unknown-key",
    ),
    pytest.param(
        note("Agency"),
        "content/briefs/agency-move.yaml:7:12: error: quote is ambiguous: it is in seed "
        "'agency-move' 3 times\n"
        " 7 |     quote: Agency\n"
        "   |            ^\n"
        "  hint: add a prefix or suffix to choose one:\n"
        '          seeds/agency-move.txt:1:1: suffix: "to"\n'
        '          seeds/agency-move.txt:5:5: prefix: "The"\n'
        '          seeds/agency-move.txt:7:18: prefix: "the"\n'
        "1 error\n",
        id="ambiguous-quote",
    ),
    pytest.param(
        {"content/entities/agency2.yaml": "name: Second Agency\naliases: [Agency]\n"},
        "content/entities/agency2.yaml:2:11: error: alias 'Agency' also belongs to entity "
        "'agency' (content/entities/agency.yaml:3:11)\n"
        " 2 | aliases: [Agency]\n"
        "   |           ^\n"
        f"  hint: {ALIAS_HINT}\n"
        "1 error\n",
        id="shared-alias",
    ),
    pytest.param(
        {S: b"Agency to move staff\n\nCaf\xc3\xa9 \xff bar\n"},
        "seeds/agency-move.txt:3:6: error: file is not valid UTF-8 (byte 0xff)\n"
        " 3 | Caf\u00e9 \ufffd bar\n"  # the bad byte shown as U+FFFD, the caret under it
        "   |      ^\n"
        f"  hint: {UTF8_HINT}\n"
        "1 error\n",
        id="seed-not-utf8",
    ),
]


@pytest.mark.parametrize(("files", "report"), CLI_REPORTS)
def test_cli_check_prints_compiler_style_report(
    files: Files, report: str, make_project: ProjectFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(files)
    assert cli.main(["check", "--project", str(root)]) == 1
    captured = capsys.readouterr()
    assert captured.err == report
    assert captured.out == ""


def test_cli_build_with_errors_exits_1_and_writes_nothing(
    make_project: ProjectFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(brief("2024-05-01", "2020-02-30"))
    output = tmp_path / "site"
    assert cli.main(["build", "--project", str(root), "--output", str(output)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines()[0] == (
        "content/briefs/agency-move.yaml:3:12: error: 'published' is not a valid date: "
        "'2020-02-30' (day is out of range for month)"
    )
    assert captured.err.splitlines()[-1] == "1 error; nothing was written"
    assert captured.out == ""
    assert not output.exists()


# --- several errors in several files, all in one run ------------------------------------


def test_every_error_of_every_file_is_reported_in_one_run_sorted(
    make_project: ProjectFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = (
        BRIEF.replace("2024-05-01", "2024-02-30")
        .replace("topics: [staffing]", "topics: [staffing, budget]")
        .replace("entity:agency", "entity:agencies")
    )
    root = make_project(
        {
            SITE_PATH: "titel: Briefs\n",
            B: broken,
            ENTITY_PATH: "name: The Agency\nkind: agencey\n",
            "content/topics/staffing.yaml": "name: [Staffing]\n",
            "seeds/other.txt": b"Head\xfe\n",
        }
    )
    expected = [
        Err(
            B,
            3,
            12,
            "'published' is not a valid date: '2024-02-30' (day is out of range for month)",
            DATE_HINT,
        ),
        Err(
            B,
            4,
            20,
            "unknown topic 'budget': no content/topics/budget.yaml",
            "expected one of: staffing",
        ),
        Err(
            B,
            9,
            30,
            "link to unknown entity 'agencies' (entity:agencies)",
            "did you mean 'agency'?",
        ),
        Err(ENTITY_PATH, 2, 7, "invalid kind 'agencey'", "did you mean 'agency'?"),
        Err(
            SITE_PATH,
            1,
            1,
            "site is missing required key 'title'",
            "add `title:` (the site's name)",
        ),
        Err(SITE_PATH, 1, 1, "unknown key 'titel' in site", "did you mean 'title'?"),
        Err(
            "content/topics/staffing.yaml",
            1,
            7,
            "'name' must be a string, not a list",
            "put the text on the same line, or use `|` for several lines",
        ),
        Err("seeds/other.txt", 1, 5, "file is not valid UTF-8 (byte 0xfe)", UTF8_HINT),
    ]

    assert_errors(errors(check(root)), expected)

    # The exception of a failed build holds them all, already sorted by path, line, col.
    with pytest.raises(BriefsiteError) as raised:
        build(root, tmp_path / "site")
    got = [
        (d.location.path, d.location.line, d.location.col, d.message)
        for d in raised.value.diagnostics
    ]
    assert got == [(e.path, e.line, e.col, e.message) for e in expected]

    # The command line prints them all at once, in the same order, then the count.
    assert cli.main(["check", "--project", str(root)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert [line for line in lines if ": error: " in line] == [e.head() for e in expected]
    assert lines[-1] == "8 errors"


def test_after_a_syntax_error_the_other_files_are_still_checked(
    make_project: ProjectFactory,
) -> None:
    root = make_project(
        {
            B: BRIEF.replace("summary: The Agency is moving staff.", "summary: 'it's moving'"),
            ENTITY_PATH: "name: The Agency\nkind: agency\naliases: [Agency]\nurl: nowhere\n",
            "content/topics/staffing.yaml": "name: Staffing\n  summary: Who works where.\n",
            "content/briefs/second.yaml": "seed: agency-move\npublished: 2024-05-01\nauthor: Ann\n",
        }
    )
    assert [(str(d.location), d.message) for d in errors(check(root))] == [
        (
            f"{B}:2:13",
            "a `'` inside a single-quoted string ends it: write `''` or use double quotes",
        ),
        ("content/briefs/second.yaml:3:1", "unknown key 'author' in brief"),
        (f"{ENTITY_PATH}:4:6", "'url' 'nowhere' is not a web address"),
        ("content/topics/staffing.yaml:2:3", "this line is indented more than the key above it"),
    ]


# --- a failed build leaves the previous output whole ------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_failed_build_leaves_previous_output_byte_for_byte(
    make_project: ProjectFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    output = tmp_path / "site"
    build(root, output)
    before = _snapshot(output)
    assert "briefs/agency-move/index.html" in before
    # Beside it, the project and the output's spare (which a build without a cache, such
    # as this one, cannot trust and drops).
    beside = sorted(p.name for p in tmp_path.iterdir() if p.name != ".site-spare")

    (root / B).write_text(BRIEF.replace("move 40 staff", "move 41 staff"), encoding="utf-8")
    (root / "content/topics/staffing.yaml").write_text("nme: Staffing\n", encoding="utf-8")
    with pytest.raises(BriefsiteError) as raised:
        build(root, output)
    assert [(str(d.location), d.message) for d in raised.value.diagnostics] == [
        (f"{B}:7:12", "quote not found in seed 'agency-move': \"move 41 staff\""),
        ("content/topics/staffing.yaml:1:1", "topic is missing required key 'name'"),
        ("content/topics/staffing.yaml:1:1", "unknown key 'nme' in topic"),
    ]
    assert _snapshot(output) == before
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != ".site-spare")
    assert left == beside, "no staging folder is left"

    assert cli.main(["build", "--project", str(root), "--output", str(output)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "3 errors; nothing was written"
    assert _snapshot(output) == before


# --- tolerated input: BOM, CRLF, no final newline ---------------------------------------


BOM_CRLF_BRIEF = BRIEF + (
    "  - id: cost\n"
    "    quote: the cost — or the plan\n"  # an em dash where the seed has `--`
    "    type: context\n"
    "    note: Hi.\n"
)


def _bom_crlf(text: str) -> bytes:
    return ("\ufeff" + text.rstrip("\n")).replace("\n", "\r\n").encode("utf-8")


def test_seed_with_bom_crlf_and_no_final_newline_builds_and_anchors(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    plain = check(make_project({B: BOM_CRLF_BRIEF}))
    assert plain.diagnostics == ()
    plain_seed = plan(make_project({B: BOM_CRLF_BRIEF})).project.seeds["agency-move"]

    root = make_project({S: _bom_crlf(SEED), B: _bom_crlf(BOM_CRLF_BRIEF)})
    assert (
        (root / S)
        .read_bytes()
        .startswith(b"\xef\xbb\xbfAgency to move staff to the city\r\n\r\nA short")
    )
    assert not (root / S).read_bytes().endswith(b"\n")
    result = build(root, tmp_path / "site")
    assert (result.briefs, result.notes) == (1, 2)

    run = check(root)
    seed = plan(root).project.seeds["agency-move"]
    assert seed.text == plain_seed.text
    assert seed.text.startswith("Agency to move staff to the city\n\nA short")
    anchors = run.anchors["agency-move"]
    assert anchors == plain.anchors["agency-move"]
    assert [a for a in anchors if isinstance(a, Anchor)] == [
        Anchor("staff", 100, 113),
        Anchor("cost", 208, 231),
    ]
    assert seed.text[100:113] == "move 40 staff"
    assert seed.text[208:231] == "the cost -- or the plan"


def test_errors_in_a_bom_crlf_seed_point_at_editor_positions(
    make_project: ProjectFactory,
) -> None:
    root = make_project({S: _bom_crlf(SEED), **note("Agency")})
    assert_errors(
        errors(check(root)),
        [
            Err(
                B,
                7,
                12,
                "quote is ambiguous: it is in seed 'agency-move' 3 times",
                "add a prefix or suffix to choose one:\n"
                '  seeds/agency-move.txt:1:1: suffix: "to"\n'
                '  seeds/agency-move.txt:5:5: prefix: "The"\n'
                '  seeds/agency-move.txt:7:18: prefix: "the"',
            )
        ],
    )


def test_errors_in_a_bom_crlf_yaml_file_point_at_editor_positions(
    make_project: ProjectFactory,
) -> None:
    root = make_project({B: _bom_crlf(BRIEF + "colour: red\n")})
    assert_errors(
        errors(check(root)),
        [Err(B, 10, 1, "unknown key 'colour' in brief", f"expected one of: {BRIEF_KEYS}")],
    )


# --- the ambiguity hint's suggestions really choose the occurrence ----------------------


@pytest.mark.parametrize(
    ("choice", "start"),
    [
        pytest.param('suffix: "to"', 0, id="headline"),
        pytest.param('prefix: "The"', 64, id="paragraph"),
        pytest.param('prefix: "the"', 183, id="last-paragraph"),
    ],
)
def test_ambiguity_hint_choices_each_pick_their_occurrence(
    choice: str, start: int, make_project: ProjectFactory
) -> None:
    hint = errors(check(make_project(note("Agency"))))[0].hint
    assert choice in hint
    root = make_project(note("Agency", extra=f"    {choice}\n"))
    run = check(root)
    assert errors(run) == []
    assert run.anchors["agency-move"] == (Anchor("staff", start, start + len("Agency")),)


# --- a mistyped quote is placed, with a warning that says how to fix it -----------------


FUZZY = [
    pytest.param(
        "explained the cost or the plan",
        (198, 231),
        "quote is not in seed 'agency-move' as written; placed on the closest passage, "
        "seeds/agency-move.txt:7:33 (97% similar, score 0.97)",
        "the seed reads: explained the cost {+--+} or the plan\n"
        "paste these selectors, or run `./build.py anchor --write`:\n"
        '  quote: "explained the cost -- or the plan"\n'
        '  prefix: "Critics said the Agency had not"\n'
        '  suffix: "."',
        id="quote-mistyped-missing-dash",
    ),
    pytest.param(
        # The fix is whole words the annotator can copy, not a window cut mid-word.
        "the Agency had not explaned",
        (179, 207),
        "quote is not in seed 'agency-move' as written; placed on the closest passage, "
        "seeds/agency-move.txt:7:14 (96% similar, score 0.96)",
        "the seed reads: the Agency had not [-explaned-] {+explained+}\n"
        "paste these selectors, or run `./build.py anchor --write`:\n"
        '  quote: "the Agency had not explained"\n'
        '  prefix: "help,\\"the director said. Critics said"\n'
        '  suffix: "the cost -- or the plan."',
        id="quote-mistyped-word",
    ),
]


@pytest.mark.parametrize(("quote", "span", "message", "hint"), FUZZY)
def test_mistyped_quote_is_placed_fuzzy_with_a_warning_and_strict_makes_it_an_error(
    quote: str,
    span: tuple[int, int],
    message: str,
    hint: str,
    make_project: ProjectFactory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = make_project(note(quote))
    run = check(root)
    assert errors(run) == []
    (warning,) = run.diagnostics
    assert (str(warning.location), warning.message, warning.hint) == (f"{B}:7:12", message, hint)
    (placed,) = run.anchors["agency-move"]
    assert isinstance(placed, Anchor)
    assert (placed.status, placed.start, placed.end) == ("fuzzy", *span)
    assert 0.9 < placed.score < 1
    assert run.pages, "a fuzzy note does not stop the build"

    assert cli.main(["check", "--project", str(root)]) == 0
    err = capsys.readouterr().err
    assert f"{B}:7:12: warning: {message}" in err
    assert cli.main(["check", "--strict", "--project", str(root)]) == 1
    err = capsys.readouterr().err
    assert f"{B}:7:12: error: {message}" in err
    assert err.splitlines()[-1] == "1 error"

    output = tmp_path / "site"
    assert cli.main(["build", "--strict", "--project", str(root), "--output", str(output)]) == 1
    assert not output.exists()
    assert cli.main(["build", "--project", str(root), "--output", str(output)]) == 0
    assert (output / "briefs/agency-move/index.html").exists()
