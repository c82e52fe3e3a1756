"""Output formats: diagrams of the workflow tables and iCalendar files."""

from __future__ import annotations

from sendflow.export.diagrams import to_dot, to_markdown_table, to_mermaid

__all__ = ["to_dot", "to_markdown_table", "to_mermaid"]
