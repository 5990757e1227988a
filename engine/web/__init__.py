"""The local page (`qunce serve`): a web app built by create_app, calling engine.api."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
