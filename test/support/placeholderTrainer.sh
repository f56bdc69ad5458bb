#!/bin/sh
# A trainer command for the control-plane tests. It keeps the plug-in contract (docs/pipeline.md:
# `<command> <input dir> <output dir>`, AVATARFORGE_STAGE) and writes every stage's outputs without
# learning anything, so that the pipeline's flow is tested in seconds. The reference trainer itself
# is tested end to end in test/pipeline/referenceTrainer.test.ts and trainer/tests.
set -e
case "$AVATARFORGE_STAGE" in
  test_video_check)
    printf 'placeholder test video' > "$2/test_video.mp4"
    printf '{"mouth_correlation": 1, "held_out_seconds": 0, "face_found_ratio": 1, "sentence": "placeholder"}\n' > "$2/quality.json"
    ;;
  *)
    ls "$1" > "$2/inputs.txt"
    ;;
esac
