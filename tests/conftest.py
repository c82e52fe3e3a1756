"""Shared pytest configuration: hypothesis profiles.

Choose one with the ``HYPOTHESIS_PROFILE`` environment variable:

- ``dev`` (default): quick local runs, examples remembered between runs.
- ``ci``: derandomized (the same examples every run), fewer of them, no deadline.
- ``long``: many examples for a thorough local run (about 40 times CI's), e.g.
  ``HYPOTHESIS_PROFILE=long python3 -m pytest tests/property tests/stateful tests/test_fuzz*.py``.
  ``tests/test_fuzz.py`` feeds at least 10,000 mutated cases under any profile (the long
  profile spreads them over more seeds); ``tests/test_fuzz_readers.py`` feeds 6 documents
  of each kind per example, so the long profile feeds 80 times CI's (some minutes).
  See docs/privacy.md ("The fuzz suite").
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long", max_examples=2_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
