"""Audio → mouth shape: ridge regression on standardised audio features, penalty by cross-validation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PENALTIES = (0.1, 1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0)
FOLDS = 5


@dataclass
class RidgeModel:
    feature_mean: np.ndarray
    feature_scale: np.ndarray
    weights: np.ndarray  # (features, outputs)
    bias: np.ndarray  # (outputs,)
    penalty: float

    def predict(self, features: np.ndarray) -> np.ndarray:
        return ((features - self.feature_mean) / self.feature_scale) @ self.weights + self.bias

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_feature_mean": self.feature_mean, f"{prefix}_feature_scale": self.feature_scale,
                f"{prefix}_weights": self.weights, f"{prefix}_bias": self.bias,
                f"{prefix}_penalty": np.array(self.penalty)}

    @staticmethod
    def from_arrays(arrays, prefix: str) -> "RidgeModel":
        return RidgeModel(arrays[f"{prefix}_feature_mean"], arrays[f"{prefix}_feature_scale"],
                          arrays[f"{prefix}_weights"], arrays[f"{prefix}_bias"], float(arrays[f"{prefix}_penalty"]))


def _solve(x: np.ndarray, y: np.ndarray, penalty: float) -> tuple[np.ndarray, np.ndarray]:
    x_mean, y_mean = x.mean(axis=0), y.mean(axis=0)
    xc, yc = x - x_mean, y - y_mean
    gram = xc.T @ xc + penalty * np.eye(x.shape[1])
    weights = np.linalg.solve(gram, xc.T @ yc)
    return weights, y_mean - x_mean @ weights


def _standardised(features: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The features with each column's mean removed and divided by its spread; the mean and the spread."""
    mean = features.mean(axis=0)
    scale = features.std(axis=0) + 1e-6
    return ((features - mean) / scale).astype(np.float64), mean, scale


def _fold_predictions(x: np.ndarray, y: np.ndarray, penalty: float) -> np.ndarray:
    """Predictions for every row of standardised `x` by a model fitted without its fold (contiguous
    FOLDS folds)."""
    predicted = np.zeros_like(y)
    for fold in np.array_split(np.arange(len(x)), FOLDS):
        train = np.setdiff1d(np.arange(len(x)), fold)
        weights, bias = _solve(x[train], y[train], penalty)
        predicted[fold] = x[fold] @ weights + bias
    return predicted


def fit(features: np.ndarray, targets: np.ndarray) -> tuple[RidgeModel, float]:
    """Fits on (frames, features) → (frames, outputs); the penalty is chosen by contiguous 5-fold
    cross-validation on the first output. Returns the model and its cross-validated correlation."""
    x, mean, scale = _standardised(features)
    y = targets.astype(np.float64)
    best_penalty, best_r = PENALTIES[0], -2.0
    for penalty in PENALTIES:
        r = pearson(_fold_predictions(x, y, penalty)[:, 0], y[:, 0])
        if r > best_r:
            best_penalty, best_r = penalty, r
    weights, bias = _solve(x, y, best_penalty)
    return RidgeModel(mean.astype(np.float32), scale.astype(np.float32), weights.astype(np.float32),
                      bias.astype(np.float32), best_penalty), best_r


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if len(a) < 3 or a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def smooth(values: np.ndarray, frames: int = 3) -> np.ndarray:
    """A centred moving average along time (axis 0)."""
    if frames <= 1 or len(values) < frames:
        return values
    kernel = np.ones(frames) / frames
    padded = np.pad(values, [(frames // 2, frames // 2)] + [(0, 0)] * (values.ndim - 1), mode="edge")
    return np.apply_along_axis(lambda column: np.convolve(column, kernel, mode="valid"), 0, padded)


def cross_validated(features: np.ndarray, targets: np.ndarray, penalty: float) -> np.ndarray:
    """Predictions for every row by a model fitted without its fold (contiguous FOLDS folds)."""
    return _fold_predictions(_standardised(features)[0], targets.astype(np.float64), penalty)
