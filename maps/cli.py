"""The `maps` command. Each command is a thin shell over a domain function; exit statuses are
part of the contract (documented in README.md and docs/).

`maps --help` stays fast: this module imports only click and light constant modules (the
format and filter registries, the vocabularies, the route's modes); each command imports the
domain code it needs when it runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from maps import config
from maps.dataset.filters import FILTER_PARAMS
from maps.dataset.vocabulary import ACCESS, CONFIDENCE_LEVELS, PRECISIONS
from maps.errors import DataUnreadable, InvalidCollection, MapsError
from maps.formats.registry import PLACE_FORMATS, PLAN_FORMATS
from maps.route.request import MODES, ORDERS
from maps.terminal import safe, safe_json


def say(message: object, err: bool = False) -> None:
    """One line for the terminal, control characters from the data shown as escapes."""
    click.echo(safe(message), err=err)


def _os_reason(exc: OSError) -> str:
    from filelock import Timeout

    if isinstance(exc, Timeout):
        return f"another curator holds the lock ({exc.lock_file}); try again"
    return exc.strerror or str(exc)


data_option = click.option(
    "--data",
    "data",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Data file (default: $MAPS_DATA, else the bundled dataset).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="heartstopper-maps")
def main() -> None:
    """Filming-location maps: curate, validate, serve and export the dataset."""


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@data_option
@click.option("--production", is_flag=True, help="Serve with gunicorn, one worker per core.")
@click.option("--workers", type=int, default=None, help="gunicorn workers (default: cores).")
def serve_command(host: str, port: int, data: Path | None, production: bool, workers: int | None) -> None:
    """Run the web app (Flask's server, or gunicorn with --production)."""
    from maps import create_app

    overrides = {"DATA_PATH": str(data.resolve())} if data else {}
    if data and not data.is_file():
        raise click.UsageError(f"no data file at {data}")
    _open_queue()  # make or upgrade the suggestion queue's schema once, before any worker starts
    if production:
        from maps.config import access_log
        from maps.serving import run_gunicorn

        run_gunicorn(host=host, port=port, overrides=overrides, workers=workers, access_log=access_log())
    else:
        create_app(overrides).run(host=host, port=port)


@main.command("validate")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def validate_command(path: Path | None) -> None:
    """Check the data file; one line per problem (ID: PATH: MESSAGE). Warnings (sources on mirror
    hosts) are printed as "warning: ID: PATH: MESSAGE" and do not fail. Exit 0 valid, 1 problems,
    2 unreadable."""
    from maps.dataset import store
    from maps.dataset.validate import check_collection, check_warnings

    path = config.data_path(path)
    try:
        raw = store.read_raw(path)
    except DataUnreadable as exc:
        say(f"-: $: {exc}", err=True)
        raise SystemExit(2) from None
    try:
        problems = check_collection(raw, episodes_for=path)
    except DataUnreadable as exc:  # the episode list itself is unreadable
        say(f"-: $: {exc}", err=True)
        raise SystemExit(2) from None
    for problem in problems:
        say(str(problem), err=True)
    warnings = check_warnings(raw)
    for warning in warnings:  # on stdout, marked: a curator's call, never a failure
        say(f"warning: {warning}")
    if not problems:
        noted = f" ({len(warnings)} warning{'' if len(warnings) == 1 else 's'})" if warnings else ""
        say(f"{path}: {len(raw['features'])} places, no problems{noted}")
    raise SystemExit(1 if problems else 0)


def _geocoder():
    from maps.dataset.geocode import make_geocoder

    return make_geocoder(config.geocoder_settings())


@main.command("add")
@click.option("--name", required=True, help="Name of the real place.")
@click.option("--query", help="Address or place name to geocode (Nominatim).")
@click.option("--lat", type=click.FloatRange(-90, 90), help="Latitude (with --lon, instead of --query).")
@click.option("--lon", type=click.FloatRange(-180, 180), help="Longitude.")
@click.option("--season", required=True, type=click.IntRange(1))
@click.option("--episode", type=click.IntRange(1), default=None)
@click.option("--note", required=True, help="What was filmed there (plain text).")
@click.option("--source", "source_url", required=True, help="URL of the source for the scene.")
@click.option("--source-title", default=None)
@click.option("--precision", type=click.Choice(PRECISIONS), default="building", show_default=True)
@click.option("--access", type=click.Choice(ACCESS), default="exterior", show_default=True)
@click.option("--id", "place_id", default=None, help="Slug id (default: from the name).")
@click.option("--locality", default="")
@click.option("--country", default="GB", show_default=True, help="ISO 3166-1 alpha-2 code.")
@click.option("--story-place", default=None, help="What the place plays in the story.")
@click.option("--character", "characters", multiple=True, help="A character in the scene (repeatable).")
@click.option(
    "--confidence",
    type=click.Choice(CONFIDENCE_LEVELS),
    default=None,
    help="How sure the scene is: confirmed (a reputable source), reported, or inferred.",
)
@data_option
def add_command(
    data: Path | None,
    query: str | None,
    lat: float | None,
    lon: float | None,
    source_title: str | None,
    characters: tuple[str, ...],
    **fields,
) -> None:
    """Add a place, geocoding --query or taking --lat/--lon. Exit 0 added, 1 refused, 2 geocoder
    unreachable."""
    from maps.dataset import curate
    from maps.dataset.geocode import GeocoderUnavailable, NoGeocodeResult

    path = config.data_path(data)
    if bool(query) == (lat is not None or lon is not None) or (lat is None) != (lon is None):
        raise click.UsageError("give either --query ADDRESS or both --lat and --lon")
    place = curate.NewPlace(
        query=query, lat=lat, lon=lon, source_title=source_title, characters=characters, **fields
    )
    geocoded = None
    if query:
        try:
            geocoded = _geocoder()(query)
        except (GeocoderUnavailable, NoGeocodeResult) as exc:
            say(f"error: {exc}", err=True)
            raise SystemExit(2) from None
        say(f"found: {geocoded.display_name} ({geocoded.lat}, {geocoded.lon})")
    feature = curate.build_feature(place, geocoded)
    try:
        curate.add_place(path, feature)
    except InvalidCollection as exc:
        for problem in exc.problems:
            say(f"refused: {problem}", err=True)
        raise SystemExit(1) from None
    except (curate.Refused, DataUnreadable) as exc:
        say(f"refused: {exc}", err=True)
        raise SystemExit(1) from None
    except OSError as exc:  # full disk, read-only folder, lock held too long: nothing was written
        say(f"error: cannot write {path}: {_os_reason(exc)}", err=True)
        raise SystemExit(2) from None
    lon_, lat_ = feature["geometry"]["coordinates"]
    say(f"added {feature['id']} at ({lat_}, {lon_}) to {path}")


@main.command("geocode")
@data_option
def geocode_command(data: Path | None) -> None:
    """Fill in every place whose geometry is null from its geocode.query."""
    from maps.dataset import curate, store
    from maps.dataset.geocode import GeocoderUnavailable, NoGeocodeResult

    path = config.data_path(data)
    try:
        todo = curate.pending(store.read_raw(path))
        say(f"{len(todo)} place(s) to geocode")
        for fid, result in curate.geocode_pending(path, _geocoder()):
            say(f"{fid}: {result.display_name} ({result.lat}, {result.lon})")
    except (GeocoderUnavailable, NoGeocodeResult) as exc:
        say(f"error: {exc}", err=True)
        raise SystemExit(2) from None
    except MapsError as exc:
        say(f"error: {exc}", err=True)
        raise SystemExit(1) from None


@main.command("route")
@click.argument("place_ids", nargs=-1)
@click.option("--start", default=None, help="A place (id or name), a town, an address, or LAT,LON.")
@click.option("--end", default=None, help="A place (id or name), a town, an address, or LAT,LON.")
@click.option("--round-trip", is_flag=True, help="Come back to the start.")
@click.option("--mode", type=click.Choice(list(MODES)), default="walk", show_default=True)
@click.option("--hours-per-day", type=float, default=8.0, show_default=True)
@click.option("--stop-minutes", type=float, default=None, help="Minutes at every place (default: by kind).")
@click.option("--dwell", default=None, help="Minutes per kind of place, e.g. ticketed:120,street:5.")
@click.option("--order", type=click.Choice(ORDERS), default="shortest", show_default=True)
@click.option("--season", "seasons", multiple=True, help="Add every place of a season (repeatable).")
@click.option("--region", default=None, help="Only places of this region (see --list-regions).")
@click.option("--list-regions", is_flag=True, help="Print the regions of the map and exit.")
@click.option("--include-all", is_flag=True, help="Also route to private, closed and not-identified places.")
@click.option("--trip-km", type=float, default=None, help="Places further apart form separate trips (50).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", *PLAN_FORMATS]),  # text: for the terminal only
    default="text",
    show_default=True,
)
@data_option
def route_command(
    place_ids,
    start,
    end,
    round_trip,
    mode,
    hours_per_day,
    stop_minutes,
    dwell,
    order,
    seasons,
    region,
    list_regions,
    include_all,
    trip_km,
    fmt,
    data,
):
    """Plan a visiting order for places (ids, --season and/or --region), split into trips and
    days. Start and end as you would say them: a place, a town ("London", offline), an address or
    station (the geocoder, MAPS_GEOCODER_URL), or LAT,LON. Times come from the routing engine when
    MAPS_ROUTING_TILES is set, else they are estimates. Exit 0 planned, 2 bad input, 3 geocoder
    unreachable."""
    from maps.dataset.catalog import load_catalog
    from maps.dataset.geocode import GeocoderUnavailable
    from maps.route.formats import plan_document
    from maps.route.plan import plan_route
    from maps.route.regions import find_regions
    from maps.route.request import parse_route_request
    from maps.route.text import to_text
    from maps.route.travel import travel_times

    args: dict[str, object] = {
        "stops": list(place_ids),
        "season": list(seasons),
        "mode": mode,
        "hours_per_day": str(hours_per_day),
        "order": order,
        "round_trip": "1" if round_trip else "0",
        "include_all": "1" if include_all else "0",
    }
    for key, value in (
        ("start", start),
        ("end", end),
        ("trip_km", trip_km),
        ("stop_minutes", stop_minutes),
        ("dwell", dwell),
        ("region", region),
    ):
        if value is not None:
            args[key] = str(value)
    try:
        cat = load_catalog(config.data_path(data))
        if list_regions:
            for found in find_regions(cat):
                click.echo(f"{found.id}\t{found.name}\t{len(found.place_ids)} place(s)")
            return
        plan = plan_route(
            cat,
            parse_route_request(args, cat.series),
            geocode=_lazy_geocoder(),
            travel=travel_times(config.routing_tiles()),
        )
    except GeocoderUnavailable as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(3) from None
    except MapsError as exc:
        say(f"error: {exc}", err=True)
        raise SystemExit(2) from None
    if fmt == "text":
        click.echo(safe(to_text(plan), multiline=True))
    elif fmt == "json":
        click.echo(safe_json(plan_document(plan, cat.series)))
    else:
        click.echo(PLAN_FORMATS[fmt].render(plan, cat.series))


