"""Face finding and 68-point landmarks with dlib, and the mouth measures derived from them.

The landmark model (iBUG 300-W, 68 points) ships inside the PyPI package face-recognition-models;
the face finder is dlib's built-in HOG detector. Nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass

import cv2
import dlib
import numpy as np

# Point indices of the 68-point scheme.
JAW = list(range(0, 17))
NOSE_BOTTOM = list(range(31, 36))
RIGHT_EYE = list(range(36, 42))
LEFT_EYE = list(range(42, 48))
OUTER_LIPS = list(range(48, 60))
INNER_LIPS = list(range(60, 68))
# Points that do not move when the person speaks: eye corners, nose bridge and tip. Alignment uses them.
STABLE_POINTS = [36, 39, 42, 45, 27, 28, 29, 30, 31, 35]


def _model_file(name: str) -> str:
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the landmark model package face-recognition-models is not installed")
    path = os.path.join(list(spec.submodule_search_locations)[0], "models", name)
    if not os.path.exists(path):
        raise RuntimeError(f"the landmark model file {name} is missing from face-recognition-models")
    return path


@dataclass
class Face:
    """A face found in an image: its box (x, y, width, height) in the image's pixels."""

    x: int
    y: int
    width: int
    height: int


class LandmarkModel:
    """dlib's HOG face finder and 68-point shape predictor."""

    def __init__(self) -> None:
        self._detector = dlib.get_frontal_face_detector()
        self._predictor = dlib.shape_predictor(_model_file("shape_predictor_68_face_landmarks.dat"))

    def find_faces(self, image_bgr: np.ndarray, scale: float = 0.25) -> list[Face]:
        """Faces found on a downscaled grey copy (fast), in full-size pixels, largest first."""
        grey = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY)
        small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale != 1 else grey
        # One upsampling step: faces down to about 40 px on the searched copy are found.
        rects = self._detector(small, 1)
        faces = [
            Face(int(r.left() / scale), int(r.top() / scale), int(r.width() / scale), int(r.height() / scale))
            for r in rects
        ]
        return sorted(faces, key=lambda face: face.width * face.height, reverse=True)

    def landmarks(self, image_bgr: np.ndarray, face: Face) -> np.ndarray:
        """The 68 points (x, y) of the face in the box, as float32 of shape (68, 2)."""
        rect = dlib.rectangle(face.x, face.y, face.x + face.width, face.y + face.height)
        grey = image_bgr if image_bgr.ndim == 2 else cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY)
        shape = self._predictor(grey, rect)
        return np.array([(shape.part(i).x, shape.part(i).y) for i in range(68)], dtype=np.float32)


def box_around(points: np.ndarray) -> Face:
    """The box dlib's predictor expects for a face whose landmarks were `points` (for tracking)."""
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    width = x1 - x0
    # dlib's detector boxes sit a little above the eyebrows and end near the chin.
    return Face(int(x0), int(y0 - 0.1 * width), int(width), int((y1 - y0) + 0.1 * width))


def eye_distance(points: np.ndarray) -> float:
    """Distance between the eye centres: the face's scale."""
    return float(np.linalg.norm(points[LEFT_EYE].mean(axis=0) - points[RIGHT_EYE].mean(axis=0)))


def mouth_openness(points: np.ndarray) -> float:
    """Gap between the inner lips (mean of three vertical pairs), relative to the eye distance."""
    gap = np.linalg.norm(points[[61, 62, 63]] - points[[67, 66, 65]], axis=1).mean()
    return float(gap / max(eye_distance(points), 1e-6))


def mouth_shape(points: np.ndarray) -> np.ndarray:
    """The mouth's shape, scale-free: inner-lip gap, mouth width, outer-lip height, chin drop."""
    scale = max(eye_distance(points), 1e-6)
    width = np.linalg.norm(points[54] - points[48]) / scale
    outer = np.linalg.norm(points[51] - points[57]) / scale
    chin = np.linalg.norm(points[8] - points[33]) / scale
    return np.array([mouth_openness(points), width, outer, chin], dtype=np.float32)
