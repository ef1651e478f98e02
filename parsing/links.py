"""Links from data: offered (on screen, to the browser, in a note) only when they are safe.

A link is safe when it is `http` or `https`, has a plain host name (or an IPv6 address),
no user name or password in it, and no whitespace; whatever else could break out of a
markdown link or an escape sequence (`<`, `>`, quotes, backslashes, non-ASCII) is
percent-encoded. An arXiv id is checked against arXiv's formats before a URL is built
from it.
"""

from __future__ import annotations

import re
from typing import TypeGuard
from urllib.parse import quote, urlsplit, urlunsplit

from parsing.clean import is_clean

_SCHEMES = frozenset({"http", "https"})
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]")
# RFC 3986: the characters a path, query or fragment may hold as they are ("%" keeps an
# escape already made).
_URL_SAFE = "/?#[]@!$&'()*+,;=-._~:%"
# New ids since 2007 (`2509.01234`, `0704.0001`, with a version or not) and the old ones
# (`hep-th/9901001`, `math.GT/0309136`).
_ARXIV_ID = re.compile(r"\d{4}\.\d{4,5}(?:v\d+)?|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?")


def safe_link(url: str | None) -> str | None:
    """`url` as a link that may be offered, percent-encoded where needed; None if unsafe."""
    if not url or not is_clean(url) or " " in url:
        return None
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # e.g. an unclosed IPv6 bracket or a port that is no number
        return None
    host = parts.netloc.rpartition(":")[0] if parts.port is not None else parts.netloc
    if (
        parts.scheme.lower() not in _SCHEMES
        or not port_ok
        or "@" in parts.netloc
        or not _HOST.fullmatch(host)
    ):
        return None
    return urlunsplit(
        (
            parts.scheme.lower(),
            parts.netloc,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE),
            quote(parts.fragment, safe=_URL_SAFE),
        )
    )


def is_arxiv_id(text: str | None) -> TypeGuard[str]:
    """True for an id in one of arXiv's formats (what a URL may be built from)."""
    return bool(text) and _ARXIV_ID.fullmatch(text) is not None
