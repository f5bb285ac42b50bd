"""Images: sizes, lazy loading and WebP variants for the site's own images; located errors."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import copy_fixture, html_pages, run_build
from PIL import Image


def png(path: Path, width: int, height: int, mode: str = "RGB") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, (width, height), 1 if mode == "1" else (200, 80, 40)).save(path, "PNG")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = copy_fixture("basic", tmp_path / "site")
    png(site / "content" / "guide" / "photo.png", 2000, 1000)
    png(site / "static" / "img" / "small.png", 300, 200)
    (site / "content" / "guide" / "drawing.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<rect width="10" height="10"/></svg>'
    )
    return site


def add(site: Path, text: str) -> Path:
    page = site / "content" / "guide" / "intro.md"
    page.write_text(page.read_text() + "\n" + text + "\n")
    return page


def test_a_pages_image_gets_its_size_lazy_loading_and_webp_variants(site: Path, tmp_path: Path):
    add(site, "![A photo](photo.png)\n\n![Small](/img/small.png)\n\n![Drawing](drawing.svg)")
    out = tmp_path / "out"
    done = run_build("--source", site, "--out", out, "--base-url", "https://example.org/sub/")
    assert done.code == 0, done.stderr
    page = html_pages(out)["guide/intro/index.html"]
    photo = page.find("img", alt="A photo")
    assert photo["src"] == "/sub/guide/photo.png"
    assert (photo["width"], photo["height"]) == ("2000", "1000")
    assert (photo["loading"], photo["decoding"]) == ("lazy", "async")
    assert photo["srcset"] == (
        "/sub/guide/photo-480w.webp 480w, /sub/guide/photo-960w.webp 960w, "
        "/sub/guide/photo-1600w.webp 1600w, /sub/guide/photo.png 2000w"
    )
    assert photo["sizes"]
    for width in (480, 960, 1600):
        with Image.open(out / "guide" / f"photo-{width}w.webp") as variant:
            assert variant.format == "WEBP" and variant.size == (width, width // 2)
    assert (out / "guide" / "photo.png").read_bytes() == (
        site / "content" / "guide" / "photo.png"
    ).read_bytes()  # the original is kept, as the fallback
    small = page.find("img", alt="Small")
    assert (small["width"], small["height"], small.get("srcset")) == ("300", "200", None)
    drawing = page.find("img", alt="Drawing")
    assert drawing["src"] == "/sub/guide/drawing.svg" and drawing["loading"] == "lazy"
    assert (out / "guide" / "drawing.svg").read_bytes() == (
        site / "content" / "guide" / "drawing.svg"
    ).read_bytes()


def test_a_photo_turned_by_its_exif_gets_the_size_it_is_shown_at(site: Path, tmp_path: Path):
    exif = Image.Exif()
    exif[0x0112] = 6  # as phones save a portrait photo: landscape pixels, shown turned
    photo = Image.new("RGB", (2000, 1000), (200, 80, 40))
    photo.save(site / "content" / "guide" / "portrait.jpg", exif=exif.tobytes())
    add(site, "![Portrait](portrait.jpg)")
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    img = html_pages(out)["guide/intro/index.html"].find("img", alt="Portrait")
    assert (img["width"], img["height"]) == ("1000", "2000")
    widths = [entry.split()[1] for entry in img["srcset"].split(", ")]
    assert widths == ["480w", "960w", "1000w"]  # never wider than the photo is shown
    with Image.open(out / "guide" / "portrait-960w.webp") as variant:
        assert variant.size == (960, 1920)


def test_an_image_whose_name_has_a_space_gets_a_srcset_a_browser_can_read(
    site: Path, tmp_path: Path
):
    png(site / "content" / "guide" / "my photo.png", 1200, 600)
    add(site, "![Spaced](<my photo.png>)")
    out = tmp_path / "out"
    assert run_build("--source", site, "--out", out).code == 0
    img = html_pages(out)["guide/intro/index.html"].find("img", alt="Spaced")
    entries = [entry.split() for entry in img["srcset"].split(", ")]
    assert [len(entry) for entry in entries] == [2, 2, 2]  # an address and a width each
    for address, _ in entries:
        assert (out / unquote(address).lstrip("/")).is_file(), address


def test_the_same_build_twice_gives_the_same_variants(site: Path, tmp_path: Path):
    add(site, "![A photo](photo.png)")
    one, two = tmp_path / "one", tmp_path / "two"
    assert run_build("--source", site, "--out", one, "--no-cache").code == 0
    assert run_build("--source", site, "--out", two, "--no-cache").code == 0
    for width in (480, 960, 1600):
        name = f"guide/photo-{width}w.webp"
        assert (one / name).read_bytes() == (two / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "make", "problem"),
    [
        (
            "huge.png",
            lambda path: png(path, 8000, 6000, "1"),
            "image guide/huge.png: 8000 x 6000 pixels (48 megapixels) is over the 40-megapixel "
            "limit; make it smaller",
        ),
        (
            "bomb.png",  # past the size Pillow itself warns of
            lambda path: png(path, 10000, 10000, "1"),
            "image guide/bomb.png: 10000 x 10000 pixels (100 megapixels) is over the 40-megapixel "
            "limit; make it smaller",
        ),
        (
            "broken.png",
            lambda path: path.write_bytes(b"not an image at all"),
            "image guide/broken.png: cannot be read as an image (UnidentifiedImageError)",
        ),
    ],
)
def test_a_too_large_or_broken_image_is_an_error_where_the_page_shows_it(
    site: Path, tmp_path: Path, name: str, make, problem: str
):
    make(site / "content" / "guide" / name)
    page = add(site, f"Look: ![Picture]({name})")
    line = page.read_text().splitlines().index(f"Look: ![Picture]({name})") + 1
    # In a process of its own, as an editor runs it: what reaches stderr is all it prints.
    failed = run_build("--source", site, "--out", tmp_path / "out", process=True)
    assert failed.problems == [f"content/guide/intro.md:{line}:18: error: {problem}"]
    assert "Traceback" not in failed.stderr and "Warning" not in failed.stderr


def test_a_missing_image_is_an_error_where_it_is_written(site: Path, tmp_path: Path):
    page = add(site, "See ![Gone](gone.png).")
    line = page.read_text().splitlines().index("See ![Gone](gone.png).") + 1
    failed = run_build("--source", site, "--out", tmp_path / "out")
    assert len(failed.problems) == 1
    assert failed.problems[0].startswith(f"content/guide/intro.md:{line}:13: error: image ")
    assert "guide/gone.png" in failed.problems[0]
    assert failed.problems[0].endswith(
        "(hint: an image is a path relative to its page's .md file, or to a file in static/)"
    )


def test_with_missing_pages_as_warnings_a_missing_image_is_left_as_written(
    site: Path, tmp_path: Path
):
    config = site / "site.yaml"
    config.write_text(config.read_text() + "links:\n  missing_page: warning\n")
    page = add(site, "See ![Gone](gone.png).")
    line = page.read_text().splitlines().index("See ![Gone](gone.png).") + 1
    out = tmp_path / "out"
    done = run_build("--source", site, "--out", out)
    assert done.code == 0, done.stderr
    assert done.problems[0].startswith(f"content/guide/intro.md:{line}:13: warning: image ")
    gone = html_pages(out)["guide/intro/index.html"].find("img", alt="Gone")
    assert gone["src"] == "/guide/gone.png" and not gone.has_attr("width")


def test_raw_html_images_and_links_to_files_are_found_from_the_pages_file(
    site: Path, tmp_path: Path
):
    # As GitHub shows the Markdown: `photo.png` and `notes.pdf` are beside content/guide/intro.md.
    (site / "content" / "guide" / "notes.pdf").write_bytes(b"%PDF-1.4\n")
    add(
        site,
        '<img src="photo.png" alt="Raw">\n\n'
        '[The notes](notes.pdf#page=2) and <a href="notes.pdf">the same, in HTML</a>.',
    )
    out = tmp_path / "out"
    done = run_build("--source", site, "--out", out)
    assert done.code == 0, done.stderr
    page = html_pages(out)["guide/intro/index.html"]
    raw = page.find("img", alt="Raw")
    assert raw["src"] == "/guide/photo.png" and raw["width"] == "2000"  # sized like any image
    assert page.find("a", string="The notes")["href"] == "/guide/notes.pdf#page=2"
    assert page.find("a", string="the same, in HTML")["href"] == "/guide/notes.pdf"
    assert (out / "guide" / "notes.pdf").is_file()
