"""The reference trainer's benchmark: `npm run bench:trainer`.

Trains on a 5-minute 1080p talking-face fixture through every stage, as the pipeline runs them
(the trainer command, one process a stage), renders new speech at 1080p and 720p, and renders text
spoken by the neural voice at 720p (its peak memory: target ≤ 1 GiB). Prints the
wall time and peak memory of each stage, the quality figures, and each render's real-time factor
beside a baseline measured in the same run: ffmpeg alone decoding the background and encoding the
same number of frames at the same size (what any renderer of this kind costs at least).

  BENCH_TRAINER_SECONDS   length of the training fixture (default 300)
  BENCH_RENDER_SECONDS    length of the rendered speech (default 60)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "trainer"))

from avatarforge_trainer.fixture_cache import cached_fixture  # noqa: E402
from avatarforge_trainer.media import ffmpeg_path  # noqa: E402

TRAINER = os.path.join(ROOT, "trainer", "bin", "avatarforge-trainer")
TRAINING_SECONDS = float(os.environ.get("BENCH_TRAINER_SECONDS", "300"))
RENDER_SECONDS = float(os.environ.get("BENCH_RENDER_SECONDS", "60"))
# About 40 s of speech for the neural voice's render.
TEXT = ("Good morning, and welcome to the evening news. Heavy rain is expected across the north on Tuesday, "
        "with winds of up to 60 km per hour. In the city, the new bridge opened to traffic after three years of work; "
        "it cost $45 million, and it carries about 20,000 cars a day. At the museum, a collection of old maps "
        "goes on show from December 6th. Tickets cost 12 dollars, and children under 10 go in for free. "
        "That was the news. Thank you for watching, and have a pleasant evening.")


def measured(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Runs a command; returns its wall time, the peak RSS (MiB) of the largest of it and its children
    (Linux's wait4 reports both), and the last line of its stdout."""
    started = time.monotonic()
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with status {process.returncode}")
    return elapsed, usage.ru_maxrss / 1024.0, stdout.strip().splitlines()[-1] if stdout.strip() else ""


def stage(name: str, inputs: dict[str, str], work: str) -> tuple[float, float, str]:
    input_dir, output_dir = os.path.join(work, f"{name}-in"), os.path.join(work, name)
    os.makedirs(input_dir)
    os.makedirs(output_dir)
    for kind, path in inputs.items():
        os.symlink(path, os.path.join(input_dir, kind))
    with open(os.path.join(input_dir, "job.json"), "w") as target:
        json.dump({"job_id": "bench", "inference_data_process_video_mark_info": {"video_start_time": "00:00:00.000", "video_end_time": "00:00:20.000"}}, target)
    return measured([TRAINER, input_dir, output_dir], {"AVATARFORGE_STAGE": name})


def main() -> None:
    print(f"making (or reusing) a {TRAINING_SECONDS:g} s 1080p fixture …", flush=True)
    video = cached_fixture(seconds=TRAINING_SECONDS)
    speech = cached_fixture(seconds=RENDER_SECONDS, width=640, height=360, seed=2)
    with tempfile.TemporaryDirectory(prefix="avatarforge-bench-trainer-") as work:
        out = lambda name: os.path.join(work, name)  # noqa: E731
        rows = []
        for name, inputs in (
            ("training_data_preprocess", {"training_video": video}),
            ("training", {"training_data": out("training_data_preprocess")}),
            ("inference_data_preprocess", {"training_video": video}),
            ("compile", {"model_package": out("training"), "inference_data": out("inference_data_preprocess")}),
            ("test_video_check", {"compiled_model": out("compile"), "training_data": out("training_data_preprocess")}),
        ):
            seconds, rss, summary = stage(name, inputs, work)
            rows.append((name, seconds, rss, summary))
            print(f"  {name:<26} {seconds:7.1f} s  peak {rss:7.0f} MiB  {summary}", flush=True)
        training_total = sum(seconds for name, seconds, _, _ in rows if name != "test_video_check")
        peak = max(rss for _, _, rss, _ in rows)
        with open(os.path.join(out("training"), "manifest.json")) as source:
            metrics = json.load(source)["metrics"]
        with open(os.path.join(out("test_video_check"), "quality.json")) as source:
            quality = json.load(source)

        renders = []
        for resolution in (1080, 720):
            target = out(f"render-{resolution}.mp4")
            seconds, rss, result = measured([TRAINER, "render", "--model", out("compile"), "--audio", speech, "--resolution", str(resolution), "-o", target])
            rendered = json.loads(result)
            width, height = rendered["width"], rendered["height"]
            baseline, _, _ = measured([
                ffmpeg_path(), "-v", "error", "-y", "-stream_loop", "-1", "-i", os.path.join(out("compile"), "background.mp4"),
                "-i", speech, "-map", "0:v", "-map", "1:a", "-vf", f"fps=25,scale={width}:{height}:flags=bicubic",
                "-frames:v", str(rendered["frames"]), "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "128k", "-shortest", out(f"baseline-{resolution}.mp4"),
            ])
            renders.append((resolution, seconds / rendered["seconds"], baseline / rendered["seconds"], rss))
        seconds, text_rss, result = measured([TRAINER, "render", "--model", out("compile"), "--text", TEXT, "--resolution", "720",
                                              "-o", out("render-text.mp4")])
        spoken = json.loads(result)["seconds"]

    print()
    print(f"training fixture: {TRAINING_SECONDS:g} s at 1920x1080, 25 fps; rendered speech: {RENDER_SECONDS:g} s")
    print(f"training (preprocess + training + inference preprocess + compile): {training_total:.1f} s wall, "
          f"{training_total / 60:.1f} min (target ≤ 10 min); peak RSS of any stage {peak:.0f} MiB (target ≤ 2048)")
    print(f"held-out prediction r = {metrics['held_out_r']:.3f}, loudness only {metrics['held_out_r_loudness_only']:.3f} "
          f"(target ≥ 0.75 and ≥ +0.15)")
    print(f"test-video check (held-out speech re-voiced): rendered mouth r = {quality['mouth_correlation']:.3f} (target ≥ 0.7), "
          f"depth {100 * quality['mouth_depth']:.0f} % (≥ 85 %), at rest in {100 * quality['mouth_rest']:.0f} % of pause frames, "
          f"face in {100 * quality['face_found_ratio']:.1f} % of frames")
    print("render            real-time factor   ffmpeg-only baseline   ratio to baseline   peak RSS")
    for resolution, factor, baseline, rss in renders:
        target = 0.6 if resolution == 1080 else 1.0
        print(f"  {resolution}p          {factor:6.3f} (≤ {target:.1f})     {baseline:6.3f}                {factor / baseline:6.2f}            {rss:5.0f} MiB")
    print(f"  720p, text       {seconds / spoken:6.3f} with the neural voice's synthesis, {spoken:.1f} s of speech; "
          f"peak RSS {text_rss:5.0f} MiB (target ≤ 1024)")


if __name__ == "__main__":
    main()
