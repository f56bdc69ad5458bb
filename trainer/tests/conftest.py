"""Shared test material: talking-face fixtures (made once per content, kept in a cache directory)."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from avatarforge_trainer.fixture_cache import cached_fixture  # noqa: E402


@pytest.fixture(scope="session")
def fixture_video():
    """fixture_video(seconds=…, width=…, height=…, seed=…, silent=…, no_face=…, language=…, face=…, voice=…,
    texts=…) → path of a cached fixture."""
    return cached_fixture


@pytest.fixture(scope="session")
def hopper_video():
    """A second face for the lip-sync floors and the track's tests: Grace Hopper (glasses, a soft
    photo, a dark toothless mouth), 60 s at 1280x720, speaking in espeak-ng's en+f2."""
    return cached_fixture(seconds=60, width=1280, height=720, seed=12, face="hopper", voice="en+f2")
