"""The printable guide of a planned trip: per day, the stops in order with what was filmed
there, how to visit and the directions links, for a fan who carries it on paper (the route
page prints it with its print stylesheet). Each day's directions link is also printed as a QR
code (segno, pure Python): a phone's camera opens it from the paper, where a printed URL of
several hundred characters cannot be typed. Scenes after the fan's watched point are left out,
as everywhere else."""

from __future__ import annotations

from dataclasses import dataclass

import segno

from maps.dataset.episodes import Series
from maps.dataset.filters import Filters, watched_visible
from maps.route.links import day_links, osm_url
from maps.route.plan import Plan


@dataclass(frozen=True)
class GuideStop:
    order: int
    name: str
    locality: str
    story_place: str
    scenes: tuple[str, ...]  # "Season 1 · S1E2 · Secret: Nick and Charlie …"
    access: str
    directions: str | None  # OpenStreetMap directions of the leg that arrives here


@dataclass(frozen=True)
class GuideDay:
    number: int
    start: str | None
    stops: tuple[GuideStop, ...]
    links: tuple[str, ...]  # Google Maps directions for the whole day

    @property
    def codes(self) -> tuple[tuple[str, str], ...]:
        """(link, its QR code as inline SVG markup) for each of the day's links."""
        return tuple((url, qr_svg(url)) for url in self.links)


def qr_svg(url: str) -> str:
    """A QR code of `url` as an inline <svg> (no text of ours or the data's inside it: only the
    code's path, so it needs no escaping). Medium error correction survives a creased page."""
    return segno.make(url, error="m").svg_inline(svgclass="guide-qr", omitsize=True)


def guide_days(plan: Plan, series: Series, filters: Filters) -> list[GuideDay]:
    links = day_links(plan)
    days = []
    for day in plan.days:
        stops = []
        for stop in day.stops:
            place = stop.point.place
            scenes: tuple[str, ...] = ()
            if place is not None:
                scenes = tuple(
                    f"{series.label(s.season)} · {series.episode_label(s.season, s.episode)}: {s.note}"
                    for s in sorted(place.scenes, key=lambda s: s.sort_key)
                    if watched_visible(s, filters)
                )
            stops.append(
                GuideStop(
                    order=stop.order,
                    name=stop.point.name,
                    locality=place.locality if place else "",
                    story_place=place.story_place if place else "",
                    scenes=scenes,
                    access=place.access_advice if place else "",
                    directions=osm_url(stop.leg) if stop.leg else None,
                )
            )
        start = day.start
        days.append(
            GuideDay(
                day.number, start.name if start else None, tuple(stops), tuple(links.get(day.number, []))
            )
        )
    return days
