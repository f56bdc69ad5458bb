#!/usr/bin/env bash
# Python SDK conformance: the official huaweicloudsdkmetastudio against a real avatarforge server
# (started and stopped by conformance/server.sh). Exit code = pytest's, or 1 when the server answered
# a status its OpenAPI document does not declare (check_statuses).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../server.sh"

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt"
# AF_PREPARE_ONLY=1 (.ci/run, ahead of time): only the packages.
[ "${AF_PREPARE_ONLY:-}" != 1 ] || exit 0

start_server pyconf AKPYCONFORMANCE00001 SKpyConformanceSecretKey000000000000001

# The SDK writes ~/.huaweicloud/application_id on first use: keep it out of the real home.
status=0
HOME="$AF_WORK/home" CLOUD_SDK_AK="$AF_ACCESS_KEY" CLOUD_SDK_SK="$AF_SECRET_KEY" \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider --ignore="$here/cloud_sample" "$here" || status=$?
[ "$status" -eq 0 ] || { show_server_log; exit "$status"; }
check_statuses

# A sample written for the cloud, unchanged, against a real model: the reference trainer's model of
# the talking-face fixture (trained once and cached, about a minute), imported into the project;
# the videos render with the reference renderer; the lip-sync check measures them with the trainer.
repo="$(cd "$here/../.." && pwd)"
trainer_python="$repo/trainer/.venv/bin/python"
model_dir="$(cd "$repo/trainer" && "$trainer_python" -m avatarforge_trainer.fixture_model)"
speech="$(cd "$repo/trainer" && "$trainer_python" -m avatarforge_trainer.fixture_cache --seconds 12 --width 640 --height 360 --seed 2)"
stop_server
AF_RENDER=real start_server pyreal AKPYCONFORMANCE00002 SKpyConformanceSecretKey000000000000002
imported="$(cd "$repo" && node dist/src/cli/main.js model import --data-dir "$AF_WORK/data" --dir "$model_dir" --project "$AF_PROJECT_ID" --name fixture)"
asset_id="$(printf '%s\n' "$imported" | sed -n 's/^asset_id: //p')"
HOME="$AF_WORK/home" CLOUD_SDK_AK="$AF_ACCESS_KEY" CLOUD_SDK_SK="$AF_SECRET_KEY" AF_MODEL_ASSET_ID="$asset_id" AF_SPEECH="$speech" \
  "$venv/bin/python" -m pytest -q -s -p no:cacheprovider "$here/cloud_sample" || status=$?
[ "$status" -eq 0 ] || { show_server_log; exit "$status"; }
check_statuses
