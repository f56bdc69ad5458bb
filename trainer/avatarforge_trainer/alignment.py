"""The canonical face: a template of the person's landmarks, the lower-face crop box and its mask.

Every frame is aligned to the template by a similarity transform (rotation, scale, shift) fitted on
the points that do not move in speech (eye corners, nose). A lower-face crop of one frame can then
be placed onto any other frame of the same person.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .landmarks import JAW, STABLE_POINTS, eye_distance


def similarity(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The 2x3 similarity transform that maps `source` points onto `target` points (least squares)."""
    source_mean, target_mean = source.mean(axis=0), target.mean(axis=0)
    s, t = source - source_mean, target - target_mean
    norm = float((s ** 2).sum())
    a = float((s * t).sum()) / norm
    b = float((s[:, 0] * t[:, 1] - s[:, 1] * t[:, 0]).sum()) / norm
    rotation_scale = np.array([[a, -b], [b, a]], dtype=np.float64)
    shift = target_mean - rotation_scale @ source_mean
    return np.hstack([rotation_scale, shift[:, None]])


def invert(transform: np.ndarray) -> np.ndarray:
    return cv2.invertAffineTransform(transform)


@dataclass
class Canonical:
    """The template (68 points in crop coordinates) and the crop's size in pixels."""

    template: np.ndarray
    width: int
    height: int

    @staticmethod
    def from_landmarks(points: np.ndarray) -> "Canonical":
        """A template from one frame's landmarks: the crop box spans cheek to cheek, nose to below the chin."""
        unit = eye_distance(points)
        left = points[JAW[1]][0] - 0.15 * unit
        right = points[JAW[15]][0] + 0.15 * unit
        top = points[29][1]
        bottom = points[8][1] + 0.45 * unit
        template = points - np.array([left, top], dtype=np.float32)
        return Canonical(template.astype(np.float32), int(round(right - left)), int(round(bottom - top)))

    def to_crop(self, points: np.ndarray) -> np.ndarray:
        """Frame → crop coordinates for a frame whose face has these landmarks."""
        return similarity(points[STABLE_POINTS].astype(np.float64), self.template[STABLE_POINTS].astype(np.float64))

    def crop(self, frame: np.ndarray, points: np.ndarray) -> np.ndarray:
        return cv2.warpAffine(frame, self.to_crop(points), (self.width, self.height), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_REPLICATE)

    def mask(self) -> np.ndarray:
        """Where a crop replaces the frame (float 0..1, feathered): mouth, chin and jaw below the nose."""
        t = self.template
        unit = eye_distance(t)
        centre_x = t[33][0]

        def inward(point: np.ndarray, amount: float) -> list[float]:
            return [point[0] + np.sign(centre_x - point[0]) * amount * unit, point[1]]

        top = [inward(t[2], 0.12), [t[31][0], t[33][1] + 0.12 * unit], [t[35][0], t[33][1] + 0.12 * unit], inward(t[14], 0.12)]
        # Below the jaw line the mask reaches further down near the chin; on a turned face the far
        # side's jaw lies beyond point 3's distance from the nose, and gets no extra reach there.
        jaw = [[x, y + 0.3 * unit * max(0.0, 1.0 - abs(x - centre_x) / max(abs(t[3][0] - centre_x), 1.0)) ** 0.5]
               for x, y in (inward(t[index], 0.12) for index in range(13, 2, -1))]
        polygon = np.array(top + jaw, dtype=np.float32)
        mask = np.zeros((self.height, self.width), dtype=np.float32)
        cv2.fillPoly(mask, [np.round(polygon * 8).astype(np.int32)], 1.0, lineType=cv2.LINE_AA, shift=3)
        feather = max(1.0, 0.1 * unit)
        return cv2.GaussianBlur(mask, (0, 0), feather)
