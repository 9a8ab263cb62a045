"""Domain errors. Each carries an HTTP status and an OGC-style code so the web layer maps them
in one handler, and a message a user can act on."""

from __future__ import annotations


class MapsError(Exception):
    status = 500
    code = "NoApplicableCode"
    title = "Internal error"


class InvalidQuery(MapsError):
    """A request parameter has a value we cannot use; names the parameter and what is allowed."""

    status = 400
    code = "InvalidParameterValue"
    title = "Invalid parameter"

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter


class NotFound(MapsError):
    status = 404
    code = "NotFound"
    title = "Not found"


class LocationNotFound(NotFound):
    pass


class DataUnreadable(MapsError):
    """The data file is missing, not JSON, or not a FeatureCollection."""

    status = 503
    code = "DataUnavailable"
    title = "Data unavailable"


class InvalidCollection(MapsError):
    """A write was refused because the result would not validate."""

    status = 400
    code = "InvalidCollection"
    title = "Invalid data"

    def __init__(self, problems: list) -> None:
        lines = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"refusing to write an invalid collection: {lines}{more}")
        self.problems = problems
