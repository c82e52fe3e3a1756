"""hypothesis entry point: registers strategies for sendflow's types (placeholder
until the testing toolkit lands)."""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    """Called by hypothesis when it loads its plugins."""
