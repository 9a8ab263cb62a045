"""The data model's closed vocabularies, each once: as a type (what the schema models check) and
as the tuple of its values (what the CLI offers as choices and messages list). Plain constants,
so the CLI can build its options without loading the validator."""

from __future__ import annotations

from typing import Literal, get_args

Precision = Literal["building", "site", "street", "area", "town"]
Access = Literal["public", "exterior", "ticketed", "private", "private-home"]
GeocodeMethod = Literal["source", "nominatim", "manual"]
# A place that is no longer there to visit as it was filmed (optional `closure`; absent: open as
# its `access` says): `closed` (shut for good: a café, shop or venue that has closed down),
# `demolished` (the building or set no longer stands).
Closure = Literal["closed", "demolished"]
# How sure a scene is (maps.dataset.trust has the words each level is shown with).
Confidence = Literal["confirmed", "reported", "inferred"]
PRECISIONS: tuple[str, ...] = get_args(Precision)
ACCESS: tuple[str, ...] = get_args(Access)
GEOCODE_METHODS: tuple[str, ...] = get_args(GeocodeMethod)
CLOSURES: tuple[str, ...] = get_args(Closure)
CONFIDENCE_LEVELS: tuple[str, ...] = get_args(Confidence)
