"""Testing toolkit for your own SEND systems (needs the ``testing`` extra).

- ``sendflow.testing.strategies``: hypothesis strategies for identifiers,
  children, needs, events and whole case histories (on time or late).
- ``CaseMachine``: a hypothesis state machine that drives your system
  with random valid events while sendflow checks its state and deadlines.

Installing sendflow also registers its types with hypothesis (through
hypothesis's plugin entry point), so ``st.from_type(sendflow.UPN)`` works.

``import sendflow`` never imports hypothesis; ``import sendflow.testing`` does,
and raises ``MissingExtra`` naming the extra if it is missing.

Added in 0.1.
"""

from __future__ import annotations

try:
    import hypothesis  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised without the extra
    from sendflow.errors import MissingExtra

    raise MissingExtra("sendflow.testing", "testing") from exc

from sendflow.testing import strategies
from sendflow.testing._machine import CaseMachine

__all__ = ["CaseMachine", "strategies"]
