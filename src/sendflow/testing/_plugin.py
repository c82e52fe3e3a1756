"""hypothesis entry point: teach ``st.from_type`` about sendflow's types.

``pyproject.toml`` declares::

    [project.entry-points.hypothesis]
    sendflow = "sendflow.testing._plugin:_hypothesis_setup_hook"

hypothesis calls ``_hypothesis_setup_hook`` when it is imported, so in any
process where both are installed ``st.from_type(sendflow.UPN)`` gives valid
UPNs and ``st.builds(sendflow.ChildOrYoungPerson)`` gives valid people.
sendflow itself never imports hypothesis; this module is the only bridge.
"""

from __future__ import annotations

__all__: list[str] = []


def _hypothesis_setup_hook() -> None:
    """Register strategies for sendflow's identifier, person, needs and event types."""
    try:
        from sendflow.testing import _register
    except Exception:  # pragma: no cover - a broken sendflow must not break hypothesis
        # Importing hypothesis should never fail because of a plugin; the same
        # error is raised where the user imports sendflow themselves.
        return
    _register.register_all()
