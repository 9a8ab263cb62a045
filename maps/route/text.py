"""A plan as a readable itinerary table for the terminal (`maps route --format text`)."""

from __future__ import annotations

from maps.route.links import day_links
from maps.route.plan import ESTIMATE_NOTE, Plan
from maps.route.request import MODES

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
        lines.append(f"{'':>3} {'':>4} {'':>3}  Start ({plan.start.lat:.5f}, {plan.start.lon:.5f})")
    for stop in plan.stops:
        leg = stop.leg
        if leg is not None and leg.kind == "transfer":
            lines.append(
                f"{'':>13}  -- travel to trip {stop.trip}: {leg.km:.1f} km, "
                f"about {duration(leg.minutes)} {MODES[leg.mode].label}"
            )
        leg_text = f"{leg.km:.1f} km {duration(leg.minutes)}" if leg and leg.kind == "day" else ""
        so_far = f"{stop.cumulative_km:.1f} km {duration(stop.cumulative_minutes)}"
        lines.append(
            f"{stop.day:>3} {stop.trip:>4} {stop.order:>3}  {_cut(stop.point.name):<{NAME_WIDTH}} "
            f"{leg_text:>18} {so_far:>22}"
        )
    if plan.finish:
        label = "back to the start" if plan.request.round_trip else "to the end"
        lines.append(f"{'':>13}  -- {label}: {plan.finish.km:.1f} km, about {duration(plan.finish.minutes)}")
    lines.append("")
    lines.append(
        f"Total: {plan.total_km:.1f} km, about {duration(plan.total_minutes)} {plan.mode.label} "
        f"({len(plan.stops)} places, {len(plan.days)} day(s), {len(plan.trips)} trip(s), "
        f"{plan.request.stop_minutes:g} min at each place)"
    )
    if plan.skipped:
        lines.append("Left out (no coordinates yet): " + ", ".join(plan.skipped))
    links = day_links(plan)
    for day in plan.days:
        for part, url in enumerate(links[day.number], start=1):
            suffix = f" (part {part})" if len(links[day.number]) > 1 else ""
            lines.append(f"Day {day.number}{suffix}: {url}")
    lines.append(ESTIMATE_NOTE)
    return "\n".join(lines)