def filter_options(command: Callable[..., None]) -> Callable[..., None]:
    """One option per filter parameter of the registry, named as the query parameter."""
    for param in reversed(FILTER_PARAMS):
        option = click.option(*param.cli_flags, param.name, multiple=param.repeatable, help=param.cli_help)
        command = option(command)
    return command


def _lazy_geocoder():
    """A geocoder made only when a start or end needs one (no network set-up otherwise)."""
    made: list[Callable[[str], object]] = []

    def geocode(query: str):
        if not made:
            made.append(_geocoder())
        return made[0](query)

    return geocode


@main.group("routing")
def routing_group() -> None:
    """Routing engine tiles (Valhalla): build them for the places of the map."""


@routing_group.command("build")
@click.argument(
    "extracts", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the tiles (default: MAPS_ROUTING_TILES, else ./routing-tiles).",
)
@click.option("--buffer-km", type=click.FloatRange(0.5, 100.0), default=5.0, show_default=True)
@data_option
def routing_build_command(extracts, output, buffer_km, data) -> None:
    """Clip OpenStreetMap extracts (.osm.pbf) around the places and build Valhalla tiles; then set
    MAPS_ROUTING_TILES to the output folder. Needs osmium-tool and pyvalhalla (Python >= 3.12).
    Exit 0 built, 1 failed."""
    from maps.dataset.catalog import load_catalog
    from maps.route.build import build_tiles

    out = output or Path(config.routing_tiles() or "routing-tiles")
    try:
        result = build_tiles(load_catalog(config.data_path(data)), list(extracts), out, buffer_km=buffer_km)
    except MapsError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from None
    click.echo(f"built routing tiles for {result.places} places in {result.tiles}")
    click.echo(f"use them with: MAPS_ROUTING_TILES={result.tiles.resolve()}")


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(list(PLACE_FORMATS)), required=True)
@filter_options
@click.option(
    "--base-url", default="", help="Site URL, to link each place's page (e.g. https://maps.example)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
@data_option
def export_command(
    fmt: str,
    data: Path | None,
    output: Path | None,
    base_url: str,
    **filter_args: str | tuple[str, ...] | None,
) -> None:
    """Write a download (the same bytes as GET /download/locations.<format>)."""
    from maps.dataset import store
    from maps.dataset.catalog import load_catalog
    from maps.dataset.filters import parse_filters, select
    from maps.formats.registry import ExportContext, export_title, get_exporter

    try:
        cat = load_catalog(config.data_path(data))
        filters = parse_filters(filter_args, cat.series)
    except MapsError as exc:
        say(f"error: {exc}", err=True)
        raise SystemExit(2 if isinstance(exc, DataUnreadable) else 1) from None
    title = export_title(cat.series.title, [cat.series.label(s) for s in filters.seasons])
    chunks = get_exporter(fmt).write(
        select(cat.locations, filters), ExportContext(cat.series, base_url, title)
    )
    if output is None:
        for chunk in chunks:
            click.echo(chunk, nl=False)
        return
    try:
        store.write_atomic(output, "".join(chunks))
    except OSError as exc:
        say(f"error: cannot write {output}: {exc.strerror or exc}", err=True)
        raise SystemExit(1) from None
    say(f"wrote {output}", err=True)


@main.command("freeze")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--base-url",
    default=None,
    help="Public address of the copy (e.g. https://example.org/maps/): absolute place links in the "
    "downloads. Pages use relative links either way; the OGC API needs the live server.",
)
@data_option
def freeze_command(outdir: Path, base_url: str | None, data: Path | None) -> None:
    """Write the whole site as static files into OUTDIR (paths mirror the live URLs), for any
    static file server. Exit 0 written, 1 refused (OUTDIR not empty) or the data is unreadable."""
    from maps.freeze import RefusedDestination, freeze_site

    if data and not data.is_file():
        raise click.UsageError(f"no data file at {data}")
    try:
        files = freeze_site(outdir, data=data, base_url=base_url)
    except (RefusedDestination, MapsError) as exc:
        say(f"error: {exc}", err=True)
        raise SystemExit(1) from None
    say(f"wrote {len(files)} files to {outdir}", err=True)


