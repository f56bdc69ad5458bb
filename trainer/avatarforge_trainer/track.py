"""A face track over a video: the face's 68 points in every frame, from Face Mesh (face_mesh.py), or
from dlib's predictor where Face Mesh finds no face. dlib's face finder looks every DETECT_EVERY
frames, to count faces and measure the face's size."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .face_mesh import FaceMesh
from .landmarks import Face, LandmarkModel, eye_distance
from .media import FPS

DETECT_EVERY = FPS
# While no face is seen, look again every this many frames.
DETECT_WHILE_LOST = 5
# A second face counts when it is at least this fraction of the largest face's width.
SECOND_FACE_RATIO = 0.5
# A face narrower than this (pixels of the source, eye centre to eye centre) is too small to learn from.
MIN_EYE_DISTANCE = 40.0


@dataclass
class FaceTrack:
    """Landmarks (frames, 68, 2) with NaN where no face was found, and what was seen on the way."""

    points: np.ndarray
    detections: int = 0
    several_faces: int = 0
    eye_distances: list[float] = field(default_factory=list)

    @property
    def found(self) -> np.ndarray:
        return ~np.isnan(self.points[:, 0, 0])

    def check(self, what: str, min_found: float = 0.5) -> None:
        """Raises the clear reason why this track cannot be learned from, if there is one."""
        from .media import TrainerError

        frames = len(self.points)
        if frames == 0:
            raise TrainerError(f"the {what} holds no frames")
        found = int(self.found.sum())
        if found == 0:
            raise TrainerError(f"no face found in the {what} ({frames} frames checked)")
        if self.detections and self.several_faces / self.detections > 0.2:
            raise TrainerError(
                f"several faces in the {what}: a second face was seen in {self.several_faces} of "
                f"{self.detections} checks; the video must show one person")
        if np.median(self.eye_distances) < MIN_EYE_DISTANCE:
            raise TrainerError(
                f"the face is too small in the {what}: {np.median(self.eye_distances):.0f} px between the eyes, "
                f"at least {MIN_EYE_DISTANCE:.0f} px needed (film closer, at 1080p or more)")
        if found / frames < min_found:
            raise TrainerError(f"a face was found in only {100 * found / frames:.0f} % of the {what}'s frames")


class FaceTracker:
    def __init__(self, model: LandmarkModel, frame_height: int) -> None:
        self._model = model
        self._mesh = FaceMesh()
        # Find faces on a copy about 360 px high: fast, and faces of 120 px or more are found.
        self._scale = min(1.0, 360.0 / frame_height)
        self._box_offset: np.ndarray | None = None
        self._previous: np.ndarray | None = None
        self._index = 0
        self.track = FaceTrack(points=np.zeros((0, 68, 2), np.float32))
        self._points: list[np.ndarray] = []

    def add(self, frame: np.ndarray) -> np.ndarray | None:
        """The landmarks of the frame's face, or None."""
        detected = None
        if self._index % DETECT_EVERY == 0 or (self._previous is None and self._index % DETECT_WHILE_LOST == 0):
            detected = self._detect(frame)
        # Face Mesh looks around the face dlib found, or the one followed since.
        points = self._mesh.points(frame, detected if detected is not None else self._previous)
        if points is None:
            points = detected
        if points is None and self._previous is not None:
            points = self._model.landmarks(frame, self._follow(self._previous))
            if not _plausible(points, self._previous):
                points = self._detect(frame)
        self._index += 1
        self._previous = points
        self._points.append(points if points is not None else np.full((68, 2), np.nan, np.float32))
        return points

    def finish(self) -> FaceTrack:
        self._mesh.close()
        self.track.points = np.array(self._points, dtype=np.float32).reshape(-1, 68, 2)
        return self.track

    def _detect(self, frame: np.ndarray) -> np.ndarray | None:
        faces = self._model.find_faces(frame, self._scale)
        if not faces and self._scale < 1.0:
            # A small face: look again on a copy twice as large.
            faces = self._model.find_faces(frame, min(1.0, 2 * self._scale))
        self.track.detections += 1
        if not faces:
            return None
        largest = faces[0]
        if any(other.width >= SECOND_FACE_RATIO * largest.width for other in faces[1:]):
            self.track.several_faces += 1
        points = self._model.landmarks(frame, largest)
        self.track.eye_distances.append(eye_distance(points))
        # Where the detector's box sits relative to the landmarks, to place boxes while following.
        x0, y0 = points.min(axis=0)
        x1, y1 = points.max(axis=0)
        size = np.array([x1 - x0, y1 - y0])
        self._box_offset = np.array([(largest.x - x0) / size[0], (largest.y - y0) / size[1],
                                     largest.width / size[0], largest.height / size[1]])
        return points

    def _follow(self, points: np.ndarray) -> Face:
        x0, y0 = points.min(axis=0)
        x1, y1 = points.max(axis=0)
        width, height = x1 - x0, y1 - y0
        dx, dy, sw, sh = self._box_offset if self._box_offset is not None else (0.0, -0.1, 1.0, 1.1)
        return Face(int(x0 + dx * width), int(y0 + dy * height), int(sw * width), int(sh * height))


def _plausible(points: np.ndarray, previous: np.ndarray) -> bool:
    """Following lost the face when the points jumped by more than half the eye distance."""
    shift = np.linalg.norm(points.mean(axis=0) - previous.mean(axis=0))
    return bool(shift < 0.5 * eye_distance(previous))


def fill_gaps(points: np.ndarray) -> np.ndarray:
    """Landmarks of frames without a face, interpolated from their neighbours (ends held)."""
    found = ~np.isnan(points[:, 0, 0])
    if found.all() or not found.any():
        return points
    filled = points.copy()
    index = np.arange(len(points))
    flat = filled.reshape(len(points), -1)
    for column in range(flat.shape[1]):
        flat[~found, column] = np.interp(index[~found], index[found], flat[found, column])
    return flat.reshape(points.shape)
