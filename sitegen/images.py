"""Images of the finished pages: their size, lazy loading and smaller WebP variants.

Every `<img>` whose file is the site's own (beside its page in `content/`, or under `static/`)
gets `width` and `height` (so the page does not move as it loads), `loading="lazy"` and
`decoding="async"`; a raster image wider than a variant gets WebP variants in a `srcset`, made
with Pillow once per image and width (kept in the stage cache by the image's bytes), with the
original as the fallback. An image over 40 megapixels, or one Pillow cannot read, is an error at
the place the page shows it. SVG files are kept as they are.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, replace
from html import escape, unescape
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from .cache import StageCache, fingerprint
from .checks import LinkPlaces
from .errors import BuildError, SourceSpan
from .outputs import OutputFile
from .urls import UrlMaker, encoded

RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp")
WIDTHS = (480, 960, 1600)  # the variants' widths, for phones, laptops and wide screens
MAX_PIXELS = 40_000_000
ORIENTATION = 0x0112  # the EXIF tag saying how a photo is turned when shown
TURNED = (5, 6, 7, 8)  # orientations that swap width and height
SPACE = re.compile(r"\s")
SIZES = "(max-width: 50rem) 100vw, 50rem"  # the theme's text column is at most 50rem wide
IMG = re.compile(rb"<img\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)
ATTRIBUTE = re.compile(
    r"""\s([a-zA-Z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""", re.IGNORECASE
)


@dataclass(frozen=True)
class ImageInfo:
    """What a build knows of one image file: its size, or why it cannot be used."""

    width: int = 0
    height: int = 0
    problem: str = ""


def process_images(
    pages: list[OutputFile],
    assets: list[OutputFile],
    urls: UrlMaker,
    cache: StageCache,
    places: LinkPlaces,
) -> tuple[list[OutputFile], list[OutputFile], list[BuildError]]:
    """`pages` with their images sized and given variants; the variants; the problems."""
    by_path = {asset.path: asset for asset in assets if asset.copy_from or asset.data}
    done, variants, problems = [], {}, []
    for page in pages:
        if not page.path.endswith(".html") or b"<img" not in (page.data or b""):
            done.append(page)
            continue
        pieces, at = [], 0
        for found in IMG.finditer(page.data):
            tag = found[0].decode("utf-8")
            new, made, problem = _image_tag(tag, by_path, urls, cache)
            if problem:
                src = _attributes(tag).get("src", "")
                spans, _ = places.locate(page, src) if places.locate else ([], "")
                problems.append(BuildError(spans[0] if spans else SourceSpan(page.path), problem))
            variants.update(made)
            if new != tag:
                pieces += [page.data[at : found.start()], new.encode("utf-8")]
                at = found.end()
        done.append(replace(page, data=b"".join(pieces) + page.data[at:]) if pieces else page)
    return done, [variants[path] for path in sorted(variants)], problems


def _image_tag(
    tag: str, assets: dict[str, OutputFile], urls: UrlMaker, cache: StageCache
) -> tuple[str, dict[str, OutputFile], str]:
    attributes = _attributes(tag)
    src = attributes.get("src", "")
    path = _site_path(src, urls)
    asset = assets.get(path) if path is not None else None
    if asset is None:
        return tag, {}, ""  # another site's image, or a missing file: the link check says so
    suffix = PurePosixPath(path).suffix.lower()
    added = {"loading": "lazy", "decoding": "async"}
    made: dict[str, OutputFile] = {}
    if suffix in RASTER:
        data = asset.data if asset.data is not None else asset.copy_from.read_bytes()
        digest = fingerprint(data)
        info = cache.get("image", digest, lambda: read_info(data))
        if info.problem:
            return tag, {}, f"image {path}: {info.problem}"
        if "width" not in attributes and "height" not in attributes:
            added.update(width=str(info.width), height=str(info.height))
        if "srcset" not in attributes and suffix != ".gif":  # a GIF may move: kept whole
            stem = path[: -len(suffix)]
            sources = []
            for width in (w for w in WIDTHS if w < info.width):
                variant = f"{stem}-{width}w.webp"
                webp = cache.get(
                    "webp", fingerprint(digest, width), lambda w=width: webp_of(data, w)
                )
                made[variant] = OutputFile(variant, webp, origin=asset.origin)
                sources.append(f"{encoded(urls.path(variant))} {width}w")
            if sources:
                # A srcset ends each address at a space: the one written is kept, spaces encoded.
                sources.append(f"{SPACE.sub(_escaped, src)} {info.width}w")
                added.update(srcset=", ".join(sources), sizes=SIZES)
    extra = "".join(
        f' {name}="{escape(value, quote=True)}"'
        for name, value in added.items()
        if name not in attributes
    )
    if not extra:
        return tag, made, ""
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return tag[:end].rstrip() + extra + tag[end:], made, ""


def read_info(data: bytes) -> ImageInfo:
    """The size of an image, or why it cannot be used (too large, not an image Pillow reads)."""
    from PIL import Image  # here: a site without images never needs it

    try:
        with warnings.catch_warnings():
            # Pillow warns of a large image on stderr; the limit below says it in one line.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        with image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return ImageInfo(problem=_too_large(width, height))
            image.verify()
        with Image.open(io.BytesIO(data)) as image:  # verify() leaves an image unusable
            if image.getexif().get(ORIENTATION) in TURNED:
                width, height = height, width  # a phone's photo, shown turned as its EXIF says
    except Image.DecompressionBombError:
        return ImageInfo(problem="too large to read safely (a decompression bomb?)")
    except Exception as exc:  # noqa: BLE001 - any unreadable image is the editor's to fix
        return ImageInfo(problem=f"cannot be read as an image ({type(exc).__name__})")
    return ImageInfo(width, height)


def webp_of(data: bytes, width: int) -> bytes:
    """The image resized to `width` pixels wide, as WebP."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        height = max(1, round(image.height * width / image.width))
        resized = image.convert("RGBA" if "A" in image.getbands() else "RGB").resize(
            (width, height), Image.Resampling.LANCZOS
        )
        out = io.BytesIO()
        resized.save(out, "WEBP", quality=80, method=4)
        return out.getvalue()


def _escaped(found: re.Match) -> str:
    return f"%{ord(found[0]):02X}"


def _too_large(width: int, height: int) -> str:
    megapixels = width * height / 1_000_000
    return (
        f"{width} x {height} pixels ({megapixels:.0f} megapixels) is over the "
        f"{MAX_PIXELS // 1_000_000}-megapixel limit; make it smaller"
    )


def _attributes(tag: str) -> dict[str, str]:
    found = {}
    for match in ATTRIBUTE.finditer(tag[4:]):
        value = next((v for v in match.groups()[1:] if v is not None), "")
        found.setdefault(match[1].lower(), unescape(value))
    return found


def _site_path(src: str, urls: UrlMaker) -> str | None:
    """The output path of an image the site serves itself, or None."""
    try:
        parts = urlsplit(src)
    except ValueError:
        return None
    if parts.scheme or parts.netloc or not parts.path.startswith(urls.base_path):
        return None
    return unquote(parts.path[len(urls.base_path) :])