def _open_queue():
    """The suggestion queue's database (MAPS_DATABASE_URL, else the default SQLite file), with
    every migration applied: an empty database gets the whole schema."""
    from maps.suggestions import db

    database = db.open_database(config.database_url())
    db.upgrade(database.engine)
    return database


@main.group("db")
def db_group() -> None:
    """The suggestion queue's database."""


@db_group.command("upgrade")
def db_upgrade_command() -> None:
    """Apply every missing migration (from empty up to the newest schema)."""
    from maps.suggestions import db

    database = _open_queue()
    url = database.engine.url.render_as_string(hide_password=True)
    say(f"{url}: at revision {db.current_revision(database.engine)}")


@main.group("curator")
def curator_group() -> None:
    """Curator accounts for the review pages."""


@curator_group.command("add")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (scripts).")
@click.option("--replace", is_flag=True, help="Set a new password for an existing curator.")
def curator_add_command(username: str, password_stdin: bool, replace: bool) -> None:
    """Make a curator account (the password is asked twice, or read from stdin). Exit 0 made,
    1 refused."""
    from maps.suggestions import curators

    if password_stdin:
        import sys

        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with _open_queue().session() as session:
            curators.add_curator(session, username, password, replace=replace)
    except curators.CuratorRefused as exc:
        say(f"refused: {exc}", err=True)
        raise SystemExit(1) from None
    say(f"curator {username} {'updated' if replace else 'added'}")


