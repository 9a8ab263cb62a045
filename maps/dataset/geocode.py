"""geopy's Nominatim behind four guarantees: at most one request per second to a geocoder URL
from the whole process, whatever the traffic (one geopy RateLimiter per URL, shared by every
geocoder made here: `maps add`, `maps route` and every web request), a query is never sent twice
(answers cached on disk), bounded work (a total deadline for the whole answer, not per read, and a
size cap: `BoundedAdapter`), and every failure, a nonsense answer included, is one clear exception
type a person can act on.

The limiter makes callers wait their turn; at most `MAX_WAITING` may wait at once, so a burst of
web requests is refused quickly ("busy, try again") instead of piling up threads."""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlparse

from filelock import FileLock
from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from maps.dataset.store import write_atomic
from maps.errors import MapsError

DEFAULT_URL = "https://nominatim.openstreetmap.org"
DEFAULT_USER_AGENT = "heartstopper-maps/0.1 (filming-location map; curator tool)"
TIMEOUT_S = 10  # for the whole answer: connecting, waiting and reading
MAX_WAITING = 4
MAX_ANSWER_BYTES = 1_000_000  # a Nominatim answer for one place is a few KB
MAX_DISPLAY_NAME = 300
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class GeocoderUnavailable(MapsError):
    """The geocoder could not be reached, timed out or refused the request."""

    status = 503
    code = "GeocoderUnavailable"


class NoGeocodeResult(MapsError):
    status = 404
    code = "NotFound"


@dataclass(frozen=True)
class GeocodeResult:
    query: str
    lat: float
    lon: float
    display_name: str


@dataclass(frozen=True)
class GeocoderSettings:
    url: str = DEFAULT_URL
    user_agent: str = DEFAULT_USER_AGENT
    cache_path: Path | None = None
    min_delay_s: float = 1.0
    timeout_s: float = TIMEOUT_S


class BoundedAdapter(URLLibAdapter):
    """geopy's urllib adapter with a total deadline and a size cap. urllib's timeout is per
    socket operation, so a server trickling a byte every few seconds could hold a curator (and
    the data file's lock) for ever: here connecting and the headers get half the budget, and the
    body is read in chunks until the deadline or `MAX_ANSWER_BYTES`, whichever comes first."""

    def get_text(self, url, *, timeout, headers):
        self._deadline = time.monotonic() + timeout
        self._timeout = timeout
        return super().get_text(url, timeout=timeout / 2, headers=headers)

    def _decode_page(self, page):
        length = page.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > MAX_ANSWER_BYTES:
            raise GeocoderServiceError(f"answer of {length} bytes: at most {MAX_ANSWER_BYTES}")
        chunks, size = [], 0
        while True:
            if time.monotonic() > self._deadline:
                raise GeocoderTimedOut(f"no complete answer within {self._timeout:g} s")
            chunk = page.read1(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise GeocoderServiceError(f"answer larger than {MAX_ANSWER_BYTES} bytes")
            chunks.append(chunk)
        try:
            return b"".join(chunks).decode(page.headers.get_content_charset() or "utf-8")
        except (LookupError, ValueError) as exc:
            raise GeocoderServiceError(f"answer is not text: {exc}") from exc


def _nominatim(settings: GeocoderSettings) -> Nominatim:
    parsed = urlparse(settings.url if "://" in settings.url else f"https://{settings.url}")
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise GeocoderUnavailable(f"geocoder URL {settings.url!r} is not an http(s) URL")
    domain = parsed.netloc + parsed.path.rstrip("/")
    return Nominatim(
        user_agent=settings.user_agent,
        domain=domain,
        scheme=parsed.scheme,
        timeout=settings.timeout_s,
        adapter_factory=BoundedAdapter,
    )


class DiskCache:
    """A JSON file of query → answer, shared safely between processes."""

    def __init__(self, path: Path | None) -> None:
        self.path = path

    def _read(self) -> dict:
        if self.path is None or not self.path.exists():
            return {}
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # a damaged cache is only a cache: start again

    def get(self, key: str) -> dict | None:
        return self._read().get(key)

    def put(self, key: str, value: dict) -> None:
        if self.path is None:
            return

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with FileLock(f"{self.path}.lock", timeout=30):
                data = self._read()
                data[key] = value
                write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1))
        except OSError:
            pass  # a cache that cannot be written (full disk, read-only) only costs a request


def _call(fn: Callable, *args, **kwargs):
    return fn(*args, **kwargs)


_LIMITERS: dict[str, tuple[RateLimiter, threading.BoundedSemaphore]] = {}
_LIMITERS_LOCK = threading.Lock()


def shared_limiter(url: str, min_delay_s: float) -> tuple[RateLimiter, threading.BoundedSemaphore]:
    """The process-wide limiter for one geocoder URL (geopy's RateLimiter is thread-safe), and
    the semaphore bounding how many callers may queue for it."""
    with _LIMITERS_LOCK:
        if url not in _LIMITERS:
            limiter = RateLimiter(
                _call, min_delay_seconds=min_delay_s, max_retries=0, swallow_exceptions=False
            )
            _LIMITERS[url] = (limiter, threading.BoundedSemaphore(MAX_WAITING))
        return _LIMITERS[url]


def make_geocoder(settings: GeocoderSettings) -> Callable[[str], GeocodeResult]:
    """A function query → GeocodeResult; raises GeocoderUnavailable or NoGeocodeResult.
    The settings come from `maps.config.geocoder_settings()` (the environment) or a test."""
    cache = DiskCache(settings.cache_path)
    service = _nominatim(settings)
    limited, waiting = shared_limiter(settings.url, settings.min_delay_s)

    def geocode(query: str) -> GeocodeResult:
        query = " ".join(query.split())
        if not query:
            raise NoGeocodeResult("empty geocoding query")
        key = f"{settings.url}|{query}"
        cached = cache.get(key)
        if cached is not None:
            return GeocodeResult(**cached)
        if not waiting.acquire(blocking=False):
            raise GeocoderUnavailable(f"geocoder at {settings.url} is busy: try again in a few seconds")
        try:
            location = limited(service.geocode, query, exactly_one=True)
        except GeocoderServiceError as exc:  # timeouts, refused connections, HTTP errors
            raise GeocoderUnavailable(f"geocoder at {settings.url} unavailable: {exc}") from exc
        except GeopyError as exc:
            raise GeocoderUnavailable(f"geocoder at {settings.url} failed: {exc}") from exc
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:  # geopy's parsing
            raise GeocoderUnavailable(f"geocoder at {settings.url} gave an unusable answer: {exc}") from exc
        finally:
            waiting.release()
        if location is None:
            raise NoGeocodeResult(f"the geocoder found nothing for {query!r}")
        result = checked_result(query, location.latitude, location.longitude, location.address, settings.url)
        cache.put(key, asdict(result))
        return result

    return geocode


def checked_result(query: str, lat, lon, address, url: str) -> GeocodeResult:
    """A result only when the answer is a real position; GeocoderUnavailable otherwise (an answer
    of "abc", NaN, a latitude of 95 or a list is the service misbehaving, not a place)."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        raise GeocoderUnavailable(f"geocoder at {url} answered a position that is not a number") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise GeocoderUnavailable(f"geocoder at {url} answered an impossible position ({lat}, {lon})")
    name = " ".join(_CONTROL.sub(" ", str(address or "")).split())
    if len(name) > MAX_DISPLAY_NAME:
        name = name[: MAX_DISPLAY_NAME - 1] + "…"
    return GeocodeResult(query=query, lat=round(lat, 6), lon=round(lon, 6), display_name=name)
