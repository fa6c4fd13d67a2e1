"""Running requests through the core and turning responses into results or errors."""

from __future__ import annotations

import json
import warnings as _warnings
from typing import Any

from . import _native
from ._convert import to_json
from .errors import TakstWarning, error_for
from .results import Result

__all__ = ["raise_for", "run", "run_offer"]


def raise_for(response: dict[str, Any]) -> None:
    """Raises the ``TakstError`` for a response with ``ok: false``."""
    if not response.get("ok"):
        raise error_for(response.get("errors", []))


def run(request: dict[str, Any], warn: bool = False) -> Result:
    """Evaluates a request (a dict of Python values) into a ``Result``; raises a
    ``TakstError`` when it cannot be computed."""
    text = to_json(request)
    response = json.loads(_native.evaluate_json(text))
    raise_for(response)
    result = Result(response, text)
    if warn:
        for w in result.warnings:
            _warnings.warn(str(w), TakstWarning, stacklevel=3)
    return result


def run_offer(offer: Any, explain: bool, warn: bool) -> Result:
    return run({"version": 1, "offer": offer, "options": {"explain": explain}}, warn)
