"""The README's "Your first brief", run as written in a temporary project: `./build.py new`,
`./build.py serve` (a quote picked as the page picks it, and pasted), `./build.py check`,
`./build.py build`.

The project is a folder with `build.py` and a `.venv` (this repository's, as `make setup`
would have made it), so `./build.py` starts itself in that venv as it does in a clone.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGE = """\
<!DOCTYPE html><html lang="en"><head><title>County budget | The Ashford Courier</title>
<meta property="og:site_name" content="The Ashford Courier"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>County adopts a budget with more for roads</h1>
<p>The Ashford County board voted on Monday to adopt a budget of $412 million for next year,
an increase of 6 percent on this year, after a four-hour meeting.</p>
<h2>Roads</h2>
<p>The county will spend $12 million on roads, up from $9 million this year, and the city
will spend $40 million on roads under its own budget, which it adopted in May.</p>
</article><footer>Subscribe today.</footer></body></html>
"""


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "briefs"
    (root / "content").mkdir(parents=True)
    (root / "content/site.yaml").write_text("title: Ashford briefs\n", encoding="utf-8")
    shutil.copy2(REPO / "build.py", root / "build.py")
    venv = REPO / ".venv"
    assert (venv / "bin/python").exists(), "the repository's .venv is missing: run make setup"
    (root / ".venv").symlink_to(venv)
    return root


def _run(root: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BRIEFSITE_IN_VENV")}
    return subprocess.run(
        ["./build.py", *argv], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        body: bytes = response.read()
        return body


def test_your_first_brief(tmp_path: Path) -> None:
    root = _project(tmp_path)
    article = tmp_path / "Downloads" / "county-budget.html"
    article.parent.mkdir()
    article.write_text(PAGE, encoding="utf-8")

    # 2. Import an article.
    done = _run(root, "new", str(article))
    assert done.returncode == 0, done.stderr
    assert "Imported county-budget.html as seeds/county-budget.txt" in done.stdout
    brief = root / "content/briefs/county-budget.yaml"
    assert "publisher: The Ashford Courier" in brief.read_text(encoding="utf-8")

    # 3. Preview.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BRIEFSITE_IN_VENV")}
    serve = subprocess.Popen(
        ["./build.py", "serve", "--port", "0"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert serve.stdout is not None
        url = ""
        while not url:
            line = serve.stdout.readline()
            assert line, "serve ended before it served"
            if line.startswith("Serving "):
                url = line.split()[1]
        page = _get(url + "briefs/county-budget/").decode("utf-8")

        # 4. Select a quote and paste it: the words are found as the page's script finds
        # them, by the offsets of the run of text they are in.
        article_tag = re.search(r'<div class="article-text" ([^>]*)>', page)
        assert article_tag is not None, "the preview page has no quote picker"
        attributes = dict(re.findall(r'(data-[a-z]+)="([^"]*)"', article_tag.group(1)))
        words = "$12 million on roads"
        run = next(
            (int(at), html.unescape(text))
            for at, text in re.findall(r'<span data-o="(\d+)">([^<]*)</span>', page)
            if words in html.unescape(text)
        )
        start = run[0] + run[1].index(words)
        query = urllib.parse.urlencode(
            {
                "brief": attributes["data-brief"],
                "seed": attributes["data-seed"],
                "start": start,
                "end": start + len(words),
            }
        )
        offered = json.loads(_get(f"{url}__briefsite/snippet?{query}"))
        assert "error" not in offered, offered
        status = json.loads(_get(url + "__briefsite/status"))
        text = brief.read_text(encoding="utf-8")
        snippet = offered["yaml"].replace("type: context", "type: claim") + (
            "    verdict: {rating: accurate, summary: The budget says so.}\n"
        )
        brief.write_text(text + snippet, encoding="utf-8")
        deadline = time.monotonic() + 20
        while json.loads(_get(url + "__briefsite/status"))["builds"] == status["builds"]:
            assert time.monotonic() < deadline, "serve did not rebuild after the paste"
            time.sleep(0.1)
        assert json.loads(_get(url + "__briefsite/status"))["errors"] == []
    finally:
        serve.terminate()
        serve.wait(timeout=30)

    # 5. Check.
    done = _run(root, "check")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Checked 1 brief, 1 note: no errors"), done.stdout

    # 6. Build.
    done = _run(root, "build")
    assert done.returncode == 0, done.stderr
    built = (root / "output/briefs/county-budget/index.html").read_text(encoding="utf-8")
    assert f'data-notes="{offered["id"]}"' in built
    assert "data-o=" not in built, "no preview offsets in output/"