def _who(name: str | None) -> str:
    import getpass

    return name or f"cli:{getpass.getuser()}"


@main.group("review", invoke_without_command=True)
@click.option("--export", "export", is_flag=True, help="Write the whole queue and its audit as JSON.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With --export: the file to write (default: standard output).",
)
@click.pass_context
def review_group(ctx: click.Context, export: bool, output: Path | None) -> None:
    """Fan suggestions: list, show, accept (optionally edited) or reject; --export for backup.
    Without a command: the pending queue."""
    import json

    from maps.dataset import store
    from maps.suggestions import queue

    if ctx.invoked_subcommand is not None:
        return
    if not export:
        ctx.invoke(review_list_command, status="pending")
        return
    with _open_queue().session() as session:
        text = json.dumps(queue.export(session), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    store.write_atomic(output, text)
    say(f"wrote {output}", err=True)


@review_group.command("list")
@click.option(
    "--status",
    type=click.Choice(["pending", "accepting", "accepted", "rejected", "all"]),
    default="pending",
    show_default=True,
)
def review_list_command(status: str) -> None:
    """One line per suggestion, oldest first: REF KIND STATUS SENT WHAT."""
    from maps.suggestions import queue

    with _open_queue().session() as session:
        rows = queue.listing(session, None if status == "all" else status, limit=queue.LIST_MAX)
        for s in rows:
            what = s.payload.get("name") if s.kind == "place" else f"{s.place_id}: {s.payload.get('problem')}"
            sent = s.created_at.strftime("%Y-%m-%d %H:%M")
            say(f"{s.ref}  {s.kind:<7}  {s.status:<9}  {sent}  {what}")
    if not rows:
        say(f"no {status} suggestions" if status != "all" else "the queue is empty", err=True)


@review_group.command("show")
@click.argument("ref")
def review_show_command(ref: str) -> None:
    """Everything about one suggestion (with its audit) as JSON."""
    import json

    from maps.suggestions import queue

    try:
        with _open_queue().session() as session:
            click.echo(json.dumps(queue.as_dict(queue.get(session, ref)), ensure_ascii=False, indent=2))
    except MapsError as exc:
        say(f"error: {exc}", err=True)
        raise SystemExit(1) from None


def _parse_sets(pairs: tuple[str, ...]) -> dict[str, str]:
    edits: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--set takes FIELD=VALUE (got {pair!r})")
        edits[key.strip()] = value
    return edits


@review_group.command("accept")
@click.argument("ref")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="FIELD=VALUE",
    help="Change a field before accepting (repeatable), e.g. --set precision=street.",
)
@click.option("--edit", is_flag=True, help="Edit the suggestion as JSON in $EDITOR before accepting.")
@click.option("--as", "who", default=None, help="Curator name for the audit (default: cli:$USER).")
@data_option
def review_accept_command(
    ref: str, sets: tuple[str, ...], edit: bool, who: str | None, data: Path | None
) -> None:
    """Accept a suggestion into the data file (validated, locked, atomic). Exit 0 accepted,
    1 refused (invalid, already decided, unknown reference)."""
    import json

    from maps.dataset.catalog import load_catalog
    from maps.suggestions import queue, review

    path = config.data_path(data)
    database = _open_queue()
    edits: dict = _parse_sets(sets)
    try:
        series = load_catalog(path).series
        if edit:
            with database.session() as session:
                current = {**queue.get(session, ref).payload, **edits}
            text = click.edit(json.dumps(current, ensure_ascii=False, indent=2) + "\n", extension=".json")
            if text is None:
                say("not accepted: the editor was closed without saving", err=True)
                raise SystemExit(1)
            try:
                edited = json.loads(text)
            except json.JSONDecodeError as exc:
                say(f"not accepted: the edit is not JSON: {exc.msg} at line {exc.lineno}", err=True)
                raise SystemExit(1) from None
            if not isinstance(edited, dict):
                say("not accepted: the edit must be a JSON object", err=True)
                raise SystemExit(1)
            edits = {k: edited.get(k) for k in {*current, *edited}}
        done = review.accept(database, ref, curator=_who(who), data_path=path, series=series, edits=edits)
    except InvalidCollection as exc:
        for problem in exc.problems:
            say(f"refused: {problem}", err=True)
        raise SystemExit(1) from None
    except MapsError as exc:
        say(f"refused: {exc}", err=True)
        raise SystemExit(1) from None
    say(f"accepted {ref}: {done.feature_id} in {path}")


@review_group.command("reject")
@click.argument("ref")
@click.option("--reason", required=True, help="Why (kept in the audit).")
@click.option("--as", "who", default=None, help="Curator name for the audit (default: cli:$USER).")
def review_reject_command(ref: str, reason: str, who: str | None) -> None:
    """Reject a suggestion with a reason. Exit 0 rejected, 1 refused."""
    from maps.suggestions import review

    try:
        review.reject(_open_queue(), ref, curator=_who(who), reason=reason)
    except MapsError as exc:
        say(f"refused: {exc}", err=True)
        raise SystemExit(1) from None
    say(f"rejected {ref}")
