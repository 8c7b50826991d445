"""What a test needs from the machine: skipped with the reason where it is missing, a failure when
CI=true, where .ci/run must have provided it."""
from __future__ import annotations

import os
from typing import NoReturn

import pytest


def missing(message: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: CI must have it", pytrace=False)
    pytest.skip(message)
