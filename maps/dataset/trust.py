"""Privacy and trust rules of the data: how sure a scene is, which places are private homes, and
which source hosts are copies of a page that has a canonical address.

Plain data and small functions, so the validator, the map payload, the pages and the downloads
all read the same words (one registry per concern)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from maps.dataset.vocabulary import CONFIDENCE_LEVELS as CONFIDENCE_LEVELS  # the values

# How sure the dataset is of a scene (an optional `confidence` on each scene): the words shown.
CONFIDENCE_LABELS = {
    "confirmed": "Confirmed by a reputable source",
    "reported": "Reported: a single or low-authority source, not confirmed",
    "inferred": "Inferred: no source says so directly; deduced from the sources",
}
# What the map popup and the downloads put before a note; a confirmed scene needs no warning.
CONFIDENCE_PREFIX = {"reported": "Reported", "inferred": "Inferred"}

# A family home or other residence: never pinned on a house, never a house number.
PRIVATE_HOME = "private-home"
PRIVATE_HOME_PRECISIONS = ("street", "area", "town")
PRIVATE_HOME_ADVICE = (
    "Private homes: view from the street only, do not disturb residents. "
    "Shown as an area, never as a pin on a house."
)

_STREET_WORDS = (
    "Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Gardens|Grove|Place|"
    "Terrace|Court|Mews|Square|Hill|Row|Walk|Park|Rise|Vale|rue|Rue|boulevard|Boulevard|allée|"
    "impasse|chemin|calle|Calle|carrer|Carrer|via|Via"
)
# "12 Ashley Park", "12a St Marks Road", "No. 4", "number 7": a house number. Street words are
# matched as written (capitalised), so "in 2023 on st..." or "episode 3 at the park" are not.
_HOUSE_NUMBER = re.compile(
    rf"(?:\b(?i:no\.|number)\s*\d{{1,4}}\b)"
    rf"|(?:\b\d{{1,3}}[a-zA-Z]?,?\s+(?:[A-Z][\w'\u2019.-]*\s+){{0,3}}(?:{_STREET_WORDS})\b)"
)
# A full UK postcode (outward and inward code) narrows a place to a handful of houses.
_FULL_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


def house_number(text: str) -> str | None:
    """The part of `text` that pins a single house (a house number or a full postcode), if any."""
    match = _HOUSE_NUMBER.search(text) or _FULL_POSTCODE.search(text)
    return match.group(0) if match else None


# Hosts that copy pages whose canonical address exists (Wikipedia mirrors, syndication and
# scraper sites). A curator decides; the validator only warns. host -> where the original lives.
MIRROR_HOSTS = {
    "wikimili.com": "en.wikipedia.org",
    "wikivisually.com": "en.wikipedia.org",
    "en-academic.com": "en.wikipedia.org",
    "de-academic.com": "de.wikipedia.org",
    "a.osmarks.net": "en.wikipedia.org",
    "piglix.com": "en.wikipedia.org",
    "review.clateway.com": "en.wikipedia.org",
    "askwikinow.com": "de.wikipedia.org",
    "frwiki.wiki": "fr.wikipedia.org",
    "wikial.top": "de.wikipedia.org",
    "wiki-gateway.eudic.net": "en.wikipedia.org",
    "en.nearbywiki.org": "en.wikipedia.org",
    "db0nus869y26v.cloudfront.net": "en.wikipedia.org",
    "de.wiki.li": "de.wikipedia.org",
    "encyclopedia.datana.cloud": "en.wikipedia.org",
    "dweb.link": "en.wikipedia.org",
    "d33gy59ovltp76.cloudfront.net": "theguardian.com",
    "1392.topnews.com": "bbc.co.uk",
    "gossipify.com": "allocine.fr",
    "acmesponge.com": "tvline.com",
    "truemac.vn": "vulture.com",
    "newpreppers.com": "teenvogue.com",
    "thereviewgeeksa.pages.dev": "thereviewgeek.com",
    "recentlyheard.com": "a primary news source",
}


def mirror_hint(url: str) -> str | None:
    """The canonical home of a copied page when `url` is on a known mirror host, else None.
    Subdomains count (da.frwiki.wiki is frwiki.wiki); so do the princeton.edu wiki100k copy and
    piglix pages served from any address."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if (host == "princeton.edu" and "/wiki100k/" in parsed.path) or "/piglix/" in parsed.path:
        return "en.wikipedia.org"  # a Wikipedia copy inside another site, or on a bare IP address
    for mirror, canonical in MIRROR_HOSTS.items():
        if host == mirror or host.endswith("." + mirror):
            return canonical
    return None
