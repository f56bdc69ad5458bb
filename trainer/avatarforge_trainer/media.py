"""ffmpeg and ffprobe as child processes: probing, reading frames and audio, writing video."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import wave
from dataclasses import dataclass
from typing import Iterator

import numpy as np

# Every stage works at this frame rate, whatever the source's.
FPS = 25
# Audio is analysed at this rate, mono.
SAMPLE_RATE = 16000


class TrainerError(Exception):
    """A failure with a reason meant for the job's operation log (no face found, too little speech, …)."""


def ffmpeg_path() -> str:
    return _tool("AVATARFORGE_FFMPEG_PATH", "ffmpeg")


def ffprobe_path() -> str:
    return _tool("AVATARFORGE_FFPROBE_PATH", "ffprobe")


def _tool(variable: str, name: str) -> str:
    configured = os.environ.get(variable)
    if configured:
        return configured
    found = shutil.which(name)
    if not found:
        raise TrainerError(f"{name} was not found: install it (Debian: apt-get install ffmpeg) or set {variable}")
    return found


@dataclass
class VideoInfo:
    width: int
    height: int
    duration: float  # seconds of the video stream, as read (measured_seconds)
    has_audio: bool


def probe(path: str) -> VideoInfo:
    result = subprocess.run(
        [ffprobe_path(), "-v", "error", "-print_format", "json", "-show_streams", "-show_format", path],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise TrainerError(f"the video cannot be read: {' | '.join(result.stderr.strip().splitlines())[-300:]}")
    data = json.loads(result.stdout)
    video = next((s for s in data.get("streams", []) if s.get("codec_type") == "video"), None)
    if video is None:
        raise TrainerError("the file has no video stream")
    width, height = int(video["width"]), int(video["height"])
    rotation = _rotation(video)
    if rotation in (90, 270):
        width, height = height, width
    return VideoInfo(
        width=width,
        height=height,
        duration=measured_seconds(path) or 0.0,
        has_audio=any(s.get("codec_type") == "audio" for s in data.get("streams", [])),
    )


def measured_seconds(path: str) -> float | None:
    """How long the first video stream lasts, read packet by packet from its first frame's start to its
    last frame's end: never the header's claim, which may say 400 s of a 20 s video (or the reverse).
    None when ffprobe cannot read it."""
    result = subprocess.run([ffprobe_path(), "-v", "error", "-select_streams", "v:0", "-show_entries",
                             "packet=pts_time,duration_time", "-of", "csv=p=0", path], capture_output=True, text=True)
    first, end = float("inf"), float("-inf")
    for line in result.stdout.splitlines():
        start, _, duration = line.partition(",")
        try:
            start_time = float(start)
        except ValueError:
            continue
        first = min(first, start_time)
        try:
            end = max(end, start_time + float(duration))
        except ValueError:
            end = max(end, start_time)
    return end - first if result.returncode == 0 and end > first else None


def _rotation(stream: dict) -> int:
    for side in stream.get("side_data_list", []) or []:
        if "rotation" in side:
            return abs(int(side["rotation"])) % 360
    return abs(int(stream.get("tags", {}).get("rotate", 0))) % 360


def range_arguments(start: float | None, end: float | None) -> list[str]:
    """Accurate input seeking for a marked range."""
    arguments: list[str] = []
    if start:
        arguments += ["-ss", f"{start:.3f}"]
    if end is not None:
        arguments += ["-to", f"{end:.3f}"] if not start else ["-t", f"{end - start:.3f}"]
    return arguments


def read_frames(path: str, width: int, height: int, start: float | None = None, end: float | None = None,
                loop: bool = False) -> Iterator[np.ndarray]:
    """BGR frames at FPS, scaled to width x height, from the range [start, end) of the video."""
    command = [ffmpeg_path(), "-v", "error", "-nostdin"]
    if loop:
        command += ["-stream_loop", "-1"]
    command += [*range_arguments(start, end), "-i", path, "-an",
                "-vf", f"fps={FPS},scale={width}:{height}:flags=bicubic", "-pix_fmt", "bgr24", "-f", "rawvideo", "-"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=width * height * 3 * 2)
    frame_bytes = width * height * 3
    try:
        while True:
            data = process.stdout.read(frame_bytes)
            if len(data) < frame_bytes:
                break
            yield np.frombuffer(data, dtype=np.uint8).reshape(height, width, 3)
    finally:
        process.stdout.close()
        if process.poll() is None:
            process.kill()
        process.wait()
        error = process.stderr.read().decode(errors="replace").strip()
        process.stderr.close()
    if process.returncode not in (0, -9) and error:
        raise TrainerError(f"ffmpeg could not decode the video: {error[-300:]}")


def read_audio(path: str, start: float | None = None, end: float | None = None, rate: int = SAMPLE_RATE,
               filters: str | None = None) -> np.ndarray:
    """Mono float32 samples at `rate` of the range (through ffmpeg's audio `filters` if given), or an
    empty array when there is no audio."""
    result = subprocess.run(
        [ffmpeg_path(), "-v", "error", "-nostdin", *range_arguments(start, end), "-i", path, "-vn",
         *(["-af", filters] if filters else []), "-ac", "1", "-ar", str(rate), "-f", "s16le", "-"],
        capture_output=True,
    )
    if result.returncode != 0:
        if b"does not contain any stream" in result.stderr or b"Output file #0 does not contain" in result.stderr:
            return np.zeros(0, dtype=np.float32)
        raise TrainerError(f"ffmpeg could not read the audio: {result.stderr.decode(errors='replace').strip()[-300:]}")
    return np.frombuffer(result.stdout, dtype=np.int16).astype(np.float32) / 32768.0


def write_wav(path: str, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> None:
    """A mono 16-bit WAV: int16 samples as they are, float samples in [-1, 1] scaled."""
    pcm = samples if samples.dtype == np.int16 else np.clip(samples, -1.0, 1.0) * 32767.0
    with wave.open(path, "wb") as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(int(sample_rate))
        output.writeframes(np.asarray(pcm).astype("<i2").tobytes())


def save_arrays(path: str, arrays: dict[str, np.ndarray]) -> None:
    """Writes arrays to an .npz file whole: to a partial file beside it, then renamed into place."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.savez(path + ".partial.npz", **arrays)
    os.replace(path + ".partial.npz", path)


def load_arrays(path: str, key: str) -> dict[str, np.ndarray] | None:
    """The arrays of an .npz file saved with an array "key" (what they were made from), without it;
    None when the file is missing or its key is not `key` (it is out of date)."""
    if not os.path.exists(path):
        return None
    with np.load(path) as stored:
        if "key" not in stored.files or str(stored["key"]) != key:
            return None
        return {name: stored[name] for name in stored.files if name != "key"}


def read_wav(path: str) -> np.ndarray:
    with wave.open(path, "rb") as source:
        if source.getframerate() != SAMPLE_RATE or source.getnchannels() != 1 or source.getsampwidth() != 2:
            return read_audio(path)
        return np.frombuffer(source.readframes(source.getnframes()), dtype="<i2").astype(np.float32) / 32768.0


class VideoWriter:
    """Raw BGR frames in, H.264 (and AAC from an audio file, when given) out, through ffmpeg."""

    def __init__(self, path: str, width: int, height: int, audio: str | None = None, crf: int = 20,
                 preset: str = "veryfast", output_size: tuple[int, int] | None = None,
                 bitrate_kbps: int | None = None) -> None:
        command = [ffmpeg_path(), "-v", "error", "-y", "-nostdin",
                   "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{width}x{height}", "-r", str(FPS), "-i", "-"]
        if audio:
            command += ["-i", audio]
        if output_size and output_size != (width, height):
            command += ["-vf", f"scale={output_size[0]}:{output_size[1]}:flags=bicubic"]
        command += ["-map", "0:v"]
        if audio:
            command += ["-map", "1:a", "-c:a", "aac", "-b:a", "128k", "-ar", "48000"]
        # A bit rate, when asked for, caps the constant-quality encode instead of replacing it.
        rate = ["-maxrate", f"{bitrate_kbps}k", "-bufsize", f"{2 * bitrate_kbps}k"] if bitrate_kbps else []
        command += ["-c:v", "libx264", "-preset", preset, "-crf", str(crf), *rate, "-pix_fmt", "yuv420p",
                    "-movflags", "+faststart", path]
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)

    def write(self, frame: np.ndarray) -> None:
        try:
            self._process.stdin.write(np.ascontiguousarray(frame).tobytes())
        except BrokenPipeError:
            self.close()
            raise

    def close(self) -> None:
        if self._process.stdin and not self._process.stdin.closed:
            self._process.stdin.close()
        error = self._process.stderr.read().decode(errors="replace").strip()
        self._process.stderr.close()
        if self._process.wait() != 0:
            raise TrainerError(f"ffmpeg could not write the video: {error[-300:]}")


def even(value: float) -> int:
    """H.264 in 4:2:0 wants even sizes."""
    return max(2, int(round(value / 2.0)) * 2)
