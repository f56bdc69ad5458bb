"""The canonical face's mask: where a crop replaces the frame, for frontal and turned faces."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage import data

from avatarforge_trainer.alignment import Canonical
from avatarforge_trainer.landmarks import LandmarkModel, eye_distance


@pytest.fixture(scope="module")
def astronaut_points() -> np.ndarray:
    model = LandmarkModel()
    photo = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    return model.landmarks(photo, model.find_faces(photo, 1.0)[0])


@pytest.mark.parametrize("turn", [0.0, 0.6])
def test_the_mask_covers_mouth_chin_and_both_cheeks_and_not_the_nose_bridge(astronaut_points, turn):
    points = astronaut_points.copy()
    # A face turned to one side: the jaw on that side reaches further from the nose than the other.
    points[9:17, 0] += turn * eye_distance(astronaut_points) * np.linspace(0.2, 1.0, 8)
    canonical = Canonical.from_landmarks(points)
    mask = canonical.mask()
    t = canonical.template
    assert np.isfinite(mask).all()
    for inside in ((t[62] + t[66]) / 2, (t[57] + t[8]) / 2, (t[48] + t[4]) / 2, (t[54] + t[12]) / 2):
        x, y = np.round(inside).astype(int)
        assert mask[y, x] > 0.8, (inside, mask[y, x])
    # The crop's top edge runs through the nose bridge: nothing of the mask reaches it.
    assert mask[:2].max() < 0.05
