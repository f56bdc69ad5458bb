"""Media facts read from the media itself (media.py)."""

import json
import subprocess

import pytest

from avatarforge_trainer.media import ffmpeg_path, ffprobe_path, probe


def claiming(data: bytes, seconds: float) -> bytes:
    """The MP4 with every duration of its movie, track and media headers (mvhd, tkhd, mdhd, version 0)
    rewritten to claim `seconds`; the samples are left as they are."""
    data = bytearray(data)
    moov = data.index(b"moov")
    end = moov - 4 + int.from_bytes(data[moov - 4:moov], "big")
    movie_timescale = 0
    for at in range(moov, end - 32):
        kind = bytes(data[at:at + 4])
        if kind not in (b"mvhd", b"tkhd", b"mdhd") or data[at + 4] != 0:
            continue
        fields = at + 8
        if kind == b"mvhd":
            movie_timescale = int.from_bytes(data[fields + 8:fields + 12], "big")
        timescale = int.from_bytes(data[fields + 8:fields + 12], "big") if kind == b"mdhd" else movie_timescale
        offset = fields + 16 if kind == b"tkhd" else fields + 12
        data[offset:offset + 4] = round(seconds * timescale).to_bytes(4, "big")
    return bytes(data)


def test_a_video_lasts_as_long_as_its_stream_whatever_its_header_claims(tmp_path):
    video = tmp_path / "video.mp4"
    subprocess.run([ffmpeg_path(), "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=4",
                    "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+faststart", str(video)], check=True)
    lying = tmp_path / "lying.mp4"
    lying.write_bytes(claiming(video.read_bytes(), 400))
    header = json.loads(subprocess.run([ffprobe_path(), "-v", "error", "-print_format", "json", "-show_format", str(lying)],
                                       capture_output=True, text=True, check=True).stdout)
    assert float(header["format"]["duration"]) == pytest.approx(400, abs=1), "the header does lie"
    assert probe(str(lying)).duration == pytest.approx(4.0, abs=0.01)
