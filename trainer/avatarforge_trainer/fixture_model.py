"""A model trained from a talking-face fixture, made once per fixture and kept beside it.

  python -m avatarforge_trainer.fixture_model [--seconds S]

prints the path of the compiled model directory (docs/model-format.md), training it first through
the pipeline's stages if the fixture cache does not hold it. Benchmarks and the SDK samples that
need a real model share it (`avatarforge model import --dir <path>` makes it a project's model).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile

from . import stages
from .fixture_cache import cached_fixture


def run_stage(handler, inputs: dict[str, str], job: dict, root: str, name: str) -> str:
    """Lays out an input directory as the pipeline does, runs one stage, returns its output directory."""
    input_dir, output_dir = os.path.join(root, name + "-input"), os.path.join(root, name)
    os.makedirs(input_dir)
    os.makedirs(output_dir)
    for kind, path in inputs.items():
        os.symlink(path, os.path.join(input_dir, kind))
    with open(os.path.join(input_dir, "job.json"), "w", encoding="utf-8") as target:
        json.dump({"job_id": "fixture", **job}, target)
    stages.progress(f"{name}: {handler(input_dir, output_dir)}")
    return output_dir


def cached_model(seconds: float = 60.0) -> str:
    video = cached_fixture(seconds=seconds)
    model = os.path.splitext(video)[0] + ".model"
    if os.path.exists(os.path.join(model, "model.json")):
        return model
    job = {"inference_data_process_video_mark_info": {"video_start_time": "00:00:00.000", "video_end_time": "00:00:12.000"}}
    root = tempfile.mkdtemp(prefix="training-", dir=os.path.dirname(video))
    try:
        training_data = run_stage(stages.training_data_preprocess, {"training_video": video}, job, root, "training_data")
        model_package = run_stage(stages.training, {"training_data": training_data}, job, root, "model_package")
        inference_data = run_stage(stages.inference_data_preprocess, {"training_video": video}, job, root, "inference_data")
        compiled = run_stage(stages.compile_model, {"model_package": model_package, "inference_data": inference_data}, job, root, "compiled_model")
        # Renamed into place whole: a model in the cache is always complete.
        os.replace(compiled, model)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m avatarforge_trainer.fixture_model")
    parser.add_argument("--seconds", type=float, default=60.0)
    print(cached_model(parser.parse_args().seconds))


if __name__ == "__main__":
    main()
