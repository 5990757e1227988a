"""Plain view models of the documents, one module per section: dicts and lists with everything
computed, no escaping and no charts drawn (engine.output does both)."""

from __future__ import annotations

from .plan import SECTION_IDS, build_view

__all__ = ["SECTION_IDS", "build_view"]
