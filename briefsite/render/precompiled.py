"""The built-in layouts compiled ahead of time, so that no build compiles them again.

Jinja compiles a template by parsing it, generating Python and compiling that: 10-30 ms
a template, in every process that renders one (a one-note build compiles four or five).
`make` compiles the built-in layouts once (`python -m briefsite.render.precompiled`) into
`FOLDER`, in Jinja's own bytecode-cache format; a build reads them from there and never
writes there. A compiled template is used only for the file it was compiled from, with
the same source (Jinja checks its checksum), the same Jinja and Python, and the same
environment settings; anything else (a layout edited since, a project's own layout) is
compiled as usual. The folder is briefsite's own, beside its code: compiled code is never
read from a project, whose cache folder is as untrusted as its layouts.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

FOLDER = Path(__file__).resolve().parent / "compiled"


def settings_of(env: jinja2.Environment) -> str:
    """What the code Jinja generates depends on besides a template's source."""
    return repr(
        (
            jinja2.__version__,
            sys.implementation.cache_tag,
            type(env).__module__,
            type(env).__qualname__,  # the sandbox generates calls through its checks
            env.block_start_string,
            env.block_end_string,
            env.variable_start_string,
            env.variable_end_string,
            env.comment_start_string,
            env.comment_end_string,
            env.line_statement_prefix,
            env.line_comment_prefix,
            env.trim_blocks,
            env.lstrip_blocks,
            env.newline_sequence,
            env.keep_trailing_newline,
            _named(env.autoescape),
            _named(env.finalize),
            env.optimized,
            env.is_async,
            sorted(env.extensions),
            sorted(env.filters),  # a filter's existence is checked as it is compiled
            sorted(env.tests),
            sorted((k, repr(v)) for k, v in env.policies.items() if k.startswith("compiler.")),
        )
    )


def _named(value: object) -> object:
    """A setting as the same in every process: a function by its name, not its address."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
    return value


class Precompiled(jinja2.BytecodeCache):
    """Jinja's bytecode cache over a folder of compiled layouts, read only."""

    def __init__(self, folder: Path, settings: str) -> None:
        self.folder = folder
        self.settings = settings

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """The file a template's compiled code is in: its name, its file, the settings."""
        text = f"{self.settings}\0{name}\0{filename}"
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill the bucket from its file, if there is one (Jinja checks its source)."""
        try:
            with open(self.folder / f"{bucket.key}.cache", "rb") as stream:
                bucket.load_bytecode(stream)
        except Exception:  # a damaged file (its checksum is pickled): compile as usual
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep nothing: only `compile_layouts` writes the folder."""


def compile_layouts(env: jinja2.Environment, layouts: Path, folder: Path) -> int:
    """Compile every template of `layouts` (as `env` finds them) into `folder`, replacing
    what it held; how many."""
    assert env.loader is not None
    cache = Precompiled(folder, settings_of(env))
    folder.parent.mkdir(parents=True, exist_ok=True)
    made = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        names = sorted(
            p.relative_to(layouts).as_posix()
            for p in layouts.rglob("*.html")
            if p.relative_to(layouts).parts[0] != "static"
        )
        for name in names:
            source, filename, _ = env.loader.get_source(env, name)
            bucket = cache.get_bucket(env, name, filename, source)
            bucket.code = env.compile(source, name, filename)
            with open(made / f"{bucket.key}.cache", "wb") as stream:
                bucket.write_bytecode(stream)
        shutil.rmtree(folder, ignore_errors=True)
        made.rename(folder)
    except BaseException:
        shutil.rmtree(made, ignore_errors=True)
        raise
    return len(names)


def main() -> int:
    """Compile the built-in layouts into `FOLDER` (run by `make`)."""
    from briefsite.render.layouts import BUILTIN_LAYOUTS
    from briefsite.render.templates import make_environment

    env = make_environment([BUILTIN_LAYOUTS], BUILTIN_LAYOUTS.parent, precompiled=None)
    count = compile_layouts(env, BUILTIN_LAYOUTS, FOLDER)
    print(f"compiled {count} built-in layouts into {FOLDER}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
