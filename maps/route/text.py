"""A plan as a readable itinerary table for the terminal (`maps route --format text`)."""

from __future__ import annotations

from maps.route.links import day_links
from maps.route.plan import Plan
from maps.route.transfers import mode as leg_mode

NAME_WIDTH = 40


def duration(minutes: float) -> str:
    hours, mins = divmod(round(minutes), 60)
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"


def _cut(text: str, width: int = NAME_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def to_text(plan: Plan) -> str:
    header = f"{'Day':>3} {'Trip':>4} {'#':>3}  {'Place':<{NAME_WIDTH}} {'Leg':>18} {'So far':>22}"
    lines = [header, "-" * len(header)]
    if plan.start:
        lines.append(
            f"{'1':>3} {'':>4} {'':>3}  Start: {plan.start.name} ({plan.start.lat:.5f}, {plan.start.lon:.5f})"
        )
    for stop in plan.stops:
        leg = stop.leg
        if leg is not None and leg.kind == "transfer":
            lines.append(
                f"{leg.day:>3} {'':>9}  -- travel to trip {stop.trip}: {leg.km:.1f} km, "
                f"about {duration(leg.minutes)} {leg_mode(leg.mode).label}"
            )
        leg_text = f"{leg.km:.1f} km {duration(leg.minutes)}" if leg and leg.kind == "day" else ""
        if leg and leg.kind == "day" and leg.mode != plan.mode.name:
            leg_text = f"{leg_text} ({leg_mode(leg.mode).name})"
        so_far = f"{stop.cumulative_km:.1f} km {duration(stop.cumulative_minutes)}"
        lines.append(
            f"{stop.day:>3} {stop.trip:>4} {stop.order:>3}  {_cut(stop.point.name):<{NAME_WIDTH}} "
            f"{leg_text:>18} {so_far:>22}"
        )
    if plan.finish:
        label = "back to the start" if plan.request.round_trip else "to the end"
        finish = plan.finish
        lines.append(
            f"{finish.day:>3} {'':>9}  -- {label}: {finish.km:.1f} km, about {duration(finish.minutes)} "
            f"{leg_mode(finish.mode).label}"
        )
    lines.append("")
    lines.append(
        f"Total: {plan.total_km:.1f} km, about {duration(plan.total_minutes)} {plan.mode.label} "
        f"({len(plan.stops)} places, {len(plan.days)} day(s), {len(plan.trips)} trip(s), "
        f"{duration(plan.visit_minutes)} of visits)"
    )
    limit = plan.request.hours_per_day * 60
    for day in plan.days:
        over = " - longer than your day" if day.minutes > limit + 0.05 else ""
        lines.append(
            f"Day {day.number} (trip {day.trip}): {len(day.stops)} place(s), about {duration(day.minutes)} "
            f"({duration(day.travel_minutes)} travel, {duration(day.visit_minutes)} visits){over}"
        )
    if plan.skipped:
        lines.append("Left out (no coordinates yet): " + ", ".join(plan.skipped))
    for place, why in plan.left_out:
        lines.append(f"Left out: {place.name} ({why}); --include-all routes to it anyway")
    links = day_links(plan)
    for day in plan.days:
        for part, url in enumerate(links[day.number], start=1):
            suffix = f" (part {part})" if len(links[day.number]) > 1 else ""
            lines.append(f"Day {day.number}{suffix}: {url}")
    lines.append(plan.travel.note)
    return "\n".join(lines)
