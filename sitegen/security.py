"""The Content Security Policy every page carries, and the headers file for hosts that read one.

Pages have no inline script or style, so the policy allows only the site's own files. Pagefind's
search runs WebAssembly, which needs 'wasm-unsafe-eval' (and nothing looser) when search is on.
"""

from __future__ import annotations

from .config import SiteConfig
from .errors import SourceSpan
from .outputs import OutputFile

HEADERS_FILE = "_headers"  # read by Netlify and Cloudflare Pages


def content_security_policy(search: bool) -> str:
    """The policy for the pages' meta tag (a meta tag cannot carry frame-ancestors)."""
    scripts = "'self' 'wasm-unsafe-eval'" if search else "'self'"
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self'",
            "img-src 'self'",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def headers_file(config: SiteConfig) -> OutputFile:
    """Return `_headers`: the same policy, plus what only a response header can say."""
    policy = content_security_policy(config.search) + "; frame-ancestors 'none'"
    text = (
        "/*\n"
        f"  Content-Security-Policy: {policy}\n"
        "  X-Content-Type-Options: nosniff\n"
        "  Referrer-Policy: strict-origin-when-cross-origin\n"
    )
    return OutputFile(HEADERS_FILE, text.encode(), origin=SourceSpan("site.yaml"))
