"""Every internal URL of the site, made in one place so a sub-path base URL just works."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote, urlsplit

URL_SAFE = "/!$&'()*+,;=:@-._~"  # what a URL path may hold as it is (RFC 3986)


def encoded(path: str) -> str:
    """A URL path as files that must hold plain ASCII URLs write it: 'café/' is 'caf%C3%A9/'."""
    return path if path.isascii() and " " not in path and "%" not in path else quote(path, URL_SAFE)


@dataclass(frozen=True)
class UrlMaker:
    """Turns site-root paths ('salaries/', 'css/site.css') into URLs under the base URL."""

    base_url: str  # ends with '/'

    @cached_property  # asked for once per link: thousands of times in a large site
    def base_path(self) -> str:
        """The path the site is served under: '/' or e.g. '/guide/'."""
        return urlsplit(self.base_url).path or "/"

    def path(self, target: str) -> str:
        """Return the URL path of a site file or page, e.g. '/guide/salaries/'."""
        if _is_external(target):
            return target
        return self.base_path + target.lstrip("/")

    def from_path(self, path: str) -> str:
        """Return the full URL of a URL path that already includes the base path."""
        parts = urlsplit(self.base_url)
        return path if _is_external(path) else f"{parts.scheme}://{parts.netloc}{path}"

    def absolute(self, target: str) -> str:
        """Return the full URL, for sitemaps, feeds and canonical links."""
        if _is_external(target):
            return target
        return self.base_url + target.lstrip("/")


def _is_external(target: str) -> bool:
    if ":" not in target and not target.startswith("//"):
        return False  # neither a scheme nor a host: the common case, decided without parsing
    parts = urlsplit(target)
    return bool(parts.scheme or parts.netloc)
