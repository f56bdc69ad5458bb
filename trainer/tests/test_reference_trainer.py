"""The reference trainer end to end on a talking-face fixture, with the quality floors asserted:
held-out prediction r ≥ 0.75 and ≥ 0.15 above loudness alone; new sentences in another voice,
rendered and measured back with the same landmarks, on two faces: as a TEXT script (the mouth follows the
phonemes) r ≥ 0.85, as an AUDIO script predicted r ≥ 0.80, rendered r ≥ 0.75 and 0.12 above
loudness alone; depth ≥ 85 % of the real range and the mouth at rest in pauses; a face in ≥ 99 %
of frames, and outside the mouth region the frames match the background sequence (SSIM ≥ 0.95)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import cv2
import numpy as np
import pytest
from skimage.metrics import structural_similarity

from avatarforge_trainer import audio_features, lipsync, lipsync_eval, stages
from avatarforge_trainer.landmarks import mouth_shape
from avatarforge_trainer.media import TrainerError, ffprobe_path, read_audio, read_frames, read_wav
from avatarforge_trainer.model import Model, background_index, render
from avatarforge_trainer.mouth_model import fit, pearson
from avatarforge_trainer.video import video_render
from avatarforge_trainer.voice import NEURAL_VOICES

TRAINING_SECONDS = 60


def run_stage(stage: str, inputs: dict[str, str], output: str, job: dict | None = None) -> str:
    """Lays out an input directory as the pipeline does and runs one stage."""
    input_dir = output + "-input"
    os.makedirs(input_dir)
    os.makedirs(output)
    for kind, path in inputs.items():
        os.symlink(path, os.path.join(input_dir, kind))
    with open(os.path.join(input_dir, "job.json"), "w") as target:
        json.dump({"job_id": "test", **(job or {})}, target)
    handler = {"compile": stages.compile_model, "video_render": video_render}.get(stage) or getattr(stages, stage)
    return handler(input_dir, output)


def train_every_stage(root, video: str) -> dict:
    job = {"inference_data_process_video_mark_info": {"video_start_time": "00:00:00.000", "video_end_time": "00:00:12.000"}}
    out = {name: str(root / name) for name in ("training_data", "model_package", "inference_data", "compiled_model", "check")}
    summaries = {
        "preprocess": run_stage("training_data_preprocess", {"training_video": video}, out["training_data"], job),
        "training": run_stage("training", {"training_data": out["training_data"]}, out["model_package"], job),
        "inference": run_stage("inference_data_preprocess", {"training_video": video}, out["inference_data"], job),
        "compile": run_stage("compile", {"model_package": out["model_package"], "inference_data": out["inference_data"]}, out["compiled_model"], job),
    }
    return {"root": root, "video": video, "dirs": out, "summaries": summaries}


@pytest.fixture(scope="module")
def trained(tmp_path_factory, fixture_video):
    """A model trained through every stage from a 60 s 1080p fixture."""
    return train_every_stage(tmp_path_factory.mktemp("trained"), fixture_video(seconds=TRAINING_SECONDS))


@pytest.fixture(scope="module")
def trained_hopper(tmp_path_factory, hopper_video):
    """A second face, in another training voice (conftest.hopper_video)."""
    return train_every_stage(tmp_path_factory.mktemp("trained-hopper"), hopper_video)


def test_the_mouth_model_beats_loudness_alone_on_held_out_speech(trained):
    with open(os.path.join(trained["dirs"]["model_package"], "manifest.json")) as source:
        metrics = json.load(source)["metrics"]
    assert metrics["held_out_start_seconds"] == pytest.approx(0.8 * TRAINING_SECONDS, abs=0.1)
    assert metrics["held_out_r"] >= 0.75, metrics
    assert metrics["held_out_r"] >= metrics["held_out_r_loudness_only"] + 0.15, metrics
    assert "held-out r = " in trained["summaries"]["training"]


@pytest.mark.parametrize(("face", "voice"), [("astronaut", "en-us+f3"), ("hopper", "en-us")])
@pytest.mark.parametrize("mode", ["text", "audio"])
def test_new_sentences_in_another_voice_move_the_mouth_as_the_real_one_would(request, face, voice, mode):
    trained = request.getfixturevalue("trained" if face == "astronaut" else "trained_hopper")
    line = lipsync_eval.gap_line(trained["dirs"]["training_data"], trained["video"][:-4] + ".truth.json")
    speech = lipsync_eval.driving_speech(str(trained["root"] / f"drive-{mode}.wav"), voice)
    model = Model.load(trained["dirs"]["compiled_model"])
    figures = lipsync_eval.evaluate(model, speech, line, str(trained["root"] / f"{mode}.mp4"), mode, stages.measure_openness)
    print(face, voice, mode, {name: round(value, 3) for name, value in figures.items()})
    if mode == "text":
        assert figures["rendered_r"] >= 0.85, figures
    else:
        assert figures["predicted_r"] >= 0.80, figures
        assert figures["rendered_r"] >= 0.75, figures
        assert figures["rendered_r"] >= figures["loudness_r"] + 0.12, figures
    assert figures["depth"] >= 0.85, figures
    assert figures["rest"] >= 0.9, figures
    assert figures["face_found"] >= 0.99, figures


def test_a_rendered_video_is_h264_and_aac_and_changes_nothing_outside_the_mouth(trained, fixture_video):
    speech = fixture_video(seconds=20, width=640, height=360, seed=2)
    output = str(trained["root"] / "new-speech.mp4")
    model = Model.load(trained["dirs"]["compiled_model"])
    render(model, speech, output)

    streams = json.loads(subprocess.run([ffprobe_path(), "-v", "error", "-print_format", "json", "-show_streams", "-show_format", output],
                                        capture_output=True, text=True, check=True).stdout)
    codecs = {stream["codec_type"]: stream for stream in streams["streams"]}
    assert codecs["video"]["codec_name"] == "h264" and codecs["audio"]["codec_name"] == "aac"
    assert (codecs["video"]["width"], codecs["video"]["height"]) == (1920, 1080)
    assert float(streams["format"]["duration"]) == pytest.approx(20.0, abs=0.2)

    # Outside the mouth region every frame is the background frame under it.
    background_frames = list(read_frames(os.path.join(model.directory, "background.mp4"), 1920, 1080))
    rendered = list(read_frames(output, 1920, 1080))
    scores = []
    for index in range(0, len(rendered), 10):
        transform = model.transforms[background_index(index, len(model.transforms))].astype(np.float64)
        mouth = cv2.warpAffine((model.mask > 0.004).astype(np.uint8), transform, (1920, 1080), flags=cv2.INTER_NEAREST)
        outside = cv2.dilate(mouth, np.ones((15, 15), np.uint8)) == 0
        _, similarity = structural_similarity(
            cv2.cvtColor(rendered[index], cv2.COLOR_BGR2GRAY), cv2.cvtColor(background_frames[background_index(index, len(background_frames))], cv2.COLOR_BGR2GRAY),
            full=True, data_range=255)
        scores.append(float(similarity[outside].mean()))
    assert min(scores) >= 0.95, scores


def test_720p_is_scaled_before_the_mouth_is_placed(trained, fixture_video):
    speech = fixture_video(seconds=20, width=640, height=360, seed=2)
    output = str(trained["root"] / "720p.mp4")
    result = render(Model.load(trained["dirs"]["compiled_model"]), speech, output, 720)
    assert (result["width"], result["height"]) == (1280, 720)
    measured, face_found = stages.measure_openness(output)
    assert face_found >= 0.99


def test_a_video_job_says_its_scripts_in_order_into_a_video_a_cover_and_a_report(trained, fixture_video):
    speech = fixture_video(seconds=8, width=640, height=360, seed=3)
    plan = {"scripts": [{"sequence_no": 0, "text": "Hello there.", "language": "en"}, {"sequence_no": 1, "audio": "script_audio_1"}],
            "width": 1280, "height": 720, "bitrate_kbps": 2000, "speed": 100, "volume": 140, "voice": "bm_george", "pitch": 90}
    output = str(trained["root"] / "video-job")
    summary = run_stage("video_render", {"compiled_model": trained["dirs"]["compiled_model"], "script_audio_1": speech}, output, {"render_plan": plan})
    assert sorted(os.listdir(output)) == ["cover.jpg", "video.json", "video.mp4"]
    with open(os.path.join(output, "video.json")) as source:
        report = json.load(source)
    assert 8.5 < report["seconds"] < 12, report
    assert (report["width"], report["height"]) == (1280, 720)
    assert "from 2 script(s)" in summary
    probed = json.loads(subprocess.run([ffprobe_path(), "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                                        os.path.join(output, "video.mp4")], capture_output=True, check=True).stdout)
    assert abs(float(probed["format"]["duration"]) - report["seconds"]) <= 0.2
    assert sorted(stream["codec_name"] for stream in probed["streams"]) == ["aac", "h264"]
    # The speech keeps what lies above 8 kHz (sibilants): it was never taken down to the 16 kHz of analysis.
    sound = read_audio(os.path.join(output, "video.mp4"), rate=48000)
    power = np.abs(np.fft.rfft(sound)) ** 2
    assert power[np.fft.rfftfreq(len(sound), 1 / 48000) > 8500].sum() / power.sum() > 1e-4
    assert cv2.imread(os.path.join(output, "cover.jpg")).shape == (720, 1280, 3)


def test_a_video_job_at_a_size_the_model_cannot_make_is_refused(trained, tmp_path):
    plan = {"scripts": [{"sequence_no": 0, "text": "Hello.", "language": "en"}], "width": 1080, "height": 1920, "speed": 100, "volume": 140}
    with pytest.raises(TrainerError, match="renders 1920x1080 at that resolution, not the 1080x1920"):
        run_stage("video_render", {"compiled_model": trained["dirs"]["compiled_model"]}, str(tmp_path / "out"), {"render_plan": plan})


def test_the_test_video_check_measures_the_held_out_speech_in_another_voice(trained):
    check = trained["dirs"]["check"]
    summary = run_stage("test_video_check", {"compiled_model": trained["dirs"]["compiled_model"], "training_data": trained["dirs"]["training_data"]}, check)
    with open(os.path.join(check, "quality.json")) as source:
        report = json.load(source)
    assert report["mouth_correlation"] >= 0.7, report
    assert report["mouth_depth"] >= 0.85 and report["mouth_rest"] >= 0.9, report
    assert "re-voiced" in report["driving_voice"]
    assert report["held_out_seconds"] == pytest.approx(0.2 * TRAINING_SECONDS, abs=0.1)
    assert report["face_found_ratio"] >= 0.99
    assert f"r = {report['mouth_correlation']:.2f}" in summary
    # The model's own voice (the stock voice nearest to the fixture's speaker) says the test video.
    voices = Model.load(trained["dirs"]["compiled_model"]).voices
    assert sorted(voices) == ["en", "zh"] and NEURAL_VOICES[voices["zh"]].language == "zh"
    assert report["voices"] == voices and report["voice"] == voices["en"]
    assert sorted(os.listdir(check)) == ["quality.json", "test_video.mp4"]


def test_a_model_of_another_format_version_is_refused(trained, tmp_path):
    copy = tmp_path / "model"
    os.symlink(trained["dirs"]["compiled_model"], tmp_path / "original")
    os.makedirs(copy)
    for name in os.listdir(tmp_path / "original"):
        os.symlink(tmp_path / "original" / name, copy / name)
    os.unlink(copy / "model.json")
    with open(tmp_path / "original" / "model.json") as source:
        manifest = json.load(source)
    manifest["version"] = 5
    with open(copy / "model.json", "w") as target:
        json.dump(manifest, target)
    with pytest.raises(TrainerError, match="unsupported model format avatarforge-2d version 5"):
        Model.load(str(copy))
    manifest["version"] = 4
    with open(copy / "model.json", "w") as target:
        json.dump(manifest, target)
    os.unlink(copy / "background.mp4")
    with pytest.raises(TrainerError, match="is incomplete: background.mp4 missing"):
        Model.load(str(copy))


@pytest.mark.parametrize("version", [1, 3])
def test_a_model_of_an_older_format_still_renders(trained, tmp_path, fixture_video, version):
    """Format 1 held one audio-only ridge model (mouth_model.npz) and no voices; formats 2 and 3 heard
    audio through the phone recogniser and an acoustic model of the person's voice (lipsync.npz).
    Such models keep rendering."""
    data = trained["dirs"]["training_data"]
    points = np.load(os.path.join(data, "landmarks.npy"))
    shapes = np.array([mouth_shape(p) for p in points])
    audio = read_wav(os.path.join(data, "audio.wav"))
    old = tmp_path / f"format-{version}"
    os.makedirs(old)
    for name in os.listdir(trained["dirs"]["compiled_model"]):
        if name not in ("lipsync.npz", "model.json"):
            os.symlink(os.path.join(trained["dirs"]["compiled_model"], name), old / name)
    if version == 1:
        mouth, _ = fit(audio_features.frame_features(audio, len(points)), shapes)
        np.savez(old / "mouth_model.npz", **mouth.to_arrays("mouth"))
    else:
        current = Model.load(trained["dirs"]["compiled_model"]).mouth
        phone_model, _ = fit(lipsync.phone_features(audio, len(points)), shapes)
        acoustic_model, _ = fit(lipsync.acoustic_features(audio, len(points)), shapes)
        formerly = lipsync.LipSync(current.viseme_shapes, current.rest_shape, phone_model, np.ones(4, np.float32),
                                   np.zeros(4, np.float32), acoustic_model=acoustic_model)
        np.savez(old / "lipsync.npz", **formerly.to_arrays())
    with open(os.path.join(trained["dirs"]["compiled_model"], "model.json")) as source:
        manifest = json.load(source)
    if version == 1:
        del manifest["voices"]
    with open(old / "model.json", "w") as target:
        json.dump({**manifest, "version": version}, target)
    loaded = Model.load(str(old))
    assert bool(loaded.voices) == (version == 3)
    if version == 3:
        assert loaded.mouth.acoustic_model is not None
    result = render(loaded, fixture_video(seconds=8, width=640, height=360, seed=3), str(tmp_path / "old.mp4"), 720)
    assert result["frames"] == 200
    measured, face_found = stages.measure_openness(str(tmp_path / "old.mp4"))
    assert face_found >= 0.99 and np.nanstd(measured) > 0.02


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("silent", "too little speech in the marked range"),
        ("no_face", "no face found in the marked range"),
        ("two_faces", "several faces in the marked range"),
        ("small_face", "the face is too small in the marked range"),
    ],
)
def test_preprocessing_fails_with_a_clear_reason(tmp_path, fixture_video, kind, reason):
    if kind == "silent":
        video = fixture_video(seconds=15, width=1280, height=720, silent=True)
    elif kind == "no_face":
        video = fixture_video(seconds=15, width=640, height=360, no_face=True)
    else:
        source = fixture_video(seconds=15, width=640, height=360)
        video = str(tmp_path / f"{kind}.mp4")
        layout = ["-filter_complex", "[0:v][0:v]hstack[v]", "-map", "[v]", "-map", "0:a"] if kind == "two_faces" else ["-vf", "scale=320:180"]
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", source, *layout, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "copy", video], check=True)
    with pytest.raises(TrainerError, match=reason):
        run_stage("training_data_preprocess", {"training_video": video}, str(tmp_path / "out"))


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("symlink", "background.mp4 is a symbolic link: a model holds only regular files"),
        ("background", "background.mp4 is not an H.264 video|the video cannot be read"),
        ("json", "model.json is not valid JSON"),
        ("mask", "mask.png is not a"),
        ("array", "library_shapes.npy is not a NumPy array file"),
        ("shape", "library_frames.npy holds"),
        ("mouth", "lipsync.npz: classes_weights should be"),
        ("stray", "notes.txt is not part of the model format"),
        ("appearance", "appearance/000001.jpg is not a"),
    ],
)
def test_a_damaged_model_is_refused_in_one_line(trained, tmp_path, damage, reason):
    """What `avatarforge model import` runs (check --model): every file is what it should be."""
    copy = tmp_path / "model"
    shutil.copytree(trained["dirs"]["compiled_model"], copy)
    if damage == "symlink":
        os.replace(copy / "background.mp4", tmp_path / "outside.mp4")
        os.symlink(tmp_path / "outside.mp4", copy / "background.mp4")
    elif damage == "background":
        (copy / "background.mp4").write_bytes(os.urandom(4096))
    elif damage == "json":
        (copy / "model.json").write_text('{"format": "avatarforge-2d", ')
    elif damage == "mask":
        (copy / "mask.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(100))
    elif damage == "array":
        (copy / "library_shapes.npy").write_bytes(b"\x93NUMPY" + os.urandom(50))
    elif damage == "shape":
        np.save(copy / "library_frames.npy", np.zeros((3, 3), np.int32))
    elif damage == "mouth":
        with np.load(copy / "lipsync.npz") as arrays:
            kept = {key: arrays[key] for key in arrays.files}
        kept["classes_weights"] = kept["classes_weights"][:, :2]
        np.savez(copy / "lipsync.npz", **kept)
    elif damage == "stray":
        (copy / "notes.txt").write_text("hello")
    elif damage == "appearance":
        (copy / "appearance" / "000001.jpg").write_bytes(os.urandom(300))
    with pytest.raises(TrainerError, match=reason) as raised:
        Model.load(str(copy)).verify()
    assert "\n" not in str(raised.value)


def test_the_trained_model_passes_the_import_check(trained):
    Model.load(trained["dirs"]["compiled_model"]).verify()
