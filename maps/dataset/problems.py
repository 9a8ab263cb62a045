"""One problem the validator found: where (feature id, JSON path) and what, and how serious."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    feature_id: str
    json_path: str
    message: str
    severity: str = "error"  # "warning": worth a curator's look, never a refusal

    def __str__(self) -> str:
        return f"{self.feature_id}: {self.json_path}: {self.message}"
