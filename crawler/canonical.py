"""Canonical URLs: one key per article however a route spelled its address.

Pure functions. An article found through a feed with ``?utm_source=rss``,
through a section page with ``#comments`` and through a sitemap with an
upper-case host is one article, stored once and fetched once per crawl.
"""

from __future__ import annotations

import contextlib
import functools
import re
from urllib.parse import parse_qsl, unquote_plus, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import safe_url_string

# Query parameters that say how a reader arrived, never which page they read.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "ref_src",
        "ref_url",
        "cmpid",
        "s_cid",
        "spm",
        "sr_share",
        "ncid",
        "ocid",
        "soc_src",
        "soc_trk",
        "CMP",
        "taid",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
        "at_medium",
        "at_campaign",
        "ito",
        "xtor",
        # session ids: one page under endless names (a crawler trap)
        "jsessionid",
        "phpsessid",
        "sessionid",
        "session_id",
        "aspsessionid",
        "cfid",
        "cftoken",
        "zenid",
        "oscsid",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__hs")
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sessionid)=[^/;]*", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return (
        name in TRACKING_PARAMS
        or lowered in TRACKING_PARAMS
        or lowered.startswith(TRACKING_PREFIXES)
    )


def canonical_url(url: str, base: str | None = None) -> str:
    """Normalise ``url`` (resolved against ``base``) into the key an article is stored under.

    Lower-cases scheme and host, drops the default port, the fragment and
    tracking parameters, and normalises percent-encoding. Never raises for a
    string: a URL it cannot parse comes back stripped but otherwise as given.
    Idempotent: ``canonical_url(canonical_url(u)) == canonical_url(u)``.
    """
    url = url.strip()
    if base:
        try:
            return _canonical(urljoin(base, url))
        except ValueError:  # a bad base (port out of range ...) must not spoil a good URL
            pass
    try:
        return _canonical(url)
    except ValueError:
        return url


@functools.lru_cache(maxsize=1 << 14)
def _canonical(absolute: str) -> str:
    """:func:`canonical_url` of an absolute URL; raises ValueError when it cannot parse it.

    Cached, by the absolute URL: a crawl keys one URL several times (its sitemap
    entry, its response, the page's own canonical link), at 20 µs each.
    """
    parts = urlsplit(safe_url_string(absolute))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    port = parts.port
    netloc = host
    if "@" in parts.netloc:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + host
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    if ":" in host and not host.startswith("["):
        netloc = netloc.replace(host, f"[{host}]", 1)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(k)
    ]
    path = _PATH_SESSION.sub("", parts.path) or ("/" if host else "")
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def request_url(url: str, base: str | None = None) -> str:
    """The URL to request for a link, as the publisher gave it (resolved against ``base``).

    Only the fragment, tracking query parameters and path session ids go; the
    rest stays byte for byte: ``?par`` is not made ``?par=``, an encoded query
    is not re-encoded, ``//folder`` keeps both slashes. robots.txt rules are
    matched against this URL (RFC 9309 §2.2.2), so what is asked is what is
    requested. Articles are still keyed by :func:`canonical_url`. Never raises.
    """
    url = url.strip()
    if base:
        with contextlib.suppress(ValueError):  # a bad base must not spoil a good URL
            url = urljoin(base, url)
    address, mark, query = url.partition("#")[0].partition("?")
    address = _PATH_SESSION.sub("", address)
    pairs = query.split("&")
    kept = [p for p in pairs if not is_tracking_param(unquote_plus(p.partition("=")[0]))]
    if len(kept) == len(pairs):
        return address + mark + query
    return address + (mark + "&".join(kept) if kept else "")


def same_site(url: str, hosts: list[str]) -> bool:
    """True when ``url``'s host is one of ``hosts`` or a subdomain of one."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return any(host == h.lower() or host.endswith("." + h.lower()) for h in hosts)


def typed_url_keys(typed: str) -> list[str]:
    """The keys an article a person names may be stored under, most likely first.

    ``typed`` is a URL as pasted or typed: tracking parameters, a fragment, an
    upper-case host or no scheme at all (``example.com/a``, ``//example.com/a``).
    With a scheme it has one key, :func:`canonical_url`'s; without, the
    ``https`` key, then the ``http`` one.
    """
    typed = typed.strip()
    if "://" in typed:
        return [canonical_url(typed)]
    bare = typed.removeprefix("//")
    return [canonical_url(f"https://{bare}"), canonical_url(f"http://{bare}")]


_INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:html?|php|aspx?)$", re.IGNORECASE)
_AMP_PARAMS = {"amp": {"", "1", "true"}, "outputtype": {"amp"}}


def url_key(url: str) -> str:
    """One key for the spellings of one page's address: ``host/path?query``, no scheme.

    Folds ``http``/``https``, an ``amp.`` host, a trailing slash, a last
    ``index.html`` (or ``default.aspx`` ...), an AMP path (``/amp/...`` or
    ``.../amp``), ``?amp=1`` / ``?outputType=amp`` and ``?page=1``: the
    variants publishers serve one page under (AMP URL forms: amp.dev,
    "Make your page discoverable"). ``url`` should already be
    :func:`canonical_url`'s form. Never raises for a string.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    host = (parts.hostname or "").removeprefix("amp.")
    if port is not None:
        host = f"{host}:{port}"
    path = _INDEX_PAGE.sub("/", parts.path)
    if path.startswith("/amp/"):
        path = path[4:]
    path = path.removesuffix("/amp/").removesuffix("/amp").rstrip("/")
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if v.lower() not in _AMP_PARAMS.get(k.lower(), ()) and (k.lower(), v) != ("page", "1")
    ]
    return urlunsplit(("", host, path, urlencode(query), "")).removeprefix("//")


def canonical_refusal(
    declared: str, fetch_url: str, hosts: list[str], listings: set[str]
) -> str | None:
    """Why a page's declared canonical must not key its article, or None to accept it.

    ``declared`` and ``fetch_url`` in :func:`canonical_url`'s form; ``listings``
    holds the :func:`url_key` of every listing page the crawl knows (start,
    feed and sitemap URLs, section pages, pages found not to be articles).
    Reasons: ``offsite`` (not on the source's hosts), ``site_root`` (a
    template's canonical left pointing at the home page), ``listing``. The
    other check, a canonical claimed by a page with different text, needs
    the store (:mod:`crawler.dedupe.identity`). A page whose canonical is itself
    is always accepted.
    """
    if declared == fetch_url:
        return None
    if not same_site(declared, hosts):
        return "offsite"
    parts = urlsplit(declared)
    if parts.path in ("", "/") and not parts.query:
        return "site_root"
    if url_key(declared) in listings:
        return "listing"
    return None
