"""The validator's privacy and trust rules (the words they use live in `maps.dataset.trust`):
a private home is never pinned on a house, and sources on mirror hosts are flagged."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from maps.dataset.problems import Problem
from maps.dataset.trust import PRIVATE_HOME, PRIVATE_HOME_PRECISIONS, house_number, mirror_hint


def _label(feature: Any, index: int) -> str:
    fid = feature.get("id") if isinstance(feature, dict) else None
    return fid if isinstance(fid, str) and fid else f"#{index}"


def check_private_home(props: dict[str, Any], fid: str, base: str) -> list[Problem]:
    """A private home is shown at street level or coarser and its text names no house."""
    if props.get("access") != PRIVATE_HOME:
        return []
    out: list[Problem] = []
    precision = props.get("precision")
    if precision not in PRIVATE_HOME_PRECISIONS:
        allowed = ", ".join(PRIVATE_HOME_PRECISIONS)
        out.append(
            Problem(
                fid,
                f"{base}.properties.precision",
                f"a private home must not be pinned: precision {precision!r} (allowed: {allowed})",
            )
        )
    texts: list[tuple[str, Any]] = [
        (f"{base}.properties.{k}", props.get(k)) for k in ("name", "locality", "story_place")
    ]
    scenes = props.get("scenes")
    for i, scene in enumerate(scenes if isinstance(scenes, list) else []):
        if isinstance(scene, dict):
            texts.append((f"{base}.properties.scenes[{i}].note", scene.get("note")))
    geocode = props.get("geocode")
    if isinstance(geocode, dict):
        texts.append((f"{base}.properties.geocode.query", geocode.get("query")))
    for path, text in texts:
        found = house_number(text) if isinstance(text, str) else None
        if found:
            out.append(Problem(fid, path, f"a private home must not name a house: {found!r}"))
    return out


def check_warnings(data: Any) -> list[Problem]:
    """What a curator should look at but need not fix: sources on hosts that copy pages whose
    canonical address exists (cite the original where it can be read)."""
    features = data.get("features") if isinstance(data, dict) else None
    out: list[Problem] = []
    for index, feature in enumerate(features if isinstance(features, list) else []):
        props = feature.get("properties") if isinstance(feature, dict) else None
        sources = props.get("sources") if isinstance(props, dict) else None
        for i, source in enumerate(sources if isinstance(sources, list) else []):
            url = source.get("url") if isinstance(source, dict) else None
            canonical = mirror_hint(url) if isinstance(url, str) else None
            if canonical and isinstance(url, str):
                host = urlparse(url).hostname or url
                out.append(
                    Problem(
                        _label(feature, index),
                        f"$.features[{index}].properties.sources[{i}].url",
                        f"{host} copies pages of {canonical}: cite the original if it can be read",
                        severity="warning",
                    )
                )
    return out
