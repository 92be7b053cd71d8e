"""Hypothesis profiles for the test suite.

``ci`` (chosen when the ``CI`` environment variable is set) is deterministic, so
a CI run can always be repeated; ``dev`` is the default on a workstation;
``thorough`` runs many more examples (``HYPOTHESIS_PROFILE=thorough pytest``).
``HYPOTHESIS_PROFILE`` names a profile explicitly and wins over ``CI``.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=60, print_blob=True
)
settings.register_profile("dev", deadline=None, max_examples=40)
settings.register_profile("thorough", deadline=None, max_examples=1000)

_default = "ci" if os.environ.get("CI") else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or _default)
